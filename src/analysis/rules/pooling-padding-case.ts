/**
 * pooling-padding-case (KM305)
 *
 * What it does: flags an upper-case `padding="SAME"` / `"VALID"` given to a Keras pooling layer
 * (`MaxPool2D`, `AveragePooling1D`, ...).
 *
 * Why: Keras 2 lower-cased the padding of every layer. Keras 3's convolution layers still do, but
 * its pooling layers compare it as written: building one in a model (a Sequential, a functional
 * model) raises "Argument `padding` must be either 'valid' or 'same'. Received: padding=SAME" on
 * every backend (og48b repro_7, Géron's handson-ml2 ch. 14 ResNet-34 stem;
 * claims/pooling_padding_case.py). A direct call on data runs.
 *
 * Fix: the lower-case literal, which Keras 2 meant: safe.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, stringValue } from '../helpers/calls';
import type { Backend } from '../types';

const POOLING = /^keras\.layers\.(MaxPool|MaxPooling|AvgPool|AveragePooling)[123]D$/;

/** The layer is built symbolically: in a Sequential's list, `model.add(...)`-ed, or called on a Keras tensor. */
function builtInModel(call: SyntaxNode, ctx: RuleContext): boolean {
  const parent = call.parent;
  if (parent?.type === 'list') {
    return true; // `keras.Sequential([... MaxPool2D(...) ...])`
  }
  const outer = parent?.type === 'argument_list' ? parent.parent : null;
  const outerFn = outer?.type === 'call' ? child(outer, 'function') : null;
  if (outerFn?.type === 'attribute' && ctx.textOf(child(outerFn, 'attribute') ?? outerFn) === 'add') {
    return true;
  }
  // `MaxPool2D(...)(x)` with `x` a Keras tensor.
  if (parent?.type === 'call' && child(parent, 'function') === call) {
    const args = callParts(parent, ctx);
    return !!args && args.positional.some(a => ctx.isSymbolic(a));
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !POOLING.test(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  // `MaxPool2D(pool_size, strides, padding)`.
  const padding = parts.keywords.get('padding')?.value ?? parts.positional[2];
  const value = padding ? stringValue(padding, ctx) : null;
  if (!padding || (value !== 'SAME' && value !== 'VALID' && value !== 'Same' && value !== 'Valid')) {
    return;
  }
  const lower = value.toLowerCase();
  const text = ctx.textOf(padding).replace(value, lower);
  const blocks: Backend[] = builtInModel(node, ctx) ? ['tensorflow', 'jax', 'torch'] : [];
  ctx.report(
    padding,
    `Keras 3's pooling layers take \`padding\` only in lower case (Keras 2 lower-cased it): building this layer in a model raises "Argument \`padding\` must be either 'valid' or 'same'" on every backend; use \`"${lower}"\`.`,
    { title: `Use \`"${lower}"\``, safe: true, edits: [{ start: padding.start, end: padding.end, text }] },
    undefined,
    undefined,
    blocks
  );
}

export const poolingPaddingCase: RuleDefinition = {
  code: 'KM305',
  name: 'pooling-padding-case',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError on TensorFlow, JAX and PyTorch where the layer is built in a model (Keras 3.15; claims/pooling_padding_case.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['SAME', 'VALID', 'Same', 'Valid'],
  docs: {
    whatItDoes: 'Flags `padding="SAME"` or `"VALID"` (any case other than lower) given to a Keras pooling layer: `MaxPool1D/2D/3D`, `MaxPooling*`, `AvgPool*`, `AveragePooling*`.',
    why:
      'Keras 2 lower-cased `padding` for every layer, so TensorFlow\'s spelling `"SAME"` worked. Keras 3\'s convolution layers still lower-case it, but its pooling layers check the string as given when they compute their output shape, which a Sequential or functional model does as it is built: "Argument `padding` must be either \'valid\' or \'same\'. Received: padding=SAME" on every backend (checked on Keras 3.15; a direct call on data runs, and is not claimed). The lower-case literal means the same: a safe fix.',
    example: 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.MaxPool2D(pool_size=3, strides=2, padding="SAME")])',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.MaxPool2D(pool_size=3, strides=2, padding="same")])'
  },
  calls: { resolved: KERAS_CALLEES },
  requires: ['SAME', 'VALID', 'Same', 'Valid'],
  visitors: { call: visit }
};
