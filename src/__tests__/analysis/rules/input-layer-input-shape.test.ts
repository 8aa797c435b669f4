import { ruleTester } from '../rule-tester';

ruleTester('input-layer-input-shape', {
  valid: [
    { code: 'import keras\nlayer = keras.layers.InputLayer(shape=(4,))\n' },
    { name: 'input_shape= on other layers is KM167', code: 'import keras\nlayer = keras.layers.Dense(2, input_shape=(4,))\n' },
    { name: 'not Keras', code: 'from mylib import InputLayer\nlayer = InputLayer(input_shape=(4,))\n' }
  ],
  invalid: [
    {
      code: 'from tensorflow.keras.layers import InputLayer, Dense\nfrom tensorflow import keras\nm = keras.Sequential([InputLayer(input_shape=(28, 28), batch_size=8), Dense(2)])\n',
      errors: [{ line: 3, column: 34, message: 'shape=' }],
      blocks: [],
      output: 'from tensorflow.keras.layers import InputLayer, Dense\nfrom tensorflow import keras\nm = keras.Sequential([InputLayer(shape=(28, 28), batch_size=8), Dense(2)])\n'
    },
    {
      name: 'both given: no fix',
      code: 'import keras\nlayer = keras.layers.InputLayer(input_shape=(4,), shape=(4,))\n',
      errors: [{ line: 2, column: 33 }]
    }
  ]
});
