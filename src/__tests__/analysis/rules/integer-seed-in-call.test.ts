import { ruleTester } from '../rule-tester';

ruleTester('integer-seed-in-call', {
  valid: [
    { code: 'import keras\nclass D(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=self.seed)\n' }
  ],
  invalid: [
    {
      code: 'import keras\nclass D(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=42)\n',
      errors: [{ line: 4, column: 50, endColumn: 52 }],
      // python_kernel_hooks/tests/claims/integer_seed_in_call.py trains on all three backends.
      blocks: []
    }
  ]
});
