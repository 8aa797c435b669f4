/**
 * What it does: flags a `Dense` units or `Embedding` input_dim / output_dim given as the result of
 * a NumPy or TensorFlow reduction (`np.prod(shape)`, `tf.math.reduce_prod(shape)`, `np.sum(...)`,
 * `tf.size(...)`, or arithmetic on one), and wraps it in `int(...)`.
 * Why: Keras 2's `Dense` and `Embedding` converted their size with `int()`. Keras 3 checks
 * `isinstance(units, int)`: a NumPy integer (`np.prod` returns `numpy.int64`) or a TF tensor raises
 * "Received an invalid value for `units`, expected a positive integer" (Embedding: "`output_dim`
 * must be a positive integer") on every backend. `int(...)` gives the value Keras 2 used.
 * Example: `x = layers.Dense(np.prod(img_shape), activation="tanh")(x)`
 * Use instead: `x = layers.Dense(int(np.prod(img_shape)), activation="tanh")(x)`
 */
import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, lastAssignedValue } from '../rule-helpers';

/** The layers whose size arguments Keras 3 checks with isinstance(..., int), by position. */
const SIZE_ARGUMENTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['keras.layers.Dense', ['units']],
  ['keras.layers.Embedding', ['input_dim', 'output_dim']]
]);

/** Reductions that return a NumPy scalar or a TF tensor, never a Python int. */
const ARRAY_SCALARS = /^(?:numpy\.(?:prod|product|sum|max|amax|min|amin|int32|int64)|tensorflow\.(?:math\.)?(?:reduce_prod|reduce_sum|reduce_max|reduce_min)|tensorflow\.size)$/;

/** `tf.shape(x)[i]`: an element of a TF shape tensor (keras.io CCT's `sequence_length = tf.shape(dummy_outputs)[1]`). */
function shapeElement(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const value = node.type === 'subscript' ? child(node, 'value') : null;
  const fn = value && value.type === 'call' ? child(value, 'function') : null;
  return fn && ctx.resolve(fn) === 'tensorflow.shape' ? value : null;
}

/** The NumPy / TF reduction call in an expression (itself, or an operand of arithmetic), or null; `named`: a name last assigned a `tf.shape(x)[i]`. */
function arrayScalar(node: SyntaxNode, ctx: RuleContext, named = false): SyntaxNode | null {
  if (node.type === 'subscript') {
    return shapeElement(node, ctx);
  }
  if (named && node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return value && value.type === 'subscript' ? shapeElement(value, ctx) : null;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.children.find(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
    return inner ? arrayScalar(inner, ctx) : null;
  }
  if (node.type === 'call') {
    const fn = child(node, 'function');
    return fn && ARRAY_SCALARS.test(ctx.resolve(fn) ?? '') ? node : null;
  }
  if (node.type === 'binary_operator') {
    // Its children carry no field names in this tree: the operands are the first and last.
    const operands = node.children.filter(c => c.type !== 'comment');
    if (operands.length !== 2) {
      return null;
    }
    const [left, right] = operands;
    const op = ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim();
    if (!['*', '+', '-', '//'].includes(op)) {
      return null;
    }
    return arrayScalar(left, ctx) ?? arrayScalar(right, ctx);
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const names = parts ? SIZE_ARGUMENTS.get(ctx.resolveKeras(parts.fn) ?? '') : undefined;
  if (!parts || !names) {
    return;
  }
  const layer = ctx.resolveKeras(parts.fn)!.split('.').pop();
  names.forEach((name, index) => {
    const value = parts.keywords.get(name)?.value ?? (parts.keywords.has(name) ? null : parts.positional[index] ?? null);
    const scalar = value ? arrayScalar(value, ctx, true) : null;
    if (!value || !scalar) {
      return;
    }
    const reduction = ctx.textOf(child(scalar, 'function')!);
    const what = ctx.resolve(child(scalar, 'function')!) === 'tensorflow.shape' ? 'a TF tensor (an element of `tf.shape(...)`)' : 'a NumPy integer or a TF tensor';
    ctx.report(
      value,
      `\`${layer}\`'s \`${name}\` is \`${ctx.textOf(value)}\`, which \`${reduction}\` makes ${what}, not a Python int: Keras 3 checks \`isinstance(${name}, int)\` and raises "expected a positive integer" on every backend (Keras 2 converted it with \`int()\`). Write \`int(${ctx.textOf(value)})\`.`,
      { title: `Wrap it in \`int(...)\``, safe: true, edits: [{ start: value.start, end: value.end, text: `int(${ctx.textOf(value)})` }] }
    );
  });
}

export const layerSizeNotInt: RuleDefinition = {
  code: 'KM251',
  name: 'layer-size-not-int',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: Dense(np.prod((2, 3))),
   * Dense(np.int32(4)) and Dense(tf.math.reduce_prod(shape)) raise "Received an invalid value for
   * `units`, expected a positive integer" on each (keras.io molecule generation's decoder);
   * tf_keras 2.21 builds them.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `Dense(units)` and `Embedding(input_dim, output_dim)` given the result of a NumPy or TensorFlow reduction (`np.prod(shape)`, `tf.math.reduce_prod(shape)`, `np.sum(...)`, `tf.size(...)`, or `+ - * //` arithmetic on one), or an element of `tf.shape(...)` (keras.io CCT\'s `sequence_length = tf.shape(dummy_outputs)[1]`, then `layers.Embedding(input_dim=sequence_length, ...)`). The fix wraps the argument in `int(...)`.',
    why:
      'Keras 2 converted a layer size with `int()`, so `Dense(np.prod(img_shape))` (common in GAN generators) and keras.io\'s `Dense(tf.math.reduce_prod(adjacency_shape))` worked. Keras 3\'s `Dense` and `Embedding` check `isinstance(units, int)`: a `numpy.int64` or a TF tensor raises "Received an invalid value for `units`, expected a positive integer" on every backend. `int(...)` is the value Keras 2 used, so the fix is safe. Not covered by the migration guide.',
    example: 'import numpy as np\nimport keras\nimg_shape = (4, 4, 1)\ngenerator = keras.Sequential([keras.Input((8,)), keras.layers.Dense(np.prod(img_shape), activation="tanh")])',
    useInstead: 'import numpy as np\nimport keras\nimg_shape = (4, 4, 1)\ngenerator = keras.Sequential([keras.Input((8,)), keras.layers.Dense(int(np.prod(img_shape)), activation="tanh")])'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `keras.layers.Dense` or `keras.layers.Embedding`.
  requires: ['Dense', 'Embedding'],
  visitors: { call: visit }
};
