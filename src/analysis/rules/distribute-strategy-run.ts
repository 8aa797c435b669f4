/**
 * What it does: flags `strategy.run(step, args=...)` (or TF 2.0's `experimental_run_v2`) of a
 * `tf.distribute` strategy inside a `@tf.function` (or of a `@tf.function` step) whose step
 * function runs Keras model code (calls a model or applies an optimizer): the TensorFlow
 * "Custom training with tf.distribute.Strategy" tutorial's `distributed_train_step`.
 * Why: in a `tf.function` the strategy traces the step as TensorFlow graph code on symbolic
 * TensorFlow tensors; a Keras 3 model on JAX or PyTorch cannot run on those ("Cannot convert a
 * symbolic tf.Tensor ... to a numpy array"), even after its gradient code was rewritten for the
 * backend. (Run eagerly, a one-device strategy just calls the step: no finding.) Keras 3 distributes JAX training with `keras.distribution` and `fit()`.
 * Example: `per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))`
 * Use instead: keep the program on the TensorFlow backend, or `keras.distribution.set_distribution(keras.distribution.DataParallel())` with `fit()` on JAX
 */
import { child, descendants, rootOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../helpers/calls';
import { strategyAssigned, strategyNames } from '../helpers/distribute';
import { isTfFunctionDefinition } from '../helpers/tape-context';



/** Whether a function body runs Keras model code (calls a Keras model or layer, applies an optimizer). */
function bodyRunsKerasCode(def: SyntaxNode, ctx: RuleContext): boolean {
  const body = child(def, 'body');
  for (const m of body ? descendants(body) : []) {
    const fn = m.type === 'call' ? child(m, 'function') : null;
    if (!fn) {
      continue;
    }
    if (fn.type === 'attribute' && ['apply_gradients', 'train_on_batch', 'predict', 'predict_on_batch'].includes(calleeName(fn, ctx))) {
      return true;
    }
    if (fn.type === 'identifier' && ctx.lookup(ctx.textOf(fn))?.kind === 'layer') {
      return true;
    }
  }
  return false;
}

/** The definitions (at any depth) of functions named `name` in the cell. */
function functionsNamed(name: string, root: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return [...descendants(root)].filter(n => n.type === 'function_definition' && ctx.textOf(child(n, 'name') ?? n) === name);
}

/** Facts for other cells: `distribute-strategy:NAME` for `NAME = tf.distribute.XStrategy()`. */
function visitAssignment(node: SyntaxNode, ctx: RuleContext): void {
  const name = strategyAssigned(node, ctx);
  if (name !== null) {
    ctx.note(`distribute-strategy:${name}`);
  }
}

/** Facts for other cells: `distribute-keras-step:NAME` for a module-level function running Keras model code. */
function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  if (name && !ctx.cls && bodyRunsKerasCode(node, ctx)) {
    ctx.note(`distribute-keras-step:${ctx.textOf(name)}`);
  }
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  const step = parts.positional[0] ?? parts.keywords.get('fn')?.value;
  if ((method !== 'run' && method !== 'experimental_run_v2') || receiver?.type !== 'identifier' || step?.type !== 'identifier') {
    return;
  }
  // Run eagerly (no tf.function around), a one-device strategy calls the step as plain Python:
  // Keras 3 runs it on every backend (checked on Keras 3.15).
  const root = rootOf(node);
  const steps = functionsNamed(ctx.textOf(step), root, ctx);
  if (!ctx.inTfFunction() && !steps.some(def => isTfFunctionDefinition(def, ctx))) {
    return;
  }
  // The strategy and the step may be defined in earlier cells of a notebook (the tutorial's layout).
  const conditions: string[] = [];
  if (!strategyNames(root, ctx).has(ctx.textOf(receiver))) {
    conditions.push(`anywhere:distribute-strategy:${ctx.textOf(receiver)}`);
  }
  if (!steps.some(def => bodyRunsKerasCode(def, ctx))) {
    if (steps.length > 0) {
      return;
    }
    conditions.push(`anywhere:distribute-keras-step:${ctx.textOf(step)}`);
  }
  ctx.report(
    parts.fn,
    `\`${ctx.textOf(receiver)}.${method}(${ctx.textOf(step)}, ...)\` in a \`tf.function\` traces \`${ctx.textOf(step)}\` as TensorFlow code on TensorFlow tensors, and it runs Keras model code: that works on the TensorFlow backend only (on JAX and PyTorch "Cannot convert a symbolic tf.Tensor ... to a numpy array"). Keep this program on TensorFlow, or on JAX distribute \`fit()\` with \`keras.distribution\` (\`DataParallel\`).`,
    null,
    undefined,
    conditions.length > 0 ? conditions.join(' & ') : undefined
  );
}

export const distributeStrategyRun: RuleDefinition = {
  code: 'KM323',
  name: 'distribute-strategy-run',
  slug: 'custom-train-step',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15: the TensorFlow tutorial's `strategy.run(train_step, ...)` in a
   * `@tf.function`, after `fix --unsafe` rewrote the tape step for JAX and PyTorch, still raised
   * "Cannot convert a symbolic tf.Tensor (dataset_inputs:0) to a numpy array" there and ran on
   * TensorFlow (examples/runnable/distributed_custom_training_loop.py,
   * python_kernel_hooks/tests/claims/distribute_strategy_run.py).
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['run', 'experimental_run_v2'],
  docs: {
    whatItDoes:
      'Flags `strategy.run(step, ...)` (and TF 2.0\'s `strategy.experimental_run_v2`) inside a `@tf.function` (or with a `@tf.function` step), where `strategy` is assigned a `tf.distribute` strategy and `step`, a function defined in the notebook (this cell or another), calls a Keras model or applies an optimizer. No fix.',
    why:
      'In a `tf.function`, a `tf.distribute` strategy traces the step as TensorFlow graph code and hands it symbolic TensorFlow tensors (from `experimental_distribute_dataset`). A Keras 3 model on the JAX or PyTorch backend cannot run there ("Cannot convert a symbolic tf.Tensor ... to a numpy array"), even when its gradient code has been rewritten for the backend. Run eagerly, a one-device strategy calls the step as plain Python and Keras 3 runs it on every backend. The code runs on the TensorFlow backend; on JAX, Keras 3 distributes training through `keras.distribution` (`DataParallel`, `ModelParallel`) with `fit()`.',
    example:
      'import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n\ndef step(x):\n    return model(x)\n\n@tf.function\ndef distributed_step(x):\n    return strategy.run(step, args=(x,))\n',
    useInstead:
      'import keras\nkeras.distribution.set_distribution(keras.distribution.DataParallel())\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\n'
  },
  visitors: { call: visitCall, assignment: visitAssignment, function_definition: visitFunction }
};
