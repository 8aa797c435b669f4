import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tensorflow-train-step', {
  valid: [
    { code: HEAD + 'class M(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))\n' },
    { name: 'target tensorflow drops the section', code: HEAD + 'class M(keras.Model):\n    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            pass\n', options: { target: 'tensorflow' } }
  ],
  invalid: [
    {
      code:
        HEAD +
        'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x))\n        self.optimizer.apply_gradients(zip(g, self.trainable_variables))\n',
      errors: [{ line: 6, column: 14, endColumn: 29 }, { line: 7, column: 20, endColumn: 38 }, { line: 8, column: 9 }]
    }
  ]
});
