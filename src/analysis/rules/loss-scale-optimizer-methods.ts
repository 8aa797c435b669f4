/**
 * What it does: flags the Keras 2 `LossScaleOptimizer` methods of a custom training loop,
 * `optimizer.get_scaled_loss(loss)` and `optimizer.get_unscaled_gradients(grads)` (the
 * TensorFlow mixed precision guide's loop), and writes their Keras 3 form:
 * `optimizer.scale_loss(loss)`, and the scaled gradients themselves.
 * Why: Keras 3's `keras.mixed_precision.LossScaleOptimizer` has neither method ("'LossScaleOptimizer'
 * object has no attribute 'get_scaled_loss'" on every backend): `scale_loss()` multiplies the
 * loss by the current scale, and `apply_gradients()` divides the gradients by it before updating
 * (skipping the step when they are not finite), so the loop hands it the scaled gradients.
 * Example: `scaled_loss = optimizer.get_scaled_loss(loss)` ... `grads = optimizer.get_unscaled_gradients(scaled_grads)`
 * Use instead: `scaled_loss = optimizer.scale_loss(loss)` ... `grads = scaled_grads` (apply_gradients unscales)
 * It also flags `opt = LossScaleOptimizer(...)` whose `opt.apply_gradients()` the code calls itself:
 * Keras 3.15 applies it eagerly through `ops.cond`, which fails on JAX (no fix).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../helpers/calls';

const METHODS = new Set(['get_scaled_loss', 'get_unscaled_gradients']);

const LOSS_SCALE_OPTIMIZER = /^keras\.(mixed_precision|optimizers)\.LossScaleOptimizer$/;

/**
 * `opt = LossScaleOptimizer(...)` whose `opt.apply_gradients(...)` / `opt.apply(...)` the code calls
 * itself (a custom loop, not fit()): Keras 3.15's stateful apply fails on JAX.
 */
function visitConstruction(node: SyntaxNode, parts: NonNullable<ReturnType<typeof callParts>>, ctx: RuleContext): void {
  const assignment = node.parent;
  const target = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier' || child(assignment!, 'right') !== node) {
    return;
  }
  const name = ctx.textOf(target);
  const applied = new RegExp(`(?<![\\w.])${name}\\s*\\.\\s*apply(_gradients)?\\s*\\(`).test(ctx.text);
  if (!applied) {
    return;
  }
  ctx.report(
    parts.fn,
    `\`${name}.apply_gradients()\` of a \`LossScaleOptimizer\` called by the code itself (a custom training loop) fails on JAX in Keras 3: its dynamic loss-scale update runs under \`ops.cond\` and raises "UnexpectedTracerError" when applied eagerly; train with \`fit()\` on JAX (it applies the optimizer statelessly), or leave loss scaling out there.`,
    null,
    undefined,
    undefined,
    ['jax']
  );
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (LOSS_SCALE_OPTIMIZER.test(ctx.resolveKeras(parts.fn) ?? '')) {
    visitConstruction(node, parts, ctx);
    return;
  }
  if (parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  const attr = child(parts.fn, 'attribute');
  if (!METHODS.has(method) || !receiver || !attr || ctx.resolve(parts.fn)) {
    return;
  }
  // `tf.compat.v1.mixed_precision...` or another module's function: not a method of an optimizer object.
  if (receiver.type === 'identifier' && ctx.resolve(receiver)) {
    return;
  }
  const single = parts.positional.length === 1 && parts.keywords.size === 0 && !parts.splat ? parts.positional[0] : null;
  if (method === 'get_scaled_loss') {
    ctx.report(
      attr,
      '`LossScaleOptimizer.get_scaled_loss()` is Keras 2 (tf.keras) API: Keras 3\'s `LossScaleOptimizer` has no such method ("\'LossScaleOptimizer\' object has no attribute \'get_scaled_loss\'" on every backend); use `optimizer.scale_loss(loss)`.',
      {
        title: 'Use `scale_loss()`',
        safe: false,
        edits: [{ start: attr.start, end: attr.end, text: 'scale_loss' }]
      }
    );
    return;
  }
  ctx.report(
    attr,
    '`LossScaleOptimizer.get_unscaled_gradients()` is Keras 2 (tf.keras) API: Keras 3\'s `LossScaleOptimizer` has no such method ("\'LossScaleOptimizer\' object has no attribute \'get_unscaled_gradients\'" on every backend); its `apply_gradients()` unscales the gradients itself, so pass it the scaled gradients (divide by `optimizer.dynamic_scale` where they are used otherwise).',
    single
      ? {
          title: 'Use the scaled gradients (`apply_gradients()` unscales them)',
          safe: false,
          edits: [{ start: node.start, end: node.end, text: ctx.textOf(single) }]
        }
      : undefined
  );
}

export const lossScaleOptimizerMethods: RuleDefinition = {
  code: 'KM320',
  name: 'loss-scale-optimizer-methods',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: `LossScaleOptimizer(Adam())`
   * has no `get_scaled_loss` / `get_unscaled_gradients` (AttributeError); `scale_loss()` and
   * `apply_gradients()` of the scaled gradients train (examples/runnable/
   * mixed_precision_loss_scale_loop.py, python_kernel_hooks/tests/claims/loss_scale_optimizer_methods.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['get_scaled_loss', 'get_unscaled_gradients', 'LossScaleOptimizer'],
  docs: {
    whatItDoes:
      'Flags calls of `get_scaled_loss()` and `get_unscaled_gradients()`, the Keras 2 `LossScaleOptimizer` methods of a mixed-precision custom training loop. The fixes (suggested) write `scale_loss()` for the first and replace the second by its argument, the scaled gradients. It also flags `opt = LossScaleOptimizer(...)` when the code calls `opt.apply_gradients()` (or `opt.apply()`) itself, as a blocker on JAX only (no fix).',
    why:
      'Keras 3\'s `LossScaleOptimizer` has neither method, so the loop raises "\'LossScaleOptimizer\' object has no attribute \'get_scaled_loss\'" on every backend. Keras 3 scales the loss with `scale_loss()`, and its `apply_gradients()` divides the gradients by the current scale before the update (and skips steps whose gradients are not finite), so the gradients of the scaled loss go to `apply_gradients()` as they are. Where the loop uses the gradients for something else too (clipping by a norm, logging), divide them by `optimizer.dynamic_scale` there. On JAX, Keras 3.15\'s `LossScaleOptimizer.apply_gradients()` called eagerly (outside `fit()`) raises "UnexpectedTracerError": its dynamic-scale update runs under `ops.cond`; `fit()` applies it statelessly and works. Not covered by the migration guide.',
    example:
      'import tensorflow as tf\n\ndef train_step(optimizer, model, loss_fn, x, y):\n    with tf.GradientTape() as tape:\n        loss = loss_fn(y, model(x))\n        scaled_loss = optimizer.get_scaled_loss(loss)\n    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)\n    gradients = optimizer.get_unscaled_gradients(scaled_gradients)\n    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n',
    useInstead:
      'import tensorflow as tf\n\ndef train_step(optimizer, model, loss_fn, x, y):\n    with tf.GradientTape() as tape:\n        loss = loss_fn(y, model(x))\n        scaled_loss = optimizer.scale_loss(loss)\n    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)\n    gradients = scaled_gradients\n    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n'
  },
  calls: { names: ['get_scaled_loss', 'get_unscaled_gradients', 'LossScaleOptimizer'] },
  requires: ['get_scaled_loss', 'get_unscaled_gradients', 'LossScaleOptimizer'],
  visitors: { call: visitCall }
};
