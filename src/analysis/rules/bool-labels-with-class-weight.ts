import { child, SyntaxNode } from '../ast';
import { CellMemoKey, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, lastAssignedValue } from '../rule-helpers';
import { looksLikeDataset, mappedFunction, returnedValues, tensorflowName, topLevelDefinitions, unparenthesized } from '../helpers/tf-data';
import { nodesUnder } from '../helpers/multi-optimizer-step';

/** TensorFlow functions that return a bool tensor. */
const TF_BOOL = /^tensorflow\.(math\.)?(equal|not_equal|greater|greater_equal|less|less_equal|logical_and|logical_or|logical_not|logical_xor|is_nan|is_inf|is_finite)$|^tensorflow\.strings\.regex_full_match$/;

/** The label sites this cell's analysis has reported (one finding per site, however many fit() calls). */
const REPORTED = new CellMemoKey<Set<number>>('km271-reported');

/**
 * The expression that makes a bool tensor for `expr`: a comparison (`parts[-2] == "PNEUMONIA"`),
 * a TensorFlow comparison (`tf.equal`, `tf.math.greater`, ...), through a name assigned one in
 * the function, or through a call of a function of the cell whose one return is one (`label =
 * get_label(path)`); null when it is not certainly a bool.
 */
function boolSite(expr: SyntaxNode, defs: Map<string, SyntaxNode>, ctx: RuleContext, depth = 0): SyntaxNode | null {
  const e = unparenthesized(expr);
  if (depth > 4) {
    return null;
  }
  if (e.type === 'comparison_operator') {
    // `a in b` / `a is b` are Python bools on Python values, not tensors.
    return /\b(in|is)\b/.test(ctx.text.slice(e.children[0].end, e.children[e.children.length - 1].start)) ? null : e;
  }
  if (e.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(e), e, ctx);
    return value && value !== e ? boolSite(value, defs, ctx, depth + 1) : null;
  }
  if (e.type === 'call') {
    const fn = child(e, 'function');
    if (!fn) {
      return null;
    }
    if (TF_BOOL.test(ctx.resolve(fn) ?? '')) {
      return e;
    }
    const def = fn.type === 'identifier' ? defs.get(ctx.textOf(fn)) : undefined;
    const returned = def ? returnedValues(def) : [];
    return returned.length === 1 ? boolSite(returned[0], defs, ctx, depth + 1) : null;
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'fit' || ctx.resolve(parts.fn)) {
    return;
  }
  const classWeight = parts.keywords.get('class_weight')?.value;
  const x = parts.positional[0] ?? parts.keywords.get('x')?.value;
  const y = parts.positional[1] ?? parts.keywords.get('y')?.value;
  // A dataset of (inputs, labels) pairs: with arrays, Keras 3 rounds the labels with NumPy, which takes bools.
  if (!classWeight || ctx.textOf(classWeight) === 'None' || !x || (y && ctx.textOf(y) !== 'None') || !looksLikeDataset(x, ctx)) {
    return;
  }
  const tf = tensorflowName(ctx);
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  const defs = topLevelDefinitions(root, ctx);
  const reported = ctx.cellMemo(REPORTED, () => new Set<number>());
  const maps = nodesUnder(root, n => n.type === 'call' && child(n, 'function')?.type === 'attribute' && calleeName(child(n, 'function')!, ctx) === 'map');
  for (const map of maps) {
    const fn = mappedFunction(map, ctx);
    if (!fn) {
      continue;
    }
    for (const value of returnedValues(fn)) {
      const v = unparenthesized(value);
      const items = v.type === 'tuple' || v.type === 'expression_list' ? v.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment') : [];
      if (items.length !== 2 && items.length !== 3) {
        continue;
      }
      const site = boolSite(items[1], defs, ctx);
      if (!site || reported.has(site.start)) {
        continue;
      }
      reported.add(site.start);
      const fix = tf
        ? { title: `Cast the labels to int32 (\`${tf}.cast(..., ${tf}.int32)\`)`, safe: false, edits: [{ start: site.start, end: site.end, text: `${tf}.cast(${ctx.textOf(site)}, ${tf}.int32)` }] }
        : null;
      ctx.report(
        site,
        `\`${ctx.textOf(site)}\` makes the labels of a tf.data dataset bool, and this program fits on a dataset with \`class_weight=\`: Keras 3 turns class weights into sample weights with \`tf.round\` on the labels, which rejects a bool tensor ("Value passed to parameter 'x' has DataType bool") on every backend (Keras 2 cast them to int64). Cast the labels to an integer dtype in the map function.`,
        fix
      );
    }
  }
}

export const boolLabelsWithClassWeight: RuleDefinition = {
  code: 'KM271',
  name: 'bool-labels-with-class-weight',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: a dataset mapped to `(image, parts[-2] == "PNEUMONIA")`
   * fitted with `class_weight={0: w0, 1: w1}` fails in the class-weight map function with
   * "Value passed to parameter 'x' has DataType bool not in list of allowed values" (tf.round)
   * on TensorFlow, JAX and PyTorch; with `tf.cast(..., tf.int32)` it trains on all three (the
   * keras.io X-ray classification example of the tf.keras era). Keras 2's map function cast the
   * labels with `tf.cast(..., tf.int64)`.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['class_weight'],
  docs: {
    whatItDoes:
      'When a cell calls `fit(dataset, class_weight=...)` on a dataset (no `y`), flags the label of each `tf.data.Dataset.map()` function of the cell that returns `(inputs, labels)` or `(inputs, labels, weights)` with bool labels: a comparison (`parts[-2] == "PNEUMONIA"`), a TensorFlow comparison (`tf.equal`, `tf.math.greater`, `tf.logical_and`, ...), a name assigned one in the function, or a call of a function of the cell whose one return is one (`label = get_label(path)`). The fix (a suggestion: every dataset mapped this way gets integer labels) wraps the comparison in `tf.cast(..., tf.int32)`.',
    why:
      'Keras 3 turns `class_weight` into sample weights by mapping the dataset with `tf.round` on the labels and a `tf.gather` of the weights; `tf.round` rejects a bool tensor, so `fit` fails on every backend ("Value passed to parameter \'x\' has DataType bool"). Keras 2 cast the labels to int64 first, so bool labels worked (the keras.io X-ray classification example). Integer labels give the same loss and metrics (binary cross-entropy and the binary metrics cast `y_true` to the prediction dtype). Arrays given to `fit(x, y, class_weight=...)` are rounded with NumPy, which takes bools, and are not flagged.',
    example:
      'import tensorflow as tf\n\ndef process(image, path):\n    label = tf.strings.split(path, "/")[-2] == "PNEUMONIA"\n    return tf.image.decode_jpeg(image), label\n\ntrain_ds = tf.data.Dataset.zip((images, paths)).map(process).batch(16)\nmodel.fit(train_ds, class_weight={0: 2.0, 1: 0.7})',
    useInstead:
      'import tensorflow as tf\n\ndef process(image, path):\n    label = tf.cast(tf.strings.split(path, "/")[-2] == "PNEUMONIA", tf.int32)\n    return tf.image.decode_jpeg(image), label\n\ntrain_ds = tf.data.Dataset.zip((images, paths)).map(process).batch(16)\nmodel.fit(train_ds, class_weight={0: 2.0, 1: 0.7})'
  },
  calls: { names: ['fit'] },
  requires: ['class_weight'],
  visitors: { call: visit }
};
