/**
 * What it does: flags a `keras.Input` whose last (feature) axis is `None` (`keras.Input(shape=(None,
 * None))`) given straight to a custom layer of the file whose `call()` adds, subtracts, multiplies
 * or divides its input with a tensor of its own: a sublayer's output (`inputs +
 * self.position_embeddings(positions)`) or a weight (`inputs * self.scale`).
 * Why: TensorFlow infers such a layer's symbolic output with the unknown axes kept unknown, so
 * the feature size comes from broadcasting against the layer's own tensor and the model builds
 * (keras.io's video-classification Transformer, tf.keras era). On JAX and PyTorch, Keras 3 infers it
 * by running `call()` on made-up sizes for the unknown axes, which do not broadcast with the layer's
 * fixed feature size: building the functional model fails ("Could not automatically infer the
 * output shape / dtype", an incompatible-shapes or index error). Give the feature size.
 * Fix (unsafe): where the layer's own tensor is the output of a sublayer `self.x = layers.Embedding(n,
 * dim)` / `layers.Dense(dim)` whose size is a parameter of the layer's `__init__`, the last `None`
 * becomes the argument the model code gives that parameter (a number, or a name assigned before the
 * Input): the size the input must broadcast with. Unsafe: data of feature size 1 broadcast on
 * TensorFlow, which the fixed shape no longer admits.
 * Example: `inputs = keras.Input(shape=(None, None))` then `PositionalEmbedding(seq_len, 1024)(inputs)`
 * Use instead: `inputs = keras.Input(shape=(None, 1024))`
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, classMethodDefinitions, nodesOfType, parameterNames, rootOf } from '../rule-helpers';

const INPUT_FACTORIES = new Set(['keras.Input', 'keras.layers.Input']);
const BROADCASTING = new Set(['+', '-', '*', '/']);

/** The class of the file named `name` that subclasses a Keras `Layer` (by its base's last name), or null. */
function layerClass(root: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  for (const cls of nodesOfType(root, 'class_definition')) {
    const n = child(cls, 'name');
    const bases = child(cls, 'superclasses');
    if (n && ctx.textOf(n) === name && bases && itemsOf(bases).some(b => /(^|\.)Layer$/.test(ctx.textOf(b)))) {
      return cls;
    }
  }
  return null;
}

/** Whether `node` is a tensor of the layer's own: `self.x`, `self.x(...)`, or a name the method assigned `self.x(...)`. */
function ownTensor(node: SyntaxNode, method: SyntaxNode, ctx: RuleContext): boolean {
  const selfPart = (n: SyntaxNode): boolean => {
    const target = n.type === 'call' ? child(n, 'function') : n;
    return !!target && target.type === 'attribute' && /^self\s*\.\s*\w+$/.test(ctx.textOf(target));
  };
  if (selfPart(node)) {
    return true;
  }
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  for (const assignment of nodesOfType(method, 'assignment')) {
    const left = child(assignment, 'left');
    const right = child(assignment, 'right');
    if (left && right && left.type === 'identifier' && ctx.textOf(left) === name && assignment.start < node.start) {
      return right.type === 'call' && selfPart(right);
    }
  }
  return false;
}

/** `x` of `self.x(...)`, directly or through a name the method assigned `self.x(...)` before `node`; else null. */
function ownLayerAttribute(node: SyntaxNode, method: SyntaxNode, ctx: RuleContext): string | null {
  const ofCall = (n: SyntaxNode): string | null => {
    const target = n.type === 'call' ? child(n, 'function') : null;
    const m = target && target.type === 'attribute' ? /^self\s*\.\s*(\w+)$/.exec(ctx.textOf(target)) : null;
    return m ? m[1] : null;
  };
  if (node.type === 'call') {
    return ofCall(node);
  }
  if (node.type !== 'identifier') {
    return null;
  }
  let found: string | null = null;
  for (const assignment of nodesOfType(method, 'assignment')) {
    const left = child(assignment, 'left');
    const right = child(assignment, 'right');
    if (left && right && left.type === 'identifier' && ctx.textOf(left) === ctx.textOf(node) && assignment.start < node.start) {
      found = ofCall(right);
    }
  }
  return found;
}

/**
 * The `__init__` parameter giving the feature size of sublayer `attr` (`self.attr = layers.Embedding(n,
 * dim)` / `layers.Embedding(..., output_dim=dim)` / `layers.Dense(dim)` / `Dense(units=dim)`), or null.
 */
function sizeParameter(cls: SyntaxNode, attr: string, ctx: RuleContext): { name: string; index: number } | null {
  const init = classMethodDefinitions(cls, ctx).get('__init__');
  const params = init ? parameterNames(init, ctx) : null;
  if (!init || !params) {
    return null;
  }
  for (const assignment of nodesOfType(init, 'assignment')) {
    const left = child(assignment, 'left');
    const right = child(assignment, 'right');
    if (!left || !right || !new RegExp(`^self\\s*\\.\\s*${attr}$`).test(ctx.textOf(left))) {
      continue;
    }
    const parts = right.type === 'call' ? callParts(right, ctx) : null;
    const layer = parts ? ctx.resolveKeras(parts.fn) : null;
    const size =
      layer === 'keras.layers.Embedding'
        ? parts!.keywords.get('output_dim')?.value ?? parts!.positional[1]
        : layer === 'keras.layers.Dense'
          ? parts!.keywords.get('units')?.value ?? parts!.positional[0]
          : null;
    const index = size && size.type === 'identifier' ? params.indexOf(ctx.textOf(size)) : -1;
    return index > 0 ? { name: params[index], index: index - 1 } : null;
  }
  return null;
}

/** The operation in `call()` that broadcasts the input (its first parameter) against a tensor of the layer's own, or null. */
function broadcastOfInput(cls: SyntaxNode, ctx: RuleContext): { op: SyntaxNode; own: SyntaxNode; method: SyntaxNode } | null {
  const method = classMethodDefinitions(cls, ctx).get('call');
  const params = method ? parameterNames(method, ctx) : null;
  const input = params && params.length > 1 ? params[1] : null;
  if (!method || !input) {
    return null;
  }
  for (const op of nodesOfType(method, 'binary_operator')) {
    if (op.children.length !== 2) {
      continue;
    }
    const [left, right] = op.children;
    if (!BROADCASTING.has(ctx.text.slice(left.end, right.start).trim())) {
      continue;
    }
    const isInput = (n: SyntaxNode): boolean => n.type === 'identifier' && ctx.textOf(n) === input;
    if (isInput(left) && ownTensor(right, method, ctx)) {
      return { op, own: right, method };
    }
    if (isInput(right) && ownTensor(left, method, ctx)) {
      return { op, own: left, method };
    }
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !INPUT_FACTORIES.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const shape = parts.keywords.get('shape')?.value ?? (parts.keywords.has('shape') ? null : parts.positional[0] ?? null);
  const dims = shape && (shape.type === 'tuple' || shape.type === 'list') ? itemsOf(shape) : null;
  if (!shape || !dims || dims.length < 2 || dims[dims.length - 1].type !== 'none') {
    return;
  }
  const assignment = node.parent;
  const target = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(target);
  const root = rootOf(node);
  for (const call of nodesOfType(root, 'call')) {
    const ctor = child(call, 'function');
    const first = callParts(call, ctx)?.positional[0];
    const className = ctor?.type === 'call' ? child(ctor, 'function') : null;
    if (call.start < node.end || !first || first.type !== 'identifier' || ctx.textOf(first) !== name || className?.type !== 'identifier') {
      continue;
    }
    const cls = layerClass(root, ctx.textOf(className), ctx);
    const found = cls ? broadcastOfInput(cls, ctx) : null;
    if (!cls || !found) {
      continue;
    }
    const op = found.op;
    // The size the input broadcasts with: the sublayer's size parameter, as this constructor call gives it.
    const attr = ownLayerAttribute(found.own, found.method, ctx);
    const param = attr ? sizeParameter(cls, attr, ctx) : null;
    const ctorParts = param ? callParts(ctor!, ctx) : null;
    const given = param && ctorParts && !ctorParts.splat ? ctorParts.keywords.get(param.name)?.value ?? ctorParts.positional[param.index] ?? null : null;
    const known = (n: SyntaxNode): boolean =>
      n.type === 'integer' ||
      (n.type === 'identifier' &&
        new RegExp(`(^|[\\r\\n])[ \\t]*${ctx.textOf(n)}[ \\t]*=[^=]|\\bdef\\s+\\w+\\([^)]*\\b${ctx.textOf(n)}\\b`).test(ctx.text.slice(0, node.start)));
    const last = dims[dims.length - 1];
    const fix =
      given && known(given)
        ? {
            title: `Give the feature size: \`${ctx.textOf(given)}\` (what \`${ctx.textOf(className)}\` broadcasts the input with)`,
            safe: false,
            edits: [{ start: last.start, end: last.end, text: ctx.textOf(given) }]
          }
        : null;
    ctx.report(
      shape,
      `The last axis of \`${ctx.textOf(shape)}\` is unknown and \`${ctx.textOf(className)}.call()\` broadcasts its input against a tensor of its own (\`${ctx.textOf(op)}\`): ` +
        'TensorFlow keeps the axis unknown and takes the size from the broadcast, but JAX and PyTorch infer the layer\'s output by running `call()` on made-up sizes for unknown axes, so building the model fails there ("Could not automatically infer the output shape / dtype"). Give the feature size in the shape' +
        (fix && given ? ` (the fix gives the last axis \`${ctx.textOf(given)}\`, the size the layer broadcasts with).` : '.'),
      fix
    );
    return;
  }
}

export const inputUnknownFeatureAxisBroadcast: RuleDefinition = {
  code: 'KM256',
  name: 'input-unknown-feature-axis-broadcast',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch (claims program
   * input_unknown_feature_axis_broadcast.py): keras.Input(shape=(None, None)) into a layer returning
   * `inputs + self.position_embeddings(positions)` builds on TensorFlow and fails on JAX (ValueError)
   * and PyTorch (IndexError) when the functional model is built; shape=(None, 16) runs on all three.
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `keras.Input` whose last axis is `None` (`shape=(None, None)`) given straight to a custom layer of the file whose `call()` adds, subtracts, multiplies or divides its input with a tensor of its own (a sublayer\'s output, a weight). Where that tensor is the output of a sublayer `self.x = layers.Embedding(n, dim)` or `layers.Dense(dim)` whose size is an `__init__` parameter, the unsafe fix puts the argument the model code gives it (a number, or a name assigned before the Input) in place of the last `None`.',
    why:
      'On TensorFlow, Keras infers a layer\'s symbolic output with unknown axes left unknown, and the feature size comes from broadcasting against the layer\'s own tensor (keras.io\'s video-classification Transformer builds its model on `keras.Input(shape=(None, None))`). On JAX and PyTorch, Keras 3 infers it by running `call()` with made-up sizes for the unknown axes, which do not broadcast with the layer\'s fixed size: building the functional model fails ("Could not automatically infer the output shape / dtype of ..."). Not covered by the migration guide. The fix is unsafe: TensorFlow also broadcast data of feature size 1 against the layer\'s size, which the fixed shape no longer admits; elsewhere the feature size is the data\'s, given by hand.',
    example:
      'import keras\nfrom keras import layers, ops\nclass PositionalEmbedding(layers.Layer):\n    def __init__(self, length, dim):\n        super().__init__()\n        self.position_embeddings = layers.Embedding(length, dim)\n    def call(self, inputs):\n        positions = ops.arange(0, ops.shape(inputs)[1])\n        return inputs + self.position_embeddings(positions)\ninputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024)(inputs)',
    useInstead:
      'import keras\nfrom keras import layers, ops\nclass PositionalEmbedding(layers.Layer):\n    def __init__(self, length, dim):\n        super().__init__()\n        self.position_embeddings = layers.Embedding(length, dim)\n    def call(self, inputs):\n        positions = ops.arange(0, ops.shape(inputs)[1])\n        return inputs + self.position_embeddings(positions)\ninputs = keras.Input(shape=(None, 1024))\nx = PositionalEmbedding(20, 1024)(inputs)'
  },
  calls: { names: ['Input'] },
  requires: ['Input'],
  visitors: { call: visit }
};
