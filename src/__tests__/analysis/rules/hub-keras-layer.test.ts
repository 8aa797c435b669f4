import { ruleTester } from '../rule-tester';

ruleTester('hub-keras-layer', {
  valid: [
    { code: 'import keras\nencoder = keras.layers.TFSMLayer("encoder", call_endpoint="serving_default")\n' }
  ],
  invalid: [
    {
      name: 'TF Hub layer in its own cell',
      code: ['import tensorflow_hub as hub\nimport tensorflow as tf\n', 'feature_extractor = hub.KerasLayer(url, input_shape=(224, 224, 3), trainable=False)\n'],
      errors: [{ line: 1, column: 21, endColumn: 35, message: 'TFSMLayer' }]
    }
  ]
});
