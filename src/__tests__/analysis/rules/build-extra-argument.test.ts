import { ruleTester } from '../rule-tester';

ruleTester('build-extra-argument', {
  valid: [
    { name: 'one argument, any name', code: 'import keras\nclass A(keras.layers.Layer):\n    def build(self, shape):\n        pass\n    def compute_output_shape(self, s):\n        return s\n' },
    {
      name: 'names that match call()',
      code: 'import keras\nclass B(keras.layers.Layer):\n    def build(self, query_shape, value_shape):\n        pass\n    def call(self, query, value):\n        return query\n'
    },
    { name: 'catch-alls do not count', code: 'import keras\nclass C(keras.layers.Layer):\n    def build(self, input_shape, *args, **kwargs):\n        pass\n' },
    { name: 'not a Keras class', code: 'class Builder:\n    def build(self, target, extra=None):\n        pass\n' }
  ],
  invalid: [
    {
      name: 'a defaulted extra parameter the body never reads: dropped (safe)',
      code: 'import keras\nclass Pair(keras.layers.Layer):\n    def build(self, input_shape, extra=None):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n',
      errors: [{ line: 3, column: 34, message: '`_shape` suffix' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Pair(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n'
    },
    {
      name: 'a required second parameter matching a call() argument by name only: no fix',
      code: 'import tensorflow as tf\nclass Pair(tf.keras.layers.Layer):\n    def build(self, input_shape, extra):\n        self.n = extra\n    def call(self, inputs, extra):\n        return inputs\n',
      // call() names its first argument `inputs`: Keras 3 wants `inputs_shape`.
      errors: [{ line: 3, column: 21, message: '`input_shape`' }]
    },
    {
      name: '_shape names that call() lacks',
      code: 'import keras\nclass Q(keras.layers.Layer):\n    def compute_output_shape(self, a_shape, b_shape):\n        return a_shape\n    def call(self, x, y):\n        return x\n',
      errors: [{ line: 3, column: 36 }]
    }
  ]
});
