/**
 * metric-updated-in-call (KM215)
 *
 * What it does: flags a Keras metric object held by a layer or model (`self.acc =
 * keras.metrics.BinaryAccuracy()` in `__init__`) that its `call()` updates: `self.acc.update_state(...)`
 * or `self.acc(...)` (calling a metric updates it and returns its result).
 *
 * Why: the Keras 3 JAX trainer runs `call()` statelessly, tracing it with only the model's trainable
 * and non-trainable variables; a metric's variables are not among them, so updating a metric inside
 * `call()` fails on JAX (TypeError "'NoneType' object is not callable" while reading the metric's
 * purged variable), in `fit()`, `evaluate()` and `predict()` alike. TensorFlow and PyTorch run it
 * and report the metric in the logs (checked by running: claims/metric_updated_in_call.py). This is
 * the shape of Keras 2's endpoint layers after `add_metric()` (removed, KM124) is replaced with a tracker.
 *
 * Example:
 *   class Endpoint(keras.layers.Layer):
 *       def __init__(self):
 *           super().__init__()
 *           self.accuracy = keras.metrics.BinaryAccuracy()
 *       def call(self, targets, logits):
 *           self.accuracy.update_state(targets, logits)
 *           return logits
 *
 * Use instead (for JAX): update the metric outside `call()`: `compile(metrics=[...])` when it compares
 * the model's outputs with the targets, else in a Model subclass's `compute_loss()` override, which
 * every backend runs with the metrics' state (examples/runnable/converted/subclassed_model_add_metric.py
 * ran on TensorFlow, JAX and PyTorch), or after training (`metric.update_state(y, model.predict(x))`).
 *
 * Not flagged: an update inside `if keras.backend.backend() != "jax":` (the shape of KM124's fix),
 * which JAX never runs.
 *
 * Fix: none.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, kerasMethodName, metricAttributes, offJaxOnly, selfAttribute } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || kerasMethodName(ctx) !== 'call') {
    return;
  }
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  // `self.acc(...)` or `self.acc.update_state(...)`.
  let metric = parts.fn;
  const method = child(parts.fn, 'attribute');
  const object = child(parts.fn, 'object');
  if (method && object && ctx.textOf(method) === 'update_state' && object.type === 'attribute') {
    metric = object;
  }
  const attr = selfAttribute(metric, ctx);
  if (!attr || !metricAttributes(cls.node, ctx).has(attr) || offJaxOnly(node, ctx)) {
    return;
  }
  ctx.report(
    node,
    `\`self.${attr}\` is a Keras metric updated inside \`call()\`: that runs on TensorFlow and PyTorch, but JAX runs \`call()\` statelessly without the metric's variables and fails. ` +
      'For JAX, update it outside `call()`: `compile(metrics=[...])` when it compares the outputs with the targets, else in a Model subclass\'s `compute_loss()` (every backend runs it with the metrics\' state), or after training.'
  );
}

export const metricUpdatedInCall: RuleDefinition = {
  code: 'KM215',
  name: 'metric-updated-in-call',
  slug: 'removed-features',
  severity: 'warning',
  /** fit() fails on JAX only (Keras 3.15): claims/metric_updated_in_call.py. */
  blocks: ['jax'],
  fixAvailability: 'never',
  triggers: ['update_state', 'metrics'],
  docs: {
    whatItDoes:
      'Flags a Keras metric object held by a layer or model (`self.acc = keras.metrics.BinaryAccuracy()`) that its `call()` updates with `self.acc.update_state(...)` or `self.acc(...)`; not an update under `if keras.backend.backend() != "jax":`, which JAX never runs (the shape of KM124\'s fix).',
    why:
      'Keras 3\'s JAX trainer traces `call()` statelessly with only the model\'s trainable and non-trainable variables; a metric\'s variables are not among them, so updating a metric inside `call()` fails on JAX. TensorFlow and PyTorch run it and log the metric. A tracker updated in a Model subclass\'s `compute_loss()` runs on every backend (JAX maps the metrics\' state there). This is the shape Keras 2 endpoint layers take once `add_metric()` (removed in Keras 3, KM124) becomes a tracker. Not covered by the migration guide beyond "Removed features" (add_metric).',
    example:
      'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.accuracy = keras.metrics.BinaryAccuracy()\n    def call(self, targets, logits):\n        self.accuracy.update_state(targets, logits)\n        return logits',
    useInstead:
      'import keras\nclass Regressor(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.mean_tracker = keras.metrics.Mean(name="mean_prediction")\n    def call(self, x):\n        return self.dense(x)\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        self.mean_tracker.update_state(keras.ops.mean(y_pred))\n        return super().compute_loss(x, y, y_pred, sample_weight, training)'
  },
  visitors: { call: visit }
};
