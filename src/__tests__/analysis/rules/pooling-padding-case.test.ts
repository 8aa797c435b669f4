import { ruleTester } from '../rule-tester';

ruleTester('pooling-padding-case', {
  valid: [
    { name: 'lower case', code: 'import keras\nm = keras.Sequential([keras.layers.MaxPool2D(2, padding="same")])\n' },
    { name: 'a convolution lower-cases it itself (ran on all three)', code: 'import keras\nm = keras.Sequential([keras.layers.Conv2D(4, 3, padding="SAME")])\n' },
    { name: 'a name of unknown value', code: 'import keras\nm = keras.Sequential([keras.layers.MaxPool2D(2, padding=pad)])\n' }
  ],
  invalid: [
    {
      // /work/og48b repro_7 (Géron's handson-ml2 ch. 14 ResNet-34 stem): "Argument `padding` must be either 'valid' or
      // 'same'. Received: padding=SAME" on all three while the Sequential was built.
      name: 'upper-case padding of pooling layers in a Sequential, positional, in model.add and on a Keras tensor',
      code:
        'import keras\nfrom keras import layers\nm = keras.Sequential([layers.MaxPool2D(pool_size=3, strides=2, padding="SAME"), layers.AvgPool2D(2, 2, "VALID")])\n' +
        "m.add(keras.layers.MaxPooling1D(2, padding='Same'))\nx = keras.Input((8, 8, 3))\ny = layers.AveragePooling2D(2, padding=\"VALID\")(x)\n",
      errors: [{ line: 3, column: 72 }, { line: 3, column: 104 }, { line: 4, column: 44 }, { line: 6, column: 40 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nfrom keras import layers\nm = keras.Sequential([layers.MaxPool2D(pool_size=3, strides=2, padding="same"), layers.AvgPool2D(2, 2, "valid")])\n' +
        "m.add(keras.layers.MaxPooling1D(2, padding='same'))\nx = keras.Input((8, 8, 3))\ny = layers.AveragePooling2D(2, padding=\"valid\")(x)\n"
    },
    {
      name: 'a direct call on data runs: no claim, the same fix',
      code: 'import keras\npool = keras.layers.MaxPool2D(2, padding="SAME")\n',
      errors: [{ line: 2, column: 42 }],
      blocks: [],
      output: 'import keras\npool = keras.layers.MaxPool2D(2, padding="same")\n'
    },
    {
      name: 'the doc example',
      code: 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.MaxPool2D(pool_size=3, strides=2, padding="SAME")])',
      errors: [{ line: 2, column: 106 }],
      output: 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.MaxPool2D(pool_size=3, strides=2, padding="same")])'
    }
  ]
});
