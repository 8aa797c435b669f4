/**
 * What it does: flags assigning a built-in layer's `kernel` (Dense, EinsumDense, Conv1D/2D/3D)
 * or `embeddings` (Embedding): `main_network.layers[0].kernel = w0` (the hypernetwork of
 * keras.io's "Introduction to Keras for Researchers"), `dense.kernel = ...`, or
 * `self.kernel = self.add_weight(...)` in a subclass of one of those layers.
 * Why: Keras 2 kept these weights as plain attributes; Keras 3 computes them in read-only
 * properties (from `_kernel` / `_embeddings`, with LoRA and quantization), so the assignment
 * raises "AttributeError: property 'kernel' of 'Dense' object has no setter" on every backend.
 * A subclass that makes its own weight can store it as `self._kernel` (what the property
 * reads: suggested fix); code that sets predicted tensors as another layer's weights must
 * apply them itself (`keras.ops.matmul(x, w) + b`), with no fix.
 * Example: `main_network.layers[0].kernel = w0`
 * Use instead: `h = keras.ops.matmul(x, w0) + b0`
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../helpers/calls';
import { plainAssignedValues as valuesOf } from '../helpers/name-bindings';

/** Keras 3.15 layers whose attribute is a read-only property. */
const READ_ONLY: Record<string, ReadonlySet<string>> = {
  kernel: new Set(['Dense', 'EinsumDense', 'Conv1D', 'Conv2D', 'Conv3D', 'Convolution1D', 'Convolution2D', 'Convolution3D']),
  embeddings: new Set(['Embedding'])
};

/** `keras.layers.Dense` -> `Dense` for a built-in layer class expression, else null. */
function builtInLayerClass(fn: SyntaxNode, ctx: RuleContext): string | null {
  const name = ctx.resolveKeras(fn);
  const m = name ? /^keras\.layers\.(\w+)$/.exec(name) : null;
  return m ? m[1] : null;
}

/** The built-in layer classes a call expression constructs (a layer constructor call), or null. */
function constructed(value: SyntaxNode | null, ctx: RuleContext): string | null {
  if (!value || value.type !== 'call') {
    return null;
  }
  const fn = child(value, 'function');
  return fn ? builtInLayerClass(fn, ctx) : null;
}

/** The layer constructors of a `Sequential([...])` value's list, in order, or null. */
function sequentialLayers(value: SyntaxNode, ctx: RuleContext): Array<string | null> | null {
  if (value.type !== 'call') {
    return null;
  }
  const parts = callParts(value, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  const list = parts?.positional[0] ?? parts?.keywords.get('layers')?.value;
  if (!parts || !list || list.type !== 'list' || (name !== 'keras.Sequential' && name !== 'keras.models.Sequential')) {
    return null;
  }
  // A Sequential's `layers` leaves out its Input: `keras.Input(...)` items are not counted.
  const isInput = (c: SyntaxNode): boolean => {
    const fn = c.type === 'call' ? child(c, 'function') : null;
    return fn !== null && /^keras\.(layers\.)?(Input|InputLayer)$/.test(ctx.resolveKeras(fn) ?? '');
  };
  return list.children
    .filter(c => c.type !== '[' && c.type !== ']' && c.type !== ',' && c.type !== 'comment' && !isInput(c))
    .map(c => constructed(c, ctx));
}

/** The built-in layer classes the object of `<object>.kernel = ...` is known to be. */
function layerClassesOf(object: SyntaxNode, ctx: RuleContext): string[] {
  if (object.type === 'identifier') {
    // `dense = layers.Dense(...)`; or the loop variable of `for layer in model.layers:`.
    for (let p = object.parent; p; p = p.parent) {
      if (p.type === 'for_statement') {
        const left = child(p, 'left');
        const right = child(p, 'right');
        if (left && right && ctx.textOf(left) === ctx.textOf(object)) {
          const model = right.type === 'attribute' && ctx.textOf(child(right, 'attribute') ?? right) === 'layers' ? child(right, 'object') : null;
          if (model?.type !== 'identifier') {
            return [];
          }
          const layers = valuesOf(model, ctx).map(v => sequentialLayers(v, ctx));
          return layers.length === 1 && layers[0] ? layers[0].filter((c): c is string => c !== null) : [];
        }
      }
    }
    return valuesOf(object, ctx)
      .map(v => constructed(v, ctx))
      .filter((c): c is string => c !== null);
  }
  if (object.type === 'subscript') {
    // `model.layers[0]` of `model = keras.Sequential([layers.Dense(...), ...])`.
    const value = child(object, 'value');
    const index = child(object, 'subscript');
    const model = value?.type === 'attribute' && ctx.textOf(child(value, 'attribute') ?? value) === 'layers' ? child(value, 'object') : null;
    if (!model || model.type !== 'identifier' || !index || !/^-?\d+$/.test(ctx.textOf(index).replace(/\s+/g, ''))) {
      return [];
    }
    const values = valuesOf(model, ctx);
    const layers = values.length === 1 ? sequentialLayers(values[0], ctx) : null;
    if (!layers) {
      return [];
    }
    const k = Number(ctx.textOf(index).replace(/\s+/g, ''));
    const c = k >= 0 ? layers[k] : layers[layers.length + k];
    return c ? [c] : [];
  }
  return [];
}

function visitAssignment(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || left.type !== 'attribute' || node.parent?.type !== 'expression_statement' || child(node, 'type')) {
    return;
  }
  const attr = child(left, 'attribute');
  const object = child(left, 'object');
  const name = attr ? ctx.textOf(attr) : '';
  const owners = READ_ONLY[name];
  if (!attr || !object || !owners) {
    return;
  }
  if (object.type === 'identifier' && ctx.textOf(object) === 'self') {
    // `self.kernel = ...` in a subclass of Dense / Conv2D / Embedding (not in a class defining the attribute itself).
    const supers = ctx.cls ? child(ctx.cls.node, 'superclasses') : null;
    const base = (supers?.children ?? []).map(b => builtInLayerClass(b, ctx)).find(c => c !== null && owners.has(c));
    if (!base || !ctx.fn || definesAttribute(ctx.cls!.node, name, ctx)) {
      return;
    }
    const madeHere = right.type === 'call' && calleeName(child(right, 'function') ?? right, ctx) === 'add_weight';
    ctx.report(
      left,
      `\`self.${name} = ...\` in a subclass of \`${base}\`: Keras 3 makes \`${base}.${name}\` a read-only property (it reads \`self._${name}\`), so this raises "AttributeError: property '${name}' ... has no setter" on every backend; store the weight as \`self._${name}\`.`,
      madeHere
        ? { title: `Store it as \`self._${name}\``, safe: false, edits: [{ start: attr.start, end: attr.end, text: `_${name}` }] }
        : null
    );
    return;
  }
  const classes = layerClassesOf(object, ctx).filter(c => owners.has(c));
  if (classes.length === 0) {
    return;
  }
  ctx.report(
    left,
    `\`${ctx.textOf(left)} = ...\`: Keras 3 makes \`${classes[0]}.${name}\` a read-only property (Keras 2 kept a plain attribute), so this raises "AttributeError: property '${name}' of '${classes[0]}' object has no setter" on every backend; to change the weight's value use \`.${name}.assign(...)\`, and to run the layer with other weights (a hypernetwork's predictions) compute it yourself (\`keras.ops.matmul(x, w) + b\`).`
  );
}

/** Whether the class body defines `name` itself (a method, property or class attribute). */
function definesAttribute(cls: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const body = child(cls, 'body');
  return (body?.children ?? []).some(s => {
    const def = s.type === 'decorated_definition' ? child(s, 'definition') : s;
    return def?.type === 'function_definition' && ctx.textOf(child(def, 'name') ?? def) === name;
  });
}

export const layerWeightPropertyAssignment: RuleDefinition = {
  code: 'KM322',
  name: 'layer-weight-property-assignment',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: `main_network.layers[0].kernel = w0`
   * on a Dense, and `self.kernel = self.add_weight(...)` in a Dense subclass's build(), raise
   * "property 'kernel' of 'Dense' object has no setter"; `self._kernel = ...` runs
   * (examples/runnable/researchers_hypernetwork.py, python_kernel_hooks/tests/claims/layer_weight_property_assignment.py).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['kernel', 'embeddings'],
  docs: {
    whatItDoes:
      'Flags an assignment to `kernel` of a built-in Dense, EinsumDense or Conv1D/2D/3D layer, or to `embeddings` of an Embedding layer: a layer of a `Sequential([...])` list reached as `model.layers[i]` or by a loop over `model.layers`, a name bound to the layer\'s constructor, or `self.kernel = ...` in a subclass of one of those layers. For `self.kernel = self.add_weight(...)` the fix (suggested) stores the weight as `self._kernel`, which the Keras 3 property reads.',
    why:
      'Keras 2 kept a layer\'s kernel and embeddings as plain attributes, so code could replace them (a hypernetwork setting predicted tensors as the kernels of a main network, a subclass building its own kernel). Keras 3 computes `kernel` / `embeddings` in read-only properties (LoRA and quantization apply there), so the assignment raises "AttributeError: property \'kernel\' of \'Dense\' object has no setter" on every backend. Change a weight\'s value with `.assign()`; run a layer with other weights by computing it with `keras.ops`. Not covered by the migration guide.',
    example:
      'import keras\nmain_network = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(3)])\n\ndef run(x, w0, w1):\n    main_network.layers[0].kernel = w0\n    main_network.layers[1].kernel = w1\n    return main_network(x)\n',
    useInstead:
      'import keras\n\ndef run(x, w0, w1):\n    return keras.ops.matmul(keras.ops.matmul(x, w0), w1)\n'
  },
  visitors: { assignment: visitAssignment }
};
