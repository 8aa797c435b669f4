import { ruleTester } from '../rule-tester';

ruleTester('leaky-relu-alpha', {
  valid: [
    { code: 'import keras\na = keras.layers.LeakyReLU(negative_slope=0.2)\n' },
    // `from tensorflow.keras.layers import *` binds the layer names, so rules see through it.
    { name: 'a module that binds nothing known', code: 'from mylib import *\na = LeakyReLU(alpha=0.2)\n' }
  ],
  invalid: [
    {
      code: 'import keras\na = keras.layers.LeakyReLU(alpha=0.2)\n',
      errors: [{ line: 2, column: 28 }],
      // "Argument `alpha` is deprecated": a warning on TF, JAX and PyTorch (Keras 3.15).
      blocks: [],
      output: 'import keras\na = keras.layers.LeakyReLU(negative_slope=0.2)\n'
    },
    {
      name: 'star import of tf.keras layers, in an earlier cell',
      code: ['from tensorflow.keras.layers import *\n', 'model.add(LeakyReLU(alpha=0.1))\n'],
      errors: [{ line: 1, column: 21 }],
      output: ['from tensorflow.keras.layers import *\n', 'model.add(LeakyReLU(negative_slope=0.1))\n']
    }
  ]
});
