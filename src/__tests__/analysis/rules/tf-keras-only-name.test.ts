import { ruleTester } from '../rule-tester';

ruleTester('tf-keras-only-name', {
  valid: [
    { name: 'the Keras 3 names', code: 'import keras\na = keras.losses.mean_squared_error\nb = keras.metrics.log_cosh\nfrom keras.losses import kl_divergence\n' },
    { name: 'names tf.keras and Keras 3 share', code: 'import tensorflow as tf\nl = tf.keras.losses.MeanSquaredError()\nm = tf.keras.metrics.MeanAbsoluteError()\n' },
    { name: 'a local object with the same attribute name', code: 'class Losses:\n    mse = 1\nlosses = Losses()\nx = losses.mse\n' },
    { name: 'string identifiers are not names', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(loss="mse", metrics=["mae"])\n' },
    { name: 'Reduction and ThresholdedReLU are other rules\' findings', code: 'import tensorflow as tf\nr = tf.keras.losses.Reduction.NONE\nt = tf.keras.layers.ThresholdedReLU(0.5)\n' },
    { name: 'a dropped preprocessing module is KM165\'s', code: 'import tensorflow as tf\nt = tf.keras.preprocessing.sequence.make_sampling_table(10)\n' }
  ],
  invalid: [
    {
      name: 'Keras 3 itself: the rename to the same object',
      code: 'import keras\na = keras.losses.mse\nb = keras.metrics.MAE\nc = keras.losses.kullback_leibler_divergence\n',
      errors: [{ line: 2, column: 5, message: 'AttributeError' }, { line: 3, column: 5 }, { line: 4, column: 5 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\na = keras.losses.mean_squared_error\nb = keras.metrics.mean_absolute_error\nc = keras.losses.kl_divergence\n'
    },
    {
      name: 'a module bound from Keras 3',
      code: 'from keras import losses\nf = losses.logcosh\n',
      errors: [{ line: 2, column: 5, message: '`keras.losses.log_cosh`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from keras import losses\nf = losses.log_cosh\n'
    },
    {
      name: 'imported from Keras 3: the local name stays',
      code: 'from keras.losses import logcosh, Huber\nfrom keras.metrics import mae as m\n',
      errors: [{ line: 1, column: 1, message: 'ImportError' }, { line: 2, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from keras.losses import log_cosh as logcosh, Huber\nfrom keras.metrics import mean_absolute_error as m\n'
    },
    {
      name: 'spelled from tf: the whole chain becomes the Keras 3 name (runs on every backend as written)',
      code: 'import tensorflow as tf\nloss = tf.keras.losses.logcosh\nmetric = tf.keras.metrics.mse\n',
      errors: [{ line: 2, column: 8, message: 'runs while TensorFlow is installed' }, { line: 3, column: 10 }],
      blocks: [],
      output: 'import tensorflow as tf\nimport keras\nloss = keras.losses.log_cosh\nmetric = keras.metrics.mean_squared_error\n'
    },
    {
      name: 'imported from tf.keras: module and name move together',
      code: 'from tensorflow.keras.metrics import mae, mse as squared\n',
      errors: [{ line: 1, column: 1, message: 'Likewise `mse`' }],
      blocks: [],
      output: 'from keras.metrics import mean_absolute_error as mae, mean_squared_error as squared\n'
    },
    {
      name: 'RandomHeight through tf.keras: a TensorFlow layer, no fix',
      code: 'import tensorflow as tf\nlayer = tf.keras.layers.RandomHeight(0.2)\n',
      errors: [{ line: 2, column: 9, message: 'JAX fails in its call' }],
      blocks: ['jax']
    },
    {
      name: 'through `from tensorflow import keras`: no fix here, and the import rewrite waits (KM011 suggestion)',
      code: ['from tensorflow import keras', 'loss = keras.losses.mae'],
      errors: [{ cell: 1, line: 1, column: 8, message: 'once the import is' }],
      blocks: []
    }
  ]
});
