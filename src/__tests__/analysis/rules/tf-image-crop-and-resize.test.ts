import { ruleTester } from '../rule-tester';
import { CROP_AND_RESIZE } from '../../../analysis/helpers/crop-and-resize';

const HEAD = 'import keras\nimport tensorflow as tf\n';
const HELPER = CROP_AND_RESIZE.lines.join('\n');

const LAYER =
  '\n\nclass RandomResizedCrop(keras.layers.Layer):\n    def call(self, images):\n        n = keras.ops.shape(images)[0]\n        boxes = keras.random.uniform((n, 4))\n        return CALL(images, boxes, keras.ops.arange(n), (8, 8))\n';

ruleTester('tf-image-crop-and-resize', {
  valid: [
    { name: 'in a tf.data map: TensorFlow runs it', code: HEAD + 'ds = ds.map(lambda x: tf.image.crop_and_resize(x, boxes, idx, (8, 8)))\n' },
    { name: 'at module level on NumPy data', code: HEAD + 'crops = tf.image.crop_and_resize(images, boxes, idx, (8, 8))\n' },
    { name: 'the helper already called', code: HEAD + LAYER.replace('CALL', 'image_crop_and_resize') },
    { name: 'another tf.image function is KM131\'s', code: HEAD + LAYER.replace('CALL(images, boxes, keras.ops.arange(n), (8, 8))', 'tf.image.resize(images, (8, 8))') }
  ],
  invalid: [
    {
      name: 'a RandomResizedCrop layer: the helper goes after the imports',
      code: HEAD + LAYER.replace('CALL', 'tf.image.crop_and_resize'),
      errors: [{ line: 9, column: 16, message: 'define `image_crop_and_resize` on keras.ops' }],
      // No weights in front of it: PyTorch gets no tensors that require grad (KM131's claim).
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: HEAD + '\n\n' + HELPER + '\n' + LAYER.replace('CALL', 'image_crop_and_resize')
    },
    {
      name: 'twice, with keywords the helper takes: one helper',
      code:
        HEAD +
        '\n\ndef crops(images, boxes, idx):\n    a = tf.image.crop_and_resize(images, boxes, idx, crop_size=(4, 4), method="nearest")\n    return a + tf.image.crop_and_resize(images, boxes, idx, (4, 4), extrapolation_value=1.0)\n\n\nclass Crop(keras.layers.Layer):\n    def call(self, x):\n        return crops(x, self.boxes, self.idx)\n',
      errors: [{ line: 6, column: 9 }, { line: 7, column: 16 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        '\n\n' +
        HELPER +
        '\n\n\ndef crops(images, boxes, idx):\n    a = image_crop_and_resize(images, boxes, idx, crop_size=(4, 4), method="nearest")\n    return a + image_crop_and_resize(images, boxes, idx, (4, 4), extrapolation_value=1.0)\n\n\nclass Crop(keras.layers.Layer):\n    def call(self, x):\n        return crops(x, self.boxes, self.idx)\n'
    },
    {
      name: 'no safe fix: the helper is new code',
      code: HEAD + LAYER.replace('CALL', 'tf.image.crop_and_resize'),
      errors: [{ line: 9, column: 16 }],
      output: HEAD + LAYER.replace('CALL', 'tf.image.crop_and_resize')
    },
    {
      name: '**kwargs: no fix',
      code: HEAD + LAYER.replace('CALL(images, boxes, keras.ops.arange(n), (8, 8))', 'tf.image.crop_and_resize(images, **self.crop_args)'),
      errors: [{ line: 9, column: 16, message: 'by hand' }],
      fixOptions: { unsafe: true },
      output: HEAD + LAYER.replace('CALL(images, boxes, keras.ops.arange(n), (8, 8))', 'tf.image.crop_and_resize(images, **self.crop_args)')
    }
  ]
});
