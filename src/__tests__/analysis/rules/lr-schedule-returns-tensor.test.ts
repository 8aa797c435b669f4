import { ruleTester } from '../rule-tester';

ruleTester('lr-schedule-returns-tensor', {
  valid: [
    { code: 'import math\nimport keras\ndef s(epoch, lr):\n    return lr * math.exp(-0.1)\ncb = keras.callbacks.LearningRateScheduler(s)\n' },
    { code: 'import keras\nimport tensorflow as tf\ndef s(epoch, lr):\n    return float(lr * tf.math.exp(-0.1))\ncb = keras.callbacks.LearningRateScheduler(s)\n' },
    { name: 'a function not given to the scheduler', code: 'import keras\nimport tensorflow as tf\ndef s(epoch, lr):\n    return lr * tf.math.exp(-0.1)\n' },
    { name: 'TF ops in a nested function only', code: 'import keras\nimport tensorflow as tf\ndef s(epoch, lr):\n    def f():\n        return tf.exp(1.0)\n    return lr\ncb = keras.callbacks.LearningRateScheduler(s)\n' }
  ],
  invalid: [
    {
      name: 'a function with a TF op, tf.keras spelling',
      code: 'import tensorflow as tf\ndef scheduler(epoch, lr):\n    if epoch < 1:\n        return lr\n    return lr * tf.math.exp(-0.1)\ncallbacks = [tf.keras.callbacks.LearningRateScheduler(scheduler)]\n',
      errors: [{ line: 5, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import tensorflow as tf\ndef scheduler(epoch, lr):\n    if epoch < 1:\n        return lr\n    return float(lr * tf.math.exp(-0.1))\ncallbacks = [tf.keras.callbacks.LearningRateScheduler(scheduler)]\n'
    },
    {
      name: 'a lambda with keras.ops, by keyword',
      code: 'import keras\ncb = keras.callbacks.LearningRateScheduler(schedule=lambda epoch, lr: keras.ops.multiply(lr, 0.9))\n',
      errors: [{ line: 2, column: 71 }],
      output: 'import keras\ncb = keras.callbacks.LearningRateScheduler(schedule=lambda epoch, lr: float(keras.ops.multiply(lr, 0.9)))\n'
    }
  ]
});
