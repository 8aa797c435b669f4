/**
 * What it does: flags a 2-D convolution with `activation="softmax"` (a per-pixel class map of rank
 * 4, the head of a segmentation model) in a program that compiles a sparse categorical
 * cross-entropy on probabilities (`loss="sparse_categorical_crossentropy"`, or
 * `SparseCategoricalCrossentropy()` without `from_logits=True`).
 * Why: Keras 3.15's PyTorch backend computes that loss with `nll_loss` on the class axis moved to
 * position 1; on a rank-4 probability map the backward pass raises "RuntimeError: grad_input must be
 * contiguous" (a rank-3 or rank-5 output trains, as do logits with `from_logits=True`). TensorFlow
 * and JAX train it. Suggested fix: the same loss computed on (pixels, classes) by a function of the
 * program, reshaped back per pixel (predictions stay probabilities).
 * Example: `outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)`
 * Use instead: `outputs = layers.Conv2D(num_classes, 3, padding="same")(x)` with
 * `loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)`
 */
import { child, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, lineBreakOf, lineStartAt } from '../rule-helpers';
import { stringValue } from '../helpers/calls';
import { nodesUnder } from '../helpers/multi-optimizer-step';

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

/**
 * A loss argument that is the sparse categorical cross-entropy on probabilities; `plain`: one the
 * per-pixel function replaces as it is (no `ignore_class`, `reduction`, `name` or other argument).
 */
function sparseOnProbabilities(value: SyntaxNode, ctx: RuleContext, plain = false): boolean {
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
  if (plain && parts.positional.length + parts.keywords.size > (fromLogits ? 1 : 0)) {
    return false;
  }
  return !fromLogits || ctx.textOf(fromLogits) === 'False';
}

/** The loss argument of a `x.compile(...)` call (keyword or second positional), or null. */
function compileLoss(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) !== 'compile') {
    return null;
  }
  return parts.keywords.get('loss')?.value ?? (parts.keywords.has('loss') ? null : parts.positional[1] ?? null);
}

const LOSS_NAME = 'pixelwise_sparse_categorical_crossentropy';

/**
 * The same loss computed on (pixels, classes) and given back per pixel: every value, the
 * reduction and sample weights (per sample or per pixel) are as before, and PyTorch trains it.
 * Registered, so that a model saved with it loads back in the program.
 */
function lossFunction(indent: string, eol: string): string {
  return [
    '@keras.saving.register_keras_serializable()',
    `def ${LOSS_NAME}(y_true, y_pred):`,
    '    # The sparse cross-entropy of each pixel, computed on (pixels, classes): Keras 3.15\'s PyTorch',
    '    # backend cannot train it on a rank-4 probability map ("grad_input must be contiguous").',
    '    classes = keras.ops.shape(y_pred)[-1]',
    '    loss = keras.losses.sparse_categorical_crossentropy(keras.ops.reshape(y_true, (-1,)), keras.ops.reshape(y_pred, (-1, classes)))',
    '    return keras.ops.reshape(loss, keras.ops.shape(y_pred)[:-1])'
  ].map(line => indent + line).join(eol);
}

/**
 * The fix: the cell's compile() calls with the sparse cross-entropy on probabilities take the
 * per-pixel function instead, defined before the first of them. Null when a compile's loss has
 * other arguments, the first compile does not start its line, or `keras` names something else.
 */
function perPixelLossFix(ctx: RuleContext, at: SyntaxNode): RawFix | null {
  const root = rootOf(at);
  const compiles = nodesUnder(root, n => n.type === 'call' && compileLoss(n, ctx) !== null && sparseOnProbabilities(compileLoss(n, ctx)!, ctx));
  if (compiles.length === 0 || compiles.some(c => !sparseOnProbabilities(compileLoss(c, ctx)!, ctx, true))) {
    return null;
  }
  const statementOf = (n: SyntaxNode): SyntaxNode | null => {
    let s: SyntaxNode | null = n;
    while (s && s.type !== 'expression_statement') {
      s = s.parent;
    }
    return s;
  };
  const statement = statementOf(compiles[0]);
  // Defined in a function, the loss is seen by that block's compiles only.
  if (statement && statement.parent !== root && compiles.some(c => statementOf(c)?.parent !== statement.parent)) {
    return null;
  }
  const keras = ctx.lookup('keras');
  if (!statement || (keras && (keras.kind !== 'module' || !/^(tensorflow\.)?keras$/.test(keras.canonical)))) {
    return null;
  }
  // In a loop or a conditional at the top of the cell (`for name, model in models: model.compile(...)`),
  // the function is defined once, before that statement.
  const anchor = liftedToTopLevel(statement, root);
  const lineStart = lineStartAt(ctx.text, anchor.start);
  const indent = ctx.text.slice(lineStart, anchor.start);
  if (!/^[ \t]*$/.test(indent)) {
    return null;
  }
  const eol = lineBreakOf(ctx.text);
  const edits: OffsetEdit[] = [{ start: lineStart, end: lineStart, text: lossFunction(indent, eol) + eol + eol + (indent ? '' : eol) }];
  for (const c of compiles) {
    const loss = compileLoss(c, ctx)!;
    edits.push({ start: loss.start, end: loss.end, text: LOSS_NAME });
  }
  const imported = ctx.importEdit('keras');
  return { title: `Compute the loss per pixel on (pixels, classes) (\`${LOSS_NAME}\`)`, safe: false, edits: imported ? [...edits, imported] : edits };
}

/** Compound statements a top-level definition may sit before instead of inside. */
const LIFTABLE = new Set(['for_statement', 'while_statement', 'if_statement', 'with_statement', 'try_statement']);

/**
 * The top-level statement holding `statement` when only loops, conditionals, `with` and `try`
 * blocks are in between (no function or class); else `statement` itself.
 */
function liftedToTopLevel(statement: SyntaxNode, root: SyntaxNode): SyntaxNode {
  let top: SyntaxNode = statement;
  while (top.parent && top.parent !== root) {
    top = top.parent;
    if (top.type === 'function_definition' || top.type === 'class_definition' || top.type === 'lambda' || top.type === 'decorated_definition') {
      return statement;
    }
  }
  return top.parent === root && LIFTABLE.has(top.type) ? top : statement;
}

/** Whether this is the cell's first softmax 2-D convolution (the one finding that carries the fix). */
function firstSoftmaxConv(activation: SyntaxNode, ctx: RuleContext): boolean {
  const first = nodesUnder(rootOf(activation), n => {
    if (n.type !== 'call') {
      return false;
    }
    const parts = callParts(n, ctx);
    const name = parts ? ctx.resolveKeras(parts.fn) : null;
    const value = parts?.keywords.get('activation')?.value;
    return !!name && CONV_2D.test(name) && !!value && isSoftmax(value, ctx);
  })[0];
  return !!first && callParts(first, ctx)?.keywords.get('activation')?.value === activation;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (parts.fn.type === 'attribute' && ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) === 'compile') {
    const loss = compileLoss(node, ctx);
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
  if (new RegExp(`\\bdef\\s+${LOSS_NAME}\\b`).test(ctx.text)) {
    return; // the fix's per-pixel loss is there
  }
  ctx.report(
    activation,
    `A softmax \`${name.split('.').pop()}\` gives a per-pixel probability map of rank 4; trained with the sparse categorical cross-entropy on probabilities (this program's compile()), it fails on the PyTorch backend: Keras 3.15's loss runs \`nll_loss\` on the class axis moved first and the backward pass raises "RuntimeError: grad_input must be contiguous" (TensorFlow and JAX train it). Output logits (no activation) and compile with \`keras.losses.SparseCategoricalCrossentropy(from_logits=True)\` (argmax masks are unchanged; \`keras.ops.softmax\` gives the probabilities), or flatten y_true and y_pred to (pixels, classes) in a loss function.`,
    firstSoftmaxConv(activation, ctx) ? perPixelLossFix(ctx, node) : null,
    undefined,
    // Only where some compile() trains on that loss: a softmax convolution with another loss (keras.io
    // MIRNet's attention descriptors under a Charbonnier loss) trains everywhere, and the message would be untrue.
    'anywhere:' + SPARSE_ON_PROBABILITIES
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
  fixAvailability: 'sometimes',
  triggers: ['softmax', 'compile'],
  docs: {
    whatItDoes:
      'Flags `activation="softmax"` (or `keras.activations.softmax`, `tf.nn.softmax`) on a `Conv2D`, `Conv2DTranspose` or `SeparableConv2D` layer where the program compiles a sparse categorical cross-entropy on probabilities (`loss="sparse_categorical_crossentropy"`, `keras.losses.sparse_categorical_crossentropy`, or `SparseCategoricalCrossentropy()` without `from_logits=True`), blocking PyTorch; a softmax convolution trained on another loss (keras.io MIRNet\'s attention descriptors) trains everywhere and is not flagged.',
    why:
      'A softmax 2-D convolution is the head of a segmentation model (keras.io\'s Oxford Pets U-Net): a (batch, height, width, classes) probability map. Keras 3.15\'s PyTorch backend computes the sparse cross-entropy on probabilities with `nll_loss` on the class axis moved to position 1, and on that rank-4 tensor the backward pass raises "RuntimeError: grad_input must be contiguous". Rank-3 and rank-5 outputs train, and so do logits with `from_logits=True`; TensorFlow and JAX train every case (checked by running). Suggested fix, where the compile() is in the same cell and its loss has no other arguments: a `pixelwise_sparse_categorical_crossentropy(y_true, y_pred)` function, defined before the compile() (before the top-level loop, conditional, `with` or `try` holding it, so it is defined once) and registered with `keras.saving.register_keras_serializable()`, computes the same loss on (pixels, classes) and reshapes it back to (batch, height, width), so every loss value, the reduction and sample weights (per sample or per pixel) stay as they were and the model still outputs probabilities; the fixed program trains on all three backends (checked by running). A suggestion, as the compile config (and a saved model) now names a function of the program. Outputting logits with `from_logits=True` also trains, but changes what `predict` returns. Not covered by the migration guide.',
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
