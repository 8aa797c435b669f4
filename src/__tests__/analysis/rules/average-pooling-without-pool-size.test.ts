import { ruleTester } from '../rule-tester';

ruleTester('average-pooling-without-pool-size', {
  valid: [
    { name: 'pool size given by position', code: 'import keras\np = keras.layers.AveragePooling1D(2)\n' },
    { name: 'pool size given by keyword', code: 'import keras\np = keras.layers.AveragePooling2D(pool_size=(3, 3), strides=1)\n' },
    { name: 'max pooling kept its default', code: 'import keras\np = keras.layers.MaxPooling1D()\n' },
    { name: 'global average pooling has no pool size', code: 'import keras\np = keras.layers.GlobalAveragePooling2D()\n' },
    { name: 'arguments from **kwargs', code: 'import keras\nkw = {"pool_size": 2}\np = keras.layers.AveragePooling1D(**kw)\n' },
    { name: 'not Keras', code: 'class AveragePooling1D:\n    pass\np = AveragePooling1D()\n' }
  ],
  invalid: [
    {
      // examples/runnable/melgan_lite.py (keras.io MelGAN's discriminator).
      name: 'tf.keras AveragePooling1D() in a functional model',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninp = keras.Input((None, 1))\npool1 = layers.AveragePooling1D()(inp)\n',
      errors: [{ line: 4, column: 9, message: "missing 1 required positional argument: 'pool_size'" }],
      output: 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninp = keras.Input((None, 1))\npool1 = layers.AveragePooling1D(pool_size=2)(inp)\n',
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'other keyword arguments are kept after the pool size',
      code: 'import keras\np = keras.layers.AveragePooling2D(padding="same", name="pool")\n',
      errors: [{ line: 2, column: 5 }],
      output: 'import keras\np = keras.layers.AveragePooling2D(pool_size=(2, 2), padding="same", name="pool")\n'
    },
    {
      name: 'the AvgPool3D alias',
      code: 'import keras\np = keras.layers.AvgPool3D()\n',
      errors: [{ line: 2, column: 5 }],
      output: 'import keras\np = keras.layers.AvgPool3D(pool_size=(2, 2, 2))\n'
    }
  ]
});
