/**
 * tf-function-calls-keras-layers (KM273)
 *
 * What it does: flags `@tf.function` on a function outside a class (a notebook's or script's own
 * function) that calls a Keras layer or model of the program with arguments (`model(x)`,
 * `generator(noise, training=False)`) and records no `tf.GradientTape` (a training loop with a tape
 * is KM175's).
 *
 * Why: on JAX and PyTorch, Keras layers compute with that backend's arrays; tf.function traces the
 * function with symbolic TensorFlow tensors, which a layer cannot take ("Cannot convert a symbolic
 * tf.Tensor (x:0) to a numpy array"). TensorFlow runs it as before. Applied on TensorFlow only,
 * the decorator keeps TensorFlow's graph and lets JAX and PyTorch run the function eagerly.
 *
 * Example:
 *   @tf.function
 *   def serve(x):
 *       return model(x, training=False)
 *
 * Use instead:
 *   @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))
 *   def serve(x):
 *       return model(x, training=False)
 *
 * Fix (safe): the decorator applied on TensorFlow only; TensorFlow runs what it ran.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { tensorflowOnlyDecoratorsFix } from '../helpers/backend-branch';
import { callsIn, passesArguments, tfFunctionDecorators } from '../helpers/tape-context';
import { isTfModuleInstance } from '../helpers/model-code';

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  // Methods are KM265's; a tape inside makes it a training loop, KM175's.
  if (ctx.cls !== null && ctx.cls.node.start < node.start && node.end <= ctx.cls.node.end) {
    return;
  }
  const decorators = tfFunctionDecorators(node, ctx);
  if (decorators.length === 0 || /\bGradientTape\b/.test(ctx.textOf(node))) {
    return;
  }
  const reached = callsIn(node).find(call => {
    const fn = child(call, 'function');
    // A name holding a `tf.Module` of the cell where the function runs (TensorFlow's saved_model
    // migration guide calls `model(input)`, then binds `model` to a Keras model) is TensorFlow's own.
    return !!fn && passesArguments(call) && (fn.type === 'identifier' || fn.type === 'attribute') && ctx.isLayerInstance(fn) && !isTfModuleInstance(fn, ctx);
  });
  if (!reached) {
    return;
  }
  const name = ctx.textOf(child(node, 'name') ?? node);
  ctx.report(
    decorators[0],
    `\`${name}()\` is a \`@tf.function\` that calls a Keras ${'layer or model'} (\`${ctx.textOf(child(reached, 'function')!)}(...)\`): ` +
      'tf.function traces it with TensorFlow tensors, which Keras layers cannot take on JAX or PyTorch ("Cannot convert a symbolic tf.Tensor to a numpy array"). ' +
      'Apply the decorator on TensorFlow only; on JAX and PyTorch the function runs eagerly.',
    tensorflowOnlyDecoratorsFix(decorators, ctx)
  );
}

export const tfFunctionCallsKerasLayers: RuleDefinition = {
  code: 'KM273',
  name: 'tf-function-calls-keras-layers',
  slug: 'keras-ops',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: `@tf.function def step(x, real): return tf.concat([model(x),
   * real], 0)` raises "Cannot convert a symbolic tf.Tensor (x:0) to a numpy array" on JAX and
   * PyTorch and runs on TensorFlow; with the decorator on TensorFlow only (and keras.ops.concatenate,
   * KM191's fix there) it runs on all three (claims/tf_function_calls_model.py).
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['function'],
  docs: {
    whatItDoes:
      'Flags `@tf.function` (with or without arguments) on a function outside a class that calls a Keras layer or model of the program with arguments (`model(x)`, `generator(noise, training=False)`) and records no `tf.GradientTape` (a custom training loop is KM175\'s; a method of a Keras class, KM265\'s).',
    why:
      'On JAX and PyTorch, Keras layers compute with that backend\'s arrays. tf.function traces the function with symbolic TensorFlow tensors, and a layer called on one tries to make it a NumPy array: "Cannot convert a symbolic tf.Tensor to a numpy array" (Keras 3.15, run). TensorFlow runs it as before. With the decorator applied on TensorFlow only, TensorFlow keeps its graph and JAX and PyTorch run the function eagerly; TF ops there on the layers\' outputs get their keras.ops conversion (KM191). Safe: on TensorFlow the program is unchanged.',
    example: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n\n\n@tf.function\ndef serve(x):\n    return model(x, training=False)',
    useInstead:
      'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n\n\n@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef serve(x):\n    return model(x, training=False)'
  },
  requires: ['function'],
  visitors: { function_definition: visitFunction }
};
