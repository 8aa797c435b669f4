import { ruleTester } from '../rule-tester';

const METRIC = (result: string, init = 'self.total = self.add_weight(name="total", initializer="zeros")'): string =>
  'import keras\nclass Count(keras.metrics.Metric):\n    def __init__(self, name="count", **kwargs):\n        super().__init__(name=name, **kwargs)\n        ' +
  init +
  '\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.total.assign_add(keras.ops.sum(y_pred))\n    def result(self):\n        ' +
  result +
  '\n';

ruleTester('metric-result-returns-variable', {
  valid: [
    { name: 'the value converted', code: METRIC('return keras.ops.convert_to_tensor(self.total)') },
    { name: 'arithmetic on variables gives an array', code: METRIC('return self.total / 2.0') },
    { name: 'an attribute that is not a variable', code: METRIC('return self.scale', 'self.scale = 2.0\n        self.total = self.add_weight(name="total")') },
    {
      name: 'result() of a layer is not a metric result',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight(shape=(1,))\n    def result(self):\n        return self.w\n'
    }
  ],
  invalid: [
    {
      // python_kernel_hooks/tests/test_safe_fix_snippets.py runs the fixed metric in fit() on all three backends.
      name: 'return self.total (add_weight)',
      code: METRIC('return self.total'),
      errors: [{ line: 9, column: 16, message: 'Triggering __jax_array__()' }],
      blocks: ['jax'],
      output: METRIC('return keras.ops.convert_to_tensor(self.total)')
    },
    {
      name: 'a tf.Variable from tf.keras, import keras added',
      code: 'import tensorflow as tf\nclass Count(tf.keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.n = tf.Variable(0.0)\n    def result(self):\n        if self.n is None:\n            return 0.0\n        return self.n\n',
      errors: [{ line: 9, column: 16 }],
      blocks: ['jax'],
      output:
        'import tensorflow as tf\nimport keras\nclass Count(tf.keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.n = tf.Variable(0.0)\n    def result(self):\n        if self.n is None:\n            return 0.0\n        return keras.ops.convert_to_tensor(self.n)\n'
    }
  ]
});
