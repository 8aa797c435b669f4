/**
 * keras-optimizer-on-tf-variables (KM312)
 *
 * What it does: flags `optimizer.apply_gradients(zip(grads, [W, b]))` where the optimizer is a Keras
 * one and the variables are loose `tf.Variable`s of the program (no layer holds them).
 *
 * Why: the TensorFlow 2 tutorials' raw training loops (aymericdamien's logistic and linear regression,
 * word2vec, autoencoder) train `tf.Variable`s under a `tf.GradientTape` with `tf.optimizers.Adam`.
 * Keras 3's optimizer updates them on TensorFlow and on JAX (the tape and the variables stay
 * TensorFlow's there), but on PyTorch it fails ("'function' object has no attribute 'dtype'"; og49b
 * repro_2, claims/keras_optimizer_on_tf_variables.py, checked on Keras 3.15).
 *
 * Fix: none. Keep such a loop on TensorFlow (or JAX), or make the variables `keras.Variable`s and
 * the step the backend's own gradient code (the guide's custom training loop section).
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../helpers/calls';

/** Whether `node` is a name last assigned `tf.Variable(...)`. */
function isTfVariable(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type !== 'identifier') {
    return false;
  }
  const value = lastAssignedValue(ctx.textOf(node), node, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  return !!fn && ctx.resolve(fn) === 'tensorflow.Variable';
}

/** The variables of `zip(grads, VARS)` (or `list(zip(...))`): VARS as a list written out or a name assigned one. */
function zippedVariables(arg: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  let call: SyntaxNode | null = arg;
  const outer = callParts(arg, ctx);
  if (outer && outer.fn.type === 'identifier' && ctx.textOf(outer.fn) === 'list' && outer.positional.length === 1) {
    call = outer.positional[0];
  }
  const parts = call ? callParts(call, ctx) : null;
  if (!parts || parts.fn.type !== 'identifier' || ctx.textOf(parts.fn) !== 'zip' || parts.positional.length !== 2) {
    return null;
  }
  let vars: SyntaxNode | null = parts.positional[1];
  if (vars.type === 'identifier') {
    vars = lastAssignedValue(ctx.textOf(vars), vars, ctx);
  }
  return vars && (vars.type === 'list' || vars.type === 'tuple') ? itemsOf(vars) : null;
}

/** Whether the receiver of `apply_gradients` is a Keras optimizer made in the code (`keras.optimizers.Adam(...)`, `tf.optimizers.Adam(...)`). */
function isKerasOptimizer(receiver: SyntaxNode, ctx: RuleContext): boolean {
  const value = receiver.type === 'identifier' ? lastAssignedValue(ctx.textOf(receiver), receiver, ctx) : receiver;
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return false;
  }
  const name = ctx.resolveKeras(fn) ?? ctx.resolve(fn) ?? '';
  return /^(keras|tensorflow)\.optimizers\.(?!legacy\.)[A-Z]\w*$/.test(name);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const method = parts?.fn.type === 'attribute' ? child(parts.fn, 'attribute') : null;
  const receiver = parts?.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
  if (!parts || !method || !receiver || ctx.textOf(method) !== 'apply_gradients' || !parts.positional.length) {
    return;
  }
  const variables = zippedVariables(parts.positional[0], ctx);
  if (!variables || !variables.length || !variables.every(v => isTfVariable(v, ctx)) || !isKerasOptimizer(receiver, ctx)) {
    return;
  }
  ctx.report(
    node,
    `A Keras 3 optimizer updating loose \`tf.Variable\`s (${variables.map(v => `\`${ctx.textOf(v)}\``).join(', ')}) runs on TensorFlow and JAX, where they stay TensorFlow's, but fails on PyTorch ("'function' object has no attribute 'dtype'"). Keep this loop on TensorFlow or JAX, or make them \`keras.Variable\`s and write the step with the backend's gradient API.`
  );
}

export const kerasOptimizerOnTfVariables: RuleDefinition = {
  code: 'KM312',
  name: 'keras-optimizer-on-tf-variables',
  slug: 'api-changes',
  severity: 'warning',
  /** AttributeError on PyTorch; TensorFlow and JAX update the variables (checked by running Keras 3.15). */
  blocks: ['torch'],
  fixAvailability: 'never',
  triggers: ['apply_gradients'],
  docs: {
    whatItDoes:
      'Flags `optimizer.apply_gradients(zip(grads, [W, b]))` where the optimizer is a Keras one and every variable is a loose `tf.Variable` of the program (no layer holds it), the raw training loops of the TensorFlow 2 tutorials.',
    why:
      'Keras 3\'s optimizer updates `tf.Variable`s on TensorFlow and on JAX, where the tape and the variables stay TensorFlow\'s, but on PyTorch it fails with "\'function\' object has no attribute \'dtype\'" (checked on Keras 3.15). Not covered by the migration guide. No fix: keep the loop on TensorFlow or JAX, or make the variables `keras.Variable`s and write the step with the backend\'s gradient API.',
    example:
      'import tensorflow as tf\nimport keras\n\nW = tf.Variable(tf.zeros([4, 3]))\nb = tf.Variable(tf.zeros([3]))\noptimizer = keras.optimizers.Adam(0.01)\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b))\ngradients = tape.gradient(loss, [W, b])\noptimizer.apply_gradients(zip(gradients, [W, b]))',
    useInstead:
      'import tensorflow as tf\n\nW = tf.Variable(tf.zeros([4, 3]))\nb = tf.Variable(tf.zeros([3]))\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b))\ngradients = tape.gradient(loss, [W, b])\nfor variable, gradient in zip([W, b], gradients):\n    variable.assign_sub(0.01 * gradient)  # a plain TensorFlow step, run with TensorFlow installed'
  },
  calls: { names: ['apply_gradients'] },
  requires: ['apply_gradients'],
  visitors: { call: visit }
};
