import { ruleTester } from '../rule-tester';
import { RFF_CLASS } from '../../../analysis/helpers/random-fourier-features';

ruleTester('removed-layer', {
  valid: [
    { code: 'import keras\nx = keras.layers.Conv2D(3, 3)\n' }
  ],
  invalid: [
    {
      // TensorFlow's feature-columns migration guide (og45c): 0 findings, and AttributeError on TF, JAX and PyTorch
      // ("module 'keras._tf_keras.keras.layers' has no attribute 'DenseFeatures'").
      name: 'DenseFeatures through tf.compat.v1.keras, spelled out or as an alias of the compat module',
      code: 'import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\na = tf.compat.v1.keras.layers.DenseFeatures([col])\nb = tf1.keras.layers.DenseFeatures([col])\n',
      errors: [{ line: 3, column: 5, message: '`DenseFeatures` does not exist in Keras 3' }, { line: 4, column: 5 }]
    },
    {
      code: 'from keras.layers import LocallyConnected2D\nimport keras\nx = LocallyConnected2D(8, 3)\ny = keras.layers.LocallyConnected1D(4, 2)\n',
      errors: [{ line: 3, column: 5, endColumn: 23 }, { line: 4, column: 5, endColumn: 36 }]
    },
    {
      name: 'keras.io quasi-SVM: RandomFourierFeatures by attribute, defined before the statement (a suggestion)',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\n\nmodel = keras.Sequential([keras.Input((4,)), layers.experimental.RandomFourierFeatures(output_dim=8)])\n',
      errors: [{ line: 4, column: 46, message: 'does not exist in Keras 3' }],
      fixOptions: { unsafe: true },
      output: `from tensorflow import keras\nfrom tensorflow.keras import layers\n\n${RFF_CLASS}\n\n\nmodel = keras.Sequential([keras.Input((4,)), RandomFourierFeatures(output_dim=8)])\n`
    },
    {
      name: 'the by-name import is replaced by the class, after the last import of its block',
      code: 'import numpy as np\nfrom tensorflow.keras.layers.experimental import RandomFourierFeatures\nfrom tensorflow import keras\n\nrff = RandomFourierFeatures(output_dim=8, kernel_initializer="laplacian")\n',
      errors: [{ line: 2, column: 50 }, { line: 5, column: 7 }],
      fixOptions: { unsafe: true },
      output: `import keras\nimport numpy as np\nfrom tensorflow import keras\n\n\n${RFF_CLASS}\n\n\nrff = RandomFourierFeatures(output_dim=8, kernel_initializer="laplacian")\n`
    },
    {
      name: 'not the only imported name: no fix',
      code: 'from tensorflow.keras.layers.experimental import RandomFourierFeatures, preprocessing\nrff = RandomFourierFeatures(output_dim=8)\n',
      errors: [{ line: 1, column: 50 }, { line: 2, column: 7 }]
    },
    {
      name: 'the safe fixes leave it',
      code: 'from tensorflow import keras\nrff = keras.layers.experimental.RandomFourierFeatures(output_dim=8)\n',
      errors: [{ line: 2, column: 7 }]
    }
  ]
});
