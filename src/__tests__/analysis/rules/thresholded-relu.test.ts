import { ruleTester } from '../rule-tester';

ruleTester('thresholded-relu', {
  valid: [
    { code: 'import keras\nr = keras.layers.ReLU(threshold=0.5)\n' }
  ],
  invalid: [
    {
      code: 'import keras\na = keras.layers.ThresholdedReLU(theta=0.5)\nb = keras.layers.ThresholdedReLU(0.2)\nc = keras.layers.ThresholdedReLU()\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 5 }, { line: 4, column: 5 }],
      output: 'import keras\na = keras.layers.ReLU(threshold=0.5)\nb = keras.layers.ReLU(threshold=0.2)\nc = keras.layers.ReLU(threshold=1.0)\n'
    }
  ]
});
