import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, stringValue } from '../rule-helpers';

const INPUT_CALLS = new Set(['keras.Input', 'keras.layers.Input', 'keras.layers.InputLayer']);

/** Fact prefix: some cell creates a `keras.Input` of this name (`keras-input-name:image`). */
const INPUT_NAME_FACT = 'keras-input-name:';

/** The layer name a `model.get_layer("x")` / `get_layer(name="x")` call asks for. */
function getLayerName(call: SyntaxNode, ctx: RuleContext): string | null {
  const fn = child(call, 'function');
  if (!fn || fn.type !== 'attribute' || ctx.textOf(child(fn, 'attribute') ?? fn) !== 'get_layer') {
    return null;
  }
  const parts = callParts(call, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  return stringValue(parts.keywords.get('name')?.value ?? (parts.keywords.has('index') ? null : parts.positional[0]), ctx);
}

/** The `name=` of a `keras.Input(...)` call, or null. */
function inputName(node: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(node, ctx);
  if (!parts || !INPUT_CALLS.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return null;
  }
  return stringValue(parts.keywords.get('name')?.value, ctx);
}

/** Whether this cell creates an Input named `name` (anywhere in it: the lookup is rare, the walk short). */
function cellHasInput(at: SyntaxNode, name: string, ctx: RuleContext): boolean {
  let root = at;
  while (root.parent) {
    root = root.parent;
  }
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call' && inputName(n, ctx) === name) {
      return true;
    }
    stack.push(...n.children);
  }
  return false;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const object = child(node, 'object');
  const attribute = child(node, 'attribute');
  if (!object || !attribute || object.type !== 'call' || ctx.textOf(attribute) !== 'input') {
    return;
  }
  const name = getLayerName(object, ctx);
  if (!name) {
    return;
  }
  // Where this cell creates the Input of that name, or (in a notebook) another cell does: the
  // keras.io OCR notebooks build the model in one cell and cut the prediction model in a later one.
  const here = cellHasInput(node, name, ctx);
  ctx.report(
    node,
    `\`get_layer("${name}")\` is an Input layer: in Keras 3 an InputLayer's \`.input\` is empty (a model built from it fails with "\`inputs\` argument cannot be empty"); its \`.output\` is the input tensor, in Keras 2 as well.`,
    { title: 'Use `.output`', safe: true, edits: [{ start: attribute.start, end: attribute.end, text: 'output' }] },
    undefined,
    here ? undefined : 'anywhere:' + INPUT_NAME_FACT + name
  );
}

/** Notes the name of every `keras.Input(name=...)` of the cell, for uses in other cells. */
function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const name = inputName(node, ctx);
  if (name) {
    ctx.note(INPUT_NAME_FACT + name);
  }
}

export const inputLayerInput: RuleDefinition = {
  code: 'KM206',
  name: 'input-layer-input',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError when the model is built, on every backend (Keras 3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['get_layer'],
  docs: {
    whatItDoes: 'Flags `model.get_layer("image").input` where `"image"` names a `keras.Input`, as in `keras.Model(model.get_layer("image").input, model.get_layer("dense").output)`.',
    why: 'An InputLayer has no inbound tensors in Keras 3, so its `.input` is an empty list and the model built from it raises "`inputs` argument cannot be empty". Its `.output` is the input tensor, in Keras 2 as well, so the rewrite is safe. Not covered by the migration guide.',
    example: 'import keras\ninp = keras.Input(shape=(4,), name="image")\nout = keras.layers.Dense(2, name="dense")(inp)\nmodel = keras.Model(inp, out)\nsub = keras.Model(model.get_layer("image").input, model.get_layer("dense").output)',
    useInstead: 'import keras\ninp = keras.Input(shape=(4,), name="image")\nout = keras.layers.Dense(2, name="dense")(inp)\nmodel = keras.Model(inp, out)\nsub = keras.Model(model.get_layer("image").output, model.get_layer("dense").output)'
  },
  attributes: { names: ['input'] },
  visitors: { attribute: visitAttribute, call: visitCall },
  calls: { names: ['Input', 'InputLayer'] }
};
