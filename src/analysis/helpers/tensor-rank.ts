/**
 * The rank of a Functional-API tensor (batch axis included) read from the code that builds it:
 * `keras.Input(shape=(h, w, c))` is rank 4, a 2-D convolution, pooling or upsampling layer gives
 * rank 4 whatever it is called on, and layers that keep the rank (activations, normalisation,
 * dropout, `Dense` on the last axis, merges) give their input's. Null when the code does not tell
 * (an unknown layer, a tensor from another cell, a Python function of the program). Not a rule.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { callParts, lastAssignedValue } from './calls';

/** Layers whose output is (batch, height, width, channels) whatever their input. */
const RANK_4 =
  /^keras\.layers\.(Conv2D|Convolution2D|Conv2DTranspose|Convolution2DTranspose|SeparableConv2D|SeparableConvolution2D|DepthwiseConv2D|UpSampling2D|MaxPooling2D|MaxPool2D|AveragePooling2D|AvgPool2D|ZeroPadding2D|Cropping2D|SpatialDropout2D|Resizing|ConvLSTM2D)$/;

/** Layers whose output has the rank of their (first) input. */
const SAME_RANK =
  /^keras\.layers\.(Activation|Softmax|ReLU|LeakyReLU|PReLU|ELU|ThresholdedReLU|BatchNormalization|LayerNormalization|GroupNormalization|UnitNormalization|Dropout|GaussianNoise|GaussianDropout|AlphaDropout|ActivityRegularization|Dense|Rescaling|Normalization|Identity|Permute|Add|Subtract|Multiply|Average|Maximum|Minimum|Concatenate|add|subtract|multiply|average|maximum|minimum|concatenate)$/;

/** Element-wise functions of one tensor (`keras.ops.softmax(x)`, `tf.nn.relu(x)`). */
const ELEMENTWISE = /^(keras\.(ops|activations)|tensorflow\.(nn|math))\.(softmax|sigmoid|relu|tanh|log_softmax|elu|selu|gelu|silu|swish)$/;

const INPUT = new Set(['keras.Input', 'keras.layers.Input']);
const MAX_DEPTH = 40;

/** The item count of a tuple or list of shape items (`(h, w, 3)`, `img_size + (3,)`, a name bound to one), else null. */
export function shapeLength(node: SyntaxNode | null, ctx: RuleContext, depth = 0): number | null {
  if (!node || depth > 8) {
    return null;
  }
  if (node.type === 'parenthesized_expression') {
    return shapeLength(node.children.find(c => c.type !== '(' && c.type !== ')') ?? null, ctx, depth + 1);
  }
  if (node.type === 'tuple' || node.type === 'list') {
    const items = itemsOf(node);
    return items.some(i => i.type === 'list_splat') ? null : items.length;
  }
  if (node.type === 'binary_operator' && ctx.textOf(child(node, 'operator') ?? node) === '+') {
    const left = shapeLength(child(node, 'left'), ctx, depth + 1);
    const right = left === null ? null : shapeLength(child(node, 'right'), ctx, depth + 1);
    return left === null || right === null ? null : left + right;
  }
  if (node.type === 'identifier') {
    return shapeLength(lastAssignedValue(ctx.textOf(node), node, ctx), ctx, depth + 1);
  }
  return null;
}

/**
 * The layer constructor call a layer call's function is: in place (`layers.Dense(3)(x)`) or a
 * name the cell last bound to one before the call (`head = layers.Dense(3)` ... `head(x)`).
 */
export function layerConstructor(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const value = fn.type === 'identifier' ? lastAssignedValue(ctx.textOf(fn), fn, ctx) : fn;
  const ctor = value && value.type === 'call' ? child(value, 'function') : null;
  return ctor && ctx.resolveKeras(ctor)?.startsWith('keras.layers.') ? value : null;
}

/** The rank of the output of a layer built by `ctor` (a constructor call) on an input of rank `input` (null: unknown). */
export function layerOutputRank(ctor: SyntaxNode, input: () => number | null, ctx: RuleContext): number | null {
  const parts = callParts(ctor, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) ?? '' : '';
  if (!parts) {
    return null;
  }
  if (RANK_4.test(name)) {
    return 4;
  }
  if (name === 'keras.layers.Reshape') {
    const length = parts.splat ? null : shapeLength(parts.keywords.get('target_shape')?.value ?? parts.positional[0] ?? null, ctx);
    return length === null ? null : length + 1;
  }
  if (name === 'keras.layers.InputLayer') {
    const length = shapeLength(parts.keywords.get('shape')?.value ?? parts.keywords.get('input_shape')?.value ?? null, ctx);
    return length === null ? null : length + 1;
  }
  return SAME_RANK.test(name) ? input() : null;
}

/** The rank of the tensor `node` evaluates to, batch axis included, or null when the code does not tell. */
export function tensorRank(node: SyntaxNode | null, ctx: RuleContext, depth = 0): number | null {
  if (!node || depth > MAX_DEPTH) {
    return null;
  }
  switch (node.type) {
    case 'parenthesized_expression':
      return tensorRank(node.children.find(c => c.type !== '(' && c.type !== ')') ?? null, ctx, depth + 1);
    case 'identifier':
      return tensorRank(lastAssignedValue(ctx.textOf(node), node, ctx), ctx, depth + 1);
    case 'list':
    case 'tuple': {
      // A merge layer's inputs: the rank of the first one known.
      for (const item of itemsOf(node)) {
        const rank = tensorRank(item, ctx, depth + 1);
        if (rank !== null) {
          return rank;
        }
      }
      return null;
    }
    case 'binary_operator': {
      const left = tensorRank(child(node, 'left'), ctx, depth + 1);
      const right = left === null ? null : tensorRank(child(node, 'right'), ctx, depth + 1);
      return left !== null && right !== null ? Math.max(left, right) : null;
    }
    case 'call':
      break;
    default:
      return null;
  }
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  const name = ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn) ?? '';
  if (INPUT.has(name)) {
    const length = shapeLength(parts.keywords.get('shape')?.value ?? parts.positional[0] ?? null, ctx);
    return length === null ? null : length + 1;
  }
  if (ELEMENTWISE.test(name) || /^keras\.layers\.(add|subtract|multiply|average|maximum|minimum|concatenate)$/.test(name)) {
    return tensorRank(parts.keywords.get('x')?.value ?? parts.keywords.get('inputs')?.value ?? parts.positional[0] ?? null, ctx, depth + 1);
  }
  const ctor = layerConstructor(parts.fn, ctx);
  if (!ctor) {
    return null;
  }
  const input = parts.keywords.get('inputs')?.value ?? parts.positional[0] ?? null;
  return layerOutputRank(ctor, () => tensorRank(input, ctx, depth + 1), ctx);
}

/**
 * The rank of a `keras.Sequential([...])` model's output read from its layer list: back from the
 * last layer through rank-keeping layers to one that fixes the rank (a 2-D convolution, `Reshape`,
 * `Input`, or the first layer's `input_shape=`).
 */
export function sequentialOutputRank(layers: SyntaxNode, ctx: RuleContext): number | null {
  if (layers.type !== 'list' && layers.type !== 'tuple') {
    return null;
  }
  const items = itemsOf(layers);
  const rankAt = (i: number): number | null => {
    const item = items[i];
    if (!item || item.type !== 'call') {
      return null;
    }
    const parts = callParts(item, ctx);
    const name = parts ? ctx.resolveKeras(parts.fn) ?? '' : '';
    if (!parts || parts.splat) {
      return null;
    }
    if (INPUT.has(name)) {
      const length = shapeLength(parts.keywords.get('shape')?.value ?? parts.positional[0] ?? null, ctx);
      return length === null ? null : length + 1;
    }
    if (!name.startsWith('keras.layers.')) {
      return null;
    }
    const inputShape = parts.keywords.get('input_shape')?.value;
    return layerOutputRank(
      item,
      () => {
        if (i === 0 && inputShape) {
          const length = shapeLength(inputShape, ctx);
          return length === null ? null : length + 1;
        }
        return i > 0 ? rankAt(i - 1) : null;
      },
      ctx
    );
  };
  return items.some(i => i.type === 'list_splat') ? null : rankAt(items.length - 1);
}
