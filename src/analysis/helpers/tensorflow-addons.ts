/**
 * TensorFlow Addons APIs and what replaces each in Keras 3, for the rule that flags the package
 * (KM178). Not a rule.
 *
 * `tensorflow_addons` cannot be imported with Keras 3 (it reads `keras.src.engine`), so a program
 * that imports it fails on every backend. Where Keras 3 has the same thing under another name the
 * call can be rewritten (`rewrite`); for the rest the message names the nearest replacement.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { appendArgument, CallParts, removeArgument } from './calls';

/** A function a fix defines in the program in place of TFA's. */
export interface AddonsDefinition {
  name: string;
  /** Its source with keras.ops (model code: every backend's tensors). */
  source: string;
  /** Its source with TensorFlow ops, written where only tf.data pipelines call it; `tf.` is the cell's name for TensorFlow. */
  tfSource?: string;
}

export interface AddonsReplacement {
  /** What to write instead, shown in messages. */
  use: string;
  /** The Keras 3 callee a fix writes, when the call maps onto it argument by argument. */
  callee?: string;
  /** The TFA parameter names in positional order (positional arguments become these keywords). */
  positional?: string[];
  /** Keyword arguments the fix adds when the call does not give them (TFA's defaults that differ). */
  add?: Record<string, string>;
  /** TFA parameters Keras 3's replacement has no use for, which the fix removes (`num_classes` of the F1 score). */
  drop?: string[];
  /** Keywords that stop the fix (arguments Keras 3's replacement does not take). */
  refuse?: string[];
  /** TFA keyword names the replacement spells differently (TFA's deprecated aliases): TFA name -> Keras 3 name. */
  rename?: Record<string, string>;
  /** How the replacement behaves differently, said in the message. */
  note?: string;
  /**
   * What a fix writes where the name is used without a call (`Dense(64, activation=tfa.activations.gelu)`),
   * and how it differs, when Keras 3 has a function to hand over in its place.
   */
  reference?: { text: string; note?: string };
  /** A function the fix defines in the program (after the imports) and calls instead: its name and source. */
  define?: AddonsDefinition;
}

/**
 * TFA's N-pairs loss with keras.ops: each row of `y_pred` (similarity logits) against the rows of
 * the same label, as a softmax cross-entropy on targets spread evenly over the matching rows, then
 * the mean over the batch. The same values as `tfa.losses.npairs_loss` (its definition). The labels
 * are reshaped to a column, not expanded: on TensorFlow `tf.squeeze(labels)` of a `(None, 1)` batch
 * has an unknown rank, which `keras.ops.expand_dims` refuses (keras.io supervised contrastive learning).
 */
const NPAIRS_LOSS = [
  'def npairs_loss(y_true, y_pred):',
  '    # TensorFlow Addons\' N-pairs loss with keras.ops: row i of the logits is scored against',
  '    # every row with the label of i, the target spread evenly over those rows.',
  '    y_pred = keras.ops.convert_to_tensor(y_pred)',
  '    labels = keras.ops.reshape(keras.ops.cast(y_true, y_pred.dtype), (-1, 1))',
  '    same = keras.ops.cast(keras.ops.equal(labels, keras.ops.transpose(labels)), y_pred.dtype)',
  '    targets = same / keras.ops.sum(same, axis=1, keepdims=True)',
  '    loss = keras.ops.categorical_crossentropy(targets, y_pred, from_logits=True)',
  '    return keras.ops.mean(loss)'
].join('\n');

/** How the fix writes TFA's image ops (the start of their replacement text, which goes on to say how). */
const DEFINED_AFFINE = 'written with `keras.ops`, or with TensorFlow ops where only `dataset.map` functions call it (the fix defines it';
/** Where the keras.ops form of TFA's affine image ops gives other pixels (measured against TFA 0.23). */
const AFFINE_DIFFERENCES = 'with keras.ops, `fill_mode="wrap"` differs on JAX and nearest-neighbour ties at exact half-pixel positions on PyTorch';

/** The lines of a Python function source. */
const lines = (...l: string[]): string => l.join('\n');

/**
 * TFA's `image.rotate` with keras.ops: TFA's rotation matrix about the image centre
 * (angles_to_projective_transforms) handed to `keras.ops.image.affine_transform`, with TFA's
 * nearest-neighbour default. The same pixels as TFA on the three backends (run with TFA 0.23).
 */
const ROTATE_IMAGES = lines(
  'def rotate_images(images, angles, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.rotate with keras.ops: turns the images (NHWC or HWC)",
  '    # counterclockwise by `angles` radians (one, or one per image) about their centre.',
  '    images = keras.ops.convert_to_tensor(images)',
  '    height = keras.ops.cast(keras.ops.shape(images)[-3], "float32")',
  '    width = keras.ops.cast(keras.ops.shape(images)[-2], "float32")',
  '    angles = keras.ops.cast(angles, "float32")',
  '    if len(images.shape) == 4 and len(angles.shape) == 0:',
  '        angles = angles * keras.ops.ones((keras.ops.shape(images)[0],))',
  '    cos, sin = keras.ops.cos(angles), keras.ops.sin(angles)',
  '    x_offset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0',
  '    y_offset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0',
  '    zeros = keras.ops.zeros_like(angles)',
  '    transform = keras.ops.stack([cos, -sin, x_offset, sin, cos, y_offset, zeros, zeros], axis=-1)',
  '    return keras.ops.image.affine_transform(',
  '        images, transform, interpolation=interpolation, fill_mode=fill_mode, fill_value=fill_value, data_format="channels_last"',
  '    )'
);

/**
 * TFA's `image.transform` with keras.ops: `keras.ops.image.affine_transform` takes the same
 * [a0, a1, a2, b0, b1, b2, c0, c1] transforms, but defaults to bilinear sampling, needs one transform
 * per image of a batch on JAX and PyTorch and a tensor on TensorFlow, where TFA took one for all.
 */
const TRANSFORM_IMAGES = lines(
  'def transform_images(images, transforms, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.transform with keras.ops: each image (NHWC or HWC) sampled where",
  '    # its [a0, a1, a2, b0, b1, b2, c0, c1] transform maps the output pixels (one, or one per image).',
  '    images = keras.ops.convert_to_tensor(images)',
  '    transforms = keras.ops.cast(transforms, "float32")',
  '    if len(images.shape) == 4 and len(transforms.shape) == 1:',
  '        transforms = transforms * keras.ops.ones((keras.ops.shape(images)[0], 1))',
  '    return keras.ops.image.affine_transform(',
  '        images, transforms, interpolation=interpolation, fill_mode=fill_mode, fill_value=fill_value, data_format="channels_last"',
  '    )'
);

/** TFA's `image.translate` with keras.ops: the shift as an affine transform, as TFA builds it. */
const TRANSLATE_IMAGES = lines(
  'def translate_images(images, translations, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.translate with keras.ops: shifts the images (NHWC or HWC) by",
  '    # `translations` pixels, [dx, dy] (one pair, or one per image).',
  '    images = keras.ops.convert_to_tensor(images)',
  '    translations = keras.ops.cast(translations, "float32")',
  '    if len(images.shape) == 4 and len(translations.shape) == 1:',
  '        translations = translations * keras.ops.ones((keras.ops.shape(images)[0], 1))',
  '    dx, dy = translations[..., 0], translations[..., 1]',
  '    ones, zeros = keras.ops.ones_like(dx), keras.ops.zeros_like(dx)',
  '    transform = keras.ops.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=-1)',
  '    return keras.ops.image.affine_transform(',
  '        images, transform, interpolation=interpolation, fill_mode=fill_mode, fill_value=fill_value, data_format="channels_last"',
  '    )'
);

/**
 * TFA's `image.gaussian_filter2d` with keras.ops: TFA's kernel (a softmax of `-x**2 / (2 sigma**2)`
 * over `-size // 2 + 1 ... size // 2`), its border padding (REFLECT by default, where
 * `keras.ops.image.gaussian_blur` pads differently per backend) and a depthwise convolution.
 */
const GAUSSIAN_FILTER2D = lines(
  'def gaussian_filter2d(image, filter_shape=(3, 3), sigma=1.0, padding="REFLECT", constant_values=0, name=None):',
  "    # TensorFlow Addons' image.gaussian_filter2d with keras.ops: each channel of the images",
  '    # (NHWC or HWC) blurred by a Gaussian kernel, the borders padded as `padding` says.',
  '    image = keras.ops.convert_to_tensor(image)',
  '    dtype = image.dtype',
  '    batched = len(image.shape) == 4',
  '    x = keras.ops.cast(image if batched else image[None], "float32")',
  '    sizes = (filter_shape, filter_shape) if isinstance(filter_shape, int) else tuple(filter_shape)',
  '    sigmas = (sigma, sigma) if isinstance(sigma, (int, float)) else tuple(sigma)',
  '    kernels = []',
  '    for size, s in zip(sizes, sigmas):',
  '        r = keras.ops.arange(-size // 2 + 1, size // 2 + 1, dtype="float32")',
  '        kernels.append(keras.ops.softmax(-(r**2) / (2.0 * s**2)))',
  '    kernel = keras.ops.outer(kernels[0], kernels[1])[:, :, None, None]',
  '    kernel = keras.ops.tile(kernel, (1, 1, x.shape[-1], 1))',
  '    pads = [[0, 0], [(sizes[0] - 1) // 2, sizes[0] // 2], [(sizes[1] - 1) // 2, sizes[1] // 2], [0, 0]]',
  '    mode = padding.lower()',
  '    if mode == "constant":',
  '        x = keras.ops.pad(x, pads, mode=mode, constant_values=constant_values)',
  '    else:',
  '        x = keras.ops.pad(x, pads, mode=mode)',
  '    x = keras.ops.depthwise_conv(x, kernel, padding="valid", data_format="channels_last")',
  '    return keras.ops.cast(x if batched else x[0], dtype)'
);

/**
 * TFA's `activations.sparsemax` with keras.ops: the logits sorted in descending order, the support
 * (`1 + k z_k > cumsum_k`, a prefix) and the threshold from the support's sum, as TFA computes it;
 * the same values as TFA on the three backends, on any axis.
 */
const SPARSEMAX = lines(
  'def sparsemax(logits, axis=-1):',
  "    # TensorFlow Addons' sparsemax with keras.ops: the logits projected onto the probability",
  "    # simplex along `axis` (Keras 3.15's keras.activations.sparsemax gives other values).",
  '    logits = keras.ops.moveaxis(keras.ops.convert_to_tensor(logits), axis, -1)',
  '    z = keras.ops.flip(keras.ops.sort(logits, axis=-1), axis=-1)',
  '    k = keras.ops.arange(1, logits.shape[-1] + 1, dtype=logits.dtype)',
  '    support = keras.ops.cast(1 + k * z > keras.ops.cumsum(z, axis=-1), logits.dtype)',
  '    tau = (keras.ops.sum(support * z, axis=-1, keepdims=True) - 1) / keras.ops.sum(support, axis=-1, keepdims=True)',
  '    return keras.ops.moveaxis(keras.ops.maximum(logits - tau, 0.0), -1, axis)'
);

/**
 * TFA's `losses.sigmoid_focal_crossentropy` with keras.ops: the focal terms summed over the
 * classes, as TFA does (Keras 3's `binary_focal_crossentropy` averages them); `alpha` / `gamma`
 * of None or 0 skip their factor, as in TFA.
 */
const SIGMOID_FOCAL_CROSSENTROPY = lines(
  'def sigmoid_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False):',
  "    # TensorFlow Addons' focal loss with keras.ops: summed over the classes, where Keras 3's",
  '    # binary_focal_crossentropy averages them.',
  '    y_pred = keras.ops.convert_to_tensor(y_pred)',
  '    y_true = keras.ops.cast(y_true, y_pred.dtype)',
  '    ce = keras.ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)',
  '    prob = keras.ops.sigmoid(y_pred) if from_logits else y_pred',
  '    p_t = y_true * prob + (1 - y_true) * (1 - prob)',
  '    alpha_factor = y_true * alpha + (1 - y_true) * (1 - alpha) if alpha else 1.0',
  '    modulating_factor = keras.ops.power(1.0 - p_t, gamma) if gamma else 1.0',
  '    return keras.ops.sum(alpha_factor * modulating_factor * ce, axis=-1)'
);

/**
 * The same functions with TensorFlow ops, written where only `dataset.map(...)` functions call them:
 * tf.data traces TensorFlow on every backend (keras.ops there would return JAX or PyTorch arrays
 * to a TensorFlow graph), and TFA's own ImageProjectiveTransformV3 and padding give its pixels exactly
 * (wrap fill mode and nearest-neighbour ties included). `tf` is the cell's name for TensorFlow.
 */

const ROTATE_IMAGES_TF = lines(
  'def rotate_images(images, angles, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.rotate with TensorFlow ops (tf.data runs them on every backend):",
  '    # turns the images (NHWC or HWC) counterclockwise by `angles` radians about their centre.',
  '    images = tf.convert_to_tensor(images)',
  '    batch = images if len(images.shape) == 4 else images[None]',
  '    height = tf.cast(tf.shape(batch)[1], tf.float32)',
  '    width = tf.cast(tf.shape(batch)[2], tf.float32)',
  '    angles = tf.cast(angles, tf.float32) * tf.ones((tf.shape(batch)[0],))',
  '    cos, sin = tf.cos(angles), tf.sin(angles)',
  '    x_offset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0',
  '    y_offset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0',
  '    zeros = tf.zeros_like(angles)',
  '    transforms = tf.stack([cos, -sin, x_offset, sin, cos, y_offset, zeros, zeros], axis=-1)',
  '    out = tf.raw_ops.ImageProjectiveTransformV3(',
  '        images=batch, transforms=transforms, output_shape=tf.shape(batch)[1:3], fill_value=tf.cast(fill_value, tf.float32),',
  '        interpolation=interpolation.upper(), fill_mode=fill_mode.upper(),',
  '    )',
  '    return out if len(images.shape) == 4 else out[0]'
);

const TRANSLATE_IMAGES_TF = lines(
  'def translate_images(images, translations, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.translate with TensorFlow ops (tf.data runs them on every backend):",
  '    # shifts the images (NHWC or HWC) by `translations` pixels, [dx, dy] (one pair, or one per image).',
  '    images = tf.convert_to_tensor(images)',
  '    batch = images if len(images.shape) == 4 else images[None]',
  '    translations = tf.cast(translations, tf.float32) * tf.ones((tf.shape(batch)[0], 1))',
  '    dx, dy = translations[:, 0], translations[:, 1]',
  '    ones, zeros = tf.ones_like(dx), tf.zeros_like(dx)',
  '    transforms = tf.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=-1)',
  '    out = tf.raw_ops.ImageProjectiveTransformV3(',
  '        images=batch, transforms=transforms, output_shape=tf.shape(batch)[1:3], fill_value=tf.cast(fill_value, tf.float32),',
  '        interpolation=interpolation.upper(), fill_mode=fill_mode.upper(),',
  '    )',
  '    return out if len(images.shape) == 4 else out[0]'
);

const TRANSFORM_IMAGES_TF = lines(
  'def transform_images(images, transforms, interpolation="nearest", fill_mode="constant", name=None, fill_value=0.0):',
  "    # TensorFlow Addons' image.transform with TensorFlow ops (tf.data runs them on every backend): each",
  '    # image (NHWC or HWC) sampled where its [a0, a1, a2, b0, b1, b2, c0, c1] transform maps the output pixels.',
  '    images = tf.convert_to_tensor(images)',
  '    batch = images if len(images.shape) == 4 else images[None]',
  '    transforms = tf.cast(transforms, tf.float32) * tf.ones((tf.shape(batch)[0], 1))',
  '    out = tf.raw_ops.ImageProjectiveTransformV3(',
  '        images=batch, transforms=transforms, output_shape=tf.shape(batch)[1:3], fill_value=tf.cast(fill_value, tf.float32),',
  '        interpolation=interpolation.upper(), fill_mode=fill_mode.upper(),',
  '    )',
  '    return out if len(images.shape) == 4 else out[0]'
);

const GAUSSIAN_FILTER2D_TF = lines(
  'def gaussian_filter2d(image, filter_shape=(3, 3), sigma=1.0, padding="REFLECT", constant_values=0, name=None):',
  "    # TensorFlow Addons' image.gaussian_filter2d with TensorFlow ops (tf.data runs them on every backend):",
  '    # each channel of the images (NHWC or HWC) blurred by a Gaussian kernel, the borders padded as `padding` says.',
  '    image = tf.convert_to_tensor(image)',
  '    x = tf.cast(image if len(image.shape) == 4 else image[None], tf.float32)',
  '    sizes = (filter_shape, filter_shape) if isinstance(filter_shape, int) else tuple(filter_shape)',
  '    sigmas = (sigma, sigma) if isinstance(sigma, (int, float)) else tuple(sigma)',
  '    kernels = []',
  '    for size, s in zip(sizes, sigmas):',
  '        r = tf.cast(tf.range(-size // 2 + 1, size // 2 + 1), tf.float32)',
  '        kernels.append(tf.nn.softmax(-(r**2) / (2.0 * s**2)))',
  '    kernel = tf.tensordot(kernels[0], kernels[1], axes=0)[:, :, None, None]',
  '    kernel = tf.tile(kernel, (1, 1, x.shape[-1], 1))',
  '    pads = [[0, 0], [(sizes[0] - 1) // 2, sizes[0] // 2], [(sizes[1] - 1) // 2, sizes[1] // 2], [0, 0]]',
  '    x = tf.pad(x, pads, mode=padding.upper(), constant_values=constant_values)',
  '    x = tf.nn.depthwise_conv2d(x, kernel, strides=(1, 1, 1, 1), padding="VALID")',
  '    return tf.cast(x if len(image.shape) == 4 else x[0], image.dtype)'
);

/** TFA's adaptive pooling layers: Keras 3.15 has them with the same arguments (Keras 3.6 did not). */
function adaptivePooling(name: string): AddonsReplacement {
  return {
    use: `\`keras.layers.${name}\` (Keras 3.15 has it; older Keras 3 releases do not)`,
    callee: `keras.layers.${name}`,
    positional: ['output_size', 'data_format']
  };
}

/**
 * TFA's shrink activations: Keras 3.15's (`hard_shrink`, ...) take one `threshold` where TFA's
 * took `lower` / `upper`, the same at TFA's defaults (-0.5, 0.5); calls that give them are not rewritten.
 */
function shrink(name: string, bounds: boolean): AddonsReplacement {
  return {
    use: `\`keras.activations.${name}\`${bounds ? ' (one `threshold` where TFA took `lower` / `upper`)' : ''}`,
    callee: `keras.activations.${name}`,
    positional: ['x'],
    refuse: bounds ? ['lower', 'upper'] : [],
    reference: { text: `keras.activations.${name}` }
  };
}

/** By `<submodule>.<Name>` (`optimizers.AdamW`), whatever deeper module the name was reached through. */
export const ADDONS_REPLACEMENTS: Record<string, AddonsReplacement> = {
  'optimizers.AdamW': {
    use: '`keras.optimizers.AdamW`',
    callee: 'keras.optimizers.AdamW',
    positional: ['weight_decay', 'learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad', 'name'],
    note: "Keras 3 scales the weight decay by the learning rate where TFA subtracted `weight_decay * w` each step: divide `weight_decay` by the learning rate to keep TFA's decay"
  },
  'optimizers.SGDW': {
    use: '`keras.optimizers.SGD(weight_decay=...)`',
    callee: 'keras.optimizers.SGD',
    positional: ['weight_decay', 'learning_rate', 'momentum', 'nesterov', 'name'],
    add: { learning_rate: '0.001' },
    note: "Keras 3 scales the weight decay by the learning rate where TFA subtracted `weight_decay * w` each step, and its SGD's default learning rate is 0.01 where TFA's SGDW had 0.001, which the fix writes"
  },
  'optimizers.LAMB': {
    use: '`keras.optimizers.Lamb` (without `exclude_from_weight_decay`)',
    callee: 'keras.optimizers.Lamb',
    // TFA's order; the exclusion lists (positions 6 and 7) have no Keras 3 parameter, so a call
    // that gives them by position is longer than this list and is not rewritten.
    positional: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'weight_decay'],
    add: { epsilon: '1e-6' },
    refuse: ['exclude_from_weight_decay', 'exclude_from_layer_adaptation', 'lr', 'decay'],
    rename: { weight_decay_rate: 'weight_decay' },
    note: "Keras 3 applies the weight decay apart from the layer-wise trust ratio, scaled by the learning rate, where TFA added `weight_decay * w` to the update before the trust ratio; TFA's epsilon 1e-6, which the fix writes, where Keras's Lamb defaults to 1e-7"
  },
  'optimizers.MovingAverage': { use: "`use_ema=True` on a Keras 3 optimizer" },
  'optimizers.RectifiedAdam': { use: 'no Keras 3 optimizer (write it, or use `keras.optimizers.Adam` with a warm-up schedule)' },
  'optimizers.Lookahead': { use: 'no Keras 3 optimizer (write it as a custom optimizer)' },
  'optimizers.MultiOptimizer': { use: 'one Keras 3 optimizer per group of variables in a custom `train_step`' },
  'optimizers.CyclicalLearningRate': { use: 'a `keras.optimizers.schedules.LearningRateSchedule` subclass' },
  'layers.GroupNormalization': {
    use: '`keras.layers.GroupNormalization`',
    callee: 'keras.layers.GroupNormalization',
    positional: ['groups', 'axis', 'epsilon', 'center', 'scale']
  },
  'layers.InstanceNormalization': {
    use: '`keras.layers.GroupNormalization(groups=-1)`',
    callee: 'keras.layers.GroupNormalization',
    positional: [],
    add: { groups: '-1' },
    refuse: ['groups']
  },
  'layers.SpectralNormalization': { use: '`keras.layers.SpectralNormalization`', callee: 'keras.layers.SpectralNormalization', positional: ['layer', 'power_iterations'] },
  'layers.MultiHeadAttention': { use: '`keras.layers.MultiHeadAttention` (its arguments differ: `num_heads`, `key_dim`)' },
  'layers.GELU': {
    use: '`keras.layers.Activation("gelu")`',
    callee: 'keras.layers.Activation',
    positional: ['approximate'],
    drop: ['approximate'],
    add: { activation: '"gelu"' },
    note: "Keras 3's `gelu` is exact where TFA's layer defaulted to the tanh approximation (`approximate=True`): outputs differ by up to about 1e-3"
  },
  'layers.WeightNormalization': { use: 'no Keras 3 layer (write the wrapper with `keras.ops`)' },
  'layers.AdaptiveAveragePooling1D': adaptivePooling('AdaptiveAveragePooling1D'),
  'layers.AdaptiveAveragePooling2D': adaptivePooling('AdaptiveAveragePooling2D'),
  'layers.AdaptiveAveragePooling3D': adaptivePooling('AdaptiveAveragePooling3D'),
  'layers.AdaptiveMaxPooling1D': adaptivePooling('AdaptiveMaxPooling1D'),
  'layers.AdaptiveMaxPooling2D': adaptivePooling('AdaptiveMaxPooling2D'),
  'layers.AdaptiveMaxPooling3D': adaptivePooling('AdaptiveMaxPooling3D'),
  'activations.gelu': {
    use: '`keras.activations.gelu(x, approximate=True)`',
    callee: 'keras.activations.gelu',
    positional: ['x', 'approximate'],
    add: { approximate: 'True' },
    reference: {
      text: 'keras.activations.gelu',
      note: "Keras 3's `gelu` is exact (`approximate=False`) by default where TFA's used the tanh approximation: outputs differ by up to about 1e-3"
    }
  },
  'activations.mish': { use: '`keras.activations.mish`', callee: 'keras.activations.mish', positional: ['x'], reference: { text: 'keras.activations.mish' } },
  'activations.hardshrink': shrink('hard_shrink', true),
  'activations.softshrink': shrink('soft_shrink', true),
  'activations.tanhshrink': shrink('tanh_shrink', false),
  'activations.sparsemax': {
    use: "a `sparsemax` function written with `keras.ops` (the fix defines it: Keras 3.15's `keras.activations.sparsemax` computes its threshold from the sum of the running sums, so where more than one value stays non-zero its outputs differ from TFA's and do not sum to 1, checked by running on the three backends)",
    positional: ['logits', 'axis'],
    define: { name: 'sparsemax', source: SPARSEMAX }
  },
  'activations.lisht': { use: '`x * keras.ops.tanh(x)` (no Keras 3 activation)' },
  'activations.snake': { use: '`x + (1 - keras.ops.cos(2 * frequency * x)) / (2 * frequency)` (no Keras 3 activation)' },
  'activations.rrelu': { use: 'no Keras 3 activation (write it with `keras.ops` and `keras.random`: a random slope in training, the mean slope in inference)' },
  'image.transform': {
    use: `a \`transform_images\` function ${DEFINED_AFFINE}: \`keras.ops.image.affine_transform\` with TFA's nearest-neighbour default, one transform spread over the batch as TFA did, where Keras 3 on JAX and PyTorch needs one per image; Keras ignores the projective terms, the last two, on JAX and PyTorch; ${AFFINE_DIFFERENCES}; not with \`output_shape\`)`,
    positional: ['images', 'transforms', 'interpolation', 'fill_mode'],
    refuse: ['output_shape'],
    define: { name: 'transform_images', source: TRANSFORM_IMAGES, tfSource: TRANSFORM_IMAGES_TF }
  },
  'image.rotate': {
    use: `a \`rotate_images\` function ${DEFINED_AFFINE}: TFA's rotation matrix given to \`keras.ops.image.affine_transform\`; ${AFFINE_DIFFERENCES})`,
    define: { name: 'rotate_images', source: ROTATE_IMAGES, tfSource: ROTATE_IMAGES_TF }
  },
  'image.translate': {
    use: `a \`translate_images\` function ${DEFINED_AFFINE}: TFA's shift given to \`keras.ops.image.affine_transform\`; ${AFFINE_DIFFERENCES})`,
    define: { name: 'translate_images', source: TRANSLATE_IMAGES, tfSource: TRANSLATE_IMAGES_TF }
  },
  'image.gaussian_filter2d': {
    use: "a `gaussian_filter2d` function written with `keras.ops`, or with TensorFlow ops where only `dataset.map` functions call it (the fix defines it; `keras.ops.image.gaussian_blur` pads the borders differently, with zeros on TensorFlow where TFA reflects)",
    define: { name: 'gaussian_filter2d', source: GAUSSIAN_FILTER2D, tfSource: GAUSSIAN_FILTER2D_TF }
  },
  'metrics.F1Score': {
    use: '`keras.metrics.F1Score` (it needs no `num_classes`)',
    callee: 'keras.metrics.F1Score',
    positional: ['num_classes', 'average', 'threshold', 'name', 'dtype'],
    drop: ['num_classes']
  },
  'metrics.FBetaScore': {
    use: '`keras.metrics.FBetaScore` (it needs no `num_classes`)',
    callee: 'keras.metrics.FBetaScore',
    positional: ['num_classes', 'average', 'beta', 'threshold', 'name', 'dtype'],
    drop: ['num_classes']
  },
  'metrics.RSquare': {
    use: '`keras.metrics.R2Score`',
    callee: 'keras.metrics.R2Score',
    // TFA's order (name first) is not Keras 3's: only keyword calls are rewritten.
    positional: [],
    // TFA's `multioutput` values ("raw_values", "variance_weighted") are spelled differently in
    // Keras 3's `class_aggregation` (None, "variance_weighted_average").
    refuse: ['multioutput', 'y_shape'],
    // Keras 3 would name it "r2_score": the history and logs keep TFA's key.
    add: { name: '"r_square"' }
  },
  'losses.SigmoidFocalCrossEntropy': {
    use: '`keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True)`',
    callee: 'keras.losses.BinaryFocalCrossentropy',
    // TFA's order (from_logits first) is not Keras 3's: only keyword calls are rewritten.
    positional: [],
    // TFA's reductions are Keras 2 enum values.
    refuse: ['reduction'],
    add: { apply_class_balancing: 'True' },
    note: "Keras 3 averages the focal terms over the classes where TFA summed them, and TFA's loss (reduction NONE) had Keras 2 report the batch mean but sum the gradients over the batch, where Keras 3 averages both: values are TFA's divided by the number of classes, gradients also by the batch size (Adam-type optimizers barely notice; with SGD scale the learning rate), or use a loss function that sums over the classes"
  },
  'losses.sigmoid_focal_crossentropy': {
    use: 'a `sigmoid_focal_crossentropy` function written with `keras.ops` (the fix defines it; Keras 3\'s `binary_focal_crossentropy(apply_class_balancing=True)` averages over the classes where TFA summed)',
    define: { name: 'sigmoid_focal_crossentropy', source: SIGMOID_FOCAL_CROSSENTROPY }
  },
  'losses.npairs_loss': {
    use: 'an `npairs_loss` function written with `keras.ops` (the fix defines it)',
    define: { name: 'npairs_loss', source: NPAIRS_LOSS }
  },
  'losses.TripletSemiHardLoss': { use: 'no Keras 3 loss (write it with `keras.ops`)' },
  'losses.TripletHardLoss': { use: 'no Keras 3 loss (write it with `keras.ops`)' }
};

/** `tensorflow_addons.optimizers.weight_decay_optimizers.AdamW` -> `optimizers.AdamW` (null for other names). */
export function addonsKey(resolved: string | null): string | null {
  if (!resolved || !resolved.startsWith('tensorflow_addons.')) {
    return null;
  }
  const parts = resolved.split('.');
  return parts.length >= 3 ? `${parts[1]}.${parts[parts.length - 1]}` : null;
}

/** What replaces a TFA name, by its key; `image.*` and `text.*` by their module. */
export function addonsReplacement(key: string): AddonsReplacement | null {
  if (ADDONS_REPLACEMENTS[key]) {
    return ADDONS_REPLACEMENTS[key];
  }
  if (key.startsWith('image.')) {
    return { use: '`keras.ops.image` ops or Keras 3 preprocessing layers (`keras.layers.RandomRotation`, ...)' };
  }
  if (key.startsWith('text.')) {
    return { use: 'no Keras 3 module (KerasHub for sequence models, or write it with `keras.ops`)' };
  }
  return null;
}

/** The outermost attribute of the chain an identifier starts (`tfa.optimizers.AdamW` for `tfa`), or the identifier. */
export function chainTop(id: SyntaxNode): SyntaxNode {
  let n = id;
  while (n.parent?.type === 'attribute' && n.field === 'object') {
    n = n.parent;
  }
  return n;
}

/** Whether a node lies inside an import statement. */
function inImport(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      return true;
    }
  }
  return false;
}

/**
 * The TFA names the code under `root` uses (outside imports), in order of first use: `optimizers.AdamW`
 * key -> the text of its first use. `bound`: the names an import binds -> the dotted TFA name
 * (`tfa` -> `tensorflow_addons`), read from the import itself (the walk has not bound them yet).
 */
export function addonsUses(root: SyntaxNode, bound: Map<string, string>, ctx: RuleContext): Map<string, string> {
  const seen = new Map<string, string>();
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && bound.has(ctx.textOf(n)) && !(n.parent?.type === 'attribute' && n.field === 'attribute') && !inImport(n)) {
      const top = chainTop(n);
      const text = ctx.textOf(top).replace(/\s+/g, '');
      const key = /^[\w.]+$/.test(text) ? addonsKey(bound.get(ctx.textOf(n)) + text.slice(ctx.textOf(n).length)) : null;
      if (key && !seen.has(key)) {
        seen.set(key, text);
      }
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  return seen;
}

/**
 * The edits that turn a TFA call into its Keras 3 replacement (callee, positional arguments by
 * keyword, TFA defaults that differ), or null where the call does not map (a splat, an argument
 * the replacement refuses, more positional arguments than known).
 */
export function addonsCallEdits(parts: CallParts, replacement: AddonsReplacement, ctx: RuleContext): OffsetEdit[] | null {
  if (!replacement.callee || parts.splat || !replacement.positional) {
    return null;
  }
  const names = replacement.positional;
  if (parts.positional.length > names.length) {
    return null;
  }
  if ((replacement.refuse ?? []).some(k => parts.keywords.has(k))) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: replacement.callee }];
  const drop = new Set(replacement.drop ?? []);
  const removed = new Set<SyntaxNode>();
  // Keyword names where the Keras 3 order differs from TFA's (the optimizers take the learning
  // rate first, the F-scores lose their first parameter); a layer's or activation's is the same.
  const reorder = replacement.callee.startsWith('keras.optimizers.') || drop.size > 0;
  parts.positional.forEach((arg, i) => {
    if (drop.has(names[i])) {
      removed.add(arg);
      edits.push(removeArgument(arg, ctx));
    } else if (reorder) {
      edits.push({ start: arg.start, end: arg.start, text: `${names[i]}=` });
    }
  });
  for (const name of drop) {
    const keyword = parts.keywords.get(name);
    if (keyword) {
      removed.add(keyword.node);
      edits.push(removeArgument(keyword.node, ctx));
    }
  }
  for (const [name, kw] of parts.keywords) {
    const to = replacement.rename?.[name];
    if (to) {
      if (parts.keywords.has(to) || names.indexOf(to) < parts.positional.length && names.indexOf(to) >= 0) {
        return null; // both spellings given: TFA would take the alias, Keras 3 refuses the pair
      }
      edits.push({ start: kw.name.start, end: kw.name.end, text: to });
    }
  }
  const renamed = [...parts.keywords.keys()].map(k => replacement.rename?.[k] ?? k);
  const given = new Set([...renamed, ...names.slice(0, parts.positional.length)]);
  const added = Object.entries(replacement.add ?? {}).filter(([k]) => !given.has(k));
  if (added.length) {
    if (!parts.args || ctx.text[parts.args.end - 1] !== ')') {
      return null;
    }
    edits.push(appendArgument(parts.args, added.map(([k, v]) => `${k}=${v}`).join(', '), ctx, [...removed]));
  }
  return edits;
}

/** The callee of a call, when the call node's function is `node` (a name or attribute chain). */
export function calledAt(node: SyntaxNode): SyntaxNode | null {
  return node.parent?.type === 'call' && node.field === 'function' && child(node.parent, 'function') === node ? node.parent : null;
}
