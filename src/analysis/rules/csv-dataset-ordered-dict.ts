import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

const MAKE_CSV_DATASET = new Set(['tensorflow.data.experimental.make_csv_dataset', 'tensorflow.compat.v2.data.experimental.make_csv_dataset']);

/** `make_csv_dataset(...).map(lambda f, y: (dict(f), y))`: already turned into plain dicts. */
function mappedToDict(node: SyntaxNode, ctx: RuleContext): boolean {
  const attribute = node.parent;
  const attr = attribute && attribute.type === 'attribute' ? child(attribute, 'attribute') : null;
  const call = attribute?.parent;
  if (!attr || ctx.textOf(attr) !== 'map' || !call || call.type !== 'call') {
    return false;
  }
  const args = child(call, 'arguments');
  return args !== null && /\bdict\b/.test(ctx.textOf(args));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !MAKE_CSV_DATASET.has(ctx.resolve(parts.fn) ?? '') || mappedToDict(node, ctx)) {
    return;
  }
  // With `label_name=` each element is (features, label); without it, the features alone.
  const label = parts.keywords.get('label_name');
  const hasLabel = label !== undefined && ctx.textOf(label.value) !== 'None';
  const map = hasLabel ? '.map(lambda features, label: (dict(features), label))' : '.map(dict)';
  ctx.report(
    parts.fn,
    '`make_csv_dataset` yields its features as an `OrderedDict` in column order, and Keras 3 flattens an `OrderedDict` in that order while a model\'s dict of inputs is matched in sorted key order: the columns reach the wrong inputs (wrong results, or an error such as an index out of range in an Embedding). Turn the features into a plain `dict`.',
    { title: 'Convert the features to a plain `dict`', safe: true, edits: [{ start: node.end, end: node.end, text: map }] }
  );
}

export const csvDatasetOrderedDict: RuleDefinition = {
  code: 'KM221',
  name: 'csv-dataset-ordered-dict',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * No claim: with the columns already in sorted order, or inputs of one shape and dtype, the
   * program runs (with mixed-up inputs in the second case). Measured on Keras 3.15: a census-like
   * CSV with numeric columns before categorical ones fails on TensorFlow, JAX and PyTorch.
   */
  blocks: [],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.data.experimental.make_csv_dataset(...)`, whose features are an `OrderedDict`, and appends a `.map` that turns them into a plain `dict`.',
    why:
      'Keras 2 matched a dict of features to a model\'s named inputs by key. Keras 3 flattens the data with its tree utilities, which keep an `OrderedDict` in insertion (column) order but sort a `dict` by key, as they sort the model\'s inputs: features from `make_csv_dataset` are matched by position against inputs in sorted order, so they reach the wrong inputs unless the CSV columns happen to be sorted. A plain `dict` is matched by key on Keras 2 and Keras 3 alike. Not covered by the migration guide.',
    example:
      'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("train.csv", batch_size=32, label_name="income", num_epochs=1)\n',
    useInstead:
      'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("train.csv", batch_size=32, label_name="income", num_epochs=1).map(lambda features, label: (dict(features), label))\n'
  },
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit }
};
