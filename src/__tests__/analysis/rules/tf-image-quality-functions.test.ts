import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

const GRADIENTS = [
  'def image_gradients(image):',
  '    # tf.image.image_gradients on keras.ops: forward differences, zero in the last row / column.',
  '    dy = image[:, 1:, :, :] - image[:, :-1, :, :]',
  '    dx = image[:, :, 1:, :] - image[:, :, :-1, :]',
  '    dy = keras.ops.pad(dy, [[0, 0], [0, 1], [0, 0], [0, 0]])',
  '    dx = keras.ops.pad(dx, [[0, 0], [0, 0], [0, 1], [0, 0]])',
  '    return dy, dx'
].join('\n');

const PSNR = [
  'def image_psnr(a, b, max_val, name=None):',
  '    # tf.image.psnr on keras.ops: one value per image (keras.ops.psnr averages over the batch),',
  '    # on float32 images as TensorFlow converts them (a uint8 target beside a float prediction).',
  '    a = keras.ops.cast(a, "float32")',
  '    b = keras.ops.cast(b, "float32")',
  '    mse = keras.ops.mean(keras.ops.square(a - b), axis=[-3, -2, -1])',
  '    return 10.0 * keras.ops.log10(max_val**2 / mse)'
].join('\n');

ruleTester('tf-image-quality-functions', {
  valid: [
    { name: 'outside model code (an eager check on NumPy predictions)', code: HEAD + 'score = tf.reduce_mean(tf.image.ssim(a, b, max_val=1.0))\n' },
    { name: 'another tf.image function is KM131\'s', code: HEAD + 'def loss(y_true, y_pred):\n    return tf.image.resize(y_pred, (2, 2))\nmodel.compile(loss=loss)\n' },
    { name: 'a reference kept by a plain class', code: HEAD + 'class Scorer:\n    def __init__(self):\n        self.ssim_value = tf.image.ssim\n\n    def __call__(self, a, b):\n        return self.ssim_value(a, b, max_val=1)\n' },
    { name: 'a reference kept by a Keras class that never calls it', code: HEAD + 'class HybridLoss(keras.losses.Loss):\n    def __init__(self):\n        super().__init__()\n        self.ssim_value = tf.image.ssim\n\n    def call(self, y_true, y_pred):\n        return keras.ops.mean(keras.ops.abs(y_true - y_pred))\n' },
    { name: 'the helper already called', code: HEAD + 'def loss(y_true, y_pred):\n    return image_psnr(y_true, y_pred, 1.0)\nmodel.compile(loss=loss)\n' }
  ],
  invalid: [
    {
      name: 'a PSNR metric function: the helper goes after the imports, once',
      code: HEAD + '\n\ndef psnr(y_true, y_pred):\n    return tf.image.psnr(y_true, y_pred, max_val=1.0)\n\n\nmodel.compile(optimizer="adam", loss="mse", metrics=[psnr])\n',
      errors: [{ line: 6, column: 12, message: 'per-image PSNR' }],
      // A metric: PyTorch computes it without grad (KM131's claim).
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        '\n\n' +
        PSNR +
        '\n\n\ndef psnr(y_true, y_pred):\n    return image_psnr(y_true, y_pred, max_val=1.0)\n\n\nmodel.compile(optimizer="adam", loss="mse", metrics=[psnr])\n'
    },
    {
      name: 'image gradients twice in a model method: one helper',
      code:
        HEAD +
        '\n\nclass Edges(keras.layers.Layer):\n    def call(self, target):\n        dy_true, dx_true = tf.image.image_gradients(target)\n        dy_pred, dx_pred = tf.image.image_gradients(dy_true)\n        return tf.abs(dx_pred - dx_true)\n',
      errors: [{ line: 7, column: 28 }, { line: 8, column: 28 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        '\n\n' +
        GRADIENTS +
        '\n\n\nclass Edges(keras.layers.Layer):\n    def call(self, target):\n        dy_true, dx_true = image_gradients(target)\n        dy_pred, dx_pred = image_gradients(dy_true)\n        return tf.abs(dx_pred - dx_true)\n'
    },
    {
      name: 'no safe fix: TensorFlow converts integer images, the helper does not',
      code: HEAD + 'def ssim_loss(y_true, y_pred):\n    return 1.0 - tf.image.ssim(y_true, y_pred, max_val=1.0)\nmodel.compile(loss=ssim_loss)\n',
      errors: [{ line: 4, column: 18, message: 'define `image_ssim` on keras.ops' }]
    },
    {
      name: 'keras.io BASNet: tf.image.ssim kept as an attribute in __init__ of a Loss subclass, called in call()',
      code: HEAD + 'class BasnetLoss(keras.losses.Loss):\n    def __init__(self, **kwargs):\n        super().__init__(name="basnet_loss", **kwargs)\n        self.ssim_value = tf.image.ssim\n\n    def call(self, y_true, y_pred):\n        ssim_value = self.ssim_value(y_true, y_pred, max_val=1)\n        return keras.ops.mean(1 - ssim_value)\n',
      errors: [{ line: 6, column: 27, message: 'kept as `self.ssim_value` and called by the class' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'ssim with return_index_map: no helper argument for it, no fix',
      code: HEAD + 'def ssim_loss(y_true, y_pred):\n    return 1.0 - tf.image.ssim(y_true, y_pred, 1.0, return_index_map=True)\nmodel.compile(loss=ssim_loss)\n',
      errors: [{ line: 4, column: 18, message: 'by hand' }],
      fixOptions: { unsafe: true },
      output: HEAD + 'def ssim_loss(y_true, y_pred):\n    return 1.0 - tf.image.ssim(y_true, y_pred, 1.0, return_index_map=True)\nmodel.compile(loss=ssim_loss)\n'
    }
  ]
});
