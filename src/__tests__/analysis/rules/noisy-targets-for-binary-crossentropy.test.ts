import { ruleTester } from '../rule-tester';

const DCGAN_STEP =
  'import tensorflow as tf\nfrom tensorflow import keras\nloss_fn = keras.losses.BinaryCrossentropy()\n' +
  'class GAN(keras.Model):\n    def train_step(self, real_images):\n        batch_size = tf.shape(real_images)[0]\n' +
  '        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)\n' +
  '        labels += 0.05 * tf.random.uniform(tf.shape(labels))\n        return labels\n';

ruleTester('noisy-targets-for-binary-crossentropy', {
  valid: [
    { name: 'logits: PyTorch computes it', code: DCGAN_STEP.replace('BinaryCrossentropy()', 'BinaryCrossentropy(from_logits=True)') },
    { name: 'no binary cross-entropy in the program', code: DCGAN_STEP.replace('loss_fn = keras.losses.BinaryCrossentropy()\n', '') },
    {
      name: 'noise on targets made of zeros only: not flagged (no one above 1)',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nloss_fn = keras.losses.BinaryCrossentropy()\nlabels = tf.zeros((4, 1))\nlabels += 0.05 * tf.random.uniform(tf.shape(labels))\n'
    },
    { name: 'a deterministic shift', code: 'import tensorflow as tf\nfrom tensorflow import keras\nloss_fn = keras.losses.BinaryCrossentropy()\nlabels = tf.ones((4, 1))\nlabels -= 0.1\n' }
  ],
  invalid: [
    {
      // claims/bce_noisy_targets.py: "all elements of target should be between 0 and 1" on PyTorch; TF and JAX train.
      name: 'keras.io DCGAN: noise added to the concatenated ones and zeros',
      code: DCGAN_STEP,
      errors: [{ line: 8, column: 9, message: 'all elements of target should be between 0 and 1' }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: DCGAN_STEP.replace(
        '        labels += 0.05 * tf.random.uniform(tf.shape(labels))\n',
        '        labels += 0.05 * tf.random.uniform(tf.shape(labels))\n        labels = keras.ops.clip(labels, 0.0, 1.0)\n'
      )
    },
    {
      name: 'the loss function in another cell; a plain assignment adding the noise',
      code: [
        'import numpy as np\nimport keras\nlabels = np.ones((4, 1))\nlabels = labels + 0.1 * np.random.rand(4, 1)\n',
        'model.compile(loss=keras.losses.binary_crossentropy)\n'
      ],
      errors: [{ cell: 0, line: 4, column: 1 }],
      blocks: ['torch']
    },
    {
      name: 'not safe: no fix without --unsafe',
      code: 'import tensorflow as tf\nimport keras\nbce = keras.losses.BinaryCrossentropy()\ny = tf.ones((4, 1))\ny += tf.random.normal((4, 1), stddev=0.01)\n',
      errors: [{ line: 5, column: 1 }]
    }
  ]
});
