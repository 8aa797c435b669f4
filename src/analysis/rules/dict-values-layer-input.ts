/**
 * dict-values-layer-input (KM286)
 *
 * What it does: flags a dict view (`inputs.values()`) given as the input of a Keras layer call
 * (`keras.layers.Concatenate()(inputs.values())`), of a merge function (`keras.layers.concatenate(...)`,
 * `add`, ...) or as the inputs of `keras.Model(...)`.
 *
 * Why: Keras 2 converted any iterable of tensors. Keras 3 takes tensors, lists, tuples and dicts
 * only: a dict view raises "Only input tensors may be passed as positional arguments" at a layer
 * call and "All `inputs` values must be KerasTensors" at `keras.Model(...)`, on every backend
 * (checked on Keras 3.15; TensorFlow's feature-columns migration guide; claims/dict_values_layer_input.py).
 *
 * Fix (safe): `list(inputs.values())`, the same tensors in the same order.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/** Keras's functional merge helpers: they call their layer on the list they are given. */
const MERGE_FUNCTIONS = /^keras\.layers\.(?:concatenate|add|subtract|multiply|average|maximum|minimum|dot)$/;
const MODELS = new Set(['keras.Model', 'keras.models.Model']);

/** `x.values()`: a dict's values view (no arguments). */
function isDictView(node: SyntaxNode, ctx: RuleContext): boolean {
  const fn = node.type === 'call' ? child(node, 'function') : null;
  const args = node.type === 'call' ? child(node, 'arguments') : null;
  return fn?.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === 'values' && !!args && args.children.filter(c => c.type !== 'comment').length === 0;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return;
  }
  const keras = ctx.resolveKeras(parts.fn) ?? '';
  let view: SyntaxNode | undefined;
  if (MODELS.has(keras)) {
    view = parts.positional[0] ?? parts.keywords.get('inputs')?.value;
  } else if (MERGE_FUNCTIONS.test(keras)) {
    view = parts.positional[0] ?? parts.keywords.get('inputs')?.value;
  } else if ((parts.fn.type === 'call' && ctx.resolveKeras(child(parts.fn, 'function') ?? parts.fn)?.startsWith('keras.layers.')) || ctx.isLayerInstance(parts.fn)) {
    view = parts.positional[0];
  }
  if (!view || !isDictView(view, ctx)) {
    return;
  }
  const where = MODELS.has(keras) ? 'as a model\'s inputs' : 'as a layer\'s input';
  ctx.report(
    view,
    `\`${ctx.textOf(view)}\` is a dict view ${where}: Keras 3 takes tensors, lists, tuples and dicts only, and raises "${MODELS.has(keras) ? 'All `inputs` values must be KerasTensors' : 'Only input tensors may be passed as positional arguments'}" on every backend (Keras 2 converted it). Make it a list: \`list(${ctx.textOf(view)})\`.`,
    { title: 'Make it a list', safe: true, edits: [{ start: view.start, end: view.end, text: `list(${ctx.textOf(view)})` }] }
  );
}

export const dictValuesLayerInput: RuleDefinition = {
  code: 'KM286',
  name: 'dict-values-layer-input',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError when the model is built (Keras 3.15, TF/JAX/PyTorch; claims/dict_values_layer_input.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['values'],
  docs: {
    whatItDoes:
      'Flags `x.values()` (a dict view) given as the input of a Keras layer call (`keras.layers.Concatenate()(inputs.values())`, a layer held by a name), of a merge function (`keras.layers.concatenate`, `add`, `multiply`, ...), or as the inputs of `keras.Model(...)`.',
    why:
      'Keras 2 converted any iterable of tensors. Keras 3 takes tensors and lists, tuples and dicts of them: a dict view raises "Only input tensors may be passed as positional arguments" at a layer call and "All `inputs` values must be KerasTensors" at `keras.Model(...)`, on every backend (checked on Keras 3.15; TensorFlow\'s feature-columns migration guide concatenates a dict of Inputs this way). The fix (safe) makes it a list of the same tensors in the same order.',
    example: 'import keras\ninputs = {"a": keras.Input((2,)), "b": keras.Input((3,))}\nx = keras.layers.Concatenate()(inputs.values())',
    useInstead: 'import keras\ninputs = {"a": keras.Input((2,)), "b": keras.Input((3,))}\nx = keras.layers.Concatenate()(list(inputs.values()))'
  },
  requires: ['values'],
  visitors: { call: visit }
};
