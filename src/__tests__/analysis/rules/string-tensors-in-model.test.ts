import { ruleTester } from '../rule-tester';

ruleTester('string-tensors-in-model', {
  valid: [
    { name: 'a numeric input', code: 'import keras\ninputs = keras.Input(shape=(3,), dtype="float32")\n' },
    {
      name: 'string preprocessing in tf.data, not in the model',
      code: 'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=10)\nds = raw.map(lambda x, y: (vectorize(x), y))\nmodel = keras.Sequential([keras.layers.Embedding(11, 4)])\n'
    },
    { name: 'a lookup layer that is not first', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(4), keras.layers.StringLookup()])\n' }
  ],
  invalid: [
    {
      name: 'a string Input (tf.keras spelling, tf.string)',
      code: 'import tensorflow as tf\nthal = tf.keras.Input(shape=(1,), name="thal", dtype=tf.string)\n',
      errors: [{ line: 2, column: 54 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'TextVectorization first in a Sequential, through a name (after an Input)',
      code: 'import keras\nfrom keras.layers import TextVectorization\nvectorize_layer = TextVectorization(max_tokens=50)\nexport_model = keras.Sequential([keras.Input((1,), dtype="string"), vectorize_layer, model])\n',
      errors: [{ line: 4, column: 69 }, { line: 4, column: 58 }]
    }
  ]
});
