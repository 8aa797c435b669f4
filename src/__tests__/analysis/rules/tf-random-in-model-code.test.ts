import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tf-random-in-model-code', {
  valid: [
    { code: HEAD + 'class N(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)\n' },
    { name: 'module-level noise for plotting', code: HEAD + 'noise = tf.random.normal([1, 100])\n' }
  ],
  invalid: [
    {
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))\n',
      errors: [{ line: 5, column: 20, endColumn: 36, message: 'fails on JAX and PyTorch' }]
    },
    {
      name: 'only stateless ops are said to repeat (a seeded tf.random.normal in a tf.function does not)',
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        a = tf.random.normal(tf.shape(x), seed=1)\n        return a + tf.random.stateless_normal(tf.shape(x), seed=[1, 2])\n',
      errors: [
        { line: 5, column: 13, message: 'fails on JAX and PyTorch' },
        { line: 6, column: 20, message: 'same values for the same seed' }
      ]
    }
  ]
});
