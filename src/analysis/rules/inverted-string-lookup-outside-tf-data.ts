import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { assignedBefore, callParts, lastAssignedValue, modelCodeCondition } from '../rule-helpers';
import { isDatasetElement } from '../helpers/tf-data';

/** What the cell's top-level statements last assign to a name before the statement holding `node` (a function's global), else null. */
function moduleValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let top: SyntaxNode = node;
  while (top.parent && top.parent.type !== 'module') {
    top = top.parent;
  }
  return top.parent ? assignedBefore(top.parent, ctx.textOf(node), top, ctx) : null;
}

/** The `StringLookup(..., invert=True)` constructor call `fn` is or names, else null. */
function invertedLookup(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const ctor = fn.type === 'call' ? fn : fn.type === 'identifier' ? lastAssignedValue(ctx.textOf(fn), fn, ctx) ?? moduleValue(fn, ctx) : null;
  if (!ctor || ctor.type !== 'call') {
    return null;
  }
  const parts = callParts(ctor, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.StringLookup') {
    return null;
  }
  const invert = parts.keywords.get('invert')?.value;
  return invert && ctx.textOf(invert) === 'True' ? ctor : null;
}

/** A value surely a TensorFlow tensor already: a `tf.*` call or a name last assigned one. */
function isTfValue(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  // (`res = tf.strings.reduce_join(lookup(res))`: the assignment around the call is not before it)
  const fn = value && value.type === 'call' && (value === node || value.end <= node.start) ? child(value, 'function') : null;
  const name = fn ? ctx.resolve(fn) : null;
  return !!name && name.startsWith('tensorflow.') && !name.startsWith('tensorflow.keras');
}

/** The name the module `tensorflow` is bound to where `node` is (`tf`), found among the names the cell uses, or null. */
function tensorflowName(node: SyntaxNode, ctx: RuleContext): string | null {
  let root: SyntaxNode = node;
  while (root.parent) {
    root = root.parent;
  }
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && n.parent?.type === 'attribute' && child(n.parent, 'object') === n && ctx.resolve(n) === 'tensorflow') {
      return ctx.textOf(n);
    }
    stack.push(...n.children);
  }
  return null;
}

/** Whether the enclosing function is a lambda, or a def whose name the cell passes to a `.map(...)` (a tf.data pipeline). */
function inTfDataFunction(node: SyntaxNode, ctx: RuleContext): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === 'lambda') {
      return true;
    }
    if (at.type === 'function_definition') {
      const name = child(at, 'name');
      let root: SyntaxNode = at;
      while (root.parent) {
        root = root.parent;
      }
      return !!name && new RegExp(`\\.map\\(\\s*${ctx.textOf(name)}\\b`).test(ctx.textOf(root));
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  const parts = fn && (fn.type === 'identifier' || fn.type === 'call') ? callParts(node, ctx) : null;
  if (!fn || !parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return;
  }
  if (!invertedLookup(fn, ctx)) {
    return;
  }
  const arg = parts.positional[0];
  // In model code the strings fail on JAX and PyTorch anyway (KM192); in tf.data, and in a
  // Python loop over a dataset, the values are TF tensors.
  const condition = modelCodeCondition(node, ctx);
  if (isTfValue(arg, ctx) || condition === true || inTfDataFunction(node, ctx) || isDatasetElement(arg, ctx)) {
    return;
  }
  const tf = tensorflowName(node, ctx);
  const fix = tf
    ? { title: `Pass it \`${tf}.convert_to_tensor(...)\``, safe: true, edits: [{ start: arg.start, end: arg.end, text: `${tf}.convert_to_tensor(${ctx.textOf(arg)})` }] }
    : null;
  ctx.report(
    node,
    `An inverted \`StringLookup\` (ids to strings) called outside tf.data on a value that is not a TensorFlow tensor (\`${ctx.textOf(arg).slice(0, 40)}\`): on JAX it fails ("string arrays can only be made from NumPy arrays"), since JAX has no string arrays; given a TensorFlow tensor it returns a TensorFlow string tensor on every backend, as in Keras 2. Pass it \`tf.convert_to_tensor(...)\` of the ids.`,
    fix,
    undefined,
    condition === null ? undefined : `!${condition}`
  );
}

export const invertedStringLookupOutsideTfData: RuleDefinition = {
  code: 'KM200',
  name: 'inverted-string-lookup-outside-tf-data',
  slug: 'api-changes',
  severity: 'warning',
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `StringLookup(..., invert=True)` layer (constructed in place or assigned to the name called) called outside model code and tf.data functions on a value that is not a TensorFlow tensor: decoded ids from `predict()`, `keras.ops.ctc_decode()` or NumPy (keras.io\'s captcha OCR `num_to_char(res)`).',
    why:
      'The preprocessing layers compute with TensorFlow and convert their output to the backend\'s tensors; JAX has no string arrays, so an inverted StringLookup given NumPy or JAX ids fails on JAX ("Currently, string arrays can only be made from NumPy arrays"; PyTorch returns a list). Given a TensorFlow tensor it returns a TensorFlow string tensor on every backend (checked on Keras 3.15), which is what Keras 2 returned. The fix wraps the ids in `tf.convert_to_tensor(...)` (with the name the notebook binds TensorFlow to; no fix without a TensorFlow import).',
    example:
      'import keras\nimport numpy as np\nimport tensorflow as tf\n\nnum_to_char = keras.layers.StringLookup(vocabulary=list("abc"), invert=True)\nids = np.array([1, 2])\ntext = tf.strings.reduce_join(num_to_char(ids)).numpy()',
    useInstead:
      'import keras\nimport numpy as np\nimport tensorflow as tf\n\nnum_to_char = keras.layers.StringLookup(vocabulary=list("abc"), invert=True)\nids = np.array([1, 2])\ntext = tf.strings.reduce_join(num_to_char(tf.convert_to_tensor(ids))).numpy()'
  },
  // Findings are on a layer made by a call resolving to `keras.layers.StringLookup`.
  requires: ['StringLookup'],
  visitors: { call: visit }
};
