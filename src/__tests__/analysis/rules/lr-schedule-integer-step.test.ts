import { ruleTester } from '../rule-tester';

const warmupDoc =
  'import keras\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, steps):\n        self.steps = steps\n    def __call__(self, step):\n        return 1e-3 * keras.ops.minimum(1.0, (step + 1) / self.steps)';

ruleTester('lr-schedule-integer-step', {
  valid: [
    { name: 'the step is cast first', code: 'import keras\nclass S(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        step = keras.ops.cast(step, "float32")\n        return 0.1 / (step + 1.0)\n' },
    { name: 'cast inside the arithmetic (tf.keras spelling)', code: 'import tensorflow as tf\nclass S(tf.keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        return 0.5 * tf.cast(step, tf.float32)\n' },
    { name: 'the step indexes a table: written for an integer step', code: 'import keras\nclass S(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        i = step // 10\n        return self.table[step]\n' },
    { name: 'a name computed from the step is cast before the float arithmetic', code: 'import tensorflow as tf\nfrom tensorflow import keras\nclass S(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        epoch = step // 100\n        epoch = tf.cast(epoch, "float32")\n        return 1e-4 * epoch\n' },
    { name: 'the step is passed through unchanged', code: 'import keras\nclass S(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        return self.inner(step)\n' },
    { name: 'not a schedule', code: 'import keras\nclass S(keras.layers.Layer):\n    def __call__(self, step):\n        return step * 0.5\n' }
  ],
  invalid: [
    {
      name: 'the keras-io warmup/decay pattern: epoch from the step, then float arithmetic',
      code:
        'from tensorflow import keras\nimport tensorflow as tf\nclass CustomSchedule(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, steps_per_epoch=10):\n        super().__init__()\n        self.steps_per_epoch = steps_per_epoch\n    def __call__(self, step):\n        """linear warm up"""\n        epoch = step // self.steps_per_epoch\n        return tf.math.minimum(1e-5 + 1e-4 * epoch, 1e-3)\n',
      errors: [{ line: 7, column: 9 }],
      output:
        'from tensorflow import keras\nimport tensorflow as tf\nclass CustomSchedule(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, steps_per_epoch=10):\n        super().__init__()\n        self.steps_per_epoch = steps_per_epoch\n    def __call__(self, step):\n        """linear warm up"""\n        step = keras.ops.cast(step, "float32")\n        epoch = step // self.steps_per_epoch\n        return tf.math.minimum(1e-5 + 1e-4 * epoch, 1e-3)\n'
    },
    {
      name: 'imported base class, another parameter name, a comparison; adds import keras',
      code: 'from tensorflow.keras.optimizers.schedules import LearningRateSchedule\nclass S(LearningRateSchedule):\n    def __call__(self, it):\n        if it < 100:\n            return 0.01\n        return 0.001\n',
      errors: [{ line: 3, column: 9 }],
      output: 'from tensorflow.keras.optimizers.schedules import LearningRateSchedule\nimport keras\nclass S(LearningRateSchedule):\n    def __call__(self, it):\n        it = keras.ops.cast(it, "float32")\n        if it < 100:\n            return 0.01\n        return 0.001\n'
    },
    {
      name: 'the doc example',
      code: warmupDoc + '\n',
      errors: [{ line: 5, column: 9 }],
      output: warmupDoc.replace('    def __call__(self, step):\n', '    def __call__(self, step):\n        step = keras.ops.cast(step, "float32")\n') + '\n'
    }
  ]
});
