import { ruleTester } from '../rule-tester';

ruleTester('sublayers-without-build', {
  valid: [
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def build(self, s):\n        self.d.build(s)\n    def call(self, x):\n        return self.d(x)\n' },
    { name: 'Models build themselves', code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def call(self, x):\n        return self.d(x)\n' }
  ],
  invalid: [
    {
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def call(self, x):\n        return self.d(x)\n',
      errors: [{ line: 2, column: 7, endColumn: 12 }]
    }
  ]
});
