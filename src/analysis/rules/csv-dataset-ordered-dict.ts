import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, nodesOfType, rootOf } from '../rule-helpers';
import { constantReader, ConstantReader, dictInputs } from '../helpers/dict-inputs';

const MAKE_CSV_DATASET = new Set(['tensorflow.data.experimental.make_csv_dataset', 'tensorflow.compat.v2.data.experimental.make_csv_dataset']);

/** Escapes a name for a regular expression. */
function escaped(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a function given to `.map` makes the features a plain dict: a lambda that calls
 * `dict(...)`, or a function of the cell (`def process(features, target)`, read from the text, as
 * the relevance filter may leave a plain function out of the tree) whose body calls
 * `dict(features)` or builds a dict comprehension over `features.items()`.
 */
function convertsToDict(fn: SyntaxNode | undefined, ctx: RuleContext): boolean {
  if (!fn) {
    return false;
  }
  if (fn.type === 'identifier' && ctx.textOf(fn) === 'dict') {
    return true;
  }
  if (fn.type === 'lambda') {
    // `dict(f)`, or a dict comprehension (`{name: f[name] for name in NAMES}`, this rule's own selection).
    return /\bdict\s*\(|\{[^{}]*\bfor\b[^{}]*\bin\b[^{}]*\}/.test(ctx.textOf(fn));
  }
  if (fn.type !== 'identifier') {
    return false;
  }
  const def = new RegExp(`^([ \\t]*)def[ \\t]+${escaped(ctx.textOf(fn))}[ \\t]*\\([ \\t]*(\\w+)`, 'm').exec(ctx.text);
  if (!def) {
    return false;
  }
  // The body: the lines after the `def` indented deeper than it.
  const rest = ctx.text.slice(def.index + def[0].length);
  const end = new RegExp(`\\n${def[1]}(?=\\S)`).exec(rest.slice(rest.indexOf('\n') + 1));
  const body = end ? rest.slice(0, rest.indexOf('\n') + 1 + end.index) : rest;
  const param = escaped(def[2]);
  return new RegExp(`\\bdict\\(\\s*${param}\\b|\\bfor\\b[^\\n]*\\bin\\s+${param}\\.items\\(\\)`).test(body);
}

/** Whether a `.map(...)` call's function makes plain dicts. */
function isDictMap(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = child(call, 'function');
  const attr = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  if (!attr || ctx.textOf(attr) !== 'map') {
    return false;
  }
  const parts = callParts(call, ctx);
  return convertsToDict(parts?.keywords.get('map_func')?.value ?? parts?.positional[0], ctx);
}

/**
 * Whether the dataset is already turned into plain dicts: a `.map` in its method chain
 * (`make_csv_dataset(...).shuffle(8).map(lambda f, y: (dict(f), y))`), or, when the chain is
 * assigned to a name, a later `.map` on that name in the same block (`ds = ds.map(process)`).
 */
function mappedToDict(node: SyntaxNode, ctx: RuleContext): boolean {
  let current = node;
  for (let p = current.parent; p?.type === 'attribute' && child(p, 'object') === current && p.parent?.type === 'call'; p = current.parent) {
    current = p.parent;
    if (isDictMap(current, ctx)) {
      return true;
    }
  }
  const assignment = current.parent;
  const target = assignment?.type === 'assignment' && child(assignment, 'right') === current ? child(assignment, 'left') : null;
  const statement = assignment?.parent;
  const block = statement?.parent;
  if (!target || target.type !== 'identifier' || !statement || !block) {
    return false;
  }
  const name = ctx.textOf(target);
  const later = block.children.slice(block.children.indexOf(statement) + 1);
  return later.some(stmt =>
    [...nodesOfType(stmt, 'call')].some(call => {
      const object = child(child(call, 'function') ?? call, 'object');
      return object?.type === 'identifier' && ctx.textOf(object) === name && isDictMap(call, ctx);
    })
  );
}

/** The dataset's feature columns: `select_columns` (else `column_names`) without `label_name`, when constants spell them. */
function featureColumns(parts: NonNullable<ReturnType<typeof callParts>>, reader: ConstantReader, ctx: RuleContext): string[] | null {
  // make_csv_dataset(file_pattern, batch_size, column_names, column_defaults, label_name, select_columns, ...)
  const argument = (keyword: string, position: number): SyntaxNode | null => parts.keywords.get(keyword)?.value ?? parts.positional[position] ?? null;
  const select = argument('select_columns', 5);
  const names = select ?? argument('column_names', 2);
  const columns = names ? reader.strings(ctx.textOf(names)) : null;
  const label = argument('label_name', 4);
  const labelName = label && ctx.textOf(label) !== 'None' ? reader.string(ctx.textOf(label)) : '';
  return columns && labelName !== null ? columns.filter(c => c !== labelName) : null;
}

/**
 * Whether the program may read one of `extras` from the features by name: a `.pop(...)` of
 * anything but another known column, a `del`, a subscript with the column's name, or a constant
 * naming the column alone (`WEIGHT_COLUMN_NAME = "fnlwgt"`, presumably read somewhere). Read from
 * the text: `labels = df.pop("target")` has no Keras word and no children in the tree.
 */
function readsColumns(extras: string[], reader: ConstantReader, ctx: RuleContext): boolean {
  const extra = new Set(extras);
  for (const m of ctx.text.matchAll(/\.pop\s*\(([^()]*)\)/g)) {
    const popped = reader.string(m[1]);
    if (popped === null || extra.has(popped)) {
      return true;
    }
  }
  if (/(^|[^\w.])del\s/m.test(ctx.text)) {
    return true;
  }
  return extras.some(
    e =>
      // A subscript (`features["fnlwgt"]`), not a one-item list (`IGNORED = ["fnlwgt"]`).
      new RegExp(`[\\w)\\]]\\s*\\[\\s*(["'])${escaped(e)}\\1\\s*\\]`).test(ctx.text) ||
      new RegExp(`^[A-Za-z_]\\w*\\s*=\\s*(["'])${escaped(e)}\\1\\s*$`, 'm').test(ctx.text)
  );
}

/**
 * When the program's Functional model takes a dict of Inputs spelled with constants and the CSV
 * has columns besides them that sort before one of its keys (so they shift the inputs on Keras
 * 3), and nothing reads those columns by name: the names to keep (the constant the Inputs are
 * built over, defined before the call, else a list of the keys) and the extra columns.
 */
function selection(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): { names: string; extras: string[] } | null {
  const root = rootOf(node);
  const reader = constantReader(root, ctx);
  const inputs = dictInputs(root, reader, ctx);
  const columns = inputs ? featureColumns(parts, reader, ctx) : null;
  if (!inputs || !columns || !inputs.keys.every(k => columns.includes(k))) {
    return null;
  }
  const keys = new Set(inputs.keys);
  const extras = columns.filter(c => !keys.has(c));
  const lastKey = [...inputs.keys].sort().pop()!;
  // A column sorting after every input ends up past the inputs' positions: they still get theirs.
  if (!extras.some(e => e < lastKey) || readsColumns(extras, reader, ctx)) {
    return null;
  }
  const definedBefore = inputs.over !== null && new RegExp(`^${escaped(inputs.over)}\\s*=(?!=)`, 'm').test(ctx.text.slice(0, node.start));
  return { names: definedBefore ? inputs.over! : `[${inputs.keys.map(k => JSON.stringify(k)).join(', ')}]`, extras };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !MAKE_CSV_DATASET.has(ctx.resolve(parts.fn) ?? '') || mappedToDict(node, ctx)) {
    return;
  }
  // With `label_name=` each element is (features, label); without it, the features alone.
  const label = parts.keywords.get('label_name');
  const hasLabel = label !== undefined && ctx.textOf(label.value) !== 'None';
  const selected = selection(node, parts, ctx);
  const plain = selected ? `{name: features[name] for name in ${selected.names}}` : 'dict(features)';
  const map = hasLabel ? `.map(lambda features, label: (${plain}, label))` : selected ? `.map(lambda features: ${plain})` : '.map(dict)';
  const extras = selected?.extras.map(e => `\`${e}\``).join(', ');
  const here = selected
    ? ` Here the model's dict of Inputs does not take ${extras}, which ${selected.extras.length > 1 ? 'sort' : 'sorts'} before some of its inputs: the fix keeps only the model's inputs.`
    : '';
  ctx.report(
    parts.fn,
    '`make_csv_dataset` yields its features as an `OrderedDict` in column order, and Keras 3 flattens an `OrderedDict` in that order while a model\'s dict of inputs is matched in sorted key order: the columns reach the wrong inputs (wrong results, or an error such as an index out of range in an Embedding). Turn the features into a plain `dict`. A plain `dict` is matched in sorted key order too, so a column the model does not take as an input (an ignored CSV column, a weight column) still shifts the others: drop such columns as well (`select_columns=` with the feature and label columns, or `features.pop(name)` in the `.map`).' + here,
    {
      title: selected ? "Keep only the model's inputs, as a plain `dict`" : 'Convert the features to a plain `dict`',
      safe: true,
      edits: [{ start: node.end, end: node.end, text: map }]
    }
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
    whatItDoes: 'Flags `tf.data.experimental.make_csv_dataset(...)`, whose features are an `OrderedDict`, and appends a `.map` that turns them into a plain `dict`; not where a `.map` on the dataset (in its method chain, or later on the name it is assigned to) already does (`dict(features)` in a lambda or in the mapped function of the cell). Where the program\'s Functional model takes a dict of Inputs whose keys constants spell (`{name: keras.Input(name=name) for name in FEATURE_NAMES}`), the CSV\'s columns too (`column_names=CSV_HEADER`, `label_name=`), and the CSV has columns besides the inputs that sort before one of them and that nothing reads by name, the `.map` keeps only the model\'s inputs.',
    why:
      'Keras 2 matched a dict of features to a model\'s named inputs by key. Keras 3 flattens the data with its tree utilities, which keep an `OrderedDict` in insertion (column) order but sort a `dict` by key, as they sort the model\'s inputs: features from `make_csv_dataset` are matched by position against inputs in sorted order, so they reach the wrong inputs unless the CSV columns happen to be sorted. A plain `dict` is matched by key on Keras 2, and on Keras 3 in sorted key order: it reaches the right inputs when its keys are exactly the model\'s inputs. A column that is not a model input (an ignored CSV column such as the census data\'s `fnlwgt`, a weight column) still shifts the others on Keras 3 (checked on Keras 3.15: a dict with one extra key gave its value to the next input, with only a warning; keras.io\'s neural decision forests, made runnable, then cast a number into a string input, "Cast float to string is not supported"), so such columns must be dropped as well: where the model\'s dict of Inputs and the CSV columns are spelled with constants, the fix keeps only the inputs (`{name: features[name] for name in FEATURE_NAMES}`), which is what Keras 2 gave the model (it picked by name); elsewhere it cannot know the model\'s inputs and converts only. Not covered by the migration guide.',
    example:
      'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("train.csv", batch_size=32, label_name="income", num_epochs=1)\n',
    useInstead:
      'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("train.csv", batch_size=32, label_name="income", num_epochs=1).map(lambda features, label: (dict(features), label))\n'
  },
  calls: { resolved: ['tensorflow.'] },
  // Findings are on calls resolving to `make_csv_dataset`.
  requires: ['make_csv_dataset'],
  visitors: { call: visit }
};
