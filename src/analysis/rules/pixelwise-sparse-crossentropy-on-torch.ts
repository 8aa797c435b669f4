/**
 * What it does: flags the output of a model that is a per-pixel map of rank 4 (batch, height,
 * width, classes) in a program that compiles a sparse categorical cross-entropy on probabilities
 * (`loss="sparse_categorical_crossentropy"`, `keras.losses.sparse_categorical_crossentropy`, or
 * `SparseCategoricalCrossentropy()` without `from_logits=True`): a 2-D convolution with
 * `activation="softmax"` anywhere (the head of a segmentation model), and a model's softmax output
 * layer (`Activation("softmax")` or `Softmax()` after a linear convolution, the usual U-Net head, or
 * `Dense(n, activation="softmax")` on a rank-4 tensor) found by following the output tensor back
 * through rank-keeping layers to a 2-D convolution, pooling, upsampling, `Reshape` or `Input`; and
 * any other rank-4 output (a linear or sigmoid head) of a model compiled in the same cell with that loss.
 * Why: Keras 3.15's PyTorch backend computes that loss with `nll_loss` on the class axis moved to
 * position 1; on any rank-4 prediction (softmax, sigmoid or linear head alike) the backward pass
 * raises "RuntimeError: grad_input must be contiguous" (a rank-3 or rank-5 output trains, as do
 * logits with `from_logits=True`). TensorFlow and JAX train it (seen in keras.io's Oxford Pets U-Net
 * and Chollet's DLwP ch. 9 segmentation head; checked by running). Suggested fix: the same loss
 * computed on (pixels, classes) by a function of the program, reshaped back per pixel (predictions
 * stay probabilities).
 * Example: `outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)`
 * Use instead: `outputs = layers.Conv2D(num_classes, 3, padding="same")(x)` with
 * `loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)`
 */
import { child, itemsOf, rootOf, SyntaxNode } from '../ast';
import { CellMemoKey, OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, lastAssignedValue, lineBreakOf, lineStartAt } from '../rule-helpers';
import { stringValue } from '../helpers/calls';
import { nodesUnder } from '../helpers/multi-optimizer-step';
import { layerConstructor, sequentialOutputRank, tensorRank } from '../helpers/tensor-rank';

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

const FAILS_ON_TORCH =
  'Keras 3.15\'s loss runs `nll_loss` on the class axis moved first and the backward pass raises "RuntimeError: grad_input must be contiguous" (TensorFlow and JAX train it)';

const advice = (logits: string): string =>
  `Output logits (${logits}) and compile with \`keras.losses.SparseCategoricalCrossentropy(from_logits=True)\` (argmax masks are unchanged; \`keras.ops.softmax\` gives the probabilities), or flatten y_true and y_pred to (pixels, classes) in a loss function.`;

/** Functional and Sequential model constructors. */
const FUNCTIONAL = new Set(['keras.Model', 'keras.models.Model']);
const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);

interface Finding {
  /** The call whose visit reports it: the softmax convolution, or the model constructor. */
  trigger: SyntaxNode;
  anchor: SyntaxNode;
  message: string;
  onlyIf?: string;
}

/** The output layer of a model: its softmax, if it has one, and where a finding points. */
interface Head {
  layer: string;
  softmax: boolean;
  /** A softmax 2-D convolution: flagged wherever it is (its own finding). */
  softmaxConv: boolean;
  anchor: SyntaxNode;
}

/** What a layer built by constructor call `ctor` (or a function call `call` like `keras.ops.softmax(x)`) is as a model's output. */
function headOf(ctor: SyntaxNode, ctx: RuleContext): Head | null {
  const parts = callParts(ctor, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn) ?? '' : '';
  if (!parts || !name) {
    return null;
  }
  const layer = name.split('.').pop()!;
  if (name === 'keras.layers.Softmax' || /^(keras\.(ops|activations)|tensorflow\.(nn|math))\.softmax$/.test(name)) {
    return { layer, softmax: true, softmaxConv: false, anchor: ctor };
  }
  const activation = parts.keywords.get('activation')?.value ?? (name === 'keras.layers.Activation' ? parts.positional[0] : undefined);
  if (activation && isSoftmax(activation, ctx)) {
    return { layer, softmax: true, softmaxConv: CONV_2D.test(name), anchor: activation };
  }
  return { layer, softmax: false, softmaxConv: false, anchor: ctor };
}

/**
 * Whether a softmax 2-D convolution (its own finding) makes `value`, a model's output, or feeds it
 * through layers of one input (`BatchNormalization()(conv)`, `UpSampling2D()(conv)`).
 */
function fedBySoftmaxConv(value: SyntaxNode | null, ctx: RuleContext): boolean {
  for (let i = 0; value && i < 12; i++) {
    if (value.type === 'identifier') {
      value = lastAssignedValue(ctx.textOf(value), value, ctx);
      continue;
    }
    const parts = value.type === 'call' ? callParts(value, ctx) : null;
    const ctor = parts ? layerConstructor(parts.fn, ctx) : null;
    const head = ctor ? headOf(ctor, ctx) : null;
    if (!parts || !head) {
      return false;
    }
    if (head.softmaxConv) {
      return true;
    }
    value = parts.keywords.get('inputs')?.value ?? parts.positional[0] ?? null;
  }
  return false;
}

/** The `NAME.compile(...)` calls of the cell with a loss, NAME last bound to `model` (a model constructor call). */
function compilesOf(model: SyntaxNode, compiles: readonly SyntaxNode[], ctx: RuleContext): SyntaxNode[] {
  return compiles.filter(c => {
    const fn = child(c, 'function');
    const receiver = fn ? child(fn, 'object') : null;
    return !!receiver && receiver.type === 'identifier' && lastAssignedValue(ctx.textOf(receiver), c, ctx) === model;
  });
}

/** The finding on the output of the model made by `call` (keras.Model or keras.Sequential), if it is a rank-4 map the loss fails on. */
function modelOutputFinding(call: SyntaxNode, name: string, compiles: readonly SyntaxNode[], ctx: RuleContext): Finding | null {
  const parts = callParts(call, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  let head: Head | null = null;
  let covered = false; // a softmax convolution (its own finding) makes the map
  if (SEQUENTIAL.has(name)) {
    const layers = parts.keywords.get('layers')?.value ?? parts.positional[0] ?? null;
    const items = layers && (layers.type === 'list' || layers.type === 'tuple') ? itemsOf(layers) : [];
    const last = items[items.length - 1];
    if (!last || last.type !== 'call' || sequentialOutputRank(layers!, ctx) !== 4) {
      return null;
    }
    head = headOf(last, ctx);
    covered = items.some(i => i.type === 'call' && !!headOf(i, ctx)?.softmaxConv);
  } else {
    let output: SyntaxNode | null = parts.keywords.get('outputs')?.value ?? parts.positional[1] ?? null;
    if (output && (output.type === 'list' || output.type === 'tuple')) {
      const items = itemsOf(output);
      output = items.length === 1 ? items[0] : null; // several outputs: not followed
    }
    let value = output;
    for (let i = 0; value && value.type === 'identifier' && i < 8; i++) {
      value = lastAssignedValue(ctx.textOf(value), value, ctx);
    }
    if (!value || value.type !== 'call' || tensorRank(value, ctx) !== 4) {
      return null;
    }
    const fn = child(value, 'function');
    const ctor = fn ? layerConstructor(fn, ctx) : null;
    const fnName = fn ? ctx.resolveKeras(fn) ?? ctx.resolve(fn) ?? '' : '';
    covered = fedBySoftmaxConv(value, ctx);
    head = ctor ? headOf(ctor, ctx) : /\.softmax$/.test(fnName) ? headOf(value, ctx) : { layer: '', softmax: false, softmaxConv: false, anchor: output! };
  }
  if (!head || head.softmaxConv || covered) {
    return null;
  }
  const own = compilesOf(call, compiles, ctx);
  const sparse = own.some(c => sparseOnProbabilities(compileLoss(c, ctx)!, ctx));
  if (head.softmax && (sparse || own.length === 0)) {
    // A softmax map compiled elsewhere: where the program compiles the loss at all (as for a softmax convolution).
    return {
      trigger: call,
      anchor: head.anchor,
      message: `This model's output, a softmax \`${head.layer}\` on a rank-4 tensor, is a per-pixel probability map (batch, height, width, classes); trained with the sparse categorical cross-entropy on probabilities (this program's compile()), it fails on the PyTorch backend: ${FAILS_ON_TORCH}. ${advice('without the softmax')}`,
      onlyIf: 'anywhere:' + SPARSE_ON_PROBABILITIES
    };
  }
  // A linear or sigmoid rank-4 head is common under other losses (autoencoders, super-resolution):
  // flagged only where the cell compiles this very model with the loss (so is a softmax map this cell compiles with another).
  if (!sparse) {
    return null;
  }
  const what = head.layer ? `\`${head.layer}\`, ` : '';
  return {
    trigger: call,
    anchor: head.anchor,
    message: `This model's output (${what}rank 4: batch, height, width, classes) is compiled here with the sparse categorical cross-entropy on probabilities (\`from_logits=False\`); on any rank-4 prediction, softmax or not, that fails on the PyTorch backend: ${FAILS_ON_TORCH}. If the output is logits, compile with \`keras.losses.SparseCategoricalCrossentropy(from_logits=True)\`; else flatten y_true and y_pred to (pixels, classes) in a loss function.`
  };
}

const FINDINGS = new CellMemoKey<Map<SyntaxNode, Finding[]>>('KM252 findings of the cell, by the call that reports them');

/**
 * The cell's findings, by trigger: every softmax 2-D convolution, and every model output of rank
 * 4 found otherwise. The first (in the text) carries the fix, which rewrites every compile() of the cell.
 */
function findingsOf(root: SyntaxNode, ctx: RuleContext): Map<SyntaxNode, Finding[]> {
  return ctx.cellMemo(FINDINGS, () => {
    const byTrigger = new Map<SyntaxNode, Finding[]>();
    if (new RegExp(`\\bdef\\s+${LOSS_NAME}\\b`).test(ctx.text)) {
      return byTrigger; // the fix's per-pixel loss is there
    }
    const calls = nodesUnder(root, n => n.type === 'call');
    const compiles = calls.filter(n => compileLoss(n, ctx) !== null);
    const findings: Finding[] = [];
    for (const call of calls) {
      const parts = callParts(call, ctx);
      const name = parts ? ctx.resolveKeras(parts.fn) : null;
      if (!parts || !name) {
        continue;
      }
      const activation = parts.keywords.get('activation')?.value;
      if (CONV_2D.test(name) && activation && isSoftmax(activation, ctx)) {
        findings.push({
          trigger: call,
          anchor: activation,
          message: `A softmax \`${name.split('.').pop()}\` gives a per-pixel probability map of rank 4; trained with the sparse categorical cross-entropy on probabilities (this program's compile()), it fails on the PyTorch backend: ${FAILS_ON_TORCH}. ${advice('no activation')}`,
          // Only where some compile() trains on that loss: a softmax convolution with another loss (keras.io
          // MIRNet's attention descriptors under a Charbonnier loss) trains everywhere, and the message would be untrue.
          onlyIf: 'anywhere:' + SPARSE_ON_PROBABILITIES
        });
      } else if (FUNCTIONAL.has(name) || SEQUENTIAL.has(name)) {
        const finding = modelOutputFinding(call, name, compiles, ctx);
        // One finding per output layer (two models may share it).
        if (finding && !findings.some(f => f.anchor.start === finding.anchor.start)) {
          findings.push(finding);
        }
      }
    }
    findings.sort((a, b) => a.anchor.start - b.anchor.start);
    findings.forEach(f => byTrigger.set(f.trigger, [...(byTrigger.get(f.trigger) ?? []), f]));
    return byTrigger;
  });
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
  if (!name || !(CONV_2D.test(name) || FUNCTIONAL.has(name) || SEQUENTIAL.has(name))) {
    return;
  }
  const root = rootOf(node);
  const byTrigger = findingsOf(root, ctx);
  const mine = byTrigger.get(node);
  if (!mine) {
    return;
  }
  let first: Finding | null = null;
  for (const list of byTrigger.values()) {
    for (const f of list) {
      first = !first || f.anchor.start < first.anchor.start ? f : first;
    }
  }
  for (const f of mine) {
    ctx.report(f.anchor, f.message, f === first ? perPixelLossFix(ctx, node) : null, undefined, f.onlyIf);
  }
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
   * Also on rank 4: a linear Conv2D followed by Activation("softmax") (DLwP ch. 9) or Softmax(), a
   * Dense(3, activation="softmax") on a rank-4 tensor, a sigmoid or linear head, a softmax map under
   * BatchNormalization, UpSampling2D or Reshape, and the function and class forms of the loss: all
   * fail on PyTorch only (Keras 3.15.1, run on TensorFlow, JAX and PyTorch).
   */
  blocks: ['torch'],
  fixAvailability: 'sometimes',
  triggers: ['softmax', 'compile'],
  docs: {
    whatItDoes:
      'Flags `activation="softmax"` (or `keras.activations.softmax`, `tf.nn.softmax`) on a `Conv2D`, `Conv2DTranspose` or `SeparableConv2D` layer, and the softmax output layer of a Functional or Sequential model whose output has rank 4 (`Activation("softmax")` or `Softmax()` after a linear convolution, `Dense(n, activation="softmax")` on a rank-4 tensor; the rank is read back through rank-keeping layers to a 2-D convolution, pooling, upsampling, `Reshape` or `Input`), where the program compiles a sparse categorical cross-entropy on probabilities (`loss="sparse_categorical_crossentropy"`, `keras.losses.sparse_categorical_crossentropy`, or `SparseCategoricalCrossentropy()` without `from_logits=True`), blocking PyTorch; also any other rank-4 output layer (linear, sigmoid) of a model that the same cell compiles with that loss. A softmax convolution trained on another loss (keras.io MIRNet\'s attention descriptors) trains everywhere and is not flagged.',
    why:
      'A softmax 2-D convolution, or a linear one followed by `Activation("softmax")` (Chollet\'s DLwP ch. 9), is the head of a segmentation model (keras.io\'s Oxford Pets U-Net): a (batch, height, width, classes) probability map. Keras 3.15\'s PyTorch backend computes the sparse cross-entropy on probabilities with `nll_loss` on the class axis moved to position 1, and on any rank-4 prediction (softmax, sigmoid or linear head alike) the backward pass raises "RuntimeError: grad_input must be contiguous". Rank-3 and rank-5 outputs train, and so do logits with `from_logits=True`; TensorFlow and JAX train every case (checked by running). Suggested fix, where the compile() is in the same cell and its loss has no other arguments: a `pixelwise_sparse_categorical_crossentropy(y_true, y_pred)` function, defined before the compile() (before the top-level loop, conditional, `with` or `try` holding it, so it is defined once) and registered with `keras.saving.register_keras_serializable()`, computes the same loss on (pixels, classes) and reshapes it back to (batch, height, width), so every loss value, the reduction and sample weights (per sample or per pixel) stay as they were and the model still outputs probabilities; the fixed program trains on all three backends (checked by running). A suggestion, as the compile config (and a saved model) now names a function of the program. Outputting logits with `from_logits=True` also trains, but changes what `predict` returns. Not covered by the migration guide.',
    example:
      'import keras\ninputs = keras.Input((32, 32, 3))\noutputs = keras.layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")',
    useInstead:
      'import keras\ninputs = keras.Input((32, 32, 3))\noutputs = keras.layers.Conv2D(3, 3, padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))'
  },
  calls: { resolved: KERAS_CALLEES, names: ['compile'] },
  // Every finding needs a compile() with the sparse cross-entropy (noted, or in the cell), which names it.
  requires: ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
  visitors: { call: visit }
};
