import { ruleTester } from '../rule-tester';

ruleTester('loss-reduction-enum', {
  valid: [
    { code: 'import keras\nloss = keras.losses.MeanSquaredError(reduction="none")\n' },
    { name: 'a Reduction of another library', code: 'from mylib import Reduction\nr = Reduction.NONE\n' },
    { name: '"auto" outside a Keras loss', code: 'import torch\nclass L(torch.nn.Module):\n    def __init__(self):\n        super().__init__(reduction="auto")\nf(reduction="auto")\n' }
  ],
  invalid: [
    {
      name: 'the string "auto" in a Loss subclass (keras.io RetinaNet) and to a built-in loss',
      code: 'import tensorflow as tf\nclass RetinaNetLoss(tf.losses.Loss):\n    def __init__(self):\n        super(RetinaNetLoss, self).__init__(reduction="auto", name="RetinaNetLoss")\nbce = tf.keras.losses.BinaryCrossentropy(reduction=\'auto\')\n',
      errors: [{ line: 4, column: 55, message: 'reject' }, { line: 5, column: 52 }],
      // ValueError: Invalid value for argument `reduction` ... Received: reduction=auto (Keras 3.15,
      // every backend; python_kernel_hooks/tests/claims/loss_reduction_auto_string.py).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nclass RetinaNetLoss(tf.losses.Loss):\n    def __init__(self):\n        super(RetinaNetLoss, self).__init__(reduction="sum_over_batch_size", name="RetinaNetLoss")\nbce = tf.keras.losses.BinaryCrossentropy(reduction="sum_over_batch_size")\n'
    },
    {
      code: 'import keras\nloss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.NONE)\n',
      errors: [{ line: 2, column: 48 }],
      // AttributeError: module 'keras.losses' has no attribute 'Reduction' (Keras 3.15, every backend).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nloss = keras.losses.MeanSquaredError(reduction="none")\n'
    },
    {
      name: 'tf.keras spelling, AUTO in a Loss subclass default',
      code: 'import tensorflow as tf\nclass L(tf.keras.losses.Loss):\n    def __init__(self, reduction=tf.keras.losses.Reduction.AUTO):\n        super().__init__(reduction=reduction)\n',
      errors: [{ line: 3, column: 34, message: 'reject' }],
      // ValueError: Invalid value for argument `reduction` ... Received: reduction=auto (Keras 3.15).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nclass L(tf.keras.losses.Loss):\n    def __init__(self, reduction="sum_over_batch_size"):\n        super().__init__(reduction=reduction)\n'
    },
    {
      name: 'tf.keras keeps a Reduction whose NONE is "none": it runs, blocking no backend',
      code: 'import tensorflow as tf\nloss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=tf.keras.losses.Reduction.NONE)\n',
      errors: [{ line: 2, column: 82, message: 'keeps it' }],
      blocks: [],
      output: 'import tensorflow as tf\nloss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")\n'
    },
    {
      name: 'from tensorflow import keras: keras.losses is tf.keras.losses, which keeps the enum',
      code: 'from tensorflow import keras\nloss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=keras.losses.Reduction.NONE)\n',
      errors: [{ line: 2, column: 64 }],
      blocks: [],
      output: 'from tensorflow import keras\nloss_fn = keras.losses.SparseCategoricalCrossentropy(reduction="none")\n'
    }
  ]
});
