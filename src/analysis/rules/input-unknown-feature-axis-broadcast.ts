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

/** The operation in `call()` that broadcasts the input (its first parameter) against a tensor of the layer's own, or null. */
function broadcastOfInput(cls: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
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
    if ((isInput(left) && ownTensor(right, method, ctx)) || (isInput(right) && ownTensor(left, method, ctx))) {
      return op;
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
    const op = cls ? broadcastOfInput(cls, ctx) : null;
    if (!op) {
      continue;
    }
    ctx.report(
      shape,
      `The last axis of \`${ctx.textOf(shape)}\` is unknown and \`${ctx.textOf(className)}.call()\` broadcasts its input against a tensor of its own (\`${ctx.textOf(op)}\`): ` +
        'TensorFlow keeps the axis unknown and takes the size from the broadcast, but JAX and PyTorch infer the layer\'s output by running `call()` on made-up sizes for unknown axes, so building the model fails there ("Could not automatically infer the output shape / dtype"). Give the feature size in the shape.',
      null
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
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `keras.Input` whose last axis is `None` (`shape=(None, None)`) given straight to a custom layer of the file whose `call()` adds, subtracts, multiplies or divides its input with a tensor of its own (a sublayer\'s output, a weight). No fix: the feature size is the data\'s.',
    why:
      'On TensorFlow, Keras infers a layer\'s symbolic output with unknown axes left unknown, and the feature size comes from broadcasting against the layer\'s own tensor (keras.io\'s video-classification Transformer builds its model on `keras.Input(shape=(None, None))`). On JAX and PyTorch, Keras 3 infers it by running `call()` with made-up sizes for the unknown axes, which do not broadcast with the layer\'s fixed size: building the functional model fails ("Could not automatically infer the output shape / dtype of ..."). Not covered by the migration guide.',
    example:
      'import keras\nfrom keras import layers, ops\nclass PositionalEmbedding(layers.Layer):\n    def __init__(self, length, dim):\n        super().__init__()\n        self.position_embeddings = layers.Embedding(length, dim)\n    def call(self, inputs):\n        positions = ops.arange(0, ops.shape(inputs)[1])\n        return inputs + self.position_embeddings(positions)\ninputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024)(inputs)',
    useInstead:
      'import keras\nfrom keras import layers, ops\nclass PositionalEmbedding(layers.Layer):\n    def __init__(self, length, dim):\n        super().__init__()\n        self.position_embeddings = layers.Embedding(length, dim)\n    def call(self, inputs):\n        positions = ops.arange(0, ops.shape(inputs)[1])\n        return inputs + self.position_embeddings(positions)\ninputs = keras.Input(shape=(None, 1024))\nx = PositionalEmbedding(20, 1024)(inputs)'
  },
  calls: { names: ['Input'] },
  requires: ['Input'],
  visitors: { call: visit }
};
