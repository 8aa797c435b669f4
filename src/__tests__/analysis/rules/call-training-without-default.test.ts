import { ruleTester } from '../rule-tester';

ruleTester('call-training-without-default', {
  valid: [
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\n' },
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training: bool = False):\n        return x\n' },
    { name: 'not a Keras class', code: 'import keras\nclass B:\n    def call(self, x, training):\n        return x\n' },
    { name: 'another method', code: 'import keras\nclass B(keras.layers.Layer):\n    def step(self, x, training):\n        return x\n' },
    { name: 'a nested function named call', code: 'import keras\nclass B(keras.layers.Layer):\n    def build(self, shape):\n        def call(x, training):\n            return x\n' }
  ],
  invalid: [
    {
      name: 'tf.keras layer, training last',
      code: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def call(self, inputs, training):\n        return inputs\n',
      errors: [{ line: 3, column: 28 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def call(self, inputs, training=None):\n        return inputs\n'
    },
    {
      name: 'a model, typed, before a defaulted parameter',
      code: 'import keras\nclass M(keras.Model):\n    def call(self, x, training: bool, mask=None):\n        return x\n',
      errors: [{ line: 3, column: 23 }],
      output: 'import keras\nclass M(keras.Model):\n    def call(self, x, training: bool = None, mask=None):\n        return x\n'
    },
    {
      name: 'a later parameter without a default: reported, no fix',
      code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\n',
      errors: [{ line: 3, column: 23 }]
    }
  ]
});
