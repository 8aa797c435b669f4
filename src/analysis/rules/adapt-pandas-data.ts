/**
 * adapt-pandas-data (KM282)
 *
 * What it does: flags `layer.adapt(data)` given a pandas DataFrame or Series (`normalizer.adapt(df)`,
 * `normalizer.adapt(df[numeric_feature_names])`).
 *
 * Why: Keras 2 converted pandas data given to `adapt()` into an array (the TensorFlow
 * pandas-dataframe tutorial's `normalizer.adapt(numeric_features)`). Keras 3 iterates it instead:
 * a DataFrame yields its column names and a Series its values one by one, and `adapt()` raises
 * "adapt() expects an iterable that yields arrays or tensors with a `.shape` attribute" on
 * TensorFlow, JAX and PyTorch (checked on Keras 3.15). `.to_numpy()` gives `adapt()` the array
 * Keras 2 made of it, so the fix is safe.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';
import { isPandasData } from '../helpers/pandas-values';

/** Expressions `.to_numpy()` can follow without parentheses. */
const POSTFIX_READY = new Set(['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) !== 'adapt') {
    return;
  }
  const data = parts.positional[0] ?? parts.keywords.get('data')?.value;
  if (!data || !isPandasData(data, node, ctx)) {
    return;
  }
  const text = ctx.textOf(data);
  ctx.report(
    data,
    `\`adapt()\` is given \`${text.length > 40 ? text.slice(0, 37) + '...' : text}\`, pandas data: Keras 3 iterates it (a DataFrame yields its column names, a Series its values one by one) and raises "adapt() expects an iterable that yields arrays or tensors with a \`.shape\` attribute" on every backend; Keras 2 converted it to an array. Pass \`.to_numpy()\` of it.`,
    {
      title: 'Pass `.to_numpy()` of the pandas data',
      safe: true,
      edits: [POSTFIX_READY.has(data.type) ? { start: data.end, end: data.end, text: '.to_numpy()' } : { start: data.start, end: data.end, text: `(${text}).to_numpy()` }]
    }
  );
}

export const adaptPandasData: RuleDefinition = {
  code: 'KM282',
  name: 'adapt-pandas-data',
  slug: 'api-changes',
  severity: 'error',
  /** Checked by running (claims/adapt_pandas_data.py): Keras 3.15 raises the same TypeError on TensorFlow, JAX and PyTorch. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  // `adapt` on any receiver; the pandas words keep the statements that make the data in the walked tree.
  triggers: ['adapt', 'read_csv', 'read_table', 'read_excel', 'read_json', 'read_parquet', 'DataFrame', 'Series'],
  docs: {
    whatItDoes:
      'Flags a preprocessing layer\'s `adapt()` given pandas data: a DataFrame or Series made by pandas (`pd.read_csv(...)`, `pd.DataFrame(...)`), a column selection or row slice of one (`df[names]`, `df.iloc[:100]`), a method of one returning one again (`df.copy()`, `df.drop(...)`, `df.pop("target")`), or a name holding one of those. The safe fix passes `.to_numpy()` of it.',
    why:
      'Keras 2 converted pandas data given to `adapt()` into an array (the TensorFlow pandas-dataframe tutorial\'s `normalizer.adapt(numeric_features)`). Keras 3 iterates it instead: a DataFrame yields its column names and a Series its values one at a time, and `adapt()` raises "adapt() expects an iterable that yields arrays or tensors with a `.shape` attribute" on TensorFlow, JAX and PyTorch (checked on Keras 3.15). `.to_numpy()` is the array Keras 2 adapted to.',
    example:
      'import numpy as np\nimport pandas as pd\nimport keras\ndf = pd.DataFrame({"age": np.arange(8.0), "chol": np.arange(8.0) * 3})\nnormalizer = keras.layers.Normalization(axis=-1)\nnormalizer.adapt(df)',
    useInstead:
      'import numpy as np\nimport pandas as pd\nimport keras\ndf = pd.DataFrame({"age": np.arange(8.0), "chol": np.arange(8.0) * 3})\nnormalizer = keras.layers.Normalization(axis=-1)\nnormalizer.adapt(df.to_numpy())'
  },
  visitors: { call: visit }
};
