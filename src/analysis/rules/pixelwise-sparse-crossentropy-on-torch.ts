/**
 * What it does: flags a 2-D convolution with `activation="softmax"` (a per-pixel class map of rank
 * 4, the head of a segmentation model) in a program that compiles a sparse categorical
 * cross-entropy on probabilities (`loss="sparse_categorical_crossentropy"`, or
 * `SparseCategoricalCrossentropy()` without `from_logits=True`).
 * Why: Keras 3.15's PyTorch backend computes that loss with `nll_loss` on the class axis moved to
 * position 1; on a rank-4 probability map the backward pass raises "RuntimeError: grad_input must be
 * contiguous" (a rank-3 or rank-5 output trains, as do logits with `from_logits=True`). TensorFlow
 * and JAX train it. No automatic fix: the predictions would change from probabilities to logits.
 * Example: `outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)`
 * Use instead: `outputs = layers.Conv2D(num_classes, 3, padding="same")(x)` with
 * `loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)`
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';
import { stringValue } from '../helpers/calls';

/** Layers whose output keeps (batch, height, width, channels): rank 4. */
const CONV_2D = /^keras\.layers\.(Conv2D|Convolution2D|Conv2DTranspose|Convolution2DTranspose|SeparableConv2D|SeparableConvolution2D)$/;

/** Noted where a compile() gets a sparse categorical cross-entropy on probabilities. */
const SPARSE_ON_PROBABILITIES = 'sparse-crossentropy-on-probabilities';

function isSoftmax(value: SyntaxNode, ctx: RuleContext): boolean {
  if (stringValue(value, ctx) === 'softmax') {
    return true;
  }
  const name = ctx.resolveKeras(value) ?? ctx.resolve(value) ?? '';
  return name === 'keras.activations.softmax' || /^tensorflow\.(nn|math)\.softmax$/.test(name);
}

/** A loss argument that is the sparse categorical cross-entropy on probabilities. */
function sparseOnProbabilities(value: SyntaxNode, ctx: RuleContext): boolean {
  if (stringValue(value, ctx) === 'sparse_categorical_crossentropy') {
    return true;
  }
  if (value.type === 'attribute' || value.type === 'identifier') {
    return (ctx.resolveKeras(value) ?? '') === 'keras.losses.sparse_categorical_crossentropy';
  }
  const parts = value.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.losses.SparseCategoricalCrossentropy' || parts.splat) {
    return false;
  }
  const fromLogits = parts.keywords.get('from_logits')?.value ?? parts.positional[0] ?? null;
  return !fromLogits || ctx.textOf(fromLogits) === 'False';
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (parts.fn.type === 'attribute' && ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) === 'compile') {
    const loss = parts.keywords.get('loss')?.value ?? (parts.keywords.has('loss') ? null : parts.positional[1] ?? null);
    if (loss && sparseOnProbabilities(loss, ctx)) {
      ctx.note(SPARSE_ON_PROBABILITIES);
    }
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  const activation = parts.keywords.get('activation')?.value;
  if (!name || !CONV_2D.test(name) || !activation || !isSoftmax(activation, ctx)) {
    return;
  }
  ctx.report(
    activation,
    `A softmax \`${name.split('.').pop()}\` gives a per-pixel probability map of rank 4; trained with the sparse categorical cross-entropy on probabilities (this program's compile()), it fails on the PyTorch backend: Keras 3.15's loss runs \`nll_loss\` on the class axis moved first and the backward pass raises "RuntimeError: grad_input must be contiguous" (TensorFlow and JAX train it). Output logits (no activation) and compile with \`keras.losses.SparseCategoricalCrossentropy(from_logits=True)\` (argmax masks are unchanged; \`keras.ops.softmax\` gives the probabilities), or flatten y_true and y_pred to (pixels, classes) in a loss function.`,
    null,
    undefined,
    undefined,
    undefined,
    { torch: 'anywhere:' + SPARSE_ON_PROBABILITIES }
  );
}

export const pixelwiseSparseCrossentropyOnTorch: RuleDefinition = {
  code: 'KM252',
  name: 'pixelwise-sparse-crossentropy-on-torch',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15.1 with PyTorch 2.x (CPU): fit() of a Conv2D(3, 3,
   * activation="softmax") output (B, H, W, 3) or a Softmax layer on one, with
   * loss="sparse_categorical_crossentropy" (uint8 or int64 targets, with or without the trailing 1),
   * raises "grad_input must be contiguous"; rank-2, rank-3 and rank-5 outputs train, and so does
   * from_logits=True on rank 4. TensorFlow and JAX train all of them (keras.io Oxford Pets U-Net).
   */
  blocks: ['torch'],
  fixAvailability: 'never',
  triggers: ['softmax', 'compile'],
  docs: {
    whatItDoes:
      'Flags `activation="softmax"` (or `keras.activations.softmax`, `tf.nn.softmax`) on a `Conv2D`, `Conv2DTranspose` or `SeparableConv2D` layer, blocking PyTorch only where the program compiles a sparse categorical cross-entropy on probabilities (`loss="sparse_categorical_crossentropy"`, `keras.losses.sparse_categorical_crossentropy`, or `SparseCategoricalCrossentropy()` without `from_logits=True`).',
    why:
      'A softmax 2-D convolution is the head of a segmentation model (keras.io\'s Oxford Pets U-Net): a (batch, height, width, classes) probability map. Keras 3.15\'s PyTorch backend computes the sparse cross-entropy on probabilities with `nll_loss` on the class axis moved to position 1, and on that rank-4 tensor the backward pass raises "RuntimeError: grad_input must be contiguous". Rank-3 and rank-5 outputs train, and so do logits with `from_logits=True`; TensorFlow and JAX train every case (checked by running). No automatic fix: dropping the softmax changes what `predict` returns (argmax masks stay the same). Not covered by the migration guide.',
    example:
      'import keras\ninputs = keras.Input((32, 32, 3))\noutputs = keras.layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")',
    useInstead:
      'import keras\ninputs = keras.Input((32, 32, 3))\noutputs = keras.layers.Conv2D(3, 3, padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))'
  },
  calls: { resolved: KERAS_CALLEES, names: ['compile'] },
  // Findings are on a softmax activation of a 2-D convolution (the compile() calls only note a fact for them).
  requires: ['softmax'],
  visitors: { call: visit }
};
