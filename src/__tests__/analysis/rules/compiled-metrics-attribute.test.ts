import { ruleTester } from '../rule-tester';

const MODEL = (body: string): string => 'import keras\nclass M(keras.Model):\n' + body;

ruleTester('compiled-metrics-attribute', {
  valid: [
    { name: 'the shim update_state() (KM141 flags it in a step)', code: MODEL('    def f(self, y, p):\n        self.compiled_metrics.update_state(y, p)\n') },
    { name: 'calling compiled_loss (KM141 flags it in a step)', code: MODEL('    def f(self, y, p):\n        return self.compiled_loss(y, p)\n') },
    { name: 'not a Keras model', code: 'class M:\n    @property\n    def metrics(self):\n        return self.compiled_metrics.metrics\n' },
    { name: 'another object\'s attribute', code: MODEL('    def f(self, other):\n        return other.compiled_metrics.metrics\n') }
  ],
  invalid: [
    {
      // Checked by running Keras 3.15 on TensorFlow: "AttributeError: 'DeprecatedCompiledMetric' object has no attribute 'metrics'".
      name: 'keras.io AdaMatch-style metrics property adding self.compiled_metrics.metrics',
      code: MODEL('    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n'),
      errors: [{ line: 5, column: 38, message: "'DeprecatedCompiledMetric' object has no attribute 'metrics'" }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'reset_state() on the shim and compiled_loss.metrics',
      code: MODEL('    def reset(self):\n        self.compiled_metrics.reset_state()\n        return self.compiled_loss.metrics\n'),
      errors: [{ line: 4, column: 9 }, { line: 5, column: 16 }]
    }
  ]
});
