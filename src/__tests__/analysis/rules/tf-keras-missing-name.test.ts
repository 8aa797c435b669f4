import { ruleTester } from '../rule-tester';

ruleTester('tf-keras-missing-name', {
  valid: [
    { name: 'Keras 3\'s own keras has them', code: 'import keras\na = keras.losses.mean_squared_error\nb = keras.metrics.log_cosh\nfrom keras.losses import kl_divergence\nimport keras.saving\n' },
    { name: 'names tf.keras keeps', code: 'import tensorflow as tf\nl = tf.keras.losses.MeanSquaredError()\nm = tf.keras.losses.mse\nfrom tensorflow.keras.losses import Huber\n' },
    { name: 'the saving module imported from tensorflow.keras (Python finds it)', code: 'from tensorflow.keras.saving import register_keras_serializable\n' },
    { name: 'a local object with the same attribute name', code: 'class Losses:\n    mean_squared_error = 1\nlosses = Losses()\nx = losses.mean_squared_error\n' }
  ],
  invalid: [
    {
      // claims/tf_keras_missing_loss_function.py fails so on TensorFlow, JAX and PyTorch.
      name: 'a loss function through `from tensorflow import keras`',
      code: 'from tensorflow import keras\nmodel.compile(optimizer="sgd", loss=keras.losses.mean_squared_error)\n',
      errors: [{ line: 2, column: 37, message: 'raises AttributeError on every backend, TensorFlow included' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'spelled from tf, and a metric function',
      code: 'import tensorflow as tf\nloss = tf.keras.losses.log_cosh\nmetric = tf.keras.metrics.mean_absolute_error\n',
      errors: [{ line: 2, column: 8, message: '`keras.losses.log_cosh`' }, { line: 3, column: 10, message: '`keras.metrics.mean_absolute_error`' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'imported from tf.keras: ImportError',
      code: 'from tensorflow.keras.losses import Huber, mean_squared_error as mse_fn\n',
      errors: [{ line: 1, column: 44, message: 'ImportError' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'the saving module through tf.keras is reported once, at the module',
      code: 'import tensorflow as tf\n@tf.keras.saving.register_keras_serializable()\nclass L(tf.keras.layers.Layer):\n    pass\n',
      errors: [{ line: 2, column: 2, message: '`keras.saving`' }],
      blocks: ['tensorflow', 'jax', 'torch']
    }
  ]
});
