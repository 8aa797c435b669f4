import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, kerasMethodName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  if (method === 'add_metric' && receiver && (ctx.textOf(receiver) === 'self' ? ctx.cls?.keras : ctx.isLayerInstance(receiver))) {
    ctx.report(
      parts.fn,
      '`add_metric()` was removed in Keras 3: it raises NotImplementedError on every backend. Pass the metric to `compile(metrics=[...])` when it compares the model\'s outputs with the targets. A `keras.metrics.Metric` created in `__init__()` and updated with `update_state()` in `call()` (what Keras suggests) runs on TensorFlow and PyTorch but fails on JAX, whose training step is stateless: for JAX, compute the value outside the layer (in `compute_metrics()` or after training).'
    );
    return;
  }
  // Keras 2 took zero-argument callables (`add_loss(lambda: ...)`) for weight penalties.
  if (method === 'add_loss' && parts.positional[0]?.type === 'lambda') {
    ctx.report(parts.fn, 'Keras 3 `add_loss()` takes tensors only; a callable loss is rejected. Add the penalty from a layer\'s `call()`, or use a regularizer.');
    return;
  }
  if (method === 'add_loss' && receiver && ctx.textOf(receiver) !== 'self' && kerasMethodName(ctx) === null) {
    if (parts.positional.some(a => ctx.isSymbolic(a))) {
      ctx.report(parts.fn, 'Keras 3 accepts `add_loss()` only inside a layer\'s `call()`; a symbolic loss added to a Functional model fails. Add it from a custom layer.');
    }
  }
}

export const removedLossMetricApi: RuleDefinition = {
  code: 'KM124',
  name: 'removed-loss-metric-api',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'never',
  triggers: ['add_metric', 'add_loss'],
  docs: {
    whatItDoes: 'Flags `Layer.add_metric()` calls, `model.add_loss(<symbolic tensor>)` on a Functional model, and callable losses (`add_loss(lambda: ...)`).',
    why:
      'Keras 3 removed `add_metric()` (calling it raises NotImplementedError; the migration guide gives no replacement, so there is no fix: a metric tracker updated in `call()` was checked by running and trains on TensorFlow and PyTorch but fails on JAX), and `add_loss()` works only while a layer is being called, so a symbolic loss added from outside raises "`add_loss()` can only be called from inside `build()` or `call()`" (guide section "Removed features").',
    example:
      'import keras\ninputs = keras.Input((4,))\noutputs = keras.layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.add_loss(keras.ops.mean(outputs))',
    useInstead:
      'import keras\nclass ActivityLoss(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(keras.ops.mean(x))\n        return x'
  },
  calls: { names: ['add_metric', 'add_loss'] },
  visitors: { call: visit }
};
