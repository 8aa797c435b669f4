import { ruleTester } from '../rule-tester';

ruleTester('removed-layer', {
  valid: [
    { code: 'import keras\nx = keras.layers.Conv2D(3, 3)\n' }
  ],
  invalid: [
    {
      code: 'from keras.layers import LocallyConnected2D\nimport keras\nx = LocallyConnected2D(8, 3)\ny = keras.layers.LocallyConnected1D(4, 2)\n',
      errors: [{ line: 3, column: 5, endColumn: 23 }, { line: 4, column: 5, endColumn: 36 }]
    }
  ]
});
