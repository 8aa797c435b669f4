import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { calleeName, kerasMethodName, tfApiName } from '../rule-helpers';

const STEPS = new Set(['train_step', 'test_step', 'predict_step']);

function stepOf(ctx: RuleContext): string | null {
  const method = kerasMethodName(ctx);
  return method && STEPS.has(method) && ctx.cls?.keras === 'model' ? method : null;
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const step = stepOf(ctx);
  const fn = child(node, 'function');
  if (!step || !fn) {
    return;
  }
  const tf = tfApiName(ctx.resolve(fn));
  if (tf === 'tf.GradientTape') {
    ctx.report(fn, `\`tf.GradientTape\` in \`${step}()\` ties training to TensorFlow; override \`compute_loss()\` instead, or write one ${step} per backend.`);
    return;
  }
  if (fn.type === 'attribute' && calleeName(fn, ctx) === 'apply_gradients') {
    ctx.report(fn, `\`optimizer.apply_gradients\` in \`${step}()\` is TensorFlow-style training; on JAX/PyTorch use a \`compute_loss()\` override or the backend's own step.`);
  }
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const step = stepOf(ctx);
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!step || !attr || !object || ctx.textOf(object) !== 'self') {
    return;
  }
  const name = ctx.textOf(attr);
  if (name === 'compiled_loss' || name === 'compiled_metrics') {
    ctx.report(node, `\`self.${name}\` is a deprecated TensorFlow-backend shim in Keras 3 (early 3.x releases lack it); use \`self.compute_loss(...)\` and \`self.compute_metrics(...)\` (or iterate \`self.metrics\`).`);
  }
}

export const tensorflowTrainStep: RuleDefinition = {
  code: 'KM141',
  name: 'tensorflow-train-step',
  slug: 'custom-train-step',
  severity: 'warning',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'In `train_step()`/`test_step()` overrides of Keras Model subclasses, flags `tf.GradientTape`, `optimizer.apply_gradients` and `self.compiled_loss`/`self.compiled_metrics`. A `compute_loss()` override is the portable way and is not flagged.',
    why:
      'A GradientTape training step only runs on TensorFlow, and Keras 3 keeps `compiled_loss`/`compiled_metrics` only as deprecated TensorFlow-backend shims (guide section "Custom train_step() methods"). Overriding `compute_loss()` keeps `fit()` working on every backend.',
    example:
      'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x))\n        ...',
    useInstead:
      'import keras\nclass M(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))'
  },
  calls: { resolved: ['tensorflow.'], names: ['apply_gradients'] },
  visitors: { call: visitCall, attribute: visitAttribute }
};
