import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

/**
 * What it does: flags `self.compiled_metrics.<attribute>` (other than `update_state`) and
 * `self.compiled_loss.<attribute>` in a Keras Model subclass: `self.compiled_metrics.metrics` in a
 * `metrics` property (keras.io's AdaMatch / FixMatch style `[...trackers] + self.compiled_metrics.metrics`),
 * `self.compiled_metrics.reset_state()`, `self.compiled_loss.metrics`.
 *
 * Why: Keras 3 keeps `compiled_metrics` and `compiled_loss` only as TensorFlow-backend shims: a
 * `DeprecatedCompiledMetric` object whose one method is `update_state()`, and a `compiled_loss()`
 * method. Any other attribute fails on TensorFlow too ("AttributeError: 'DeprecatedCompiledMetric'
 * object has no attribute 'metrics'", checked by running Keras 3.15 on TensorFlow), and JAX and
 * PyTorch models have neither attribute. KM141 flags these shims inside train_step/test_step only.
 *
 * Example:
 *     @property
 *     def metrics(self):
 *         return [self.loss_tracker] + self.compiled_metrics.metrics
 *
 * Use instead: Keras 3's own `metrics` property already lists the compiled metrics (after its loss
 * tracker) and the trackers set as attributes: drop the override, or list the trackers and let
 * `compute_metrics()` (or `super().compute_metrics(x, y, y_pred, sample_weight)`) update and
 * return the compiled ones.
 */

const KEPT: Record<string, Set<string>> = {
  compiled_metrics: new Set(['update_state']),
  compiled_loss: new Set()
};

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.cls?.keras !== 'model') {
    return;
  }
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  if (!object || !attr || object.type !== 'attribute') {
    return;
  }
  const inner = child(object, 'object');
  const shim = child(object, 'attribute');
  if (!inner || !shim || ctx.textOf(inner) !== 'self') {
    return;
  }
  const name = ctx.textOf(shim);
  const kept = KEPT[name];
  const used = ctx.textOf(attr);
  if (!kept || kept.has(used)) {
    return;
  }
  const what = name === 'compiled_metrics' ? "a `DeprecatedCompiledMetric` object whose one method is `update_state()`" : 'a deprecated method';
  ctx.report(
    node,
    `\`self.${name}.${used}\` fails in Keras 3 on every backend: on TensorFlow \`self.${name}\` is ${what} ("AttributeError: '${name === 'compiled_metrics' ? 'DeprecatedCompiledMetric' : 'method'}' object has no attribute '${used}'"), and JAX and PyTorch models have no \`${name}\`. Keras 3's own \`metrics\` property already lists the compiled metrics and the trackers set as attributes: drop the override, or let \`compute_metrics()\` update and return the compiled metrics.`
  );
}

export const compiledMetricsAttribute: RuleDefinition = {
  code: 'KM236',
  name: 'compiled-metrics-attribute',
  slug: 'custom-train-step',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['compiled_metrics', 'compiled_loss'],
  docs: {
    whatItDoes:
      'Flags `self.compiled_metrics.<attribute>` other than `update_state` (`self.compiled_metrics.metrics` in a `metrics` property, as keras.io\'s AdaMatch-style models wrote it) and any `self.compiled_loss.<attribute>` in a Keras Model subclass.',
    why:
      'Keras 3 keeps `compiled_metrics`/`compiled_loss` only as TensorFlow-backend shims: `compiled_metrics` is a `DeprecatedCompiledMetric` whose one method is `update_state()` and `compiled_loss` is a method, so `self.compiled_metrics.metrics` fails on TensorFlow too ("AttributeError: \'DeprecatedCompiledMetric\' object has no attribute \'metrics\'", checked by running Keras 3.15), and JAX and PyTorch models have neither attribute. No fix: Keras 3\'s `metrics` property already lists the compiled metrics, so the right change depends on what the override is for.',
    example:
      'import keras\nclass M(keras.Model):\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics',
    useInstead:
      'import keras\nclass M(keras.Model):\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return super().compute_metrics(x, y, y_pred, sample_weight)'
  },
  visitors: { attribute: visitAttribute }
};
