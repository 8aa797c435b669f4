/**
 * unbuilt-model-weights (KM284)
 *
 * What it does: flags `load_weights()` and `save_weights()` of a model the cell has made but not yet
 * built: an instance of a `keras.Model` subclass of the cell, or a `Sequential` without an input shape,
 * not called on data, trained, evaluated, predicted with or built before the line.
 *
 * Why: Keras 2 restored a TensorFlow checkpoint into such a model when it was first called, and saved
 * one without building it. Keras 3 loads and saves the weights of a built model only: "You are loading
 * weights into a model that has not yet been built" and "You are saving a model that has not yet been
 * built", on every backend (checked on Keras 3.15; claims/unbuilt_model_weights_load.py).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { modelBuildState, modelClassMade } from '../helpers/model-build-state';
import { neverBuilt } from '../helpers/mark-built';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const model = parts.fn.children[0];
  if ((method !== 'load_weights' && method !== 'save_weights') || !model || modelBuildState(model, node, ctx) !== 'unbuilt') {
    return;
  }
  const cls = modelClassMade(model, node, ctx);
  // A model without call() or build() saving its weights is KM214's (which marks it built).
  if (method === 'save_weights' && cls && neverBuilt(cls, ctx)) {
    return;
  }
  const name = ctx.textOf(model);
  const made = cls ? `an instance of the \`keras.Model\` subclass \`${ctx.textOf(child(cls, 'name') ?? cls)}\`` : 'a `Sequential` given no input shape';
  const error = method === 'load_weights' ? 'You are loading weights into a model that has not yet been built' : 'You are saving a model that has not yet been built';
  ctx.report(
    parts.fn,
    `\`${name}\` is not built here (${made}, not yet called on data, trained or built): Keras 3 raises "${error}" on every backend. ` +
      `Keras 2 ${method === 'load_weights' ? 'restored a TensorFlow checkpoint into it when it was first called' : 'saved its checkpoint without building it'}. ` +
      `Build it first: call it on a batch (\`${name}(x[:1])\`)${cls ? ' (a subclass without its own `build()` gets no weights from `build(input_shape)` in Keras 3)' : `, \`${name}.build(input_shape)\`, or start the \`Sequential\` with \`keras.Input(shape)\``}.`,
    null
  );
}

export const unbuiltModelWeights: RuleDefinition = {
  code: 'KM284',
  name: 'unbuilt-model-weights',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError on loading or saving (Keras 3.15, TF/JAX/PyTorch; claims/unbuilt_model_weights_load.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['load_weights', 'save_weights'],
  docs: {
    whatItDoes:
      'Flags `load_weights()` and `save_weights()` of a model the cell makes and has not built by then: an instance of a `keras.Model` subclass of the cell, or a `Sequential` whose layers give no input shape (no `keras.Input`, no `input_shape=`), not called on data, trained (`fit`), evaluated, predicted with or built (`build`) before the line. A model handed to another function first, or made in another cell, may be built there: not flagged. No fix: the input shape is the program\'s to give.',
    why:
      'Keras 2 restored a TensorFlow checkpoint into a subclassed model when it was first called (deferred restoration), and saved one without building it. Keras 3 loads and saves the weights of a built model only: "You are loading weights into a model that has not yet been built" and "You are saving a model that has not yet been built. Try building the model first by calling it on some data or by using `build()`", on every backend (checked on Keras 3.15 with TensorFlow, JAX and PyTorch; TensorFlow\'s checkpoint guide saves `Net()` right after making it). `compile()` does not build a model. Renaming the file to `.weights.h5` (KM166) is not enough.',
    example:
      'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet.load_weights("net.weights.h5")',
    useInstead:
      'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet(keras.ops.zeros((1, 3)))\nnet.load_weights("net.weights.h5")'
  },
  calls: { names: ['load_weights', 'save_weights'] },
  requires: ['load_weights', 'save_weights'],
  visitors: { call: visit }
};
