import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { lastAssignedValue } from '../helpers/calls';

const SEQUENTIAL = /^keras\.(models\.)?Sequential$/;
/** `name = keras.Input(...)` (any spelling ending in `Input`): group 1 is the name. */
const INPUT_ASSIGNMENT = /(?:^|[^\w.])([A-Za-z_]\w*)\s*=\s*[\w.]*\bInput\s*\(/gm;

/**
 * Whether the module calls `name(...)` on a symbolic input (`model(keras.Input(...))`, or a name
 * assigned from `Input(...)`): only a call on a KerasTensor gives a Sequential model `.output`;
 * calls on data (`model(images)`) do not.
 */
function calledAnywhere(name: string, ctx: RuleContext): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The first argument is read up to 300 characters: enough for `keras.Input(shape=...`, and it
  // keeps the scan linear when a cell nests `name(name(name(...` without a comma or `)`.
  const calls = new RegExp(`(?:^|[^\\w.])${escaped}\\s*\\(\\s*([^,)]{0,300})`, 'g');
  let inputNames: Set<string> | null = null;
  for (const m of ctx.text.matchAll(calls)) {
    const arg = m[1].trim();
    if (/\bInput\s*\(/.test(arg)) {
      return true;
    }
    if (/^[A-Za-z_]\w*$/.test(arg)) {
      // Names assigned from `Input(...)`, found in one pass over the text however many calls there are.
      inputNames ??= new Set(Array.from(ctx.text.matchAll(INPUT_ASSIGNMENT), a => a[1]));
      if (inputNames.has(arg)) {
        return true;
      }
    }
  }
  return new RegExp(`\\b${escaped}\\.__call__\\b`).test(ctx.text);
}

/**
 * A parameter of the enclosing plain function that every call of that function in the module
 * fills with the module-level name of the same spelling (keras.io Grad-CAM's
 * `make_gradcam_heatmap(img_array, model, ...)`): the value that name was last assigned.
 */
function passedSequential(name: string, ctx: RuleContext): SyntaxNode | null {
  const fn = ctx.fn;
  if (!fn || fn.classScope) {
    return null;
  }
  const params = child(fn.node, 'parameters');
  const index = params ? itemsOf(params).findIndex(p => p.type === 'identifier' && ctx.textOf(p) === name) : -1;
  let module: SyntaxNode | null = fn.node;
  while (module?.parent) {
    module = module.parent;
  }
  if (index < 0 || !module) {
    return null;
  }
  const calls: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'call') {
      const f = child(n, 'function');
      if (f && f.type === 'identifier' && ctx.textOf(f) === fn.name) {
        calls.push(n);
      }
    }
    n.children.forEach(walk);
  };
  walk(module);
  if (!calls.length) {
    return null;
  }
  let value: SyntaxNode | null = null;
  for (const call of calls) {
    const args = child(call, 'arguments');
    const arg = args ? itemsOf(args)[index] : undefined;
    if (!arg || arg.type !== 'identifier' || ctx.textOf(arg) !== name) {
      return null;
    }
    const assigned = lastAssignedValue(name, call, ctx);
    if (!assigned || (value && assigned !== value)) {
      return null;
    }
    value = assigned;
  }
  return value;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const attr = child(node, 'attribute');
  const object = child(node, 'object');
  if (!attr || !object || object.type !== 'identifier') {
    return;
  }
  const which = ctx.textOf(attr);
  if (which !== 'output' && which !== 'input') {
    return;
  }
  // Not the target of an assignment (`model.output = ...`).
  const parent = node.parent;
  if (parent?.type === 'assignment' && child(parent, 'left') === node) {
    return;
  }
  const name = ctx.textOf(object);
  const value = lastAssignedValue(name, node, ctx) ?? passedSequential(name, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn || !SEQUENTIAL.test(ctx.resolveKeras(fn) ?? '') || calledAnywhere(name, ctx)) {
    return;
  }
  const replacement = `${which}s[0]`;
  ctx.report(
    attr,
    `A Keras 3 Sequential model that was never called has no \`.${which}\` (AttributeError: "has never been called and thus has no defined ${which}"); \`${name}.${replacement}\` is the same tensor.`,
    { title: `Use \`${name}.${replacement}\``, safe: true, edits: [{ start: attr.start, end: attr.end, text: replacement }] }
  );
}

export const sequentialOutputAttribute: RuleDefinition = {
  code: 'KM217',
  name: 'sequential-output-attribute',
  slug: 'api-changes',
  severity: 'error',
  /** AttributeError on every backend (Keras 3.15): python_kernel_hooks/tests/claims/sequential_output_attribute.py. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `model.output` and `model.input` on a `keras.Sequential` model the program never calls, as keras.io Grad-CAM wrote `keras.models.Model(model.inputs, [model.get_layer(name).output, model.output])`.',
    why:
      'In Keras 2 a Sequential model built from an input shape had `.output` and `.input`. In Keras 3 those properties come from the layer\'s call history, which a Sequential model only has once it is called on a tensor: `.output` raises AttributeError ("The layer sequential has never been called and thus has no defined output") on TensorFlow and JAX, and "\'Sequential\' object has no attribute \'output\'" on PyTorch. `.outputs[0]` and `.inputs[0]` (the model\'s functional graph) are the same tensors in Keras 2 and 3, so the rewrite is safe. Not covered by the migration guide.',
    example:
      'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)])\ngrad_model = keras.Model(model.inputs, [model.get_layer("conv").output, model.output])',
    useInstead:
      'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)])\ngrad_model = keras.Model(model.inputs, [model.get_layer("conv").output, model.outputs[0]])'
  },
  // Findings are on `.output` or `.input`.
  requires: ['output', 'input'],
  attributes: { names: ['output', 'input'] },
  visitors: { attribute: visit }
};
