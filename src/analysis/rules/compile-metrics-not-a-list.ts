import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';

/** The `compile()` arguments Keras 3 wants as a list, tuple or dict. */
const LIST_ARGUMENTS = ['metrics', 'weighted_metrics'];

/**
 * Whether `value` is certainly one metric, not a collection: a string, a call of a Keras
 * metric class, or a name resolving into `keras.metrics` / `keras.losses`. A plain variable
 * or any other call may well hold a list, so it is left alone.
 */
function isSingleMetric(value: SyntaxNode, ctx: RuleContext): boolean {
  if (value.type === 'string' || value.type === 'concatenated_string') {
    return true;
  }
  const target = value.type === 'call' ? child(value, 'function') : value;
  if (!target || (target.type !== 'attribute' && target.type !== 'identifier')) {
    return false;
  }
  const name = ctx.resolveKeras(target);
  // `tf.metrics.BinaryAccuracy`: TensorFlow's `tf.metrics`/`tf.losses` are `tf.keras`'s modules.
  const tfName = name === null ? ctx.resolve(target) : null;
  return (name !== null && (name.startsWith('keras.metrics.') || name.startsWith('keras.losses.'))) || /^tensorflow\.(metrics|losses)\.[A-Za-z]/.test(tfName ?? '');
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'compile') {
    return;
  }
  for (const argument of LIST_ARGUMENTS) {
    const keyword = parts.keywords.get(argument);
    if (!keyword || !isSingleMetric(keyword.value, ctx)) {
      continue;
    }
    const text = ctx.textOf(keyword.value);
    ctx.report(
      keyword.value,
      `Keras 3 \`compile(${argument}=...)\` takes a list, tuple or dict and raises "Expected \`${argument}\` argument to be a list, tuple, or dict" for a single metric; Keras 2 accepted \`${argument}=${text.length > 40 ? text.slice(0, 37) + '...' : text}\`.`,
      {
        title: `Wrap the metric in a list: \`${argument}=[...]\``,
        safe: true,
        edits: [
          { start: keyword.value.start, end: keyword.value.start, text: '[' },
          { start: keyword.value.end, end: keyword.value.end, text: ']' }
        ]
      }
    );
  }
}

export const compileMetricsNotAList: RuleDefinition = {
  code: 'KM185',
  name: 'compile-metrics-not-a-list',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError at compile() on TensorFlow, JAX and PyTorch (Keras 3.0.5 and 3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  // `model.compile(...)` on a model the analysis cannot type (returned by a helper, loaded).
  triggers: ['compile'],
  docs: {
    whatItDoes: 'Flags `compile(metrics=...)` and `compile(weighted_metrics=...)` given one metric (a name string, a metric object or function) instead of a list.',
    why: 'Keras 2 accepted a single metric there. Keras 3 checks the type and raises "Expected `metrics` argument to be a list, tuple, or dict" on every backend. Not covered by the migration guide. A one-element list means the same metric, so the fix is safe.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics="mae")',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae"])'
  },
  calls: { names: ['compile'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['compile'],
  visitors: { call: visit }
};
