import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import type { CallParts } from './calls';
import { helperDefinitionEdit } from './ctc';

/**
 * TensorFlow's image quality functions that keras.ops lacks (`tf.image.ssim`,
 * `tf.image.image_gradients`) or has with another reduction (`keras.ops.psnr` averages the squared
 * error over the whole batch where `tf.image.psnr` gives one value per image), written once per
 * cell on keras.ops with TensorFlow's definitions: SSIM with a Gaussian window of `filter_size` and
 * `filter_sigma`, VALID padding and the mean over height, width and channels; image gradients as
 * forward differences with a zero last row / column; PSNR per image. The helpers take the same
 * arguments in the same order as the TensorFlow functions (`name` accepted and ignored), so a use
 * only changes its callee. Checked by running against TensorFlow on float images: the values agree
 * to float rounding (keras.io's monocular depth loss and a denoising autoencoder's SSIM loss and PSNR
 * metric, on TensorFlow, JAX and PyTorch). TensorFlow also converts integer images to float first:
 * image_psnr casts both images to float32 (keras.io EDSR's metric gets a uint8 target and a float
 * prediction, which `a - b` rejects on TensorFlow and PyTorch; for two images of one integer dtype
 * TensorFlow's scaling to [0, 1] cancels out of the PSNR), the others do not; ssim's
 * `return_index_map` has no counterpart.
 */
const HELPERS: Record<string, OpHelperSpec> = {
  'tf.image.ssim': {
    helper: 'image_ssim',
    params: ['img1', 'img2', 'max_val', 'filter_size', 'filter_sigma', 'k1', 'k2', 'name'],
    lines: [
      'def image_ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, name=None):',
      '    # tf.image.ssim on keras.ops: a Gaussian window, VALID padding, the mean over height, width',
      '    # and channels (one value per image).',
      '    coords = keras.ops.arange(filter_size, dtype="float32") - (filter_size - 1) / 2.0',
      '    g = keras.ops.square(coords) * (-0.5 / filter_sigma**2)',
      '    g = keras.ops.softmax(keras.ops.reshape(keras.ops.reshape(g, (1, -1)) + keras.ops.reshape(g, (-1, 1)), (-1,)))',
      '    kernel = keras.ops.tile(keras.ops.reshape(g, (filter_size, filter_size, 1, 1)), (1, 1, img1.shape[-1], 1))',
      '',
      '    def reducer(x):',
      '        return keras.ops.depthwise_conv(x, keras.ops.cast(kernel, x.dtype), strides=1, padding="valid")',
      '',
      '    c1 = (k1 * max_val) ** 2',
      '    c2 = (k2 * max_val) ** 2',
      '    mean0 = reducer(img1)',
      '    mean1 = reducer(img2)',
      '    num0 = mean0 * mean1 * 2.0',
      '    den0 = keras.ops.square(mean0) + keras.ops.square(mean1)',
      '    luminance = (num0 + c1) / (den0 + c1)',
      '    num1 = reducer(img1 * img2) * 2.0',
      '    den1 = reducer(keras.ops.square(img1) + keras.ops.square(img2))',
      '    cs = (num1 - num0 + c2) / (den1 - den0 + c2)',
      '    return keras.ops.mean(luminance * cs, axis=[-3, -2, -1])'
    ]
  },
  'tf.image.image_gradients': {
    helper: 'image_gradients',
    params: ['image'],
    lines: [
      'def image_gradients(image):',
      '    # tf.image.image_gradients on keras.ops: forward differences, zero in the last row / column.',
      '    dy = image[:, 1:, :, :] - image[:, :-1, :, :]',
      '    dx = image[:, :, 1:, :] - image[:, :, :-1, :]',
      '    dy = keras.ops.pad(dy, [[0, 0], [0, 1], [0, 0], [0, 0]])',
      '    dx = keras.ops.pad(dx, [[0, 0], [0, 0], [0, 1], [0, 0]])',
      '    return dy, dx'
    ]
  },
  'tf.image.psnr': {
    helper: 'image_psnr',
    params: ['a', 'b', 'max_val', 'name'],
    lines: [
      'def image_psnr(a, b, max_val, name=None):',
      '    # tf.image.psnr on keras.ops: one value per image (keras.ops.psnr averages over the batch),',
      '    # on float32 images as TensorFlow converts them (a uint8 target beside a float prediction).',
      '    a = keras.ops.cast(a, "float32")',
      '    b = keras.ops.cast(b, "float32")',
      '    mse = keras.ops.mean(keras.ops.square(a - b), axis=[-3, -2, -1])',
      '    return 10.0 * keras.ops.log10(max_val**2 / mse)'
    ]
  }
};

/** The helper name that replaces a TensorFlow image quality function, or null for other names. */
export function imageQualityHelper(tfName: string): string | null {
  return HELPERS[tfName]?.helper ?? null;
}

/** A TensorFlow function rewritten as a same-argument Python helper on keras.ops. */
export interface OpHelperSpec {
  helper: string;
  lines: string[];
  params: string[];
}

/**
 * The fix pointing a call of `tfName` at a helper defined on keras.ops in the cell (inserted once,
 * after the imports), or null when the call passes what the helper cannot take (`*args`/`**kwargs`,
 * a keyword the helper lacks such as ssim's `return_index_map`).
 */
export function opHelperFix(spec: OpHelperSpec, tfName: string, fn: { start: number; end: number }, call: CallParts, ctx: RuleContext): RawFix | null {
  if (call.splat || call.positional.length > spec.params.length) {
    return null;
  }
  for (const key of call.keywords.keys()) {
    if (!spec.params.includes(key)) {
      return null;
    }
  }
  const edits: OffsetEdit[] = [{ start: fn.start, end: fn.end, text: spec.helper }];
  if (!new RegExp(`^def ${spec.helper}\\(`, 'm').test(ctx.text)) {
    edits.push(helperDefinitionEdit(ctx.text, spec.lines));
  }
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  return {
    title: `Define \`${spec.helper}\` on keras.ops (TensorFlow's \`${tfName}\`) and call it`,
    safe: false,
    edits
  };
}

/** The fix pointing a call of an image quality function at its keras.ops helper (see opHelperFix). */
export function imageQualityFix(tfName: string, fn: { start: number; end: number }, call: CallParts, ctx: RuleContext): RawFix | null {
  const spec = HELPERS[tfName];
  return spec ? opHelperFix(spec, tfName, fn, call, ctx) : null;
}
