import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, isKerasMethodName, kerasMethodName, lastAssignedValue, modelCodeCondition } from '../rule-helpers';
import { invertedLookupCalled } from '../helpers/string-lookup';
import { isDatasetElement } from '../helpers/tf-data';

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
  const parts = fn && (fn.type === 'identifier' || fn.type === 'call' || fn.type === 'attribute') ? callParts(node, ctx) : null;
  if (!fn || !parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return;
  }
  if (!invertedLookupCalled(fn, ctx)) {
    return;
  }
  const arg = parts.positional[0];
  // In model code the strings fail on JAX and PyTorch anyway (KM192); in tf.data, and in a
  // Python loop over a dataset, the values are TF tensors.
  let condition = modelCodeCondition(node, ctx);
  // A lookup the model stores, called in a public method of its own that Keras never runs and no
  // other method calls (the tutorial's `OneStep.generate_one_step`, called from the cell; its
  // `@tf.function` applies on TensorFlow only once KM265 is fixed): that method runs eagerly.
  const method = kerasMethodName(ctx);
  if (condition === true && fn.type === 'attribute' && method && !method.startsWith('_') && !isKerasMethodName(method) && !new RegExp(`\\bself\\.${method}\\b`).test(ctx.textOf(ctx.cls!.node))) {
    condition = null;
  }
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
      'Flags a `StringLookup(..., invert=True)` layer (constructed in place or assigned to the name called) called outside model code and tf.data functions on a value that is not a TensorFlow tensor: decoded ids from `predict()`, `keras.ops.ctc_decode()` or NumPy (keras.io\'s captcha OCR `num_to_char(res)`). A lookup stored on `self` in `__init__` (made there, or passed to the constructor at every instantiation in the cell, as the TensorFlow text-generation tutorial\'s `OneStep(model, chars_from_ids, ids_from_chars)`) counts too where it is called in a public method of the class that Keras never runs and no other method calls (`generate_one_step`, run eagerly once its `@tf.function` applies on TensorFlow only).',
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
