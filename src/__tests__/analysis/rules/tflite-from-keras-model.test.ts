import { ruleTester } from '../rule-tester';

ruleTester('tflite-from-keras-model', {
  valid: [
    { name: 'a SavedModel is converted by its own path', code: 'import tensorflow as tf\nconverter = tf.lite.TFLiteConverter.from_saved_model("exported")\n' },
    { name: 'not TensorFlow\'s converter', code: 'from mylib import TFLiteConverter\nconverter = TFLiteConverter.from_keras_model(model)\n' },
    { name: 'a method of another name', code: 'import tensorflow as tf\nconverter = tf.lite.TFLiteConverter.from_concrete_functions([f])\n' }
  ],
  invalid: [
    {
      code: 'import tensorflow as tf\nconverter = tf.lite.TFLiteConverter.from_keras_model(model)\ntflite_model = converter.convert()\n',
      errors: [{ line: 2, column: 13, message: 'PyTorch' }],
      blocks: ['torch']
    },
    {
      name: 'imported converter class',
      code: 'from tensorflow.lite import TFLiteConverter\nconverter = TFLiteConverter.from_keras_model(get_model())\n',
      errors: [{ line: 2, column: 13 }]
    }
  ]
});
