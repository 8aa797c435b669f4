import { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

/**
 * Keras metrics that average a loss function's per-sample values (MeanMetricWrapper) and raise when
 * the labels' rank differs from the predictions', with the name Keras gives them by default. Keras 2
 * matched the ranks before calling the function; Keras 3's metrics do not (its Loss objects still
 * do). The mean-error metrics (`MeanSquaredError`, `MeanAbsoluteError`, `RootMeanSquaredError`, ...)
 * match the ranks in their own functions and give Keras 2's values (measured on Keras 3.15.1); custom
 * metric functions do not, and KM240 (custom-metric-function-label-rank) flags those.
 */
const LOSS_METRICS = new Map<string, string>([['BinaryCrossentropy', 'binary_crossentropy']]);

/** The metric's arguments the Loss takes too (`name` and `dtype` stay the metric's). */
const LOSS_ARGUMENTS = new Set(['from_logits', 'label_smoothing']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const resolved = parts ? ctx.resolveKeras(parts.fn) : null;
  const match = resolved ? /^keras\.metrics\.(\w+)$/.exec(resolved) : null;
  const defaultName = match ? LOSS_METRICS.get(match[1]) : undefined;
  if (!parts || !match || defaultName === undefined) {
    return;
  }
  const cls = match[1];
  let fix = null;
  // Keyword arguments only, each one the metric or the Loss knows: `name`/`dtype` for the wrapper, the rest for the Loss.
  const known = [...parts.keywords.keys()].every(k => k === 'name' || k === 'dtype' || LOSS_ARGUMENTS.has(k));
  if (!parts.splat && parts.positional.length === 0 && known) {
    const lossArgs = [...parts.keywords].filter(([k]) => LOSS_ARGUMENTS.has(k)).map(([k, kw]) => `${k}=${ctx.textOf(kw.value)}`);
    const name = parts.keywords.get('name');
    const dtype = parts.keywords.get('dtype');
    const wrapperArgs = [`name=${name ? ctx.textOf(name.value) : `"${defaultName}"`}`, ...(dtype ? [`dtype=${ctx.textOf(dtype.value)}`] : [])];
    const edits: OffsetEdit[] = [
      {
        start: node.start,
        end: node.end,
        text: `keras.metrics.MeanMetricWrapper(keras.losses.${cls}(${[...lossArgs, 'reduction=None'].join(', ')}), ${wrapperArgs.join(', ')})`
      }
    ];
    const importEdit = ctx.kerasImportEdit();
    if (importEdit) {
      edits.push(importEdit);
    }
    fix = { title: `Average the per-sample values of \`keras.losses.${cls}\` (which matches the labels' rank)`, safe: false, edits };
  }
  ctx.report(
    node,
    `Keras 3's \`${cls}\` metric no longer matches the labels' rank to the predictions' as Keras 2's did: rank-1 labels against a \`(batch, 1)\` output ` +
      'fail ("Arguments `target` and `output` must have the same rank") on every backend. ' +
      `\`keras.losses.${cls}(reduction=None)\` does match them: averaged by \`keras.metrics.MeanMetricWrapper\`, its per-sample values give the Keras 2 metric.`,
    fix
  );
}

export const lossMetricLabelRank: RuleDefinition = {
  code: 'KM266',
  name: 'loss-metric-label-rank',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * No backend is claimed: whether the labels' rank differs from the predictions' is known only
   * at run time. Checked by running Keras 3.15.1: `keras.metrics.BinaryCrossentropy()` in compile()
   * with labels of shape (n,) and a Dense(1) sigmoid output raises "Arguments `target` and `output`
   * must have the same rank" on TensorFlow, JAX and PyTorch (tf_keras 2.21 runs it; `MeanSquaredError()`,
   * `MeanAbsoluteError()`, `RootMeanSquaredError()` and the strings `"mae"`/`"mse"` give tf_keras's
   * values, measured again in evaluate() with labels of shape (64,) on all three); with
   * `MeanMetricWrapper(keras.losses.BinaryCrossentropy(reduction=None), name=...)` both run on all
   * three, with the values of Keras 2, and the model saves to `.keras` and loads back.
   */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: [...LOSS_METRICS.keys()],
  docs: {
    whatItDoes:
      'Flags the `keras.metrics.BinaryCrossentropy` metric (it averages a loss function, and fails when the labels\' rank differs from the predictions\'), as in the TensorFlow imbalanced-data tutorial\'s METRICS list. The fix (a suggestion, for keyword arguments only) averages the per-sample values of the matching Loss: `keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(from_logits=..., reduction=None), name=...)`, keeping the metric\'s name (its default when none was given) and dtype.',
    why:
      'Keras 2\'s metrics squeezed or expanded the labels to the predictions\' rank before computing, so 1-D labels against a `(batch, 1)` sigmoid output worked. Keras 3\'s MeanMetricWrapper calls the function as is: binary cross-entropy raises "Arguments `target` and `output` must have the same rank" on every backend (the built-in mean-error metrics match the ranks in their own functions; custom metric functions do not, and broadcast `(batch,)` against `(batch, 1)` to `(batch, batch)`: KM240). Keras 3\'s Loss objects still match the ranks, so their per-sample values (`reduction=None`) averaged by MeanMetricWrapper are the Keras 2 metric with either label shape. A suggestion: whether the labels\' rank differs is known only when the program runs.',
    example: 'import keras\n\nmodel.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryCrossentropy(name="cross entropy")])',
    useInstead:
      'import keras\n\nmodel.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(reduction=None), name="cross entropy")])'
  },
  calls: { resolved: KERAS_CALLEES },
  requires: [...LOSS_METRICS.keys()],
  visitors: { call: visit }
};
