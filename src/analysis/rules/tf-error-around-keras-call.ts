/**
 * tf-error-around-keras-call (KM294)
 *
 * What it does: flags `except tf.errors.InvalidArgumentError` (alone or in a tuple) whose `try` body
 * calls a Keras layer or model, a model's predict/evaluate/fit, or a `keras.ops` function.
 *
 * Why: TensorFlow raises InvalidArgumentError for a bad shape or value inside its ops. On JAX and
 * PyTorch the same mistake in a Keras call raises the backend's own error (JAX: TypeError, PyTorch:
 * RuntimeError; Keras's checks: ValueError), which the handler does not catch, so the program stops
 * there (TensorFlow's guides demonstrate errors this way: checked on Keras 3.15, /work/og46e repro_2).
 *
 * Fix (suggested): catch the other backends' errors too:
 * `except (tf.errors.InvalidArgumentError, ValueError, TypeError, RuntimeError)`. A suggestion: on
 * TensorFlow it now also catches errors of those types that used to propagate.
 */
import { child, descendants, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';

const INVALID_ARGUMENT = new Set(['tensorflow.errors.InvalidArgumentError', 'tensorflow.python.framework.errors_impl.InvalidArgumentError']);
/** Model methods that run the model on data. */
const RUNS_MODEL = /^(predict|evaluate|fit|train_on_batch|test_on_batch|predict_on_batch|__call__)$/;
const OTHER_BACKENDS = ['ValueError', 'TypeError', 'RuntimeError'];

/** A call in the `try` body that runs Keras: a layer or model called, one of its run methods, a `keras.ops` function. */
function runsKeras(body: SyntaxNode, ctx: RuleContext): boolean {
  for (const n of descendants(body)) {
    if (n.type !== 'call') {
      continue;
    }
    const parts = callParts(n, ctx);
    if (!parts) {
      continue;
    }
    if ((ctx.resolveKeras(parts.fn) ?? '').startsWith('keras.ops.') || ctx.isLayerInstance(parts.fn)) {
      return true;
    }
    const receiver = parts.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
    if (receiver && RUNS_MODEL.test(calleeName(parts.fn, ctx)) && ctx.isLayerInstance(receiver)) {
      return true;
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const body = child(node, 'body');
  if (!body) {
    return;
  }
  let checked: boolean | null = null;
  for (const clause of node.children) {
    if (clause.type !== 'except_clause') {
      continue;
    }
    // The exception expression: `X`, `X as e`, `(X, Y)` (tree-sitter puts it first, before `as`).
    const value = clause.children.find(c => c.type !== 'block' && c.type !== 'comment' && c.type !== 'as_pattern') ?? clause.children.find(c => c.type === 'as_pattern')?.children[0] ?? null;
    if (!value) {
      continue;
    }
    const types = value.type === 'tuple' || value.type === 'parenthesized_expression' ? value.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment') : [value];
    const invalid = types.find(t => INVALID_ARGUMENT.has(ctx.resolve(t) ?? ''));
    if (!invalid) {
      continue;
    }
    const named = new Set(types.map(t => ctx.textOf(t)));
    const missing = OTHER_BACKENDS.filter(e => !named.has(e) && !named.has('Exception') && !named.has('BaseException'));
    if (!missing.length) {
      continue;
    }
    checked ??= runsKeras(body, ctx);
    if (!checked) {
      return;
    }
    const text = `(${[...types.map(t => ctx.textOf(t)), ...missing].join(', ')})`;
    ctx.report(
      invalid,
      `\`except ${ctx.textOf(invalid)}\` around Keras calls: TensorFlow raises it for a bad shape or value in its ops, but on JAX and PyTorch the same mistake raises the backend's own error (JAX: TypeError, PyTorch: RuntimeError; Keras's checks: ValueError), which this handler does not catch; catch those too: \`except ${text}\`.`,
      { title: `Also catch ${missing.join(', ')}`, safe: false, edits: [{ start: value.start, end: value.end, text }] }
    );
  }
}

export const tfErrorAroundKerasCall: RuleDefinition = {
  code: 'KM294',
  name: 'tf-error-around-keras-call',
  slug: 'api-changes',
  severity: 'warning',
  /** Where the error happens (the guides' demonstrations): not caught on JAX and PyTorch (Keras 3.15; claims/tf_error_around_keras_call.py). */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['InvalidArgumentError'],
  docs: {
    whatItDoes:
      'Flags `except tf.errors.InvalidArgumentError` (alone or in a tuple) whose `try` body calls a Keras layer or model, a model\'s `predict`/`evaluate`/`fit`, or a `keras.ops` function.',
    why:
      'TensorFlow raises InvalidArgumentError for a bad shape or value inside its ops. On JAX and PyTorch the same mistake in a Keras call raises the backend\'s own error (JAX: TypeError, PyTorch: RuntimeError; Keras\'s own checks: ValueError), which the handler does not catch, so the program stops there (TensorFlow\'s guides demonstrate errors this way; checked on Keras 3.15). The suggested fix catches those too; it is not safe, since on TensorFlow it also catches errors of those types that used to propagate.',
    example:
      'import keras\nimport numpy as np\nimport tensorflow as tf\nlayer = keras.layers.Dense(3)\nlayer(np.ones((2, 3)))\ntry:\n    layer(np.ones((1, 4)))\nexcept tf.errors.InvalidArgumentError as e:\n    print("Failed:", e)',
    useInstead:
      'import keras\nimport numpy as np\nimport tensorflow as tf\nlayer = keras.layers.Dense(3)\nlayer(np.ones((2, 3)))\ntry:\n    layer(np.ones((1, 4)))\nexcept (tf.errors.InvalidArgumentError, ValueError, TypeError, RuntimeError) as e:\n    print("Failed:", e)'
  },
  requires: ['InvalidArgumentError'],
  visitors: { try_statement: visit }
};
