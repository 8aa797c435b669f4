/** Which expressions hold pandas data (a DataFrame or a Series). Not a rule. */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { valueBefore } from './calls';

/** pandas functions that return a DataFrame or a Series. */
const PANDAS_MAKERS = /^pandas\.(read_csv|read_table|read_excel|read_json|read_parquet|read_feather|read_pickle|read_sql|DataFrame|Series|concat|get_dummies|merge)$/;

/** Methods of a DataFrame or Series that return one again (not `to_numpy`, `values`, `dict`). */
const PANDAS_METHODS = new Set([
  'copy', 'drop', 'dropna', 'fillna', 'sample', 'astype', 'head', 'tail', 'reset_index', 'select_dtypes', 'pop',
  'rename', 'sort_values', 'replace', 'query', 'filter', 'assign', 'apply', 'map', 'transform', 'clip', 'abs',
  'drop_duplicates', 'set_index', 'sort_index', 'interpolate', 'ffill', 'bfill', 'round', 'shift', 'diff', 'join', 'merge'
]);

/** Attributes that index a DataFrame or Series (`df.iloc[...]`, `df.loc[...]`) or transpose it. */
const PANDAS_INDEXERS = new Set(['iloc', 'loc', 'T']);

/**
 * Whether `node` holds pandas data: a DataFrame or Series made by pandas (`pd.read_csv(...)`,
 * `pd.DataFrame(...)`), a column selection or row slice of one (`df[names]`, `df["age"]`,
 * `df.iloc[:3]`), arithmetic with one (`df["age"] * 2`), a method of one returning one again (`df.copy()`, `df.drop(...)`, `df.pop("target")`),
 * or a name last assigned one of those before `at`.
 */
export function isPandasData(node: SyntaxNode | null | undefined, at: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 8) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression':
      return isPandasData(node.children.find(c => c.type !== 'comment'), at, ctx, depth + 1);
    case 'identifier': {
      const value = valueBefore(ctx.textOf(node), at, ctx);
      return value !== null && value !== node && isPandasData(value, value, ctx, depth + 1);
    }
    case 'subscript':
      return isPandasData(child(node, 'value'), at, ctx, depth + 1);
    case 'binary_operator':
      // Arithmetic with a DataFrame or Series (`df["age"] * 2`, `(df - mean) / std`) gives one again.
      return isPandasData(child(node, 'left'), at, ctx, depth + 1) || isPandasData(child(node, 'right'), at, ctx, depth + 1);
    case 'attribute': {
      const name = ctx.textOf(child(node, 'attribute') ?? node);
      return PANDAS_INDEXERS.has(name) && isPandasData(child(node, 'object'), at, ctx, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      if (PANDAS_MAKERS.test(ctx.resolve(fn) ?? '')) {
        return true;
      }
      return fn.type === 'attribute' && PANDAS_METHODS.has(ctx.textOf(child(fn, 'attribute') ?? fn)) && isPandasData(child(fn, 'object'), at, ctx, depth + 1);
    }
    default:
      return false;
  }
}
