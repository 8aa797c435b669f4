import type { SyntaxNode } from '../ast';
import { child, itemsOf } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, inModelCode } from '../rule-helpers';
import { isKerasVariableOrTensor, VARIABLE_ATTRIBUTES } from '../helpers/keras-values';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || parts.positional.length > 0 || parts.keywords.size > 0 || parts.splat) {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || calleeName(parts.fn, ctx) !== 'get_shape' || ctx.resolve(parts.fn)) {
    return;
  }
  const known = isKerasVariableOrTensor(receiver, ctx);
  if (!known && !inModelCode(node, ctx)) {
    return; // a tf.Tensor in TensorFlow code: get_shape() still works there
  }
  const who = ctx.textOf(receiver);
  // `x.get_shape().as_list()`: Keras 3 shapes are tuples (no `as_list`); `list(x.shape)` is the
  // same list on TensorFlow too.
  const asList = asListCall(node, ctx);
  const edits = asList
    ? [{ start: asList.start, end: asList.end, text: `list(${who}.shape)` }]
    : [{ start: receiver.end, end: node.end, text: '.shape' }];
  if (known) {
    ctx.report(node, `Keras 3 variables and KerasTensors have no \`get_shape()\` (AttributeError on every backend); use \`${who}.shape\`.`, {
      title: 'Use `.shape`',
      safe: true,
      edits
    }, undefined, undefined, ['tensorflow', 'jax', 'torch']);
  } else {
    ctx.report(
      node,
      `\`get_shape()\` exists only on TensorFlow tensors: in model code on JAX/PyTorch, and on Keras variables on every backend, it raises AttributeError; use \`${who}.shape\`.`,
      { title: 'Use `.shape`', safe: false, edits }
    );
  }
}

/**
 * `x.shape.rank` / `x.shape.ndims` -> `len(x.shape)`, `x.shape.as_list()` -> `list(x.shape)`: TensorShape
 * reads (keras.io's Swin Transformer DropPath: `rank = x.shape.rank`). Keras 3 shapes of KerasTensors
 * and variables are tuples, as are JAX and PyTorch shapes in model code; on a TensorFlow tensor
 * `len()`/`list()` give the same rank and list.
 */
function visitShapeAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'attribute');
  const shape = child(node, 'object');
  const read = name ? ctx.textOf(name) : '';
  if (!['rank', 'ndims', 'as_list'].includes(read) || !shape || shape.type !== 'attribute' || ctx.textOf(child(shape, 'attribute') ?? shape) !== 'shape') {
    return;
  }
  const receiver = child(shape, 'object');
  if (!receiver || ctx.resolve(shape) || ctx.lookup(read === 'as_list' ? 'list' : 'len')) {
    return;
  }
  let target: SyntaxNode = node;
  if (read === 'as_list') {
    const call = node.parent;
    const args = call && call.type === 'call' && child(call, 'function') === node ? child(call, 'arguments') : null;
    if (!call || !args || itemsOf(args).length !== 0) {
      return;
    }
    target = call;
  }
  const known = isKerasVariableOrTensor(receiver, ctx);
  if (!known && !inModelCode(node, ctx)) {
    return; // a tf.Tensor in TensorFlow code: its TensorShape still has them there
  }
  const who = ctx.textOf(shape);
  const text = read === 'as_list' ? `list(${who})` : `len(${who})`;
  const what = read === 'as_list' ? `\`${who}.as_list()\`` : `\`${who}.${read}\``;
  const edits = [{ start: target.start, end: target.end, text }];
  if (known) {
    ctx.report(node, `Keras 3 shapes of variables and KerasTensors are tuples: ${what} raises AttributeError on every backend; use \`${text}\`.`, {
      title: `Use \`${text}\``,
      safe: true,
      edits
    }, undefined, undefined, ['tensorflow', 'jax', 'torch']);
  } else {
    ctx.report(
      node,
      `${what} is a TensorShape read: in model code on JAX/PyTorch the shape is a tuple and it raises AttributeError; use \`${text}\`.`,
      { title: `Use \`${text}\``, safe: false, edits }
    );
  }
}

/** The `.as_list()` call made on this `get_shape()` call's result, if any. */
function asListCall(getShape: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const attr = getShape.parent;
  if (!attr || attr.type !== 'attribute' || child(attr, 'object') !== getShape || ctx.textOf(child(attr, 'attribute') ?? attr) !== 'as_list') {
    return null;
  }
  const call = attr.parent;
  const args = call && call.type === 'call' && child(call, 'function') === attr ? child(call, 'arguments') : null;
  return args && itemsOf(args).length === 0 ? call : null;
}

export const tensorGetShape: RuleDefinition = {
  code: 'KM176',
  name: 'tensor-get-shape',
  slug: 'api-changes',
  severity: 'error',
  /** Fails on JAX and PyTorch in model code; on Keras variables and KerasTensors on TensorFlow too (those findings say so in their own list). */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  /** The variable attributes too: the statement that names the variable must be kept for the lookup. */
  triggers: ['get_shape', 'rank', 'ndims', 'as_list', 'add_weight', ...VARIABLE_ATTRIBUTES],
  docs: {
    whatItDoes:
      'Flags `x.get_shape()`, and the TensorShape reads `x.shape.rank`, `x.shape.ndims` and `x.shape.as_list()`, on Keras variables and KerasTensors, and on any tensor in model code (layer and model methods, losses, Lambda functions).',
    why:
      'Keras 3 variables (`layer.kernel`, `add_weight()`, `keras.Variable`) and KerasTensors have no `get_shape()`, and JAX arrays and torch tensors do not either; `.shape` works everywhere and on TensorFlow tensors returns the same TensorShape. Their shapes are tuples (`torch.Size` on PyTorch), with no `.rank`, `.ndims` or `.as_list()`: `len(x.shape)` and `list(x.shape)` give the rank and the list on every backend, TensorFlow included. Not covered by the migration guide. The fix is safe where the receiver is known to be a Keras variable or KerasTensor, a suggestion otherwise.',
    example: 'import keras\nlayer = keras.layers.Dense(4)\nlayer.build((None, 3))\nrows = layer.kernel.get_shape()[0]',
    useInstead: 'import keras\nlayer = keras.layers.Dense(4)\nlayer.build((None, 3))\nrows = layer.kernel.shape[0]'
  },
  calls: { names: ['get_shape'] },
  attributes: { names: ['rank', 'ndims', 'as_list'] },
  // The call visitor sees only calls named in `calls.names`, the attribute visitor those in `attributes.names`.
  requires: ['get_shape', 'rank', 'ndims', 'as_list'],
  visitors: { call: visit, attribute: visitShapeAttribute }
};
