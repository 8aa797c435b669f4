/**
 * partial-weights-load (KM278)
 *
 * What it does: flags `model.load_weights(path)` of weights that another model of the code saved
 * to the same path as a TensorFlow checkpoint (`pretrained.save_weights("pretrained_ckpt")`, a
 * path without a `.h5` extension), where the two models are not made the same way: a model with a
 * new head loading a headless model's weights, as transfer learning does.
 *
 * Why: Keras 2 restored a TensorFlow checkpoint by matching objects: the layers the two models
 * share got the weights and the others (a new head) stayed as they were. Keras 3 saves and loads
 * `.weights.h5` files (what the weights-file fix writes), and its load expects the same layers:
 * "Layer 'predictions' expected 2 variables, but received 0 variables during loading" on every
 * backend (keras.io serialization guide's transfer-learning example; checked on Keras 3.15 with
 * TensorFlow, JAX and PyTorch). `skip_mismatch=True` loads the layers that match and warns about
 * the others.
 *
 * Example:
 *   pretrained.save_weights("pretrained.weights.h5")
 *   model.load_weights("pretrained.weights.h5")
 *
 * Use instead:
 *   pretrained.save_weights("pretrained.weights.h5")
 *   model.load_weights("pretrained.weights.h5", skip_mismatch=True)
 *
 * Fix (suggestion): adds `skip_mismatch=True`. Where the models have the same layers it changes
 * nothing; where they differ it turns Keras 3's error into a partial load with a warning, as the
 * TensorFlow checkpoint did, and a real mismatch (a wrong file) then goes unnoticed.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { appendArgument, callParts, lastAssignedValue } from '../helpers/calls';
import { isCheckpointPrefix, pathSegment, pathUses } from '../helpers/paths';

/** The receiver of a method call (`pretrained` in `pretrained.save_weights(...)`), else null. */
function receiverOf(call: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const fn = callParts(call, ctx)?.fn;
  return fn?.type === 'attribute' ? child(fn, 'object') : null;
}

/**
 * What made the model the name holds before `at`: the callee of the call it was last assigned
 * (`make_model` for `make_model(output_bias=b)`, `keras.Model` for `keras.Model(inputs, x)`), else
 * the value's text without spaces; null where unknown.
 */
function madeFrom(receiver: SyntaxNode, at: SyntaxNode, ctx: RuleContext): string | null {
  if (receiver.type !== 'identifier') {
    return null;
  }
  const value = lastAssignedValue(ctx.textOf(receiver), at, ctx);
  const callee = value?.type === 'call' ? child(value, 'function') : null;
  return callee ? ctx.textOf(callee).replace(/\s+/g, '') : value ? ctx.textOf(value).replace(/\s+/g, '') : null;
}

/** Keras's own model constructors: two models made by one of them can hold any layers. */
const BUILT_IN_MODEL = /(?:^|\.)(?:Model|Sequential|Functional)$/;

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.keywords.has('skip_mismatch') || parts.keywords.has('by_name') || !parts.args) {
    return;
  }
  const uses = pathUses(node, ctx);
  const use = uses.find(u => u.call === node);
  if (!use || use.kind !== 'load-weights' || use.path.tailValue === null || !isCheckpointPrefix(use.path.tailValue)) {
    return;
  }
  const save = pathSegment(
    use,
    uses.filter(u => u.path.key === use.path.key)
  ).find(u => u.kind === 'save-weights' && u.call.start < node.start);
  const saver = save ? receiverOf(save.call, ctx) : null;
  const loader = receiverOf(node, ctx);
  if (!save || !saver || !loader || ctx.textOf(saver) === ctx.textOf(loader) || !ctx.isLayerInstance(loader)) {
    return;
  }
  // Two models made by one function or class of the code (`create_model()` twice, with other
  // arguments maybe: the TensorFlow tutorials' `make_model(output_bias=...)`) have the same layers.
  const savedFrom = madeFrom(saver, save.call, ctx);
  const loadedFrom = madeFrom(loader, node, ctx);
  if (savedFrom !== null && savedFrom === loadedFrom && !BUILT_IN_MODEL.test(savedFrom)) {
    return;
  }
  // A clone of the saving model has its layers too.
  if (loadedFrom !== null && new RegExp(`^(?:[\\w.]+\\.)?clone_model\\(${ctx.textOf(saver)}\\b`).test(loadedFrom)) {
    return;
  }
  const model = ctx.textOf(loader);
  ctx.report(
    child(parts.fn, 'attribute') ?? parts.fn,
    `\`${model}\` loads the weights \`${ctx.textOf(saver)}\` saved as a TensorFlow checkpoint: Keras 2 restored the layers the two models share and left the others (a new head) as they were, while Keras 3 loads a \`.weights.h5\` file only into a model with the same layers ("Layer '...' expected 2 variables, but received 0 variables during loading"). Where \`${model}\` adds or drops layers, pass \`skip_mismatch=True\`: it loads the layers that match and warns about the others.`,
    { title: 'Pass `skip_mismatch=True` (load the layers that match)', safe: false, edits: [appendArgument(parts.args, 'skip_mismatch=True', ctx)] }
  );
}

export const partialWeightsLoad: RuleDefinition = {
  code: 'KM278',
  name: 'partial-weights-load',
  slug: 'savedmodel-save',
  severity: 'warning',
  /**
   * Whether the models differ is not known from the code: where they do, the load raises on
   * TensorFlow, JAX and PyTorch alike (Keras 3.15, the keras.io serialization guide's example);
   * where they do not, it runs. No backend is claimed.
   */
  blocks: [],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `model.load_weights(path)` where another model of the code (another name, not made by the same function or class of the code nor by `clone_model` of it) saved its weights to the same path with `save_weights()` as a TensorFlow checkpoint (no `.h5` extension), and the load passes neither `skip_mismatch` nor `by_name`. The suggested fix adds `skip_mismatch=True`.',
    why:
      'Keras 2 restored a TensorFlow checkpoint by matching objects: the layers both models share got their weights and the others (a new head, as in the keras.io serialization guide\'s transfer-learning example) kept theirs. Keras 3 saves and loads `.weights.h5` files, and its load expects the same layers: "Layer \'predictions\' expected 2 variables, but received 0 variables during loading" on every backend (checked on Keras 3.15). `skip_mismatch=True` loads the layers that match and warns about the others; it changes nothing where the models have the same layers. A suggestion: a wrong file then loads in part with a warning instead of raising.',
    example:
      'import keras\npretrained = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])\npretrained.save_weights("pretrained_ckpt")\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(5)])\nmodel.load_weights("pretrained_ckpt")',
    useInstead:
      'import keras\npretrained = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])\npretrained.save_weights("pretrained.weights.h5")\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(5)])\nmodel.load_weights("pretrained.weights.h5", skip_mismatch=True)'
  },
  calls: { names: ['load_weights'] },
  // Findings are on load_weights calls.
  requires: ['load_weights'],
  visitors: { call: visit }
};
