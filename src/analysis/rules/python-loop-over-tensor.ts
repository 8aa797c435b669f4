/**
 * python-loop-over-tensor (KM293)
 *
 * What it does: flags a Python `for` loop over `tf.range(...)` (or `keras.ops.arange(...)`, what
 * KM131's rewrite makes of it) in traced model code: a layer's or model's `call()` and the other
 * methods Keras traces, loss functions, and the notebook functions they call.
 *
 * Why: Keras 2 ran `call()` through AutoGraph, which turned such a loop into a `tf.while_loop`.
 * Keras 3 does not: on TensorFlow, Python iterates the symbolic tensor and fails ("Iterating over a
 * symbolic `tf.Tensor` is not allowed"), `keras.ops.arange` too; JAX iterates a concrete range of
 * static bounds and fails on traced ones; PyTorch runs it eagerly (checked on Keras 3.15,
 * /work/og46b repro_4, repro_9, repro_10).
 *
 * Fix: `range(...)` of the same bounds where they are Python integers: safe for integer literals,
 * parameters defaulting to integers and attributes set only from those; a suggestion for other
 * integer expressions (a tensor's `.shape[i]`, which is None where the dimension is unknown, and
 * `tf.shape(x)[k]` for k > 0 as `keras.ops.shape(x)[k]`, a Python int where the dimension is known).
 * Bounds read from tensors get no fix: write the loop with `keras.ops.fori_loop` or vectorise it.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, modelCodeVariants, withKerasImport } from '../rule-helpers';
import { isIntDefaultedParameter, isKnownInt } from '../helpers/int-values';
import type { Backend } from '../types';

/** The loop's ranges: TensorFlow's and what KM131 rewrites it to. */
const RANGES = new Set(['tensorflow.range', 'keras.ops.arange', 'keras.ops.numpy.arange']);

/** `tf.range`'s parameters (and `keras.ops.arange`'s) in the order Python's `range` takes them. */
const BOUNDS: Record<string, readonly string[]> = {
  'tensorflow.range': ['start', 'limit', 'delta'],
  'keras.ops.arange': ['start', 'stop', 'step'],
  'keras.ops.numpy.arange': ['start', 'stop', 'step']
};

/** `self.attr` whose every assignment in the class is an integer literal or an integer-defaulted parameter. */
function isIntAttribute(node: SyntaxNode, ctx: RuleContext): boolean {
  const object = node.type === 'attribute' ? child(node, 'object') : null;
  const attr = node.type === 'attribute' ? child(node, 'attribute') : null;
  if (!object || !attr || ctx.textOf(object) !== 'self' || !ctx.cls) {
    return false;
  }
  const target = 'self.' + ctx.textOf(attr);
  const values: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [ctx.cls.node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      if (left && ctx.textOf(left).replace(/\s+/g, '') === target) {
        const right = child(n, 'right');
        if (n.type === 'augmented_assignment' || !right) {
          return false;
        }
        values.push(right);
      }
    }
    stack.push(...n.children);
  }
  return values.length > 0 && values.every(v => v.type === 'integer' || isIntDefaultedParameter(v, ctx));
}

/** How sure the bound is a Python int: 'exact' (a literal, an int parameter, an int attribute), 'likely' (other int expressions), or null. */
function boundKind(node: SyntaxNode, ctx: RuleContext): 'exact' | 'likely' | null {
  if (node.type === 'integer' || isIntDefaultedParameter(node, ctx) || isIntAttribute(node, ctx)) {
    return 'exact';
  }
  if (node.type === 'unary_operator' && node.children.length === 2 && node.children[1].type === 'integer') {
    return 'exact';
  }
  return isKnownInt(node, ctx) || staticDimension(node, ctx) !== null ? 'likely' : null;
}

/**
 * `tf.shape(x)[k]` / `keras.ops.shape(x)[k]` with k a positive integer literal (not the batch
 * dimension): `keras.ops.shape(x)[k]`, a Python int on every backend where the dimension is known
 * (Keras 3's TensorFlow `shape()` gives a tensor only for an unknown one). The text to write, else null.
 */
function staticDimension(node: SyntaxNode, ctx: RuleContext): string | null {
  const value = node.type === 'subscript' ? child(node, 'value') : null;
  const index = node.type === 'subscript' ? child(node, 'subscript') : null;
  const shape = value?.type === 'call' ? callParts(value, ctx) : null;
  if (!shape || !index || index.type !== 'integer' || ctx.textOf(index) === '0' || shape.positional.length !== 1 || shape.keywords.size) {
    return null;
  }
  const fn = ctx.resolve(shape.fn) === 'tensorflow.shape' ? 'tf' : ctx.resolveKeras(shape.fn) === 'keras.ops.shape' ? 'keras' : null;
  return fn ? `keras.ops.shape(${ctx.textOf(shape.positional[0])})[${ctx.textOf(index)}]` : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const iterable = child(node, 'right');
  const parts = iterable?.type === 'call' ? callParts(iterable, ctx) : null;
  const range = parts ? (ctx.resolve(parts.fn) ?? '') : '';
  const kerasRange = parts ? (ctx.resolveKeras(parts.fn) ?? '') : '';
  const name = RANGES.has(range) ? range : RANGES.has(kerasRange) ? kerasRange : null;
  if (!iterable || !parts || !name || parts.splat) {
    return;
  }
  // Traced model code only: an eager method (run from a callback) iterates a concrete tensor.
  const traced = modelCodeVariants(node, ctx).filter(v => !v.eager);
  if (!traced.length) {
    return;
  }
  // The bounds in `range`'s order; `dtype=`/`name=` are dropped (Python ints either way).
  const order = BOUNDS[name];
  const unknown = [...parts.keywords.keys()].filter(k => !order.includes(k) && k !== 'dtype' && k !== 'name');
  let bounds: SyntaxNode[] | null = null;
  if (!unknown.length && parts.positional.length <= 3) {
    const byName = order.map((p, i) => parts.positional[i] ?? parts.keywords.get(p)?.value ?? null);
    const given = byName.filter((v): v is SyntaxNode => v !== null);
    if (byName[0] === null) {
      // `tf.range(limit=5)` is `range(5)`; a `delta=` without the start has no `range` spelling here.
      bounds = given.length === 1 && byName[1] ? given : null;
    } else {
      // Given in order without a gap: `range(start, limit, delta)`.
      const last = byName.reduce((at, v, i) => (v ? i : at), -1);
      bounds = byName.slice(0, last + 1).every(v => v !== null) ? given : null;
    }
  }
  const kinds = bounds?.map(b => boundKind(b, ctx)) ?? [];
  const static_ = !!bounds && bounds.length > 0 && kinds.every(k => k !== null);
  // Under `@tf.function` (also KM265's TensorFlow-only one) AutoGraph makes the loop a `tf.while_loop`
  // on TensorFlow, as Keras 2 did (og50b: handson-ml3's `MyRNN.call` ran on Keras 3's TensorFlow).
  const autograph = ctx.inTfFunction();
  const blocks: Backend[] = (static_ ? ['tensorflow'] : ['tensorflow', 'jax']).filter((b): b is Backend => !(autograph && b === 'tensorflow'));
  if (!blocks.length) {
    return;
  }
  const text = static_ ? `range(${bounds!.map(b => staticDimension(b, ctx) ?? ctx.textOf(b)).join(', ')})` : null;
  const safe = static_ && kinds.every(k => k === 'exact') && !parts.keywords.has('dtype');
  const written = ctx.textOf(parts.fn).replace(/\s+/g, '');
  for (const variant of traced) {
    const edits = text ? withKerasImport(ctx, [{ start: iterable.start, end: iterable.end, text }]) : null;
    ctx.report(
      iterable,
      (autograph
        ? `A Python \`for\` loop over \`${written}(...)\` in traced model code under \`@tf.function\`: on TensorFlow its AutoGraph makes the loop a \`tf.while_loop\`, but JAX cannot iterate a range of traced bounds; `
        : `A Python \`for\` loop over \`${written}(...)\` in traced model code: Keras 2 ran this code through AutoGraph, which made the loop a \`tf.while_loop\`; Keras 3 does not, so TensorFlow iterates a symbolic tensor and fails ("Iterating over a symbolic \`tf.Tensor\` is not allowed")${static_ ? '' : ', and JAX cannot iterate a range of traced bounds'}; `) +
        `${text ? `the bounds are Python integers: use \`${text}\`` : 'compute the bounds as Python integers (`range(...)`), or write the loop with `keras.ops.fori_loop`'}.`,
      text && edits ? { title: `Use \`${text}\``, safe, edits } : null,
      undefined,
      variant.condition,
      blocks
    );
  }
}

export const pythonLoopOverTensor: RuleDefinition = {
  code: 'KM293',
  name: 'python-loop-over-tensor',
  slug: 'keras-ops',
  severity: 'error',
  /** "Iterating over a symbolic `tf.Tensor` is not allowed" on TensorFlow (Keras 3.15; claims/python_loop_over_tf_range.py); JAX where the bounds are traced. */
  blocks: ['tensorflow', 'jax'],
  fixAvailability: 'sometimes',
  triggers: ['range', 'arange'],
  docs: {
    whatItDoes:
      'Flags a Python `for` loop over `tf.range(...)` or `keras.ops.arange(...)` in traced model code: a Keras layer\'s or model\'s `call()` (and the other methods Keras traces), loss and metric functions, and the notebook functions they call.',
    why:
      'Keras 2 ran `call()` through AutoGraph, which turned such a loop into a `tf.while_loop`. Keras 3 does not: on TensorFlow, Python iterates the symbolic tensor and fails ("Iterating over a symbolic `tf.Tensor` is not allowed"), also after KM131 makes it `keras.ops.arange`; JAX iterates a range of static bounds and fails on traced ones; PyTorch runs it (checked on Keras 3.15). Where the bounds are Python integers, `range(...)` of them runs on every backend: a safe fix for integer literals, integer-defaulted parameters and attributes set only from those, a suggestion for other integer expressions (a tensor\'s `.shape[i]` is None where the dimension is unknown). Bounds read from tensors get no fix: `keras.ops.fori_loop`, or vectorised ops.',
    example:
      'import keras\nimport tensorflow as tf\nclass Repeat(keras.layers.Layer):\n    def __init__(self, dense, times=2):\n        super().__init__()\n        self.dense = dense\n        self.times = times\n    def call(self, x):\n        for _ in tf.range(self.times):\n            x = self.dense(x)\n        return x',
    useInstead:
      'import keras\nimport tensorflow as tf\nclass Repeat(keras.layers.Layer):\n    def __init__(self, dense, times=2):\n        super().__init__()\n        self.dense = dense\n        self.times = times\n    def call(self, x):\n        for _ in range(self.times):\n            x = self.dense(x)\n        return x'
  },
  requires: ['range', 'arange'],
  visitors: { for_statement: visit }
};
