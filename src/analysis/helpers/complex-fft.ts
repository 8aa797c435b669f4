/**
 * A TensorFlow FFT of real data made complex, whose real (or imaginary) part is kept:
 * `tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))`, `tf.cast(tf.signal.fft2d(...), tf.float32)`,
 * `tf.math.imag(tf.signal.fft(tf.complex(re, im)))`. keras.ops has no complex dtype: its FFTs take
 * and return a (real, imaginary) pair, so the whole expression is one rewrite,
 * `keras.ops.fft2((x, keras.ops.zeros_like(x)))[0]`. Not a rule: KM198 reports it, and the TF op
 * rules leave its pieces to that rewrite.
 */
import type { SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { CellMemoKey } from '../rule';
import { argumentsByName, callApiName, callParts } from './calls';

/** TF FFT -> the keras.ops function taking and returning a (real, imaginary) pair. */
const FFTS: Record<string, string> = {
  'tf.signal.fft': 'keras.ops.fft',
  'tf.signal.fft2d': 'keras.ops.fft2',
  'tf.signal.ifft2d': 'keras.ops.ifft2',
  'tf.fft': 'keras.ops.fft',
  'tf.fft2d': 'keras.ops.fft2',
  'tf.ifft2d': 'keras.ops.ifft2'
};
const REAL = new Set(['tf.math.real', 'tf.real']);
const IMAG = new Set(['tf.math.imag', 'tf.imag']);
const CAST = new Set(['tf.cast', 'tf.dtypes.cast']);
const COMPLEX = new Set(['tf.complex', 'tf.dtypes.complex']);
const ZEROS_LIKE = new Set(['tf.zeros_like', 'keras.ops.zeros_like', 'keras.ops.numpy.zeros_like']);

export interface ComplexFft {
  /** The whole expression replaced (the real/imag/cast call). */
  outer: SyntaxNode;
  /** Every TF call of the expression outside the data: the outer call, the FFT, the cast or tf.complex, a tf.zeros_like. */
  pieces: SyntaxNode[];
  /** The keras.ops function. */
  target: string;
  /** The text of the rewrite. */
  text: string;
  /** Same values and dtype as TensorFlow's for every input the original accepts. */
  safe: boolean;
}

/** `tf.complex64`, `tf.dtypes.complex64`, `"complex64"` -> 'complex64'. */
function dtypeName(node: SyntaxNode | undefined, ctx: RuleContext): string | null {
  if (!node) {
    return null;
  }
  if (node.type === 'string') {
    return ctx.textOf(node).replace(/^["']|["']$/g, '');
  }
  const m = /^tensorflow\.(?:dtypes\.)?(\w+)$/.exec(ctx.resolve(node) ?? '');
  return m ? m[1] : null;
}

/** The call's positional/keyword arguments by TF parameter name, or null when it has others or splats. */
function argsByName(call: SyntaxNode, names: string[], ctx: RuleContext): Map<string, SyntaxNode> | null {
  const parts = callParts(call, ctx);
  if (!parts || parts.splat || parts.positional.length > names.length) {
    return null;
  }
  // An unknown keyword, or one naming an argument already given by position.
  if ([...parts.keywords.keys()].some(name => !names.includes(name) || names.indexOf(name) < parts.positional.length)) {
    return null;
  }
  return argumentsByName(parts, names);
}

/** Argument text that can go into a tuple as written. */
function operand(node: SyntaxNode, ctx: RuleContext): string {
  const text = ctx.textOf(node);
  return node.type === 'conditional_expression' || node.type === 'lambda' || node.type === 'named_expression' ? `(${text})` : text;
}

function compute(outer: SyntaxNode, ctx: RuleContext): ComplexFft | null {
  const outerName = callApiName(outer, ctx);
  if (!outerName) {
    return null;
  }
  let part: 0 | 1;
  let fft: SyntaxNode | undefined;
  let safe = true;
  if (REAL.has(outerName) || IMAG.has(outerName)) {
    const args = argsByName(outer, ['input', 'name'], ctx);
    fft = args?.get('input');
    part = REAL.has(outerName) ? 0 : 1;
  } else if (CAST.has(outerName)) {
    const args = argsByName(outer, ['x', 'dtype', 'name'], ctx);
    fft = args?.get('x');
    const dtype = dtypeName(args?.get('dtype'), ctx);
    if (!dtype || !/^float(16|32|64)$|^bfloat16$/.test(dtype)) {
      return null;
    }
    // A cast of a complex tensor to a float dtype keeps its real part (TensorFlow warns).
    part = 0;
    if (dtype !== 'float32') {
      safe = false;
    }
  } else {
    return null;
  }
  const fftName = fft ? callApiName(fft, ctx) : null;
  const target = fftName ? FFTS[fftName] : undefined;
  if (!fft || !target) {
    return null;
  }
  const fftArgs = argsByName(fft, ['input', 'name'], ctx);
  const made = fftArgs?.get('input');
  const madeName = made ? callApiName(made, ctx) : null;
  if (!made || !madeName) {
    return null;
  }
  const pieces = [outer, fft, made];
  let pair: string;
  if (CAST.has(madeName)) {
    const args = argsByName(made, ['x', 'dtype', 'name'], ctx);
    const x = args?.get('x');
    const dtype = dtypeName(args?.get('dtype'), ctx);
    if (!x || (dtype !== 'complex64' && dtype !== 'complex128')) {
      return null;
    }
    // TF casts any real dtype (integers too) to complex; keras.ops FFTs need floats of one dtype.
    safe = false;
    if (x.type !== 'identifier' && x.type !== 'attribute') {
      return null; // written twice in the pair, the data would be computed twice
    }
    pair = `(${ctx.textOf(x)}, keras.ops.zeros_like(${ctx.textOf(x)}))`;
  } else if (COMPLEX.has(madeName)) {
    const args = argsByName(made, ['real', 'imag', 'name'], ctx);
    const re = args?.get('real');
    const im = args?.get('imag');
    if (!re || !im) {
      return null;
    }
    const zeros = callApiName(im, ctx);
    if (zeros && ZEROS_LIKE.has(zeros)) {
      pieces.push(im);
    }
    // tf.complex takes two floats of one dtype, as keras.ops's FFTs do: the same values.
    pair = `(${operand(re, ctx)}, ${operand(im, ctx)})`;
    if (zeros === 'tf.zeros_like') {
      const zArgs = argsByName(im, ['input', 'dtype', 'name'], ctx);
      const zInput = zArgs?.get('input');
      if (!zInput || zArgs!.has('dtype')) {
        return null;
      }
      pair = `(${operand(re, ctx)}, keras.ops.zeros_like(${operand(zInput, ctx)}))`;
    }
  } else {
    return null;
  }
  return { outer, pieces, target, text: `${target}(${pair})[${part}]`, safe };
}

const FFT_EXPRESSIONS = new CellMemoKey<Map<SyntaxNode, ComplexFft | null>>('complex FFT expressions');

/** The complex-FFT expression whose outer call is `call`, or null. */
export function complexFft(call: SyntaxNode, ctx: RuleContext): ComplexFft | null {
  const memo = ctx.cellMemo(FFT_EXPRESSIONS, () => new Map<SyntaxNode, ComplexFft | null>());
  let found = memo.get(call);
  if (found === undefined) {
    found = compute(call, ctx);
    memo.set(call, found);
  }
  return found;
}

/** The complex-FFT expression `call` is a piece of (the outer call, the FFT, the cast...), or null. */
export function complexFftAround(call: SyntaxNode, ctx: RuleContext): ComplexFft | null {
  let at: SyntaxNode | null = call;
  for (let depth = 0; at && depth < 8; depth++, at = at.parent) {
    if (at.type === 'call') {
      const found = complexFft(at, ctx);
      if (found) {
        return found.pieces.includes(call) ? found : null;
      }
    }
  }
  return null;
}
