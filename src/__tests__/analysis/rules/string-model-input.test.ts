import { ruleTester } from '../rule-tester';

ruleTester('string-model-input', {
  valid: [
    { code: 'import keras\nx = keras.Input(shape=(4,), dtype="int64")\ny = keras.Input(shape=(1,))\n' },
    { name: 'strings in tf.data, not in the model', code: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(texts).map(lambda t: vectorize(t))\nz = tf.constant(["a"], dtype=tf.string)\n' }
  ],
  invalid: [
    {
      name: 'a string Input, tf.keras spelling and tf.string',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nthal = keras.Input(shape=(1,), name="thal", dtype="string")\ntext = tf.keras.layers.Input(shape=(), dtype=tf.string)\n',
      errors: [
        { line: 3, column: 51, endColumn: 59, message: 'TensorFlow backend only' },
        { line: 4, column: 46 }
      ],
      blocks: ['jax', 'torch']
    },
    {
      name: 'an InputLayer of strings',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.InputLayer(shape=(1,), dtype="string"), vectorizer])\n',
      errors: [{ line: 2, column: 69 }]
    }
  ]
});
