import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { argumentsByName, type CallParts } from './calls';
import { helperDefinitionEdit } from './ctc';
import type { CallConversion } from './op-conversion';

/**
 * `tf.signal.stft` as a helper defined once in the cell on keras.ops, with TensorFlow's arguments
 * and meaning. keras.ops.stft differs in every default: it names its arguments `sequence_length`,
 * `sequence_stride`; it centers frames on the signal (`center=True` reflect-pads both ends, where TF
 * frames from the start); it centers a window shorter than `fft_length` inside the frame (TF
 * zero-pads each frame at its end); it has no `pad_end` and needs `fft_length` (TF: the next power
 * of two); it returns a (real, imaginary) pair where TF returns a complex tensor; and on JAX it
 * cannot be traced on a signal of unknown length (jax.scipy.signal.stft compares that length with
 * the window's: a Functional model on `keras.Input((None, 1))` fails to build). The helper frames
 * as tf.signal.frame does (keras.ops.extract_sequences, after padding the end when `pad_end`:
 * every sample starts a frame; the padding is spelled as ceil(length / step) frames so that JAX,
 * tracing a signal of unknown length, can prove there is at least one frame, which a reduction
 * such as keras.ops.max over the frames needs: keras.io MelGAN's `ops.max(log_mel_spec)`), multiplies by TF's periodic Hann or Hamming window (TF's own cosine: over frame_length points, frame_length - 1 when odd), takes
 * keras.ops.rfft of `fft_length` (each frame zero-padded at its end) and joins the pair with
 * keras.ops.view_as_complex. Checked against tf.signal.stft on TensorFlow, JAX and PyTorch
 * (python_kernel_hooks/tests/test_ops_conversions.py: frame lengths equal to and shorter than
 * fft_length, odd frame lengths, fft_length left out, pad_end with lengths that are and are not a multiple of the
 * step, the Hann, Hamming and no window): the same values to float rounding, complex64. A
 * suggestion: a float64 signal gives complex64 (TF: complex128).
 */
export const SIGNAL_STFT_HELPER = 'signal_stft';

const LINES = [
  'def signal_stft(signals, frame_length, frame_step, fft_length=None, window_fn="hann", pad_end=False, name=None):',
  '    # tf.signal.stft on keras.ops (a complex result): frames from the start of the signal, TF\'s periodic',
  '    # window, each frame zero-padded at its end to fft_length (by default the next power of two), and',
  '    # with pad_end the end padded so that every sample starts a frame.',
  '    import math',
  '',
  '    if fft_length is None:',
  '        fft_length = 1 << (frame_length - 1).bit_length()',
  '    if pad_end:',
  '        # ceil(length / frame_step) frames, the last ending frame_length after its start; spelled so that',
  '        # JAX can tell a signal of unknown length gives at least one frame (keras.ops.max over them).',
  '        frame_count = (keras.ops.shape(signals)[-1] + frame_step - 1) // frame_step',
  '        pad = (frame_count - 1) * frame_step + max(frame_length, frame_step) - keras.ops.shape(signals)[-1]',
  '        signals = keras.ops.pad(signals, [[0, 0]] * (len(signals.shape) - 1) + [[0, pad]])',
  '    frames = keras.ops.extract_sequences(signals, frame_length, frame_step)',
  '    if window_fn is not None:',
  '        # TF\'s periodic window: the cosine over frame_length points, frame_length - 1 when odd.',
  '        a, b = {"hann": (0.5, 0.5), "hamming": (0.54, 0.46)}[window_fn]',
  '        n = max(frame_length - frame_length % 2, 1)',
  '        window = [a - b * math.cos(2 * math.pi * i / n) if frame_length > 1 else 1.0 for i in range(frame_length)]',
  '        frames = frames * keras.ops.convert_to_tensor(window, frames.dtype)',
  '    real, imag = keras.ops.rfft(frames, fft_length)',
  '    return keras.ops.view_as_complex(keras.ops.stack([real, imag], axis=-1))'
];

const PARAMS = ['signals', 'frame_length', 'frame_step', 'fft_length', 'window_fn', 'pad_end', 'name'];

/** TF window functions the helper names by a string (TF's defaults: periodic). */
const WINDOWS: Record<string, string> = {
  'tensorflow.signal.hann_window': '"hann"',
  'tensorflow.signal.hamming_window': '"hamming"'
};

/**
 * The conversion of a `tf.signal.stft(...)` call: its callee becomes the helper (inserted once,
 * after the cell's imports) and `window_fn=tf.signal.hann_window` / `hamming_window` its string;
 * no rewrite for `*args`, another window function (a `functools.partial` with periodic=False) or
 * an argument TF's function does not have.
 */
export function signalStftConversion(parts: CallParts, ctx: RuleContext): CallConversion {
  if (parts.splat) {
    return { fix: null, unmapped: '`*args`/`**kwargs`' };
  }
  if (parts.positional.length > PARAMS.length) {
    return { fix: null, unmapped: `argument ${PARAMS.length + 1}` };
  }
  for (const key of parts.keywords.keys()) {
    if (!PARAMS.includes(key)) {
      return { fix: null, unmapped: `\`${key}=\`` };
    }
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: SIGNAL_STFT_HELPER }];
  const windowFn = argumentsByName(parts, PARAMS).get('window_fn');
  if (windowFn && ctx.textOf(windowFn) !== 'None') {
    const window = WINDOWS[ctx.resolve(windowFn) ?? ''];
    if (!window) {
      const text = ctx.textOf(windowFn);
      return {
        fix: null,
        unmapped: `\`window_fn=${text.length > 30 ? '...' : text}\` (the helper takes TF's periodic Hann or Hamming window, or None)`
      };
    }
    edits.push({ start: windowFn.start, end: windowFn.end, text: window });
  }
  // This cell holds the helper the fix writes (its first line, word for word).
  const defined = ctx.text.includes(LINES[0]);
  // Another `signal_stft` the notebook names (its own function, or one in another cell): no helper of that name is written over it.
  if (!defined && (ctx.lookup(SIGNAL_STFT_HELPER) || new RegExp(`\\b${SIGNAL_STFT_HELPER}\\b`).test(ctx.text))) {
    return { fix: null, unmapped: `a helper here: the notebook already names \`${SIGNAL_STFT_HELPER}\`` };
  }
  if (!defined) {
    edits.push(helperDefinitionEdit(ctx.text, LINES));
  }
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  const fix: RawFix = {
    title: `Define \`${SIGNAL_STFT_HELPER}\` on keras.ops (TensorFlow's framing, window and padding; a complex result) and call it`,
    safe: false,
    edits
  };
  return { fix, unmapped: null };
}
