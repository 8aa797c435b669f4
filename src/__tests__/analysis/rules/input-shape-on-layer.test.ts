import { ruleTester } from '../rule-tester';

ruleTester('input-shape-on-layer', {
  valid: [
    { code: 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n' }
  ],
  invalid: [
    { code: 'import keras\nd = keras.layers.Dense(2, input_shape=(4,))\n', errors: [{ line: 2, column: 27 }] }
  ]
});
