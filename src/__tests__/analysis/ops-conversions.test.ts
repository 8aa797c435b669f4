/**
 * TF op -> keras.ops conversions as the analyser writes them, for sample calls with the
 * argument spellings real code uses (keywords, positional orders, flags such as transpose_b).
 * The committed ops-conversions.json must equal what the rules produce today (regenerate with
 * KERAS_MIGRATE_UPDATE_SNIPPETS=1); python_kernel_hooks/tests/test_ops_conversions.py runs each
 * TF call and its conversion on real TensorFlow and Keras 3 (TF, JAX, PyTorch): a safe
 * conversion must give the same values and dtype, and no conversion may raise.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getAnalyzer } from './helpers';

/**
 * `inputs`: Python expressions (see test_ops_conversions.py: f = float32 normal, p = positive, i = int32 in [0, hi)).
 * `values`: a suggestion whose values must equal TensorFlow's all the same (its inexactness lies
 * elsewhere: a dtype default Keras lets the user configure, a float64 input).
 */
const SAMPLES: Array<{ tf: string; inputs: Record<string, string>; values?: true }> = [
  { tf: 'tf.matmul(a, b, transpose_b=True)', inputs: { a: 'f(2, 3, 4)', b: 'f(2, 5, 4)' } },
  { tf: 'tf.matmul(a, b, transpose_a=True)', inputs: { a: 'f(4, 3)', b: 'f(4, 5)' } },
  { tf: 'tf.matmul(a, b, transpose_a=True, transpose_b=True)', inputs: { a: 'f(4, 3)', b: 'f(5, 4)' } },
  { tf: 'tf.linalg.matmul(a=a, b=b, transpose_b=False, name="mm")', inputs: { a: 'f(3, 4)', b: 'f(4, 2)' } },
  { tf: 'tf.matmul(a, b, False, True)', inputs: { a: 'f(3, 4)', b: 'f(2, 4)' } },
  { tf: 'tf.matmul(a, b, output_type=tf.float32)', inputs: { a: 'f(3, 4)', b: 'f(4, 2)' } },
  { tf: 'tf.range(n)', inputs: { n: '5' } },
  { tf: 'tf.range(2, 11, 3)', inputs: {} },
  { tf: 'tf.range(start=0, limit=n, delta=2)', inputs: { n: '7' } },
  { tf: 'tf.range(0.0, 1.0, 0.25)', inputs: {} },
  { tf: 'tf.range(n, dtype=tf.float32)', inputs: { n: '4' } },
  { tf: 'tf.reduce_sum(x, 1, True)', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.reduce_sum(input_tensor=x, axis=[0, 2], keepdims=False)', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.reduce_mean(x, axis=-1, keepdims=True)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.reduce_max(x, axis=1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.reduce_min(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.reduce_prod(x, 0)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.reduce_std(x, axis=0)', inputs: { x: 'f(4, 3)' } },
  { tf: 'tf.math.reduce_variance(x, axis=1, keepdims=True)', inputs: { x: 'f(4, 3)' } },
  { tf: 'tf.reduce_any(x > 0, axis=1)', inputs: { x: 'f(4, 3)' } },
  { tf: 'tf.concat([x, y], 1)', inputs: { x: 'f(2, 3)', y: 'f(2, 2)' } },
  { tf: 'tf.concat(values=[x, y], axis=-1, name="c")', inputs: { x: 'f(2, 3)', y: 'f(2, 2)' } },
  { tf: 'tf.stack([x, y], axis=1)', inputs: { x: 'f(2, 3)', y: 'f(2, 3)' } },
  { tf: 'tf.cast(x, tf.int32)', inputs: { x: 'f(2, 3) * 4' } },
  { tf: 'tf.cast(x, dtype="float32")', inputs: { x: 'i(2, 3, hi=5)' } },
  { tf: 'tf.clip_by_value(x, -0.5, 0.5)', inputs: { x: 'f(3, 3)' } },
  { tf: 'tf.math.not_equal(y, 0)', inputs: { y: 'i(3, 4, hi=3)' } },
  { tf: 'tf.math.logical_and(tf.equal(x, y), x > 0)', inputs: { x: 'i(3, 4, hi=3)', y: 'i(3, 4, hi=2)' } },
  { tf: 'tf.logical_or(x > 0.5, y < 0)', inputs: { x: 'f(3, 4)', y: 'f(3, 4)' } },
  { tf: 'tf.logical_not(x > 0)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.stop_gradient(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.reduce_logsumexp(x, axis=-1, keepdims=True)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.divide_no_nan(x, y)', inputs: { x: 'f(2, 3)', y: 'i(2, 3, hi=2).astype("float32")' } },
  { tf: 'tf.nn.relu6(x * 8)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.roll(x, shift=1, axis=1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.image.extract_patches(images=x, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID")', inputs: { x: 'f(2, 4, 4, 3)' } },
  { tf: "tf.image.extract_patches(x, (1, 3, 3, 1), (1, 1, 1, 1), (1, 1, 1, 1), 'SAME')", inputs: { x: 'f(1, 5, 5, 2)' } },
  // keras.io ShiftViT's shift: offsets are the top/left croppings and paddings, the target sizes keywords.
  { tf: 'tf.image.crop_to_bounding_box(x, 1, 2, 3, 4)', inputs: { x: 'f(2, 6, 7, 3)' } },
  { tf: 'tf.image.crop_to_bounding_box(x, offset_height=0, offset_width=1, target_height=6, target_width=5)', inputs: { x: 'f(2, 6, 7, 3)' } },
  { tf: 'tf.image.pad_to_bounding_box(x, 1, 2, 8, 9)', inputs: { x: 'f(2, 6, 7, 3)' } },
  { tf: 'tf.image.pad_to_bounding_box(x, offset_height=0, offset_width=1, target_height=6, target_width=8)', inputs: { x: 'f(2, 6, 7, 3)' } },
  { tf: 'tf.image.extract_patches(x, sizes=[1, 2, 2, 1], strides=[1, 3, 3, 1], rates=[1,1,1,1], padding="VALID")', inputs: { x: 'f(1, 7, 7, 1)' } },
  { tf: 'tf.image.extract_patches(x, sizes=[1, 2, 2, 1], strides=[1, 1, 1, 1], rates=[1, 2, 2, 1], padding="VALID")', inputs: { x: 'f(1, 5, 5, 1)' } },
  { tf: 'tf.image.extract_patches(x, sizes=size, strides=size, rates=[1, 1, 1, 1], padding="VALID")', inputs: { x: 'f(1, 4, 4, 1)', size: '[1, 2, 2, 1]' } },
  { tf: 'tf.nn.conv2d(x, k, strides=1, padding="SAME")', inputs: { x: 'f(2, 5, 5, 3)', k: 'f(3, 3, 3, 4)' } },
  { tf: 'tf.nn.conv2d(x, k, [1, 2, 2, 1], "VALID")', inputs: { x: 'f(1, 6, 6, 2)', k: 'f(2, 2, 2, 3)' } },
  { tf: 'tf.nn.conv2d(input=x, filters=k, strides=[1, 1], padding="SAME", data_format="NHWC", dilations=None)', inputs: { x: 'f(1, 4, 4, 1)', k: 'f(3, 3, 1, 2)' } },
  { tf: 'tf.nn.depth_to_space(x, 3)', inputs: { x: 'f(2, 3, 3, 18)' } },
  { tf: 'tf.nn.depth_to_space(input=x, block_size=2, data_format="NHWC")', inputs: { x: 'f(1, 2, 3, 8)' } },
  { tf: 'tf.nn.space_to_depth(x, 2)', inputs: { x: 'f(2, 4, 6, 3)' } },
  { tf: 'tf.nn.conv2d(x, k, 1, "SAME", dilations=2)', inputs: { x: 'f(1, 6, 6, 1)', k: 'f(3, 3, 1, 1)' } },
  { tf: 'tf.nn.avg_pool2d(x, ksize=16, strides=16, padding="VALID")', inputs: { x: 'f(2, 32, 32, 1)' } },
  { tf: 'tf.nn.avg_pool2d(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")', inputs: { x: 'f(1, 5, 5, 2)' } },
  { tf: 'tf.nn.avg_pool2d(input=x, ksize=(3, 3), strides=(1, 1), padding="SAME", data_format="NHWC")', inputs: { x: 'f(1, 4, 4, 3)' } },
  { tf: 'tf.nn.max_pool2d(x, 2, 2, "VALID")', inputs: { x: 'f(2, 6, 6, 3)' } },
  { tf: 'tf.nn.max_pool2d(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")', inputs: { x: 'f(1, 7, 7, 2)' } },
  { tf: 'tf.nn.bias_add(x, b)', inputs: { x: 'f(2, 3, 4)', b: 'f(4)' } },
  { tf: 'tf.nn.bias_add(x, b, data_format="NCHW")', inputs: { x: 'f(2, 3, 4)', b: 'f(3)' } },
  { tf: 'tf.linalg.matrix_transpose(x)', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.linalg.matrix_transpose(x, conjugate=True)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.slice(x, [0, 1], [2, 2])', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.slice(x, begin=(1, 0, 0), size=(1, 2, 3))', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.constant([[1.0, 2.0]], dtype=tf.float32)', inputs: {} },
  { tf: 'tf.tile(x, m)', inputs: { x: 'f(2, 3)', m: 'np.array([1, 2])' } },
  { tf: 'tf.math.rsqrt(x)', inputs: { x: 'p(2, 3)' } },
  // keras.io FNet: the real part of the 2-D DFT of a complex cast; keras.ops FFTs take (real, imag) pairs.
  { tf: 'tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))', inputs: { x: 'f(2, 4, 6)' } },
  { tf: 'tf.math.real(tf.signal.fft(tf.cast(x, tf.complex64)))', inputs: { x: 'f(3, 8)' } },
  { tf: 'tf.math.imag(tf.signal.fft(tf.cast(x, tf.complex64) * 2))', inputs: { x: 'f(3, 8)' } },
  { tf: 'tf.math.imag(tf.signal.ifft2d(input=tf.cast(x, tf.complex64)))', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.math.real(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.squared_difference(a, b + 1)', inputs: { a: 'f(2, 3)', b: 'f(2, 3)' } },
  { tf: 'tf.math.squared_difference(x=a, y=b, name="d")', inputs: { a: 'f(3,)', b: 'f(3,)' } },
  { tf: 'tf.zeros_initializer()(shape=(2, 3))', inputs: {} },
  { tf: 'tf.ones_initializer()(shape=(2,), dtype="float32")', inputs: {} },
  { tf: 'tf.random_normal_initializer(1.0, 0.0)(shape=(2, 2))', inputs: {} },
  { tf: 'tf.random_uniform_initializer(minval=2.0, maxval=2.0)(shape=(3,))', inputs: {} },
  { tf: 'tf.random_normal_initializer(stddev=0.1, seed=3)(shape=(2,))', inputs: {} },
  { tf: 'tf.clip_by_value(t=x, clip_value_min=0.0, clip_value_max=1.0)', inputs: { x: 'f(3, 3)' } },
  { tf: 'tf.gather(x, idx)', inputs: { x: 'f(5, 3)', idx: 'i(4, hi=5)' } },
  { tf: 'tf.constant(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.constant(3.5)', inputs: {} },
  { tf: 'tf.constant([[1, 2], [3, 4]], name="k")', inputs: {} },
  { tf: 'tf.constant(x, tf.float32)', inputs: { x: 'i(2, 3, hi=4)' } },
  { tf: 'tf.constant(value=x, dtype="int32")', inputs: { x: 'i(3, hi=4)' } },
  { tf: 'tf.constant(n, dtype=tf.int64)', inputs: { n: '7' } },
  { tf: 'tf.constant(0.0, shape=(2, 2))', inputs: {} },
  { tf: 'tf.gather(x, idx, axis=1)', inputs: { x: 'f(2, 5)', idx: 'i(3, hi=5)' } },
  { tf: 'tf.gather(x, idx, None, 1)', inputs: { x: 'f(2, 5)', idx: 'i(3, hi=5)' } },
  { tf: 'tf.nn.embedding_lookup(x, idx)', inputs: { x: 'f(6, 4)', idx: 'i(2, 3, hi=6)' } },
  { tf: 'tf.transpose(x, perm=[0, 2, 1])', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.transpose(x)', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.reshape(x, [-1, 6])', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.reshape(tensor=x, shape=(4, 6))', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.expand_dims(x, axis=-1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.squeeze(x, [1])', inputs: { x: 'f(2, 1, 3)' } },
  { tf: 'tf.tile(x, [2, 1])', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.where(x > 0, x, y)', inputs: { x: 'f(2, 3)', y: 'f(2, 3)' } },
  { tf: 'tf.maximum(x, 0.1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.pow(x, 2.0)', inputs: { x: 'p(2, 3)' } },
  { tf: 'tf.math.atan2(x, y)', inputs: { x: 'f(2, 3)', y: 'f(2, 3)' } },
  { tf: 'tf.nn.softmax(x, axis=1)', inputs: { x: 'f(2, 3, 4)' } },
  { tf: 'tf.nn.softmax(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.log_softmax(x, axis=-1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.relu(x, "relu")', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.leaky_relu(x, alpha=0.3)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.gelu(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.silu(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.silu(x, beta=2.0)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.elu(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.softplus(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.sigmoid(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.log1p(x)', inputs: { x: 'p(2, 3)' } },
  { tf: 'tf.abs(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.one_hot(idx, 4)', inputs: { idx: 'i(5, hi=4)' } },
  { tf: 'tf.one_hot(indices=idx, depth=3, axis=0)', inputs: { idx: 'i(2, hi=3)' } },
  { tf: 'tf.one_hot(idx, 4, on_value=5.0)', inputs: { idx: 'i(5, hi=4)' } },
  { tf: 'tf.argmax(x, 1)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.argmax(x)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.math.cumsum(x)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.math.cumsum(x, axis=1, reverse=True)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.split(x, 2, axis=1)', inputs: { x: 'f(2, 4)' } },
  { tf: 'tf.zeros_like(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.ones_like(x, dtype=tf.int32)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.zeros((2, 3))', inputs: {} },
  { tf: 'tf.einsum("ij,jk->ik", x, y)', inputs: { x: 'f(2, 3)', y: 'f(3, 4)' } },
  { tf: 'tf.linalg.einsum("bij,bkj->bik", x, y)', inputs: { x: 'f(2, 3, 4)', y: 'f(2, 5, 4)' } },
  { tf: 'tf.nn.moments(x, axes=[0])', inputs: { x: 'f(5, 3)' } },
  { tf: 'tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)', inputs: { x: 'f(2, 3)', y: 'i(2, 3, hi=2).astype("float32")' } },
  { tf: 'tf.nn.sparse_softmax_cross_entropy_with_logits(labels=idx, logits=x)', inputs: { x: 'f(3, 4)', idx: 'i(3, hi=4)' } },
  { tf: 'tf.equal(x, y)', inputs: { x: 'i(2, 3, hi=2)', y: 'i(2, 3, hi=2)' } },
  { tf: 'tf.convert_to_tensor(x, dtype=tf.float32)', inputs: { x: 'f(2, 2)' } },
  { tf: 'tf.reverse(x, [1])', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.shape(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.shape(x)[-1]', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.shape(x)[0]', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.size(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.l2_normalize(x, axis=-1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.l2_normalize(x, 1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.l2_normalize(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.cos(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.sin(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.tan(x, name="t")', inputs: { x: 'f(2, 3) * 0.5' } },
  { tf: 'tf.math.cosh(x) - tf.sinh(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.expm1(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.erf(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.math.reciprocal(x)', inputs: { x: 'p(2, 3)' } },
  { tf: 'tf.negative(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.round(x * 3)', inputs: { x: 'f(2, 5)' } },
  { tf: 'tf.math.log_sigmoid(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.selu(features=x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.nn.softsign(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.add(x, y)', inputs: { x: 'f(2, 3)', y: 'f(2, 3)' } },
  { tf: 'tf.math.subtract(x=x, y=y)', inputs: { x: 'f(2, 3)', y: 'f(3,)' } },
  { tf: 'tf.multiply(x, 2.0)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.greater_equal(x, y)', inputs: { x: 'i(2, 3, hi=3)', y: 'i(2, 3, hi=3)' } },
  { tf: 'tf.math.less_equal(x, 0.0)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.tensordot(x, y, axes=(2, 2))', inputs: { x: 'f(2, 3, 3)', y: 'f(2, 3, 3)' } },
  { tf: 'tf.tensordot(x, y, 1)', inputs: { x: 'f(2, 3)', y: 'f(3, 4)' } },
  { tf: 'tf.eye(n)', inputs: { n: '3' } },
  { tf: 'tf.eye(2, num_columns=3, dtype=tf.float32)', inputs: {} },
  { tf: 'tf.eye(2, batch_shape=[3])', inputs: {}, values: true },
  // keras.io SimCLR's RandomColorAffine: a batch of identities is the identity broadcast to batch_shape + (rows, columns).
  { tf: 'tf.eye(3, batch_shape=[n, 1])', inputs: { n: '2' }, values: true },
  { tf: 'tf.linalg.eye(2, num_columns=3, batch_shape=(2,), dtype=tf.int32)', inputs: {}, values: true },
  { tf: 'tf.eye(2, batch_shape=shape)', inputs: { shape: '[2, 2]' }, values: true },
  // tf.signal.stft: a helper with TF's framing (from the start), window (periodic, zero-padded to fft_length) and pad_end.
  { tf: 'tf.signal.stft(x, 64, 16, pad_end=True)', inputs: { x: 'f(2, 500)' }, values: true },
  { tf: 'tf.abs(tf.signal.stft(x, frame_length=60, frame_step=16, fft_length=128, window_fn=tf.signal.hamming_window))', inputs: { x: 'f(2, 300)' }, values: true },
  { tf: 'tf.signal.stft(x, 32, 8, 32, None, True)', inputs: { x: 'f(3, 256)' }, values: true },
  { tf: 'tf.signal.stft(x, 10, 16, pad_end=True)', inputs: { x: 'f(301)' }, values: true },
  { tf: 'tf.signal.stft(x, 32, 8, window_fn=w)', inputs: { x: 'f(2, 100)', w: 'None' } },
  // tf.signal.inverse_stft: refused, the message names the keras.ops.istft form and where it differs (test_ops_conversions.py runs it).
  { tf: 'tf.signal.inverse_stft(x, 64, 16, 64, window_fn=tf.signal.inverse_stft_window_fn(16))', inputs: { x: 'f(2, 10, 33)' } },
  { tf: 'tf.math.count_nonzero(x > 0)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.math.count_nonzero(x, axis=1)', inputs: { x: 'i(3, 4, hi=2)' } },
  { tf: 'tf.math.count_nonzero(x, keepdims=True)', inputs: { x: 'i(3, 4, hi=2)' } },
  { tf: 'tf.broadcast_to(x, [3, 2, 3])', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.repeat(x, 2, axis=1)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.repeat(x, repeats=3)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.unstack(x, axis=1)', inputs: { x: 'f(2, 3)' } },
  // tf.gather with batch_dims=1: the per-row form (keras.ops.vectorized_map); batch_dims=2: refused, the message names the
  // keras.ops forms (test_ops_conversions.py runs them all and compares their values with TensorFlow's).
  { tf: 'tf.gather(x, idx, batch_dims=1)', inputs: { x: 'f(2, 5)', idx: 'i(2, 3, hi=5)' } },
  { tf: 'tf.gather(x, idx, axis=2, batch_dims=1)', inputs: { x: 'f(2, 3, 5)', idx: 'i(2, 4, hi=5)' } },
  { tf: 'tf.gather(x, idx, axis=1, batch_dims=1)', inputs: { x: 'f(2, 6, 3)', idx: 'i(2, 4, hi=6)' } },
  { tf: 'tf.gather(x, idx, batch_dims=2)', inputs: { x: 'f(2, 3, 5)', idx: 'i(2, 3, 4, hi=5)' } },
  { tf: 'tf.divide(x, y)', inputs: { x: 'f(2, 3)', y: 'p(2, 3)' } },
  { tf: 'tf.math.divide(x, y)', inputs: { x: 'i(2, 3, hi=9)', y: 'i(2, 3, hi=4) + 1' } },
  { tf: 'tf.math.truediv(x, 2.0)', inputs: { x: 'f(3)' } },
  { tf: 'tf.pad(x, [[0, 0], [0, 1]])', inputs: { x: 'i(2, 3, hi=5)' } },
  { tf: "tf.pad(x, [[1, 1], [2, 2]], mode='REFLECT')", inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.pad(x, paddings=[[0, 0], [1, 0]], mode="CONSTANT", constant_values=-1.0)', inputs: { x: 'f(2, 3)' } },
  // paddings as a tensor from an op without a keras.ops row (tf.constant now converts by itself)
  { tf: 'tf.pad(x, tf.scatter_nd(idx, upd, [2, 2]))', inputs: { x: 'f(2, 3)', idx: '[[1, 1]]', upd: '[1]' } },
  { tf: 'tf.argmin(x, axis=-1)', inputs: { x: 'f(3, 4)' } },
  // tf.cond: keras.ops.cond takes the same (pred, true_fn, false_fn) (keras.io's warmup LRSchedule).
  { tf: 'tf.cond(n < 3.0, lambda: x * 2.0, lambda: x)', inputs: { x: 'f(2, 3)', n: '2.0' } },
  { tf: 'tf.cond(pred=n < 3.0, true_fn=lambda: n * 0.5, false_fn=lambda: 0.25, name="lr")', inputs: { n: '5.0' } },
  // output_type=: the result cast to that dtype (keras.ops.argmax/argmin return int32).
  { tf: 'tf.argmax(x, axis=-1, output_type=tf.int32)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.math.argmin(x, 1, tf.int64)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.argmax(x, output_type="int64")', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.math.argmin(x)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.sort(x, axis=-1)', inputs: { x: 'f(3, 4)' } },
  { tf: 'tf.sort(x, direction="DESCENDING")', inputs: { x: 'f(4)' } },
  { tf: 'tf.argsort(x, axis=0, direction="ASCENDING")', inputs: { x: 'f(4, 3)' } },
  { tf: 'tf.math.floordiv(x, y)', inputs: { x: 'i(2, 3, hi=20) - 10', y: 'i(2, 3, hi=3) + 1' } },
  { tf: 'tf.math.floormod(x, 3)', inputs: { x: 'i(2, 4, hi=20) - 10' } },
  { tf: 'tf.math.mod(x, y)', inputs: { x: 'f(2, 3)', y: 'p(2, 3)' } },
  { tf: 'tf.math.cumprod(x, axis=1)', inputs: { x: 'p(2, 3)' } },
  { tf: 'tf.linalg.inv(x + 3.0 * tf.eye(3))', inputs: { x: 'f(3, 3)' } },
  { tf: 'tf.linalg.det(x)', inputs: { x: 'f(2, 3, 3)' } },
  { tf: 'tf.math.unsorted_segment_sum(x, ids, num_segments=3)', inputs: { x: 'f(5, 2)', ids: 'i(5, hi=3)' } },
  { tf: 'tf.math.unsorted_segment_max(x, ids, num_segments=3)', inputs: { x: 'f(6, 2)', ids: 'np.array([0, 2, 1, 1, 0, 2], "int32")' } },
  { tf: 'tf.math.unsorted_segment_mean(data=x, segment_ids=ids, num_segments=4)', inputs: { x: 'f(6, 2)', ids: 'np.array([0, 2, 1, 1, 0, 2], "int32")' } },
  // TF takes the segment ids as a Python list too (graph edges kept as lists); keras.ops needs a tensor.
  { tf: 'tf.math.unsorted_segment_sum(x, [0, 2, 1, 1, 0], num_segments=3)', inputs: { x: 'f(5, 2)' } },
  { tf: 'tf.math.unsorted_segment_mean(x, [0, 2, 1, 1, 0, 2], num_segments=3)', inputs: { x: 'f(6, 2)' } },
  { tf: 'tf.math.bincount(tf.cast(ids, "int32"))', inputs: { ids: 'np.array([0, 2, 1, 1, 0, 2], "int32")' } },
  { tf: 'tf.math.bincount(ids, minlength=5)', inputs: { ids: 'np.array([0, 2, 1, 1, 0, 2], "int32")' } },
  { tf: 'tf.math.in_top_k(t, x, 2)', inputs: { t: 'i(4, hi=5)', x: 'f(4, 5)' } },
  { tf: 'tf.math.top_k(x, k=2).values', inputs: { x: 'f(3, 5)' } },
  { tf: 'tf.linalg.band_part(x, -1, 0)', inputs: { x: 'f(4, 4)' } },
  { tf: 'tf.linalg.band_part(x, 0, -1)', inputs: { x: 'f(2, 3, 5)' } },
  { tf: 'tf.linalg.band_part(x, 1, 2)', inputs: { x: 'f(5, 6)' } },
  { tf: 'tf.linalg.band_part(x, num_lower=2, num_upper=0)', inputs: { x: 'f(5, 5)' } },
  { tf: 'tf.linalg.band_part(x, -1, -1)', inputs: { x: 'f(3, 3)' } },
  { tf: 'tf.linalg.band_part(x, k, 0)', inputs: { x: 'f(3, 3)', k: '1' } },
  { tf: 'tf.linalg.band_part(x, 0, 0)', inputs: { x: 'f(4, 4)' } },
  { tf: '1 - tf.linalg.band_part(tf.ones((n, n)), -1, 0)', inputs: { n: '4' } },
  { tf: 'tf.nn.top_k(x, 3, sorted=True).values', inputs: { x: 'f(2, 6)' } },
  { tf: 'tf.math.top_k(x).values', inputs: { x: 'f(2, 4)' } },
  { tf: 'tf.math.top_k(x, 2).indices', inputs: { x: 'f(3, 5)' } },
  { tf: 'tf.math.top_k(x, k=2, index_type=tf.int64).values', inputs: { x: 'f(3, 5)' } },
  { tf: 'tf.identity(x)', inputs: { x: 'f(2, 3)' } },
  { tf: 'tf.linspace(0.0, 1.0, 5)', inputs: {} },
  { tf: 'tf.searchsorted(s, v, side="right")', inputs: { s: 'np.sort(f(5))', v: 'f(3)' } },
  { tf: 'tf.fill([2, 3], 1.5)', inputs: {} },
  { tf: 'tf.math.erfinv(x)', inputs: { x: 'f(2, 3) * 0.3' } }
];

test('ops conversions: the committed JSON matches what the rules write', async () => {
  const analyzer = await getAnalyzer();
  const generated = SAMPLES.map(sample => {
    const names = Object.keys(sample.inputs);
    const head = 'import keras\nimport tensorflow as tf\n\n\nclass L(keras.layers.Layer):\n';
    const source = head + `    def call(self${names.map(n => ', ' + n).join('')}):\n        return ${sample.tf}\n`;
    const line = head.split('\n').length + 1;
    const converted = (unsafe: boolean): string | null => {
      const out = analyzer.fixFile(source, unsafe ? { unsafe: true } : undefined).source;
      const returned = out.split('\n').find(l => l.startsWith('        return '))!.slice('        return '.length);
      return returned === sample.tf ? null : returned;
    };
    // A helper the fix defines in the cell (`signal_stft`): the code between the imports and the class.
    const fixed = analyzer.fixFile(source, { unsafe: true }).source;
    const helpers = fixed.slice(0, fixed.indexOf('\nclass L(')).replace(/^(import .*\n|\s*\n)*/, '').trim();
    const finding = analyzer.analyzeFile(source).find(f => f.rule === 'KM131' && f.line === line && f.column === 16);
    return {
      tf: sample.tf,
      inputs: sample.inputs,
      keras: converted(true),
      ...(helpers ? { helpers: helpers + '\n' } : {}),
      safe: converted(false) !== null,
      ...(sample.values ? { values: true } : {}),
      message: finding?.message ?? null
    };
  });
  const file = path.join(__dirname, 'ops-conversions.json');
  const text = JSON.stringify(generated, null, 2) + '\n';
  if (process.env.KERAS_MIGRATE_UPDATE_SNIPPETS) {
    fs.writeFileSync(file, text);
  }
  expect(fs.readFileSync(file, 'utf8')).toBe(text);
});
