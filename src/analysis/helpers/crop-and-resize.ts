import type { RawFix, RuleContext } from '../rule';
import type { CallParts } from './calls';
import { type OpHelperSpec, opHelperFix } from './image-quality';

/**
 * `tf.image.crop_and_resize`, which keras.ops lacks (keras.ops.image has crops at integer offsets
 * and resizes of whole images, not per-box crops at normalized coordinates), written once per cell
 * on keras.ops with TensorFlow's definition: box i, `(y1, x1, y2, x2)` normalized, of image
 * `box_indices[i]`, sampled at `y1 * (height - 1) + k * (y2 - y1) * (height - 1) / (crop_height - 1)`
 * (the box's centre for a size of 1), bilinear or nearest (TensorFlow rounds halves up), float32,
 * `extrapolation_value` where a sample row or column falls outside the image. Gathers on the
 * flattened images, so it is differentiable in the images and the boxes as TensorFlow's is. Checked
 * against TensorFlow on boxes inside, across and outside the image, flipped and zero-size boxes, crop
 * sizes of 1 and uint8 images: equal to float rounding (6e-8) on TensorFlow, JAX and PyTorch.
 */
export const CROP_AND_RESIZE: OpHelperSpec = {
  helper: 'image_crop_and_resize',
  params: ['image', 'boxes', 'box_indices', 'crop_size', 'method', 'extrapolation_value', 'name'],
  lines: [
    'def image_crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):',
    '    # tf.image.crop_and_resize on keras.ops: each box (normalized y1, x1, y2, x2) of image',
    '    # box_indices[i] sampled on a crop_size grid, bilinear or nearest, float32, extrapolation_value',
    '    # outside the image.',
    '    image = keras.ops.cast(image, "float32")',
    '    boxes = keras.ops.cast(boxes, "float32")',
    '    box_indices = keras.ops.cast(box_indices, "int32")',
    '    _, height, width, channels = keras.ops.shape(image)',
    '    crop_height, crop_width = crop_size',
    '',
    '    def grid(start, end, size, extent):',
    '        extent = keras.ops.cast(extent - 1, "float32")',
    '        if size > 1:',
    '            scale = (end - start) * extent / (size - 1)',
    '            return (start * extent)[:, None] + keras.ops.arange(size, dtype="float32")[None, :] * scale[:, None]',
    '        return ((start + end) * 0.5 * extent)[:, None]',
    '',
    '    ys = grid(boxes[:, 0], boxes[:, 2], crop_height, height)',
    '    xs = grid(boxes[:, 1], boxes[:, 3], crop_width, width)',
    '    inside = ((ys >= 0) & (ys <= keras.ops.cast(height - 1, "float32")))[:, :, None, None] & (',
    '        (xs >= 0) & (xs <= keras.ops.cast(width - 1, "float32"))',
    '    )[:, None, :, None]',
    '    flat = keras.ops.reshape(image, (-1, channels))',
    '    offsets = box_indices[:, None, None] * (height * width)',
    '',
    '    def pixels(y, x):',
    '        y = keras.ops.clip(y, 0, height - 1)[:, :, None]',
    '        x = keras.ops.clip(x, 0, width - 1)[:, None, :]',
    '        return keras.ops.take(flat, offsets + y * width + x, axis=0)',
    '',
    '    if method == "nearest":',
    '        crops = pixels(keras.ops.cast(keras.ops.floor(ys + 0.5), "int32"), keras.ops.cast(keras.ops.floor(xs + 0.5), "int32"))',
    '    else:',
    '        top = keras.ops.floor(ys)',
    '        left = keras.ops.floor(xs)',
    '        dy = (ys - top)[:, :, None, None]',
    '        dx = (xs - left)[:, None, :, None]',
    '        top = keras.ops.cast(top, "int32")',
    '        left = keras.ops.cast(left, "int32")',
    '        upper = pixels(top, left) * (1 - dx) + pixels(top, left + 1) * dx',
    '        lower = pixels(top + 1, left) * (1 - dx) + pixels(top + 1, left + 1) * dx',
    '        crops = upper * (1 - dy) + lower * dy',
    '    return keras.ops.where(inside, crops, extrapolation_value)'
  ]
};

/** The fix pointing a `tf.image.crop_and_resize` call at the helper (see opHelperFix), or null. */
export function cropAndResizeFix(fn: { start: number; end: number }, call: CallParts, ctx: RuleContext): RawFix | null {
  return opHelperFix(CROP_AND_RESIZE, 'tf.image.crop_and_resize', fn, call, ctx);
}
