import { child, definedInPlainFunctionsFromModule, identifiersIn, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { calleeName, lastAssignedValue, tfApiName } from './calls';
import { escapeRegExp } from '../text';
import { looksLikeDataset } from './tf-data';
import { classMethods } from './model-code';
import { applyOffsetEdits, lineStartAt } from '../text';
import { isValueComputation, metricInputsOnly, numericAttribute, stateUpdateEdits } from './post-step-updates';
import { nestedBatchAdvice } from './train-step-advice';
import { rewriteNestedBatchStep } from './nested-batch-step';

/**
 * Rewriting a Keras 2 `train_step()` into a `compute_loss()` override (guide section "Custom
 * train_step() methods"). Decided on the method's own statements, in one pass over them.
 *
 * The pattern rewritten is the one Keras 2 tutorials teach: unpack `data`, one
 * `tf.GradientTape` around the forward pass and the loss, `tape.gradient(loss, <all trainable
 * variables>)`, `self.optimizer.apply_gradients(...)` (or `self.optimizer.minimize`), metric
 * updates, and a return of the metrics. Keras 3's `fit()` runs the same step on every backend
 * once the loss computation is in `compute_loss()`: it calls the model (`y_pred = self(x)`),
 * then `compute_loss(x, y, y_pred, sample_weight)`, takes the gradient of what it returns over
 * every trainable variable, applies it with `self.optimizer` and returns `compute_metrics()`.
 * Anything else (several tapes or optimizers, gradient surgery, training a part of the model)
 * changes the optimisation itself and needs one train_step per backend.
 */
export interface TrainStepRewrite {
  /** Edits replacing the method (and a canonical test_step of the same class, if any). */
  edits: OffsetEdit[];
  /** The step was Keras's own default: deleting it changes nothing. */
  safe: boolean;
  title: string;
  /** What the step does besides computing a loss that Keras 3 does elsewhere (said in the finding's message). */
  besides?: string;
  /** The finding's message, when the rewrite says it best. */
  message?: string;
}

/** Why a train_step is not the common pattern (shown in the finding's message). */
export type NoRewrite = { reason: string; hint?: string };

/**
 * For a step that makes the model's inputs itself (from parts of the batch, a dict batch, or
 * several calls of the model): how the Keras team converted such steps by hand.
 */
const DATA_AS_CALL_TAKES =
  "Keras 3's fit() calls the model once on the x of each batch, then compute_loss(x, y, y_pred): make the data yield `(x, y)` with x what call() takes (a call() that computes the step's forward pass from it, e.g. both embeddings of a pair), then override compute_loss(); otherwise";

/** For a step that applies the optimizer inside a loop (one step per caption of a batch). */
const STEP_PER_ITERATION =
  "Keras 3's fit() applies one optimizer step per batch: a call() that runs the loop's forward passes and a compute_loss() that returns the sum of the loop's losses run on every backend but train with one step per batch instead of one per iteration (a different optimisation, so no automatic fix); to keep one step per iteration,";

/** For a step whose tapes train parts of the model with optimizers of their own (a GAN). */
const OPTIMIZER_PER_TAPE =
  "fit() applies one optimizer to one loss, so no compute_loss() can express this; what ran on TensorFlow, JAX and PyTorch (examples/runnable/converted/dcgan_gan_monitor.py): on PyTorch, per tape, `self.zero_grad()`, `loss.backward()`, `grads = [v.value.grad for v in variables]` and `optimizer.apply(grads, variables)` under `torch.no_grad()`; on JAX, `compile(jit_compile=False)` (the other optimizers' states are not in the state fit() threads through a jitted step), the state assigned back into the variables at the start of the step (fit() detaches their values during an epoch), `jax.value_and_grad` over each sub-model's `stateless_call()`, `optimizer.apply(grads, variables)`, and the state read back from the variables returned; a model with no call() sets `self.built = True` in __init__() (its sub-models are built); then";

const ALL_VARIABLES = /^self\.trainable_(variables|weights)$/;
/** `self.<sub-model>.trainable_variables`: a step that trains one part of the model. */
const SUB_VARIABLES = /^self\.(\w+)\.trainable_(variables|weights)$/;
export const METRICS_COMPREHENSION = /^\{\s*(\w+)\.name\s*:\s*\1\.result\(\)\s*for\s+\1\s+in\s+self\.metrics\s*\}$/;
const METRIC_RESULT = /^(self\.\w+|\w+)\.result\(\)$/;

/** Statements of a block, comments left out. */
export function statements(block: SyntaxNode | null): SyntaxNode[] {
  return (block?.children ?? []).filter(s => s.type !== 'comment');
}

/** The expression of `expression_statement` (a call, an assignment...), else the node. */
export function inner(stmt: SyntaxNode): SyntaxNode {
  return stmt.type === 'expression_statement' && stmt.children.length === 1 ? stmt.children[0] : stmt;
}

/** Column of the line `offset` is on, counted in characters of leading whitespace. */
function indentAt(text: string, offset: number): string {
  const lineStart = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The statement's text with `replacements` applied and every line after the first moved left by `dedent` columns. */
function statementText(stmt: SyntaxNode, ctx: RuleContext, replacements: OffsetEdit[], dedent: number): string {
  const inside = replacements.filter(r => r.start >= stmt.start && r.end <= stmt.end).map(r => ({ start: r.start - stmt.start, end: r.end - stmt.start, text: r.text }));
  let text = applyOffsetEdits(ctx.text.slice(stmt.start, stmt.end), inside);
  if (dedent > 0) {
    const strip = new RegExp(`\\n[ \\t]{0,${dedent}}`, 'g');
    text = text.replace(strip, '\n');
  }
  return text;
}

/** Parameter names of a def (`self` included), or null when it has defaults, splats or annotations. */
function plainParameters(def: SyntaxNode, ctx: RuleContext): string[] | null {
  const params = child(def, 'parameters');
  const names: string[] = [];
  for (const p of params?.children ?? []) {
    // `batch: tf.Tensor` (keras.io Barlow Twins): the annotation says nothing the rewrite needs.
    const name = p.type === 'typed_parameter' ? p.children.find(c => c.type === 'identifier') : p;
    if (!name || name.type !== 'identifier') {
      return null;
    }
    names.push(ctx.textOf(name));
  }
  return names;
}

/** `self.optimizer.<method>(...)` -> method. */
function optimizerCall(node: SyntaxNode, ctx: RuleContext): string | null {
  if (node.type !== 'call') {
    return null;
  }
  const fn = child(node, 'function');
  if (!fn || fn.type !== 'attribute') {
    return null;
  }
  const object = child(fn, 'object');
  return object && ctx.textOf(object) === 'self.optimizer' ? calleeName(fn, ctx) : null;
}

function positionalArgs(call: SyntaxNode): SyntaxNode[] {
  return (child(call, 'arguments')?.children ?? []).filter(a => a.type !== 'keyword_argument' && a.type !== 'comment');
}

function keywordArg(call: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  for (const a of child(call, 'arguments')?.children ?? []) {
    if (a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === name) {
      return child(a, 'value');
    }
  }
  return null;
}

/** Every call node under `node` (explicit stack: deep expressions). */
function callsUnder(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      out.push(n);
    }
    for (const c of n.children) {
      if (c.type !== 'function_definition' && c.type !== 'class_definition') {
        stack.push(c);
      }
    }
  }
  return out;
}

/**
 * A method of the class (not call()) that the step calls with the batch itself as an argument,
 * and that runs the model or one of its layers on it (`self.siamese_network(data)`): the
 * forward pass on the whole batch is in the helper, where compute_loss() would give it x alone.
 */
function batchHelper(def: SyntaxNode, data: string, cls: SyntaxNode, ctx: RuleContext): string | null {
  const methods = classMethods(cls, ctx);
  for (const call of callsUnder(child(def, 'body') ?? def)) {
    const method = /^self\.(\w+)$/.exec(ctx.textOf(child(call, 'function') ?? call))?.[1];
    const helper = method && method !== 'call' ? methods.get(method) : undefined;
    if (!helper) {
      continue;
    }
    const args = positionalArgs(call);
    const position = args.findIndex(a => ctx.textOf(a) === data);
    // Parameter names, defaults and annotations aside (`def calculate_loss(self, images, test=False)`).
    const params = (child(helper.def, 'parameters')?.children ?? []).map(p => {
      const name = p.type === 'identifier' ? p : child(p, 'name') ?? p.children.find(c => c.type === 'identifier');
      return name ? ctx.textOf(name) : '';
    });
    // The batch passed by keyword (keras.io ShiftViT: `self._calculate_loss(data=inputs, training=True)`).
    const byKeyword = (child(call, 'arguments')?.children ?? []).find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'value') ?? a) === data);
    const keywordName = byKeyword ? ctx.textOf(child(byKeyword, 'name') ?? byKeyword) : undefined;
    const param = position >= 0 ? params[position + 1] : keywordName && params.includes(keywordName) ? keywordName : undefined;
    if (!param) {
      continue;
    }
    // The batch or the parts the helper unpacks from it (`(images, labels) = data`, `images = data[0]`).
    const p = escapeRegExp(param);
    const fromBatch = new Set([param]);
    for (const st of statements(child(helper.def, 'body'))) {
      const e = inner(st);
      if (e.type === 'assignment' && new RegExp(`^\\(?${p}(\\[[^\\]]+\\])?\\)?$`).test(ctx.textOf(child(e, 'right') ?? e).trim())) {
        boundNames(st, ctx).forEach(n => fromBatch.add(n));
        const left = child(e, 'left');
        for (const t of left?.type === 'tuple_pattern' || left?.type === 'pattern_list' ? left.children : []) {
          if (t.type === 'identifier') {
            fromBatch.add(ctx.textOf(t));
          }
        }
      }
    }
    const forward = callsUnder(child(helper.def, 'body') ?? helper.def).some(c => {
      const callee = ctx.textOf(child(c, 'function') ?? c);
      const attr = /^self\.(\w+)$/.exec(callee)?.[1];
      const first = positionalArgs(c)[0];
      return (callee === 'self' || (attr !== undefined && !methods.has(attr))) && first !== undefined && fromBatch.has(ctx.textOf(first));
    });
    if (forward) {
      return method!;
    }
  }
  return null;
}

/**
 * A loss helper that starts by unpacking the batch into two names (`(images, labels) = data`,
 * keras.io ShiftViT): those names, and what the compiled loss compares the second with when the
 * helper calls `self.compiled_loss(labels, logits)`.
 */
function helperSplitsBatch(helper: SyntaxNode, ctx: RuleContext): { x: string; y: string; pred: string | null } | null {
  const params = plainParameters(helper, ctx) ?? (child(helper, 'parameters')?.children ?? []).map(p => ctx.textOf(p.type === 'identifier' ? p : child(p, 'name') ?? p));
  const body = statements(child(helper, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
  const first = body[0] ? inner(body[0]) : null;
  const left = first?.type === 'assignment' ? child(first, 'left') : null;
  const names = left && (left.type === 'tuple_pattern' || left.type === 'pattern_list') ? left.children.filter(c => c.type === 'identifier').map(c => ctx.textOf(c)) : [];
  if (names.length !== 2 || left!.children.length !== 2 || ctx.textOf(child(first!, 'right') ?? first!) !== params[1]) {
    return null;
  }
  const loss = new RegExp(`\\bself\\.compiled_loss\\(\\s*${names[1]}\\s*,\\s*(\\w+)\\s*[,)]`).exec(ctx.textOf(helper));
  return { x: names[0], y: names[1], pred: loss ? loss[1] : null };
}

/** How many times `name` is used as a name or attribute under `node` (not in comments or strings). */
function namesUnder(node: SyntaxNode, name: string, ctx: RuleContext): number {
  let count = 0;
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && ctx.textOf(n) === name) {
      count++;
    }
    if (n.type !== 'comment' && n.type !== 'string') {
      stack.push(...n.children);
    }
  }
  return count;
}

/**
 * Adds to `edits` the rewrite of every `self.compiled_loss(y_true, y_pred[, sample_weight])` under
 * `stmt` into `super().compute_loss(x=x, y=..., y_pred=...)` (arguments with the earlier edits
 * applied); false when one lacks y_true or y_pred.
 */
function compiledLossEdits(stmt: SyntaxNode, edits: OffsetEdit[], ctx: RuleContext): boolean {
  for (const call of callsUnder(stmt)) {
    if (ctx.textOf(child(call, 'function') ?? call) !== 'self.compiled_loss') {
      continue;
    }
    const [yTrue, yPred, weights] = positionalArgs(call);
    const sampleWeight = weights ?? keywordArg(call, 'sample_weight', ctx);
    if (!yTrue || !yPred) {
      return false;
    }
    const t = (n: SyntaxNode): string => statementText(n, ctx, edits, 0);
    edits.push({ start: call.start, end: call.end, text: `super().compute_loss(x=x, y=${t(yTrue)}, y_pred=${t(yPred)}${sampleWeight ? `, sample_weight=${t(sampleWeight)}` : ''})` });
  }
  return true;
}

/** `self(<input>, ...)`: the model's forward pass on fit's x. */
function isForwardPass(call: SyntaxNode, inputName: string, ctx: RuleContext, delegate: string | null = null): boolean {
  const fn = child(call, 'function');
  const args = positionalArgs(call);
  const callee = fn ? ctx.textOf(fn) : '';
  return (callee === 'self' || (delegate !== null && callee === `self.${delegate}`)) && args.length === 1 && ctx.textOf(args[0]) === inputName;
}

/**
 * The sub-model a call() only hands its input to (`return self.model(x)`, or `x = self.model(x)`
 * then `return x`; keras.io's Trainer pattern): calling it on fit's input is the model's forward
 * pass. Null when call() does anything else.
 */
function delegatedSubmodel(call: SyntaxNode | undefined, ctx: RuleContext): string | null {
  const params = call ? plainParameters(call, ctx) : null;
  if (!call || !params || params.length !== 2) {
    return null;
  }
  const input = params[1];
  const body = statements(child(call, 'body')).filter(s => !(s.type === 'expression_statement' && inner(s).type === 'string'));
  const target = (value: SyntaxNode | null | undefined): string | null => {
    const fn = value?.type === 'call' ? child(value, 'function') : null;
    const args = value?.type === 'call' ? child(value, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [] : [];
    const m = fn ? /^self\.(\w+)$/.exec(ctx.textOf(fn)) : null;
    return m && args.length === 1 && ctx.textOf(args[0]) === input ? m[1] : null;
  };
  const last = body[body.length - 1];
  if (body.length === 1 && last.type === 'return_statement') {
    return target(last.children[0]);
  }
  if (body.length === 2 && last.type === 'return_statement' && inner(body[0]).type === 'assignment') {
    const assign = inner(body[0]);
    const left = child(assign, 'left');
    return left && last.children[0] && ctx.textOf(left) === ctx.textOf(last.children[0]) ? target(child(assign, 'right')) : null;
  }
  return null;
}

/**
 * `a, b = self.<sublayer>(<names>)` whose arguments are plain names from `known` (fit's input and
 * the results of earlier such statements): one link of the forward pass a new `call()` can make.
 * Returns the names it binds.
 */
function sublayerForward(stmt: SyntaxNode, known: Set<string>, ctx: RuleContext): string[] | null {
  const assign = inner(stmt);
  if (assign.type !== 'assignment') {
    return null;
  }
  const right = child(assign, 'right');
  const left = child(assign, 'left');
  const fn = right?.type === 'call' ? child(right, 'function') : null;
  if (!right || !left || !fn || fn.type !== 'attribute' || !/^self\.\w+$/.test(ctx.textOf(fn))) {
    return null;
  }
  const args = child(right, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [];
  if (args.length === 0 || args.some(a => a.type !== 'identifier' || !known.has(ctx.textOf(a)))) {
    return null;
  }
  const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  if (targets.length === 0 || targets.some(t => t.type !== 'identifier')) {
    return null;
  }
  return targets.map(t => ctx.textOf(t));
}

/** Whether a class derives directly from keras Model (not from a model class of the notebook, whose call() we cannot see). */
function derivesFromKerasModel(cls: SyntaxNode, ctx: RuleContext): boolean {
  const supers = child(cls, 'superclasses');
  return (supers?.children ?? []).some(s => {
    const name = ctx.resolveKeras(s);
    return name === 'keras.Model' || name === 'keras.models.Model';
  });
}

/** Removing a method: its lines, or `pass` when nothing else is left in the class body. */
export function removalEdits(cls: SyntaxNode, removed: SyntaxNode[], ctx: RuleContext, replacement: string | null): OffsetEdit[] {
  const body = child(cls, 'body');
  const remaining = statements(body).filter(s => !removed.includes(s));
  const edits: OffsetEdit[] = [];
  removed.forEach((stmt, i) => {
    const lineStart = lineStartAt(ctx.text, stmt.start);
    const newline = ctx.text.indexOf('\n', stmt.end);
    const end = newline < 0 ? ctx.text.length : newline + 1;
    if (i === 0 && replacement !== null) {
      edits.push({ start: stmt.start, end: stmt.end, text: replacement });
    } else if (i === 0 && remaining.length === 0) {
      edits.push({ start: stmt.start, end: stmt.end, text: 'pass' });
    } else {
      // A blank line before the method goes with it.
      const blank = /\n[ \t]*\n$/.exec(ctx.text.slice(Math.max(0, lineStart - 200), lineStart));
      edits.push({ start: blank ? lineStart - blank[0].length + 1 : lineStart, end, text: '' });
    }
  });
  return edits;
}

/**
 * A `test_step()` that does what Keras's default does (forward pass, compiled loss, compiled
 * metrics, return of every metric): deleting it changes nothing, and Keras 3's default
 * test_step then calls the same compute_loss() as training.
 */
export function isDefaultTestStep(def: SyntaxNode, ctx: RuleContext): boolean {
  const params = plainParameters(def, ctx);
  if (!params || params.length !== 2) {
    return false;
  }
  const body = statements(child(def, 'body'));
  let sawLoss = false;
  for (const stmt of body) {
    const text = ctx.textOf(stmt).replace(/\s+/g, ' ');
    if (new RegExp(`^\\w+, \\w+ = ${params[1]}$`).test(text) || /^\w+ = self\(\w+(, training=False)?\)$/.test(text)) {
      continue;
    }
    if (/^(\w+ = )?self\.compiled_loss\([^()]*(\(\))?[^()]*\)$/.test(text)) {
      sawLoss = true;
      continue;
    }
    if (/^self\.compiled_metrics\.update_state\(\w+, \w+\)$/.test(text)) {
      continue;
    }
    if (stmt.type === 'return_statement' && METRICS_COMPREHENSION.test(ctx.textOf(stmt.children[0] ?? stmt).replace(/\s+/g, ' '))) {
      continue;
    }
    if (stmt.type === 'expression_statement' && stmt.children[0]?.type === 'string') {
      continue; // docstring
    }
    return false;
  }
  return sawLoss;
}

/** The edits that delete a default test_step (replaced by `pass` when the class would be left empty). */
export function deleteDefaultTestStep(cls: SyntaxNode, outer: SyntaxNode, ctx: RuleContext): OffsetEdit[] {
  return removalEdits(cls, [outer], ctx, null);
}

/**
 * The compute_loss() rewrite of a train_step, or why there is none. `def` is the train_step's
 * function_definition, `cls` its class (a Keras Model subclass).
 */
export function rewriteTrainStep(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): TrainStepRewrite | NoRewrite {
  const frozen: FrozenOthers = { edits: [], names: [] };
  const result = rewriteStep(def, cls, ctx, frozen);
  if ('reason' in result || frozen.names.length === 0) {
    return result;
  }
  const names = frozen.names.map(n => `self.${n}`).join(', ');
  return { ...result, edits: [...result.edits, ...frozen.edits], safe: false, title: `${result.title}; freeze ${names} (the Keras 2 train_step did not train ${frozen.names.length > 1 ? 'them' : 'it'})` };
}

/** Asked by several rules (KM141 at every tape of a step, KM243 at a test_step): decided once per method. */
const rewrites = new WeakMap<SyntaxNode, TrainStepRewrite | NoRewrite>();

/** rewriteTrainStep(), computed once per train_step definition. */
export function rewriteTrainStepOnce(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): TrainStepRewrite | NoRewrite {
  let rewrite = rewrites.get(def);
  if (!rewrite) {
    rewrite = rewriteTrainStep(def, cls, ctx);
    rewrites.set(def, rewrite);
  }
  return rewrite;
}

/** The sub-models a step training a list of sub-models left out, frozen in __init__ (fit() trains every trainable variable). */
export interface FrozenOthers {
  edits: OffsetEdit[];
  names: string[];
}

function rewriteStep(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, frozen: FrozenOthers, viaHelper?: HelperLoss): TrainStepRewrite | NoRewrite {
  const params = plainParameters(def, ctx);
  if (!params || params.length !== 2) {
    return { reason: 'its signature is not `train_step(self, data)`' };
  }
  const data = params[1];
  const body = statements(child(def, 'body'));
  const tapes = body.filter(s => s.type === 'with_statement' && /GradientTape/.test(ctx.textOf(child(s, 'body') ? s.children[0] : s)));
  // Mentions in code only: keras.io steps explain the tape in a comment above it.
  const tapeMentions = namesUnder(def, 'GradientTape', ctx);
  if (tapes.length !== 1 || tapeMentions !== 1) {
    // keras.io image captioning: `for i in range(captions): with tf.GradientTape() ...; apply_gradients(...)`.
    const loop = tapeMentions === 1 ? body.find(st => (st.type === 'for_statement' || st.type === 'while_statement') && /GradientTape/.test(ctx.textOf(st)) && /\.(apply_gradients|minimize)\s*\(/.test(ctx.textOf(st))) : undefined;
    if (loop) {
      return { reason: `it applies the optimizer once per iteration of a \`${loop.type === 'for_statement' ? 'for' : 'while'}\` loop`, hint: STEP_PER_ITERATION };
    }
    // A GAN: each tape trains a part of the model with its own optimizer (`self.d_optimizer`, `self.g_optimizer`).
    const optimizers = new Set([...callsUnder(def)].sort((a, b) => a.start - b.start).map(c => /^self\.(\w+)\.apply_gradients$/.exec(ctx.textOf(child(c, 'function') ?? c))?.[1]).filter(Boolean));
    if (tapeMentions > 1 && optimizers.size > 1) {
      return { reason: `it uses several gradient tapes, each applied by its own optimizer (${[...optimizers].map(o => `\`self.${o}\``).join(', ')})`, hint: OPTIMIZER_PER_TAPE };
    }
    return { reason: tapeMentions > 1 ? 'it uses several gradient tapes' : 'its gradient tape is not at the top level of the method' };
  }
  const tape = tapes[0];
  const tapeCall = callsUnder(tape.children[0]).find(c => tfApiName(ctx.resolve(child(c, 'function') ?? c)) === 'tf.GradientTape');
  const alias = /\bas\s+(\w+)\s*$/.exec(ctx.textOf(tape.children[0]))?.[1];
  if (!tapeCall || !alias || (child(tapeCall, 'arguments')?.children.length ?? 0) > 0) {
    return { reason: 'its gradient tape is not a plain `with tf.GradientTape() as tape:`' };
  }
  let pre = body.slice(0, body.indexOf(tape));
  const post = body.slice(body.indexOf(tape) + 1);
  const tapeBody = statements(child(tape, 'body'));

  // How fit's data arrives: `x, y = data` (or with sample_weight), or `data` is the input itself.
  let unpack: SyntaxNode | null = null;
  let inputName = data;
  let unpackLine: string | null = `${data} = x`;
  const first = pre[0] ? inner(pre[0]) : null;
  // A nested batch (datasets zipped together): the whole batch becomes fit()'s x (nested-batch-step.ts).
  const nestedRewrite = viaHelper ? null : rewriteNestedBatchStep(def, cls, ctx);
  if (nestedRewrite) {
    return nestedRewrite;
  }
  const nested = nestedBatchAdvice(first, data, def, cls, ctx);
  if (nested) {
    return nested;
  }
  if (first && first.type === 'assignment') {
    const left = child(first, 'left');
    const right = child(first, 'right');
    const rightText = right ? ctx.textOf(right) : '';
    const targets = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? left.children.filter(c => c.type === 'identifier') : [];
    const fromData = rightText === data || new RegExp(`^[\\w.]*unpack_x_y_sample_weight\\(${data}\\)$`).test(rightText);
    if (fromData && targets.length >= 2 && targets.length <= 3 && targets.length === left!.children.length) {
      unpack = pre[0];
      const names = targets.map(t => ctx.textOf(t));
      const wanted = ['x', 'y', 'sample_weight'].slice(0, names.length);
      unpackLine = names.join(',') === wanted.join(',') ? null : `${names.join(', ')} = ${wanted.join(', ')}`;
      inputName = names[0];
    }
  }
  // The Keras guide's `if len(data) == 3: x, y, sample_weight = data` / `else: x, y = data;
  // sample_weight = None` (fit() gives compute_loss() sample_weight=None when the data has none).
  const optional = !unpack && first ? optionalSampleWeightUnpack(first, data, ctx) : null;
  if (optional) {
    unpack = pre[0];
    const wanted = ['x', 'y', 'sample_weight'];
    unpackLine = optional.join(',') === wanted.join(',') ? null : `${optional.join(', ')} = ${wanted.join(', ')}`;
    inputName = optional[0];
  }
  const fnText = ctx.textOf(def);
  // The model (or one sub-model) run on several parts of the batch, or the batch handed to a
  // helper that runs a layer on it: call() takes the whole batch (partsIntoCall()).
  const parts = partsForward(cls, data, pre, tapeBody, child(tape, 'body'), ctx);
  /** The statements that make the model's input and the targets from `data` (a dict batch, shifted targets). */
  let prep: DataPreparation | null = null;
  const allPre = pre;
  if (!parts && !unpack && new RegExp(`\\b${data}\\s*\\[`).test(fnText) && !/isinstance\(/.test(fnText)) {
    const found = dataPreparation(cls, pre, statements(child(tape, 'body')), body.slice(body.indexOf(tape) + 1), data, ctx);
    if ('reason' in found) {
      return { reason: `it indexes \`${data}\`${found.reason ? ` ${found.reason}` : ''}`, hint: DATA_AS_CALL_TAKES };
    }
    prep = found;
    inputName = found.input;
    unpackLine = found.targets.length === 0 ? null : found.targets.length === 1 ? (found.targets[0] === 'y' ? null : `${found.targets[0]} = y`) : `${found.targets.join(', ')} = y`;
    pre = pre.filter(s => !found.statements.includes(s));
  }
  // `loss = self._compute_loss(data)`: a helper method of the model gets the batch as fit()
  // gave it to train_step (a tuple of the dataset's elements, for a dataset of triplets);
  // compute_loss() would hand it x alone (fit() splits a tuple into x, y, sample_weight).
  const helper = !viaHelper && !parts && !unpack && !/isinstance\(/.test(fnText) ? batchHelper(def, data, cls, ctx) : null;
  if (helper) {
    const split = helperSplitsBatch(classMethods(cls, ctx).get(helper)!.def, ctx);
    // The compiled loss of what the helper unpacked (keras.io ShiftViT): the rest of the step is
    // parsed as usual, then helperIntoCall() decides whether Keras's own steps do the same.
    const viaRewrite = split?.pred ? rewriteStep(def, cls, ctx, frozen, { name: helper, x: split.x, y: split.y, pred: split.pred }) : null;
    if (viaRewrite && !('reason' in viaRewrite)) {
      return viaRewrite;
    }
    return {
      reason: `it hands \`${data}\` whole to \`self.${helper}()\`${split ? `, which unpacks \`${split.x}, ${split.y}\` from it` : ''}${viaRewrite && helperReasons.has(viaRewrite) ? ` (${viaRewrite.reason})` : ''}`,
      hint: split
        ? `\`${split.x}\` and \`${split.y}\` are what Keras 3's fit() hands the model as x and y: make call(self, ${split.x}, training=False) run the helper's forward pass (passing \`training\` on) and return ${split.pred ? `\`${split.pred}\`` : 'its output'}${split.pred ? `; the loss is the compiled one (\`self.compiled_loss(${split.y}, ${split.pred})\`), so Keras's own train_step and test_step compute it and the compiled metrics: delete train_step(), ${classMethods(cls, ctx).has('test_step') ? 'test_step() ' : ''}and \`self.${helper}()\`` : `, and move the loss into a compute_loss() override reading y and y_pred`}; otherwise`
        : DATA_AS_CALL_TAKES
    };
  }

  // `outputs = self([self.node_states, self.edges])` (keras.io GAT): the model runs on inputs it
  // holds, and the batch only selects rows of its outputs; fit() calls the model on the batch.
  const held = tapeBody.flatMap(st => callsUnder(st)).find(c => {
    const args = positionalArgs(c);
    return ctx.textOf(child(c, 'function') ?? c) === 'self' && args.length > 0 && args.every(a => /^[[(]?\s*self\.\w+(\s*,\s*self\.\w+)*\s*,?\s*[\])]?$/.test(ctx.textOf(a)));
  });
  if (held) {
    return {
      reason: `it runs the model on inputs the model holds (\`${ctx.textOf(held).replace(/\s+/g, ' ')}\`), not on the batch`,
      hint: "Keras 3's fit() calls the model on the x of each batch: give the model a call() that takes the batch (e.g. node indices), runs the network on what the model holds and returns the rows the batch selects (`keras.ops.take(outputs, indices, axis=0)`); Keras's own train_step, test_step and predict_step then do the rest; otherwise"
    };
  }

  // After the tape: the gradient, its application, metric updates and the return.
  let lossExpr: string | null = null;
  /** What the tape differentiated (or the optimizer minimized). */
  let lossNode: SyntaxNode | null = null;
  let applied = false;
  const gradientNames = new Set<string>();
  /** Names bound to the variables trained: '' for all of the model's, else the sub-model attribute. */
  const variableNames = new Map<string, string>();
  /** The variables the step trains: '' (all), a sub-model attribute, undefined before the gradient. */
  let trained: string | undefined;
  const metricUpdates: SyntaxNode[] = [];
  /** Values computed after the tape only for metric updates (in metricUpdates too, in order). */
  const metricInputs: SyntaxNode[] = [];
  /** Loops after the optimizer step that only assign variables (an exponential moving average of the weights). */
  const stateUpdates: SyntaxNode[] = [];
  let returned: SyntaxNode | null = null;
  /** `results = {m.name: m.result() for m in self.metrics}` then `results.update({...})`: the name. */
  let resultsName: string | null = null;
  /** Logs the step returned that are not metric results (losses): fit() no longer shows them. */
  const droppedLogs: string[] = [];
  /** Clipping of the gradients before they are applied: what Keras 3's optimizer does with clipnorm= / global_clipnorm=. */
  let clipping: GradientClip | null = null;
  /** `pairs = []` lists, and those a loop filled with the (gradient, variable) pairs. */
  const emptyLists = new Set<string>();
  const pairLists = new Set<string>();
  const variablesOf = (node: SyntaxNode | null | undefined): string | null => {
    const text = node ? ctx.textOf(node) : '';
    if (ALL_VARIABLES.test(text)) {
      return '';
    }
    const sub = SUB_VARIABLES.exec(text);
    if (sub) {
      return sub[1];
    }
    // `[self.a.trainable_variables, self.b.trainable_variables]` or `self.a.trainable_variables + ...`: the sub-models, sorted, comma-joined.
    const subs = node ? subModelVariables(node, ctx, t => variableNames.get(t)) : null;
    return subs && subs.length > 1 ? [...new Set(subs)].sort().join(',') : variableNames.get(text) ?? null;
  };
  for (const stmt of [...pre.filter(s => s !== unpack), ...post]) {
    const e = inner(stmt);
    const left = e.type === 'assignment' ? child(e, 'left') : null;
    const variables = e.type === 'assignment' ? variablesOf(child(e, 'right')) : null;
    if (left?.type === 'identifier' && variables !== null) {
      variableNames.set(ctx.textOf(left), variables);
    }
  }
  const sameVariables = (node: SyntaxNode | null | undefined): boolean => {
    const v = variablesOf(node);
    return v !== null && (trained === undefined || v === trained);
  };
  for (const stmt of post) {
    const e = inner(stmt);
    const right = e.type === 'assignment' ? child(e, 'right') : null;
    if (e.type === 'assignment' && variableNames.has(ctx.textOf(child(e, 'left') ?? e))) {
      continue;
    }
    if (right?.type === 'call' && ctx.textOf(child(right, 'function') ?? right) === `${alias}.gradient`) {
      const [loss, vars] = positionalArgs(right);
      if (!loss || !sameVariables(vars)) {
        return { reason: 'it takes the gradient over some of the variables only' };
      }
      trained = variablesOf(vars)!;
      lossExpr = ctx.textOf(loss);
      lossNode = loss;
      gradientNames.add(ctx.textOf(child(e, 'left') ?? e));
      continue;
    }
    const clip = !applied ? gradientClip(e, gradientNames, ctx.textOf(def), ctx) : null;
    if (clip) {
      if (clipping) {
        return { reason: 'it clips the gradients more than once' };
      }
      clipping = clip;
      gradientNames.add(clip.target);
      continue;
    }
    // `pairs = []` then `for grad, var in zip(grads, variables): for g, v in zip(grad, var): pairs.append((g, v))`
    // (the gradients of a list of sub-models' variable lists, flattened into pairs for apply_gradients).
    if (!applied && e.type === 'assignment' && child(e, 'left')?.type === 'identifier' && ctx.textOf(child(e, 'right') ?? e).replace(/\s+/g, '') === '[]') {
      emptyLists.add(ctx.textOf(child(e, 'left')!));
      continue;
    }
    const flattened = !applied && stmt.type === 'for_statement' ? pairsLoop(stmt, emptyLists, ctx) : null;
    if (flattened) {
      if (!gradientNames.has(flattened.grads) || !sameVariables(flattened.variables)) {
        return { reason: 'it changes the gradients before applying them' };
      }
      pairLists.add(flattened.list);
      continue;
    }
    const method = optimizerCall(e, ctx);
    if (method === 'apply_gradients') {
      const zipped = positionalArgs(e)[0] ?? keywordArg(e, 'grads_and_vars', ctx);
      if (zipped && pairLists.has(ctx.textOf(zipped))) {
        applied = true;
        continue;
      }
      const zipArgs = zipped?.type === 'call' && ctx.textOf(child(zipped, 'function') ?? zipped) === 'zip' ? positionalArgs(zipped) : [];
      if (zipArgs.length !== 2 || !gradientNames.has(ctx.textOf(zipArgs[0])) || !sameVariables(zipArgs[1])) {
        return { reason: 'it changes the gradients before applying them' };
      }
      applied = true;
      continue;
    }
    if (method === 'minimize') {
      const [loss, vars] = positionalArgs(e);
      const varList = vars ?? keywordArg(e, 'var_list', ctx);
      if (!loss || !sameVariables(varList)) {
        return { reason: 'it minimizes over some of the variables only' };
      }
      trained = variablesOf(varList)!;
      lossExpr = ctx.textOf(loss);
      lossNode = loss;
      applied = true;
      continue;
    }
    // `self.d_optimizer.apply_gradients(...)`, or a module-level `optimizer.apply_gradients(...)` (keras.io GAT).
    const ownOptimizer = e.type === 'call' ? /^((?:self\.)?\w+)\.(apply_gradients|minimize)$/.exec(ctx.textOf(child(e, 'function') ?? e)) : null;
    if (ownOptimizer) {
      return { reason: `it applies the gradient with \`${ownOptimizer[1]}\`, not with the optimizer given to compile() (\`self.optimizer\`)` };
    }
    if (e.type === 'call' && calleeName(child(e, 'function') ?? e, ctx) === 'update_state') {
      if (ctx.textOf(child(e, 'function') ?? e) !== 'self.compiled_metrics.update_state') {
        metricUpdates.push(stmt);
      }
      continue;
    }
    // `for metric in self.metrics: metric.update_state(y, y_pred)` (keras.io's Trainer pattern,
    // the "Customizing fit()" guide): one update per metric, as the statements above.
    if (isMetricUpdateLoop(stmt, ctx)) {
      metricUpdates.push(stmt);
      continue;
    }
    if (e.type === 'assignment' && resultsName === null && child(e, 'left')?.type === 'identifier' && METRICS_COMPREHENSION.test(ctx.textOf(child(e, 'right') ?? e).replace(/\s+/g, ' '))) {
      resultsName = ctx.textOf(child(e, 'left')!);
      continue;
    }
    const update = resultsName !== null && e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === `${resultsName}.update` ? positionalArgs(e) : null;
    if (update && update.length === 1 && update[0].type === 'dictionary') {
      const logs = loggedLosses(update[0], ctx);
      if (!logs) {
        return { reason: 'it returns values that are not metric results' };
      }
      droppedLogs.push(...logs);
      continue;
    }
    if (stmt.type === 'return_statement' && stmt === post[post.length - 1]) {
      returned = stmt.children[0] ?? null;
      continue;
    }
    if (applied && isVariableUpdateLoop(stmt, ctx)) {
      stateUpdates.push(stmt);
      continue;
    }
    // `normalized = tf.math.l2_normalize(p_one, axis=1)` before a metric update: part of the metric computation.
    if (isValueComputation(stmt, [...gradientNames, alias, ...emptyLists], ctx)) {
      metricInputs.push(stmt);
      metricUpdates.push(stmt);
      continue;
    }
    return { reason: `\`${ctx.textOf(stmt).split('\n')[0].slice(0, 60)}\` is more than a loss computation` };
  }
  if (!applied || lossExpr === null || trained === undefined) {
    return { reason: 'it does not apply `tape.gradient(loss, self.trainable_variables)` with `self.optimizer`' };
  }
  const notMetricInput = metricInputsOnly(metricInputs, metricUpdates, [lossExpr, ...post.filter(s => !metricUpdates.includes(s)).map(s => ctx.textOf(s))], ctx);
  if (notMetricInput) {
    return { reason: `\`${ctx.textOf(notMetricInput).split('\n')[0].slice(0, 60)}\` is more than a loss computation` };
  }
  const unused = [...emptyLists].find(l => !pairLists.has(l));
  if (unused) {
    return { reason: `it makes a list \`${unused}\` for more than the (gradient, variable) pairs` };
  }
  if (/\boptimizer\b/.test(ctx.textOf(tape)) || pre.some(s => /\.(apply_gradients|minimize)\(|\btape\b/.test(ctx.textOf(s)))) {
    return { reason: 'it optimizes inside the tape' };
  }
  if (trained.includes(',')) {
    // The variables of several sub-models (keras.io's masked autoencoder): the whole model, the
    // sub-models the list leaves out frozen.
    const others = othersOf(trained.split(','), cls, ctx);
    if ('reason' in others) {
      return others;
    }
    frozen.edits.push(...others.edits);
    frozen.names.push(...others.names);
    trained = '';
  }

  // What the step returns becomes what compute_metrics() returns (the logs of fit()). Losses it
  // returned beside the metrics (`{"student_loss": student_loss}`) cannot be: compute_metrics()
  // does not see them. They are left out, and the fix's title says so.
  let metricsOverride: string | null = null;
  if (returned) {
    const text = ctx.textOf(returned).replace(/\s+/g, ' ');
    if (METRICS_COMPREHENSION.test(text) || (resultsName !== null && text === resultsName)) {
      metricsOverride = null;
    } else if (returned.type === 'dictionary' && resultsName === null) {
      const pairs = returned.children.filter(c => c.type !== 'comment');
      const value = (p: SyntaxNode): string => ctx.textOf(child(p, 'value') ?? p).replace(/\s+/g, '');
      const isLoss = (p: SyntaxNode): boolean => p.type === 'pair' && value(p) === lossExpr!.replace(/\s+/g, '') && /^["']loss["']$/.test(ctx.textOf(child(p, 'key') ?? p));
      const kept = pairs.filter(p => p.type === 'pair' && !isLoss(p) && METRIC_RESULT.test(value(p)));
      const others = pairs.filter(p => !isLoss(p) && !kept.includes(p));
      const logs = others.length ? loggedLosses(returned, ctx, others) : [];
      if (!logs) {
        return { reason: 'it returns values that are not metric results' };
      }
      droppedLogs.push(...logs);
      // Keras's own loss tracker reports "loss"; the metric results stay what fit() logs.
      metricsOverride = kept.length === 0 ? null : kept.length === pairs.length ? ctx.textOf(returned) : `{${kept.map(p => ctx.textOf(p)).join(', ')}}`;
    } else {
      return { reason: 'it returns something other than a dict of metric results' };
    }
  } else {
    return { reason: 'it returns no metrics' };
  }
  if (viaHelper) {
    return helperIntoCall(viaHelper, { def, cls, data, pre: allPre, tapeBody, post, lossExpr, metricUpdates, stateUpdates, metricsOverride, droppedLogs, clipped: clipping !== null, trained }, ctx);
  }
  if (parts) {
    const whole = trained && holdsEveryLayer(trained, cls, classMethods(cls, ctx), ctx, true) ? '' : trained;
    const classText = ctx.textOf(cls);
    const untrained = (attr: string): boolean => frozen.names.includes(attr) || new RegExp(`\\bself\\.${attr}\\.trainable\\s*=\\s*False\\b`).test(classText);
    return partsIntoCall(parts, { def, cls, data, allPre, tapeBody, lossExpr, trained: whole, metricUpdates, stateUpdates, untrained, metricsOverride, droppedLogs, returned }, ctx);
  }

  // Forward pass: fit() computes `y_pred = self(x, training=True)` itself.
  const replacements: OffsetEdit[] = [];
  const dropped = new Set<SyntaxNode>();
  /** The new call() when the model has none: the forward pass the tape starts with. */
  let callText: string | null = null;
  const methods = classMethods(cls, ctx);
  const hasCall = methods.has('call');
  const functional = !methods.has('__init__'); // built as `Model(inputs, outputs)`: the graph is its call()
  if (!hasCall && !functional && !derivesFromKerasModel(cls, ctx)) {
    return { reason: 'its model class has no call() of its own' };
  }
  if (clipping && methods.has('compile')) {
    return { reason: `it clips the gradients, and its model overrides compile() (give the optimizer \`${clipping.option}=${clipping.norm}\` there)` };
  }
  if (prep && (!hasCall && !functional || trained)) {
    return { reason: `it indexes \`${data}\`${trained ? ', and trains a part of the model' : ', and its model has no call()'}`, hint: DATA_AS_CALL_TAKES };
  }
  if (!hasCall && !functional && (stateUpdates.length > 0 || !tapeStartsWithForward(trained, tapeBody, inputName, ctx))) {
    if (clipping) {
      return { reason: 'it clips the gradients, and its model has no call()' };
    }
    return forwardIntoCall({ def, cls, tapeBody, pre, inputName, hasCall, functional, methods }, {
      tape, unpack, data, lossExpr, trained, metricUpdates, stateUpdates, metricsOverride, droppedLogs
    }, ctx);
  }
  if (stateUpdates.length > 0) {
    return { reason: `\`${ctx.textOf(stateUpdates[0]).split('\n')[0].slice(0, 60)}\` is more than a loss computation` };
  }
  /** The sub-model the step trained holds every layer of a model with its own call(): the step trained all of it. */
  let wholeModel: string | null = null;
  if (trained && hasCall && holdsEveryLayer(trained, cls, methods, ctx)) {
    wholeModel = trained;
    trained = '';
  }
  /** Edits in __init__ freezing the sub-models the step did not train. */
  const freezeEdits: OffsetEdit[] = [];
  if (trained) {
    // The step trains one sub-model (a student, a generator): fit() trains every trainable
    // variable, so the others the step calls (a teacher) are frozen where __init__ sets them,
    // as a human does, and call() is the trained sub-model's forward pass.
    const submodel = trainedSubmodel(trained, { def, cls, tapeBody, pre, inputName, hasCall, functional, methods }, ctx);
    if ('reason' in submodel) {
      return submodel;
    }
    freezeEdits.push(...submodel.freeze);
    callText = `def call(self, ${inputName}):\n${indentAt(ctx.text, def.start)}    return self.${trained}(${inputName})`;
    // `sum(self.vqvae.losses)`: in compute_loss() the sub-model's own `.losses` is empty on JAX
    // (the losses of the step's stateless call are the model's), `self.losses` holds them on every backend.
    const lossesOf = new RegExp(`\\bself\\.${trained}\\.losses\\b`, 'g');
    for (const m of ctx.textOf(def).matchAll(lossesOf)) {
      replacements.push({ start: def.start + m.index!, end: def.start + m.index! + m[0].length, text: 'self.losses' });
    }
    const left = child(inner(submodel.forward), 'left')!;
    if (ctx.textOf(left) === 'y_pred') {
      dropped.add(submodel.forward);
    } else {
      replacements.push({ start: submodel.forward.start, end: submodel.forward.end, text: `${ctx.textOf(left)} = y_pred` });
    }
  }
  const delegate = hasCall ? delegatedSubmodel(methods.get('call')?.def, ctx) : null;
  for (const stmt of trained ? [] : tapeBody) {
    const e = inner(stmt);
    const right = e.type === 'assignment' ? child(e, 'right') : null;
    const left = e.type === 'assignment' ? child(e, 'left') : null;
    if (right && left && right.type === 'call' && isForwardPass(right, inputName, ctx, delegate)) {
      if (ctx.textOf(left) === 'y_pred') {
        dropped.add(stmt);
      } else {
        replacements.push({ start: right.start, end: right.end, text: 'y_pred' });
      }
      break;
    }
  }
  if (!trained && (hasCall || functional) && dropped.size === 0 && replacements.length === 0) {
    // The forward pass inside an expression (`loss = tf.reduce_mean(tf.square(self(x) - y))`): y_pred there.
    const inline = tapeBody.flatMap(stmt => callsUnder(stmt)).filter(c => isForwardPass(c, inputName, ctx, delegate));
    if (inline.length === 1) {
      replacements.push({ start: inline[0].start, end: inline[0].end, text: 'y_pred' });
    }
  }
  if (!hasCall && !functional && !trained) {
    // The statements that start the tape by calling sublayers on the input (`encoded =
    // self.encoder(data)`, `decoded = self.decoder(encoded)`) become call(), which returns all
    // they bind; compute_loss() unpacks them from y_pred. Every sublayer the loss uses must be
    // in it: Keras 3 builds the model (and its optimizer's state) by calling call() once.
    const known = new Set([inputName]);
    const bound: string[] = [];
    const chain: SyntaxNode[] = [];
    for (const stmt of tapeBody) {
      const names = sublayerForward(stmt, known, ctx);
      if (!names) {
        break;
      }
      chain.push(stmt);
      names.forEach(n => known.add(n));
      bound.push(...names);
    }
    const rest = tapeBody.filter(s => !chain.includes(s)).map(s => ctx.textOf(s)).join('\n');
    if (chain.length === 0 || /\bself\.\w+\(/.test(rest.replace(/\bself\.\w+\.update_state\(/g, ''))) {
      return { reason: 'its model has no call(), and the tape does not start with the whole forward pass through its sublayers' };
    }
    const callIndent = indentAt(ctx.text, def.start) + '    ';
    const links = chain.map(stmt => callIndent + statementText(stmt, ctx, [], Math.max(0, indentAt(ctx.text, stmt.start).length - callIndent.length)));
    callText = `def call(self, ${inputName}):\n${links.join('\n')}\n${callIndent}return ${bound.join(', ')}`;
    chain.forEach((stmt, i) => (i === 0 ? replacements.push({ start: stmt.start, end: stmt.end, text: `${bound.join(', ')} = y_pred` }) : dropped.add(stmt)));
  }
  if (/\bself\s*\(/.test(tapeBody.filter(s => !dropped.has(s)).map(s => statementText(s, ctx, replacements, 0)).join('\n'))) {
    return { reason: 'it calls the model more than once', hint: DATA_AS_CALL_TAKES };
  }
  for (const stmt of [...pre, ...tapeBody]) {
    if (!compiledLossEdits(stmt, replacements, ctx)) {
      return { reason: '`self.compiled_loss` is called without y_true and y_pred' };
    }
  }
  if (new RegExp(`^\\s*(x|y|y_pred|sample_weight)\\s*=`, 'm').test([...pre.filter(s => s !== unpack), ...tapeBody].filter(s => !dropped.has(s)).map(s => ctx.textOf(s)).join('\n'))) {
    return { reason: 'it reassigns a name compute_loss() receives (x, y, y_pred, sample_weight)' };
  }

  // The new methods, at the indentation of the old one.
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const indent = indentAt(ctx.text, outer.start);
  const bodyIndent = indentAt(ctx.text, body[0].start);
  const tapeIndent = tapeBody.length ? indentAt(ctx.text, tapeBody[0].start) : bodyIndent;
  const dedent = Math.max(0, tapeIndent.length - bodyIndent.length);
  const lines: string[] = [];
  if (unpackLine !== null && (unpack || new RegExp(`\\b${data}\\b`).test(fnText.slice(fnText.indexOf(':') + 1)))) {
    if (!(unpackLine === `${data} = x` && data === 'x')) {
      lines.push(unpackLine);
    }
  }
  for (const stmt of pre) {
    if (stmt !== unpack) {
      lines.push(statementText(stmt, ctx, replacements, 0));
    }
  }
  let droppedEnd = -1;
  for (const stmt of child(tape, 'body')?.children ?? []) {
    if (dropped.has(stmt)) {
      droppedEnd = stmt.end;
    } else if (!(stmt.type === 'comment' && droppedEnd >= 0 && !ctx.text.slice(droppedEnd, stmt.start).includes('\n'))) {
      // (a comment on the line of a dropped statement goes with it)
      lines.push(statementText(stmt, ctx, replacements, dedent));
    }
  }
  for (const stmt of metricUpdates) {
    lines.push(statementText(stmt, ctx, replacements, 0));
  }
  const canonical =
    lines.length === 1 &&
    metricsOverride === null &&
    new RegExp(`^${escapeRegExp(lossExpr)} = super\\(\\)\\.compute_loss\\(x=x, y=y, y_pred=y_pred\\)$`).test(lines[0]) &&
    (hasCall || functional) &&
    droppedLogs.length === 0 &&
    !prep;
  const testStep = methods.get('test_step');
  const defaultTest = !!testStep && isDefaultTestStep(testStep.def, ctx);
  // A test_step that only evaluates (forward pass, losses, compiled metrics, their results) is
  // what Keras 3's own test_step does once the loss is in compute_loss(); kept, it would not run
  // on JAX (whose test_step takes the state) nor use compute_loss().
  const trainUpdates = metricUpdates.map(u => ctx.textOf(inner(u)).replace(/\s+/g, ''));
  const evaluationTest = !canonical && !!testStep && !defaultTest ? evaluationStep(testStep.def, ctx, trained ?? '', trainUpdates) : null;
  // A test_step computing what the train_step did (forward pass, losses, the same metric
  // updates and return) without the optimizer: Keras 3's own test_step calls compute_loss(), which now does it.
  const sameTest =
    !canonical && !!testStep && !defaultTest && !evaluationTest && sameStepWithoutTraining(testStep.def, data, [...allPre, ...tapeBody, ...metricUpdates], returned, ctx);
  const deleteTest = defaultTest || evaluationTest || sameTest ? testStep!.outer : null;
  if (prep && testStep && !deleteTest) {
    return { reason: `it indexes \`${data}\`, and its test_step reads the batch its own way`, hint: DATA_AS_CALL_TAKES };
  }
  const clipText = clipping ? clippingCompile(clipping, indent) : null;
  if (canonical && clipping) {
    // Keras's default step but for the clipping, which the optimizer does once compile() sets it.
    return {
      edits: removalEdits(cls, deleteTest ? [outer, deleteTest] : [outer], ctx, clipText),
      safe: false,
      title: `Delete train_step() (Keras's default step${deleteTest ? ', as is test_step()' : ''}) and clip the gradients with the optimizer's ${clipping.option}=${clipping.norm}, set in a compile() override`,
      besides: `it clips the gradients, which Keras 3's optimizer does when given \`${clipping.option}=\``
    };
  }
  if (canonical) {
    // The train_step is Keras's default one: deleting it keeps fit() as it was, on every backend.
    return {
      edits: removalEdits(cls, deleteTest ? [outer, deleteTest] : [outer], ctx, null),
      safe: true,
      title: deleteTest ? "Delete train_step() and test_step() (they are Keras's default steps)" : "Delete train_step() (it is Keras's default step)"
    };
  }
  // The model's own methods named like the ones Keras 3's steps define or call (keras.io Dual
  // Encoder's compute_loss(caption_embeddings, image_embeddings), molecule generation's
  // _compute_loss(...)): the new compute_loss() would replace the first, and Keras's own train_step
  // calls self._compute_loss(x=..., y=..., ...): renamed, with the model's calls of them.
  const clashing = ['compute_loss', '_compute_loss', ...(metricsOverride !== null ? ['compute_metrics'] : [])].filter(n => methods.has(n));
  if (clashing.some(n => plainParameters(methods.get(n)!.def, ctx)?.[1] === 'x')) {
    return { reason: 'the model already overrides compute_loss()' };
  }
  const renames = new Map(clashing.map(n => [n, `_step_${n.replace(/^_/, '')}`]));
  const removedRanges = deleteTest ? [outer, deleteTest] : [outer];
  const renameEdits: OffsetEdit[] = [];
  for (const id of renames.size ? identifiersIn(cls) : []) {
    const name = ctx.textOf(id);
    const parent = id.parent;
    const own =
      !!parent &&
      ((parent.type === 'function_definition' && child(parent, 'name') === id && methods.get(name)?.def === parent) ||
        (parent.type === 'attribute' && child(parent, 'attribute') === id && ctx.textOf(child(parent, 'object') ?? parent) === 'self'));
    if (renames.has(name) && own && !removedRanges.some(r => id.start >= r.start && id.end <= r.end)) {
      renameEdits.push({ start: id.start, end: id.end, text: renames.get(name)! });
    }
  }
  const renamedText = (t: string): string =>
    [...renames].reduce((acc, [from, to]) => acc.replace(new RegExp(`\\bself\\.${escapeRegExp(from)}\\b`, 'g'), `self.${to}`), t);
  const inside = indent + '    ';
  let text = '';
  if (callText) {
    text += `${callText}\n\n${indent}`;
  }
  if (clipText) {
    text += `${clipText}\n\n${indent}`;
  }
  text += `def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n`;
  text += lines.map(l => inside + l + '\n').join('');
  // A loss that may be per sample (`keras.losses.mean_squared_error(...)`): the tape
  // differentiated its sum, and fit() on JAX and PyTorch needs a scalar.
  const perSample = !lossNode || !knownScalar(lossNode, def, cls, ctx);
  text += `${inside}return ${perSample ? `keras.ops.sum(${lossExpr})` : lossExpr}`;
  if (metricsOverride !== null) {
    text += `\n\n${indent}def compute_metrics(self, x, y, y_pred, sample_weight=None):\n${inside}return ${withCompiledMetrics(metricsOverride, cls, ctx)}`;
  }
  const edits = [...removalEdits(cls, removedRanges, ctx, renamedText(text)), ...renameEdits, ...freezeEdits, ...(prep?.edits ?? [])];
  const imp = perSample ? ctx.kerasImportEdit() : null;
  let title = callText ? 'Move the loss into compute_loss() and the forward pass into call()' : 'Move the loss into compute_loss()';
  if (trained) {
    const frozen = freezeEdits.map(e => /self\.(\w+)\.trainable/.exec(e.text)![1]);
    title = `Train only self.${trained}: move the loss into compute_loss(), the forward pass of self.${trained} into call()${frozen.length ? `, and freeze ${frozen.map(f => `self.${f}`).join(', ')}` : ''}`;
  }
  if (wholeModel) {
    title += ` (self.${wholeModel}, the sub-model the step trained, holds every layer of the model; compute_loss() runs it again on x, beside fit()'s call())`;
  }
  if (sameTest) {
    title += "; delete test_step() (it did the same without training: Keras's own calls compute_loss())";
  }
  if (clipping) {
    title += `; clip the gradients with the optimizer's ${clipping.option}=${clipping.norm}, set in a compile() override`;
  }
  if (evaluationTest) {
    title += `; delete test_step() (evaluate() runs Keras's own step, which logs compute_loss() as "loss" and the compiled metrics${evaluationTest.length ? `, not ${evaluationTest.join(', ')}` : ''})`;
  }
  if (prep) {
    title += `; make (x, y) from each batch in \`${prep.fnName}()\`, mapped over the datasets given to ${prep.fitted}`;
  }
  if (renames.size) {
    title += `; rename ${[...renames].map(([from, to]) => `self.${from}() to ${to}()`).join(', ')} (Keras 3's steps define or call ${[...renames.keys()].join(', ')})`;
  }
  if (droppedLogs.length) {
    title += ` (fit() no longer logs ${droppedLogs.join(', ')})`;
  }
  return {
    edits: imp ? [...edits, imp] : edits,
    safe: false,
    title,
    besides: clipping
      ? `it clips the gradients, which Keras 3's optimizer does when given \`${clipping.option}=\``
      : prep
        ? `it makes the model's input and targets from the batch, which the data must do in Keras 3 (a function mapped over the datasets given to ${prep.fitted})`
        : undefined
  };
}

/** A batch helper that unpacks `(x, y)`, runs the forward pass and returns `self.compiled_loss(y, pred)` (keras.io ShiftViT). */
interface HelperLoss {
  name: string;
  x: string;
  y: string;
  pred: string;
}

/** Why helperIntoCall() declined (said in the helper advice). */
const helperReasons = new WeakSet<NoRewrite>();

function helperDecline(reason: string): NoRewrite {
  const out = { reason };
  helperReasons.add(out);
  return out;
}

/** The step parsed by rewriteStep(), as helperIntoCall() needs it. */
interface HelperStep {
  def: SyntaxNode;
  cls: SyntaxNode;
  data: string;
  pre: SyntaxNode[];
  tapeBody: SyntaxNode[];
  post: SyntaxNode[];
  lossExpr: string;
  metricUpdates: SyntaxNode[];
  stateUpdates: SyntaxNode[];
  metricsOverride: string | null;
  droppedLogs: string[];
  clipped: boolean;
  /** '' when the gradient is over all the model's variables. */
  trained: string | undefined;
}

/** Parameter names of a def with their default's text (`self` included), or null for splats and annotations. */
function parametersWithDefaults(def: SyntaxNode, ctx: RuleContext): { name: string; value: string | null }[] | null {
  const out: { name: string; value: string | null }[] = [];
  for (const p of child(def, 'parameters')?.children ?? []) {
    if (p.type === 'identifier') {
      out.push({ name: ctx.textOf(p), value: null });
    } else if (p.type === 'default_parameter' && child(p, 'name')?.type === 'identifier') {
      out.push({ name: ctx.textOf(child(p, 'name')!), value: ctx.textOf(child(p, 'value') ?? p) });
    } else {
      return null;
    }
  }
  return out;
}

/**
 * `a, b, c = self.<helper>(<data>, training=<flag>)` (the batch positional or by keyword): the
 * names bound, or null when the call passes anything else.
 */
function helperCallTargets(stmt: SyntaxNode, helper: string, helperData: string, data: string, flag: string, ctx: RuleContext): string[] | null {
  const e = inner(stmt);
  const right = e.type === 'assignment' ? child(e, 'right') : null;
  const left = e.type === 'assignment' ? child(e, 'left') : null;
  if (!right || !left || right.type !== 'call' || ctx.textOf(child(right, 'function') ?? right) !== `self.${helper}`) {
    return null;
  }
  const args = (child(right, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
  let sawData = false;
  for (const [i, a] of args.entries()) {
    if (a.type === 'keyword_argument') {
      const name = ctx.textOf(child(a, 'name') ?? a);
      const value = ctx.textOf(child(a, 'value') ?? a);
      if (name === helperData && value === data) {
        sawData = true;
      } else if (!(name === 'training' && value === flag)) {
        return null;
      }
    } else if (i === 0 && ctx.textOf(a) === data) {
      sawData = true;
    } else {
      return null;
    }
  }
  const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  return sawData && targets.length > 0 && targets.every(t => t.type === 'identifier') ? targets.map(t => ctx.textOf(t)) : null;
}

/**
 * A forward pass as comparable text: comments, blank lines and `training=` arguments out (Keras 3
 * passes the call's `training` on to the layers it calls), `a = b` aliases of a name not used
 * again folded into it, and local names numbered in the order they are bound.
 */
function comparableForward(param: string, texts: string[]): string {
  let lines = texts.map(t =>
    t
      .replace(/#[^\n]*/g, '')
      .replace(/,\s*training\s*=\s*[\w.]+/g, '')
      .replace(/\(\s*training\s*=\s*[\w.]+\s*\)/g, '()')
      .split('\n')
      .map(l => l.replace(/\s+$/, ''))
      .filter(l => l.trim() !== '')
      .join('\n')
  );
  const word = (name: string): RegExp => new RegExp(`(?<![.\\w])${escapeRegExp(name)}(?!\\w)`, 'g');
  for (let i = 0; i < lines.length; i++) {
    const alias = /^\s*(\w+)\s*=\s*(\w+)\s*$/.exec(lines[i]);
    if (alias && !lines.slice(i + 1).some(l => word(alias[2]).test(l))) {
      lines = [...lines.slice(0, i), ...lines.slice(i + 1).map(l => l.replace(word(alias[1]), alias[2]))];
      i--;
    }
  }
  // `logits = self.classifier(x)` then `return logits`: `return self.classifier(x)`.
  const ret = lines.length >= 2 ? /^(\s*)return\s+(\w+)$/.exec(lines[lines.length - 1]) : null;
  const prev = ret ? new RegExp(`^${ret[1]}${escapeRegExp(ret[2])}\\s*=(?!=)\\s*(.+)$`).exec(lines[lines.length - 2]) : null;
  if (ret && prev && !lines[lines.length - 2].includes('\n')) {
    lines = [...lines.slice(0, -2), `${ret[1]}return ${prev[1]}`];
  }
  const bound: string[] = [param];
  for (const l of lines) {
    for (const m of l.matchAll(/^\s*(\w+(?:\s*,\s*\w+)*)\s*=(?!=)|\bfor\s+(\w+(?:\s*,\s*\w+)*)\s+in\b/gm)) {
      for (const n of (m[1] ?? m[2]).split(',').map(v => v.trim())) {
        if (!bound.includes(n)) {
          bound.push(n);
        }
      }
    }
  }
  const joined = lines.join('\n');
  return joined.replace(/(?<![.\w])[A-Za-z_]\w*(?!\w)/g, n => (bound.includes(n) ? `_v${bound.indexOf(n)}` : n)).replace(/[ \t]+/g, ' ');
}

/**
 * A train_step whose tape only calls a helper method that unpacks `(x, y)` from the batch, runs
 * the forward pass and returns `self.compiled_loss(y, pred)` with y and pred (keras.io ShiftViT),
 * the gradient applied over all the model's variables and the compiled metrics updated on y and
 * pred: that is Keras's own train_step once call() is the helper's forward pass, and a test_step
 * doing the same without training is Keras's own test_step. The steps and the helper go, and
 * call(self, x, training=False) becomes the helper's forward pass (`training` passed on as the
 * helper did); a call() the model already has must compute the same in inference (it is what
 * predict() runs), up to `training=` arguments and names.
 */
function helperIntoCall(h: HelperLoss, step: HelperStep, ctx: RuleContext): TrainStepRewrite | NoRewrite {
  const { def, cls, data } = step;
  const methods = classMethods(cls, ctx);
  const helperDef = methods.get(h.name)!;
  if (step.trained !== '') {
    return helperDecline('the step trains a part of the model only');
  }
  if (step.pre.length > 0 || step.tapeBody.length !== 1 || step.metricUpdates.length > 0 || step.stateUpdates.length > 0 || step.metricsOverride !== null || step.droppedLogs.length > 0 || step.clipped) {
    return helperDecline('the step does more than apply the gradient of its loss and update the compiled metrics');
  }
  const params = parametersWithDefaults(helperDef.def, ctx);
  const extra = params?.slice(2) ?? [];
  if (!params || params.length < 2 || extra.some(p => p.name !== 'training' || p.value !== 'False')) {
    return helperDecline(`\`self.${h.name}()\` takes more than the batch and \`training=False\``);
  }
  const takesTraining = extra.length === 1;
  const targets = helperCallTargets(step.tapeBody[0], h.name, params[1].name, data, 'True', ctx);
  // The helper's statements: the unpacking, the forward pass, the compiled loss, the return.
  const body = statements(child(helperDef.def, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
  const last = body[body.length - 1];
  const lossStmt = body[body.length - 2];
  const lossMatch = lossStmt ? new RegExp(`^(\\w+)\\s*=\\s*self\\.compiled_loss\\(\\s*${escapeRegExp(h.y)}\\s*,\\s*${escapeRegExp(h.pred)}\\s*\\)$`).exec(ctx.textOf(lossStmt)) : null;
  const returnedNode = last?.type === 'return_statement' ? last.children.find(c => c.type !== 'comment') : undefined;
  const returnedNames = returnedNode ? (returnedNode.type === 'identifier' ? [returnedNode] : returnedNode.type === 'expression_list' || returnedNode.type === 'tuple' ? returnedNode.children.filter(c => c.type !== 'comment') : []) : [];
  if (!targets || !lossMatch || body.length < 4 || returnedNames.length === 0 || returnedNames.some(n => n.type !== 'identifier') || returnedNames.length !== targets.length) {
    return helperDecline(`\`self.${h.name}()\` does more than unpack the batch, run the forward pass and return the compiled loss`);
  }
  const role = new Map<string, string>();
  returnedNames.forEach((n, i) => role.set(targets[i], ctx.textOf(n)));
  const roleOf = (name: string): string | undefined => role.get(name);
  const forward = body.slice(1, -2);
  const forwardText = forward.map(s => ctx.textOf(s)).join('\n');
  if (new RegExp(`(?<![.\\w])${escapeRegExp(h.y)}(?!\\w)`).test(forwardText) || /\bself\s*\(|\bself\.compiled_|\breturn\b|\byield\b/.test(forwardText)) {
    return helperDecline(`\`self.${h.name}()\` uses the targets or the model itself before its loss`);
  }
  if (roleOf(step.lossExpr) !== lossMatch[1]) {
    return helperDecline('the tape differentiates something other than the helper\'s compiled loss');
  }
  // `self.compiled_metrics.update_state(labels, logits)` on what the helper returned as y and pred.
  const metricsUpdated = (stmts: SyntaxNode[]): boolean | null => {
    let seen = false;
    for (const st of stmts) {
      const e = inner(st);
      if (e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === 'self.compiled_metrics.update_state') {
        const args = (child(e, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
        if (args.length !== 2 || roleOf(ctx.textOf(args[0])) !== h.y || roleOf(ctx.textOf(args[1])) !== h.pred) {
          return null;
        }
        seen = true;
      }
    }
    return seen;
  };
  const updated = metricsUpdated(step.post);
  if (updated === null) {
    return helperDecline('it updates the compiled metrics on other values than the helper\'s targets and predictions');
  }
  // The helper is only the steps' (another caller would lose it).
  const uses = [...ctx.textOf(cls).matchAll(new RegExp(`\\bself\\.${escapeRegExp(h.name)}\\b`, 'g'))].length;
  const test = methods.get('test_step');
  let testUses = 0;
  if (test) {
    const tp = plainParameters(test.def, ctx);
    const tb = statements(child(test.def, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
    const tTargets = tp && tp.length === 2 && tb.length >= 2 ? helperCallTargets(tb[0], h.name, params[1].name, tp[1], 'False', ctx) : null;
    const noFlag = tp && tp.length === 2 && tb.length >= 2 && !tTargets ? helperCallTargets(tb[0], h.name, params[1].name, tp[1], '__absent__', ctx) : null;
    const t = tTargets ?? noFlag;
    const tRole = new Map<string, string>();
    (t ?? []).forEach((n, i) => tRole.set(n, ctx.textOf(returnedNames[i])));
    const tReturn = tb[tb.length - 1];
    const middle = tb.slice(1, -1);
    const okMiddle =
      middle.length > 0 &&
      middle.every(st => {
        const e = inner(st);
        const args = e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === 'self.compiled_metrics.update_state' ? (child(e, 'arguments')?.children ?? []).filter(a => a.type !== 'comment') : null;
        return !!args && args.length === 2 && tRole.get(ctx.textOf(args[0])) === h.y && tRole.get(ctx.textOf(args[1])) === h.pred;
      });
    if (!t || t.length !== returnedNames.length || !okMiddle || tReturn.type !== 'return_statement' || !METRICS_COMPREHENSION.test(ctx.textOf(tReturn.children[0] ?? tReturn).replace(/\s+/g, ' '))) {
      return helperDecline('its test_step does more than evaluate the helper\'s loss and the compiled metrics');
    }
    testUses = 1;
  }
  if (uses !== 1 + testUses) {
    return helperDecline(`\`self.${h.name}()\` is called outside the steps too`);
  }
  if (!updated || !METRICS_COMPREHENSION.test(ctx.textOf(step.post[step.post.length - 1]?.children[0] ?? def).replace(/\s+/g, ' '))) {
    return helperDecline('it returns something other than the results of the compiled metrics');
  }
  // The new call(): the helper's forward pass (with the comments among its statements), returning pred.
  const callDef = methods.get('call');
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const bodyIndent = indentAt(ctx.text, forward[0].start);
  const helperChildren = child(helperDef.def, 'body')?.children ?? [];
  const from = helperChildren.indexOf(body[0]) + 1;
  const to = helperChildren.indexOf(forward[forward.length - 1]);
  const firstShown = helperChildren.slice(from, to + 1).find(c => c.type === 'comment' || forward.includes(c)) ?? forward[0];
  const callBody = ctx.text.slice(lineStartAt(ctx.text, firstShown.start), forward[forward.length - 1].end);
  const callText = `def call(self, ${h.x}${takesTraining ? ', training=False' : ''}):\n${callBody}\n${bodyIndent}return ${h.pred}`;
  if (callDef) {
    const cp = parametersWithDefaults(callDef.def, ctx);
    const cb = statements(child(callDef.def, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
    const callParamOk = !!cp && cp.length >= 2 && cp.slice(2).every(p => p.name === 'training' && p.value !== null);
    const same = callParamOk && comparableForward(cp![1].name, cb.map(s => ctx.textOf(s))) === comparableForward(h.x, [...forward.map(s => ctx.textOf(s)), `return ${h.pred}`]);
    if (!same) {
      return helperDecline(`the model's call(), which predict() runs, does not compute what \`self.${h.name}()\`'s forward pass does`);
    }
  } else if (!derivesFromKerasModel(cls, ctx)) {
    return helperDecline('its model class has no call() of its own');
  }
  const removed = [helperDef.outer, outer, ...(test ? [test.outer] : [])];
  const edits = callDef
    ? [...removalEdits(cls, removed, ctx, null), { start: callDef.outer.start, end: callDef.outer.end, text: callText }]
    : removalEdits(cls, removed, ctx, callText);
  const steps = test ? 'train_step() and test_step()' : 'train_step()';
  return {
    edits,
    safe: false,
    title: `Delete ${steps} and self.${h.name}() (Keras 3's own steps compute the compiled loss and metrics) and make call() the helper's forward pass`,
    message: `\`tf.GradientTape\` in \`train_step()\` ties training to TensorFlow; the step runs \`self.${h.name}()\` (the forward pass of \`${h.x}\` and the compiled loss on \`${h.y}\`), applies the gradient over all the model's variables and updates the compiled metrics, which is what Keras 3's own ${test ? 'train_step and test_step do' : 'train_step does'} once call() is that forward pass (\`fit()\` then runs on every backend).`
  };
}

/** `grads = [tf.clip_by_norm(g, c) for g in grads]` (clipnorm), `[tf.clip_by_value(g, -c, c) for g in grads]` (clipvalue) or `grads, _ = tf.clip_by_global_norm(grads, c)` (global_clipnorm). */
interface GradientClip {
  /** The optimizer argument that clips the same way. */
  option: 'clipnorm' | 'global_clipnorm' | 'clipvalue';
  /** The norm, as written (a literal or a name the step does not bind). */
  norm: string;
  /** The name the clipped gradients are bound to. */
  target: string;
}

/**
 * A statement clipping the gradients before they are applied, as Keras 3's optimizers do when
 * given `clipnorm=` (each gradient by its own norm, as tf.clip_by_norm) or `global_clipnorm=`
 * (all by their global norm, as tf.clip_by_global_norm). The norm must be a constant: a number,
 * or a module-level name or a `self.` attribute (read when compile() runs).
 */
function gradientClip(e: SyntaxNode, gradientNames: Set<string>, stepText: string, ctx: RuleContext): GradientClip | null {
  const left = e.type === 'assignment' ? child(e, 'left') : null;
  const right = e.type === 'assignment' ? child(e, 'right') : null;
  if (!left || !right) {
    return null;
  }
  const constant = (n: SyntaxNode | undefined): boolean =>
    !!n &&
    (n.type === 'integer' ||
      n.type === 'float' ||
      (/^(self\.)?\w+$/.test(ctx.textOf(n)) && !new RegExp(`\\b${escapeRegExp(ctx.textOf(n))}\\s*(=[^=]|,[^\\n]*=[^=])|\\bfor\\s+${escapeRegExp(ctx.textOf(n))}\\b`).test(stepText)));
  if (left.type === 'identifier' && right.type === 'list_comprehension') {
    const body = child(right, 'body') ?? right.children[0];
    const clauses = right.children.filter(c => c.type === 'for_in_clause' || c.type === 'if_clause');
    const loop = clauses.length === 1 && clauses[0].type === 'for_in_clause' ? clauses[0] : null;
    const variable = loop ? child(loop, 'left') : null;
    const iterated = loop ? child(loop, 'right') : null;
    if (!body || body.type !== 'call' || !variable || variable.type !== 'identifier' || !iterated || !gradientNames.has(ctx.textOf(iterated))) {
      return null;
    }
    const args = child(body, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [];
    const op = tfApiName(ctx.resolve(child(body, 'function') ?? body));
    if (!args.length || args.some(a => a.type === 'keyword_argument') || ctx.textOf(args[0]) !== ctx.textOf(variable)) {
      return null;
    }
    if (op === 'tf.clip_by_norm' && args.length === 2 && constant(args[1])) {
      return { option: 'clipnorm', norm: ctx.textOf(args[1]), target: ctx.textOf(left) };
    }
    // tf.clip_by_value(g, -c, c): Keras 3's clipvalue=c clips to [-c, c].
    const low = args[1];
    const negated = low?.type === 'unary_operator' && ctx.textOf(low).startsWith('-') ? low.children[low.children.length - 1] : null;
    if (op === 'tf.clip_by_value' && args.length === 3 && negated && constant(args[2]) && ctx.textOf(negated) === ctx.textOf(args[2])) {
      return { option: 'clipvalue', norm: ctx.textOf(args[2]), target: ctx.textOf(left) };
    }
    return null;
  }
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children.filter(c => c.type === 'identifier') : [];
  if (targets.length === 2 && left.children.length === 2 && right.type === 'call' && tfApiName(ctx.resolve(child(right, 'function') ?? right)) === 'tf.clip_by_global_norm') {
    const args = child(right, 'arguments')?.children.filter(a => a.type !== 'comment') ?? [];
    if (args.length === 2 && gradientNames.has(ctx.textOf(args[0])) && constant(args[1])) {
      return { option: 'global_clipnorm', norm: ctx.textOf(args[1]), target: ctx.textOf(targets[0]) };
    }
  }
  return null;
}

/** A compile() override giving the optimizer the clipping the Keras 2 train_step did by hand. */
function clippingCompile(clip: GradientClip, indent: string): string {
  const inside = indent + '    ';
  const how =
    clip.option === 'clipnorm' ? 'each gradient by its norm' : clip.option === 'clipvalue' ? `the gradients to [-${clip.norm}, ${clip.norm}]` : 'the gradients by their global norm';
  return (
    `def compile(self, *args, **kwargs):\n` +
    `${inside}super().compile(*args, **kwargs)\n` +
    `${inside}# The Keras 2 train_step clipped ${how}: Keras 3's optimizer does it in fit()'s own step.\n` +
    `${inside}self.optimizer.${clip.option} = ${clip.norm}`
  );
}

/** The sub-models of `[self.a.trainable_variables, self.b.trainable_variables]` or `self.a.trainable_variables + self.b.trainable_weights`, or null. */
function subModelVariables(node: SyntaxNode, ctx: RuleContext, known: (name: string) => string | undefined = () => undefined): string[] | null {
  if (node.type === 'parenthesized_expression') {
    // `learnable_params = (self.encoder.trainable_variables + self.predictor.trainable_variables)` (keras.io SimSiam).
    const inside = node.children.filter(c => c.type !== 'comment');
    return inside.length === 1 ? subModelVariables(inside[0], ctx, known) : null;
  }
  // `[stage.trainable_variables for stage in self.stages]` (keras.io ShiftViT): the sub-models a list attribute holds.
  const each = node.type === 'list_comprehension' ? /^\[\s*(\w+)\.trainable_(?:variables|weights)\s+for\s+\1\s+in\s+self\.(\w+)\s*\]$/.exec(ctx.textOf(node)) : null;
  if (each) {
    return [each[2]];
  }
  // `train_vars + [...]`: a name bound to sub-models' variables before.
  const bound = node.type === 'identifier' ? known(ctx.textOf(node)) : undefined;
  if (bound) {
    return bound.split(',');
  }
  const parts = node.type === 'list' ? node.children.filter(c => c.type !== 'comment') : node.type === 'binary_operator' && node.children.length === 2 && ctx.text.slice(node.children[0].end, node.children[1].start).trim() === '+' ? node.children : null;
  if (!parts || parts.length === 0) {
    return null;
  }
  const out: string[] = [];
  for (const part of parts) {
    const sub = part ? SUB_VARIABLES.exec(ctx.textOf(part)) : null;
    const nested = part && !sub && /^(binary_operator|list_comprehension|identifier|parenthesized_expression)$/.test(part.type) ? subModelVariables(part, ctx, known) : null;
    if (!sub && !nested) {
      return null;
    }
    out.push(...(sub ? [sub[1]] : nested!));
  }
  return out;
}

/**
 * `for grad, var in zip(grads, variables): for g, v in zip(grad, var): pairs.append((g, v))` (one
 * level or nested) filling a list `pairs = []` made before: the gradients and variables it pairs.
 */
function pairsLoop(loop: SyntaxNode, lists: Set<string>, ctx: RuleContext): { list: string; grads: string; variables: SyntaxNode } | null {
  const iterated = child(loop, 'right');
  const zipArgs = iterated?.type === 'call' && ctx.textOf(child(iterated, 'function') ?? iterated) === 'zip' ? positionalArgs(iterated) : [];
  if (zipArgs.length !== 2) {
    return null;
  }
  let list: string | null = null;
  const onlyAppends = (block: SyntaxNode | null): boolean =>
    statements(block).length > 0 &&
    statements(block).every(st => {
      if (st.type === 'for_statement') {
        return onlyAppends(child(st, 'body'));
      }
      const m = /^(\w+)\.append\(\s*\(?\s*\w+\s*,\s*\w+\s*\)?\s*\)$/.exec(ctx.textOf(st));
      if (!m || !lists.has(m[1]) || (list !== null && list !== m[1])) {
        return false;
      }
      list = m[1];
      return true;
    });
  return onlyAppends(child(loop, 'body')) && list !== null ? { list, grads: ctx.textOf(zipArgs[0]), variables: zipArgs[1] } : null;
}

/**
 * For a step training the variables of several sub-models: the other sub-models __init__ sets
 * (called as layers, so holding variables fit() would train), frozen where they are set; or why
 * not (an attribute that may hold layers and is not called, a sub-model that may be None).
 */
export function othersOf(trained: string[], cls: SyntaxNode, ctx: RuleContext): FrozenOthers | NoRewrite {
  const init = classMethods(cls, ctx).get('__init__');
  const assigned = init ? attributeAssignments(init.def, ctx) : new Map<string, { stmt: SyntaxNode; value: SyntaxNode }>();
  const listed = trained.map(t => `self.${t}`).join(', ');
  const missing = trained.find(t => !assigned.has(t));
  if (missing) {
    return { reason: `it trains the variables of ${listed}, and __init__() does not set \`self.${missing}\`` };
  }
  const defaults = new Map<string, string>();
  for (const p of init ? child(init.def, 'parameters')?.children ?? [] : []) {
    const name = p.type === 'default_parameter' ? child(p, 'name') : null;
    const value = p.type === 'default_parameter' ? child(p, 'value') : null;
    if (name && value) {
      defaults.set(ctx.textOf(name), value.type);
    }
  }
  const CONSTANT = new Set(['integer', 'float', 'string', 'true', 'false']);
  const classText = ctx.textOf(cls);
  const out: FrozenOthers = { edits: [], names: [] };
  for (const [attr, { stmt, value }] of assigned) {
    const param = value.type === 'identifier' ? defaults.get(ctx.textOf(value)) : undefined;
    if (trained.includes(attr) || attr === 'optimizer' || CONSTANT.has(value.type) || (param && CONSTANT.has(param)) || isLossOrMetric(attr, value, ctx) || numericAttribute(attr, cls, ctx)) {
      continue;
    }
    if (!new RegExp(`\\bself\\.${attr}\\s*\\(`).test(classText) || value.type === 'none' || param === 'none') {
      return { reason: `it trains the variables of ${listed} only, and \`self.${attr}\` may hold others` };
    }
    if (new RegExp(`\\bself\\.${attr}\\.trainable\\s*=`).test(classText)) {
      continue;
    }
    out.names.push(attr);
    out.edits.push({ start: stmt.end, end: stmt.end, text: `\n${indentAt(ctx.text, stmt.start)}self.${attr}.trainable = False  # the Keras 2 train_step did not train it` });
  }
  if (/\bsetattr\(\s*self\b/.test(classText)) {
    return { reason: `it trains the variables of ${listed} only, and the model sets attributes with setattr()` };
  }
  // A layer made in another method (`self.head = layers.Dense(3)` in build()) would be trained by fit().
  for (const [name, { def }] of classMethods(cls, ctx)) {
    const made = name === '__init__' ? null : /\bself\.(\w+)\s*=\s*[\w.]+\(/.exec(ctx.textOf(def));
    if (made && !trained.includes(made[1])) {
      return { reason: `it trains the variables of ${listed} only, and \`${name}()\` sets \`self.${made[1]}\`` };
    }
  }
  return out;
}

/**
 * Whether `self.<trained>` is the only layer the model holds: every other attribute any method
 * of the class assigns is the optimizer, a loss, a metric or tracker, or a constant. Then the
 * sub-model's trainable variables are the model's.
 */
function holdsEveryLayer(trained: string, cls: SyntaxNode, methods: Map<string, { def: SyntaxNode; outer: SyntaxNode }>, ctx: RuleContext, numericParameters = false): boolean {
  const init = methods.get('__init__');
  if (!init || !attributeAssignments(init.def, ctx).has(trained)) {
    return false;
  }
  const CONSTANT = new Set(['integer', 'float', 'string', 'true', 'false', 'none']);
  // `self.margin = margin` with `def __init__(self, siamese_network, margin=0.5)`: a hyperparameter (when asked).
  const numeric = new Set<string>();
  for (const p of numericParameters ? child(init.def, 'parameters')?.children ?? [] : []) {
    const value = p.type === 'default_parameter' ? child(p, 'value') : null;
    const name = p.type === 'default_parameter' ? child(p, 'name') : null;
    if (name && value && (value.type === 'integer' || value.type === 'float')) {
      numeric.add(ctx.textOf(name));
    }
  }
  for (const { def } of methods.values()) {
    // Every `self.<attr> = ...` anywhere in the method (nested blocks too).
    const stack = [...(child(def, 'body')?.children ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'function_definition' || n.type === 'class_definition') {
        continue;
      }
      if (n.type === 'assignment' || n.type === 'augmented_assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        const targets = left ? (left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [left]) : [];
        for (const t of targets) {
          const attr = /^self\.(\w+)$/.exec(ctx.textOf(t))?.[1];
          if (!attr || attr === trained || attr === 'optimizer') {
            continue;
          }
          if (t !== left || !right || !(CONSTANT.has(right.type) || (right.type === 'identifier' && numeric.has(ctx.textOf(right))) || isLossOrMetric(attr, right, ctx))) {
            return false;
          }
        }
      }
      stack.push(...n.children);
    }
  }
  // Attributes set by setattr() or held in containers cannot be seen.
  return !/\bsetattr\(\s*self\b/.test(ctx.textOf(cls));
}

/** A `test_step(self, <data>)` made of the given train_step statements without training (same text up to `training=`) and the same return. */
function sameStepWithoutTraining(def: SyntaxNode, data: string, trainStatements: SyntaxNode[], returned: SyntaxNode | null, ctx: RuleContext, flags: string[] = [], loss?: string): boolean {
  const params = plainParameters(def, ctx);
  const body = statements(child(def, 'body'));
  const last = body[body.length - 1];
  if (!params || params.length !== 2 || params[1] !== data || !returned || last?.type !== 'return_statement') {
    return false;
  }
  const same = (a: SyntaxNode[], b: SyntaxNode[]): boolean => normalised(a, ctx, flags).join('\n') === normalised(b, ctx, flags).join('\n');
  const sameReturn = !!last.children[0] && (same([last.children[0]], [returned]) || allMetricResults(last.children[0], returned, ctx));
  if (same(body.slice(0, -1), trainStatements)) {
    return sameReturn;
  }
  // `loss = a + w * b` then `tracker.update_state(loss)` in the train_step, `tracker.update_state(a + w * b)` in the test_step.
  const testTexts = normalised(body.slice(0, -1), ctx, flags);
  const trainTexts = normalised(trainStatements, ctx, flags);
  const assigned = loss && /^\w+$/.test(loss) ? trainTexts.find(t => t.startsWith(`${loss}=`) && !t.startsWith(`${loss}==`)) : undefined;
  if (!assigned || trainTexts.filter(t => t.startsWith(`${loss}=`)).length !== 1 || testTexts.some(t => new RegExp(`^${loss}=`).test(t))) {
    return false;
  }
  const expr = assigned.slice(loss!.length + 1);
  // Only where the name is a whole argument (no operator around it to bind differently).
  const whole = new RegExp(`(?<=[(,])${loss}(?=[),])`, 'g');
  const inlined = trainTexts.filter(t => t !== assigned).map(t => t.replace(whole, expr));
  if (inlined.some(t => new RegExp(`\\b${loss}\\b`).test(t))) {
    return false;
  }
  return inlined.sort().join('\n') === testTexts.join('\n') && sameReturn;
}

/**
 * Lines of a forward part (up to its last layer call) that no later forward line reads and that
 * update nothing: a loss computed between two layer calls. Moving them after the forward part keeps
 * what they compute when no later forward line rebinds a name they read or bind; none otherwise.
 */
function movableLossLines(forward: StepLine[], isLayerCall: (call: SyntaxNode) => boolean, metricNames: string[], binds: (l: StepLine) => string[], ctx: RuleContext): StepLine[] {
  const words = (l: StepLine): Set<string> => new Set((l.node ? ctx.textOf(l.node) : l.text ?? '').replace(/#[^\n]*/g, '').replace(/\.\s*\w+/g, '').match(/\b[A-Za-z_]\w*\b/g) ?? []);
  const needed = new Set<StepLine>();
  const read = new Set<string>(metricNames);
  for (let i = forward.length - 1; i >= 0; i--) {
    const l = forward[i];
    const layer = !l.node || callsUnder(l.node).some(isLayerCall);
    if (layer || binds(l).some(n => read.has(n))) {
      needed.add(l);
      words(l).forEach(w => read.add(w));
    }
  }
  const candidates = forward.filter(l => !needed.has(l));
  if (!candidates.length) {
    return [];
  }
  for (const c of candidates) {
    const text = c.node ? ctx.textOf(c.node) : '';
    if (!c.node || /\.(update_state|assign(_add|_sub)?|add_loss)\(|\bself\.\w+\s*=|\bprint\(/.test(text) || /^(if|for|while|with|try)_statement$/.test(c.node.type)) {
      return [];
    }
    const after = forward.slice(forward.indexOf(c) + 1).filter(l => needed.has(l));
    const touched = new Set([...binds(c), ...words(c)]);
    if (after.some(l => binds(l).some(n => touched.has(n)))) {
      return [];
    }
  }
  return candidates;
}

/**
 * A test_step returning `{m.name: m.result() for m in self.metrics}` where the train_step returns
 * a dict of tracker results (`{"loss": self.total_loss_tracker.result(), ...}`): the same trackers'
 * results; Keras's own test_step, calling compute_metrics(), logs them under the train_step's keys.
 */
function allMetricResults(testReturn: SyntaxNode, trainReturn: SyntaxNode, ctx: RuleContext): boolean {
  const text = ctx.textOf(testReturn).replace(/\s+/g, ' ').trim();
  const comprehension = /^\{ ?(\w+)\.name: \1\.result\(\) for \1 in self\.metrics ?\}$/.test(text);
  if (!comprehension || trainReturn.type !== 'dictionary') {
    return false;
  }
  const pairs = trainReturn.children.filter(c => c.type === 'pair');
  return pairs.length > 0 && pairs.length === trainReturn.children.filter(c => c.type !== 'comment').length && pairs.every(p => /^self\.\w+\.result\(\)$/.test(ctx.textOf(child(p, 'value') ?? p).replace(/\s+/g, '')));
}

interface StepParts {
  def: SyntaxNode;
  cls: SyntaxNode;
  tapeBody: SyntaxNode[];
  pre: SyntaxNode[];
  inputName: string;
  hasCall: boolean;
  functional: boolean;
  methods: Map<string, { def: SyntaxNode; outer: SyntaxNode }>;
}

/** `self.<attr> = <value>` statements directly in a method's body, by attribute. */
function attributeAssignments(def: SyntaxNode, ctx: RuleContext): Map<string, { stmt: SyntaxNode; value: SyntaxNode }> {
  const out = new Map<string, { stmt: SyntaxNode; value: SyntaxNode }>();
  for (const stmt of statements(child(def, 'body'))) {
    const e = inner(stmt);
    const left = e.type === 'assignment' ? child(e, 'left') : null;
    const value = e.type === 'assignment' ? child(e, 'right') : null;
    const attr = left ? /^self\.(\w+)$/.exec(ctx.textOf(left)) : null;
    if (attr && value && !out.has(attr[1])) {
      out.set(attr[1], { stmt, value });
    }
  }
  return out;
}

/** A callable attribute that holds no layer: a loss, a metric, a lambda. */
function isLossOrMetric(attr: string, value: SyntaxNode, ctx: RuleContext): boolean {
  if (/loss|metric|tracker|_fn$/i.test(attr) || value.type === 'lambda') {
    return true;
  }
  const fn = value.type === 'call' ? child(value, 'function') : value;
  const name = fn ? ctx.resolveKeras(fn) : null;
  return !!name && /^keras\.(losses|metrics|ops|activations)\./.test(name);
}

/**
 * For a step that trains `self.<trained>` only: the statement of the tape that is its forward
 * pass (`logits = self.student(x, training=True)`) and the edits freezing the other sub-models
 * the step calls, or why not. Sub-models are what __init__ stores and the step calls, losses
 * and metrics left out; each must be used for forward passes only, share no layer with the
 * trained one as far as __init__ shows, and be built before fit() (a teacher trained first is).
 */
function trainedSubmodel(trained: string, parts: StepParts, ctx: RuleContext): { forward: SyntaxNode; freeze: OffsetEdit[] } | NoRewrite {
  const { def, cls, tapeBody, pre, inputName } = parts;
  if (parts.hasCall || parts.functional) {
    return { reason: `it trains \`self.${trained}\` only, and the model's own call() may use other layers` };
  }
  const init = parts.methods.get('__init__');
  const assigned = init ? attributeAssignments(init.def, ctx) : new Map<string, { stmt: SyntaxNode; value: SyntaxNode }>();
  if (!assigned.has(trained)) {
    return { reason: `it trains \`self.${trained}\` only, which __init__() does not set` };
  }
  const stepText = ctx.textOf(def);
  const forwardCalls = stepText.match(new RegExp(`\\bself\\.${trained}\\s*\\(`, 'g'))?.length ?? 0;
  const forward = tapeBody.find(stmt => {
    const e = inner(stmt);
    const left = e.type === 'assignment' ? child(e, 'left') : null;
    const right = e.type === 'assignment' ? child(e, 'right') : null;
    if (!left || left.type !== 'identifier' || !right || right.type !== 'call' || ctx.textOf(child(right, 'function') ?? right) !== `self.${trained}`) {
      return false;
    }
    const args = (child(right, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
    const training = args.filter(a => a.type === 'keyword_argument');
    return (
      args.length - training.length === 1 &&
      ctx.textOf(args[0]) === inputName &&
      // fit() calls call() with training=True, which reaches the sub-model through the call context.
      training.every(a => ctx.textOf(a).replace(/\s+/g, '') === 'training=True')
    );
  });
  if (!forward || forwardCalls !== 1) {
    return { reason: `it does not call \`self.${trained}\` once on the input in the tape` };
  }
  // `.losses` (the add_loss terms of its layers, a VQ-VAE's quantizer loss) is read as the model's own `self.losses`.
  const otherUse = new RegExp(`\\bself\\.${trained}\\.(?!trainable_(variables|weights)\\b|losses\\b)`);
  if (otherUse.test(stepText)) {
    return { reason: `it uses \`self.${trained}\` for more than its forward pass` };
  }
  const freeze: OffsetEdit[] = [];
  const seen = new Set<string>();
  const used = [...pre, ...tapeBody].map(s => ctx.textOf(s)).join('\n');
  const trainedSource = ctx.textOf(assigned.get(trained)!.value);
  const classText = ctx.textOf(cls);
  for (const m of used.matchAll(/\bself\.(\w+)\s*\(/g)) {
    const attr = m[1];
    const set = assigned.get(attr);
    if (attr === trained || seen.has(attr) || !set || isLossOrMetric(attr, set.value, ctx)) {
      continue;
    }
    seen.add(attr);
    if (new RegExp(`\\bself\\.${attr}\\.(?!trainable\\b)`).test(stepText)) {
      return { reason: `it uses \`self.${attr}\` for more than forward passes` };
    }
    const source = ctx.textOf(set.value);
    if (new RegExp(`\\bself\\.${trained}\\b`).test(source) || (/^\w+$/.test(trainedSource) && new RegExp(`\\b${trainedSource}\\b`).test(source))) {
      return { reason: `\`self.${attr}\` shares layers with \`self.${trained}\`` };
    }
    if (new RegExp(`\\bself\\.${attr}\\.trainable\\s*=`).test(classText)) {
      continue; // frozen already
    }
    const indent = indentAt(ctx.text, set.stmt.start);
    freeze.push({
      start: set.stmt.end,
      end: set.stmt.end,
      text: `\n${indent}self.${attr}.trainable = False  # the Keras 2 train_step trained self.${trained} only`
    });
  }
  return { forward, freeze };
}

/**
 * What a generated compute_metrics() returns: the step's own metric results, after Keras's own
 * compute_metrics() when the model is compiled with metrics (a compile() override taking
 * `metrics`, `self.compiled_metrics` in the class, or `NAME.compile(..., metrics=...)` on a
 * name the program assigns an instance of the class). Keras 3's `metrics` lists the compiled metrics, and fit() reads every result at the
 * end of each epoch: compiled metrics no step updated fail there ("Cannot get result() since the
 * metric has not yet been built", run on Keras 3.15 with TensorFlow, JAX and PyTorch). Keras 2
 * left them out of `metrics` until a step updated them.
 */
/** `model.compile(..., metrics=...)` where the program assigns `model = Cls(...)`. */
function compiledWithMetrics(cls: SyntaxNode, ctx: RuleContext): boolean {
  const name = child(cls, 'name');
  if (!name) {
    return false;
  }
  const instances = [...ctx.text.matchAll(new RegExp(`^[ \\t]*(\\w+)\\s*=\\s*${escapeRegExp(ctx.textOf(name))}\\(`, 'gm'))].map(m => m[1]);
  return instances.some(v => new RegExp(`\\b${escapeRegExp(v)}\\.compile\\((?:[^()]|\\([^()]*\\))*\\bmetrics\\s*=`).test(ctx.text));
}

function withCompiledMetrics(override: string, cls: SyntaxNode, ctx: RuleContext): string {
  const classText = ctx.textOf(cls);
  const compileOverride = classMethods(cls, ctx).get('compile');
  const compiled =
    /\bself\.compiled_metrics\b/.test(classText) ||
    (compileOverride !== undefined && /\bmetrics\b/.test(ctx.textOf(child(compileOverride.def, 'parameters') ?? compileOverride.def))) ||
    compiledWithMetrics(cls, ctx);
  const trimmed = override.trim();
  if (!compiled || !trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    return override;
  }
  const inside = trimmed.slice(1, -1).trim().replace(/,\s*$/, '');
  return `{**super().compute_metrics(x, y, y_pred, sample_weight)${inside ? `, ${inside}` : ''}}`;
}

/**
 * Whether a `test_step(self, data)` only evaluates: unpacks the data, computes the forward
 * pass (`self(x)`, or the trained sub-model's) and losses, updates the compiled metrics with
 * that forward pass and returns the metric results, maybe with losses added. Returns the
 * logs it added (lost once Keras's own test_step runs), or null when it does more.
 */
function evaluationStep(def: SyntaxNode, ctx: RuleContext, trained: string, trainUpdates: string[] = []): string[] | null {
  const params = plainParameters(def, ctx);
  if (!params || params.length !== 2) {
    return null;
  }
  const body = statements(child(def, 'body'));
  const forwards = new Set<string>();
  /** Names bound to a sub-model's output (`self.model(x)`), read by a metric loop only. */
  const submodelForwards = new Set<string>();
  const callee = trained ? `self.${trained}` : 'self';
  let results: string | null = null;
  let updated = false;
  const logs: string[] = [];
  for (const stmt of body) {
    const e = inner(stmt);
    if (stmt.type === 'expression_statement' && e.type === 'string') {
      continue; // docstring
    }
    if (e.type === 'assignment') {
      const left = child(e, 'left');
      const right = child(e, 'right');
      if (!left || !right) {
        return null;
      }
      if (left.type === 'identifier' && METRICS_COMPREHENSION.test(ctx.textOf(right).replace(/\s+/g, ' '))) {
        results = ctx.textOf(left);
        continue;
      }
      if (left.type === 'identifier' && right.type === 'call' && ctx.textOf(child(right, 'function') ?? right) === callee) {
        forwards.add(ctx.textOf(left));
        continue;
      }
      // `y_pred = self.model(x, training=False)`: the wrapped model call() runs (the Trainer pattern).
      if (!trained && left.type === 'identifier' && right.type === 'call' && /^self\.\w+$/.test(ctx.textOf(child(right, 'function') ?? right))) {
        submodelForwards.add(ctx.textOf(left));
        continue;
      }
      // Anything else computed must not change state (a loss, an unpacking of data).
      if (/\.(update_state|assign\w*|apply_gradients|minimize|reset_states?)\(|\badd_loss\(/.test(ctx.textOf(right))) {
        return null;
      }
      continue;
    }
    if (e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === 'self.compiled_metrics.update_state') {
      const [, yPred] = positionalArgs(e);
      if (!yPred || !forwards.has(ctx.textOf(yPred))) {
        return null;
      }
      updated = true;
      continue;
    }
    // `for metric in self.metrics: metric.update_state(y, y_pred)` on the model's output, as the
    // train_step does it (now in compute_loss(), which Keras's own test_step calls on call()'s output).
    if (isMetricUpdateLoop(stmt, ctx) && trainUpdates.includes(ctx.textOf(stmt).replace(/\s+/g, ''))) {
      const read = callsUnder(stmt).flatMap(c => positionalArgs(c)).filter(a => a.type === 'identifier').map(a => ctx.textOf(a));
      if (!read.some(n => forwards.has(n) || submodelForwards.has(n))) {
        return null;
      }
      updated = true;
      continue;
    }
    // `self.loss_tracker.update_state(distillation_loss)`, as the train_step does it (now in
    // compute_loss(), which Keras's own test_step calls).
    if (e.type === 'call' && /^self\.\w+\.update_state$/.test(ctx.textOf(child(e, 'function') ?? e)) && trainUpdates.includes(ctx.textOf(e).replace(/\s+/g, ''))) {
      continue;
    }
    if (results !== null && e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === `${results}.update`) {
      const [dict] = positionalArgs(e);
      const added = dict?.type === 'dictionary' ? loggedLosses(dict, ctx) : null;
      if (!added) {
        return null;
      }
      logs.push(...added);
      continue;
    }
    if (stmt.type === 'return_statement' && stmt === body[body.length - 1]) {
      const value = stmt.children[0];
      const returned = value ? ctx.textOf(value).replace(/\s+/g, ' ') : '';
      if (returned === results || METRICS_COMPREHENSION.test(returned)) {
        continue;
      }
      return null;
    }
    return null;
  }
  return updated ? logs : null;
}

/**
 * The keys of a dict of logged values that are losses the step computed (names, arithmetic and
 * subscripts of them, no call: nothing that updates state), or null when one is something else.
 */
function loggedLosses(dict: SyntaxNode, ctx: RuleContext, pairs: SyntaxNode[] = dict.children.filter(c => c.type !== 'comment')): string[] | null {
  const keys: string[] = [];
  for (const pair of pairs) {
    const key = pair.type === 'pair' ? child(pair, 'key') : null;
    const value = pair.type === 'pair' ? child(pair, 'value') : null;
    if (!key || !value || key.type !== 'string' || callsUnder(value).length > 0 || value.type === 'lambda') {
      return null;
    }
    keys.push(ctx.textOf(key).replace(/^[rbuf]*["']+|["']+$/gi, ''));
  }
  return keys;
}

/**
 * `loss_fn(...)` (or `self.loss_fn(...)`) where the program makes that loss object with
 * `reduction="none"` (or Keras 2's `Reduction.NONE`): a per-sample value too.
 */
function unreducedLossCall(value: string, ctx: RuleContext): boolean {
  const callee = /^((?:self\.)?\w+)\(/.exec(value)?.[1];
  if (!callee) {
    return false;
  }
  const made = new RegExp(`^[ \\t]*${escapeRegExp(callee)}\\s*=\\s*[\\w.]*losses\\.[A-Z]\\w*\\([^)]*\\breduction\\s*=\\s*(?:[\\w.]*Reduction\\.NONE\\b|["']none["'])`, 'm');
  return made.test(ctx.text);
}

/**
 * The names of `if len(data) == 3: a, b, c = data` / `else: a, b = data; c = None` (either order
 * in the else branch), or null.
 */
function optionalSampleWeightUnpack(stmt: SyntaxNode, data: string, ctx: RuleContext): string[] | null {
  if (stmt.type !== 'if_statement') {
    return null;
  }
  const text = ctx.textOf(stmt).replace(/#[^\n]*/g, '').replace(/\s+/g, ' ').trim();
  const d = escapeRegExp(data);
  const m = new RegExp(`^if len\\(${d}\\) == 3: (\\w+), (\\w+), (\\w+) = ${d} else: (?:(\\w+), (\\w+) = ${d} (\\w+) = None|(\\w+) = None (\\w+), (\\w+) = ${d})$`).exec(text);
  if (!m) {
    return null;
  }
  const [a, b, c] = [m[1], m[2], m[3]];
  const [a2, b2, c2] = m[4] ? [m[4], m[5], m[6]] : [m[8], m[9], m[7]];
  return a === a2 && b === b2 && c === c2 ? [a, b, c] : null;
}

/** Reductions to one value when given a tensor alone (no axis): TF's, keras.ops', keras.backend's and NumPy's. */
const FULL_REDUCTION = /^(tf\.(math\.)?reduce_(mean|sum|max|min|prod|logsumexp|std|variance)|keras\.ops\.(mean|sum|max|min|prod|logsumexp|std|var)|keras\.(backend|src\.backend)\.(mean|sum|max|min|prod)|numpy\.(mean|sum|max|min|prod))$/;

/**
 * Whether the value `node` computes inside `method` is surely one number (a scalar tensor): a
 * reduction without an axis (`tf.reduce_mean(x)`), a call of a Loss object the program makes
 * without `reduction="none"` (`self.loss_fn(y, p)` after `self.loss_fn = keras.losses.MeanSquaredError()`),
 * the compiled loss (`self.compiled_loss(...)`, `super().compute_loss(...)`), the model's
 * `sum(self.losses)`, a number, arithmetic of such values, a name every assignment of which in
 * the method is one, or a method of the class whose every return is one. Anything else, a
 * per-sample loss function's result (`keras.losses.categorical_crossentropy(...)`) first, may be
 * a tensor of per-sample losses: `tape.gradient` differentiated its sum, and Keras 3's
 * compute_loss() must return a scalar (JAX and PyTorch take no gradient of a vector).
 */
export function knownScalar(node: SyntaxNode, method: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  const again = (n: SyntaxNode, m = method): boolean => knownScalar(n, m, cls, ctx, depth + 1);
  switch (node.type) {
    case 'integer':
    case 'float':
      return true;
    case 'parenthesized_expression':
      return node.children.length === 1 && again(node.children[0]);
    case 'unary_operator':
      return node.children.length > 0 && again(node.children[node.children.length - 1]);
    case 'binary_operator': {
      // Its children carry no field names in this tree: the operands are the two named children.
      const operands = node.children.filter(c => c.type !== 'comment');
      if (operands.length !== 2) {
        return false;
      }
      const op = ctx.text.slice(operands[0].end, operands[1].start).replace(/#[^\n]*|[\s\\()]/g, '');
      return ['+', '-', '*', '/'].includes(op) && again(operands[0]) && again(operands[1]);
    }
    case 'identifier': {
      const values = assignedValues(method, ctx.textOf(node), node, ctx);
      return values !== null && values.length > 0 && values.every(v => again(v));
    }
    case 'call':
      return scalarCall(node, method, cls, ctx, again);
    default:
      return false;
  }
}

function scalarCall(call: SyntaxNode, method: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, again: (n: SyntaxNode, m?: SyntaxNode) => boolean): boolean {
  const fn = child(call, 'function');
  if (!fn) {
    return false;
  }
  const fnText = ctx.textOf(fn).replace(/\s+/g, '');
  const args = child(call, 'arguments')?.children.filter(c => c.type !== 'comment') ?? [];
  const positional = args.filter(a => a.type !== 'keyword_argument');
  const keywords = args.filter(a => a.type === 'keyword_argument').map(a => ctx.textOf(child(a, 'name') ?? a));
  // The compiled loss, Keras 2's and Keras 3's: a scalar (`self.compute_loss` only where the model
  // has no method of that name: keras.io Dual Encoder's own compute_loss returns a loss per sample).
  const ownComputeLoss = fnText === 'self.compute_loss' && classMethods(cls, ctx).has('compute_loss');
  if ((/^(super\(\w*(,\s*\w+)*\)|self)\.compute_loss$/.test(fnText) && !ownComputeLoss) || fnText === 'self.compiled_loss') {
    return true;
  }
  // `sum(self.losses)`, `tf.add_n(model.losses)`: the model's added losses are scalars.
  if ((fnText === 'sum' || tfApiName(ctx.resolve(fn)) === 'tf.add_n' || tfApiName(ctx.resolve(fn)) === 'tf.math.add_n') && positional.length === 1 && /^[\w.]*\.losses$/.test(ctx.textOf(positional[0]))) {
    return true;
  }
  const api = ctx.resolveKeras(fn) ?? ctx.resolve(fn) ?? '';
  const name = api.startsWith('tensorflow.') ? tfApiName(api) ?? api : api;
  if (FULL_REDUCTION.test(name)) {
    return positional.length === 1 && keywords.every(k => k === 'name');
  }
  // A Loss object: `keras.losses.MeanSquaredError()(y, p)`, or a name/attribute the program binds to one.
  if (fn.type === 'call') {
    const made = ctx.resolveKeras(child(fn, 'function') ?? fn) ?? '';
    return /^keras\.losses\.[A-Z]\w*$/.test(made) && !/\breduction\s*=/.test(ctx.textOf(fn));
  }
  if (/^(self\.)?\w+$/.test(fnText)) {
    const made = new RegExp(`^[ \\t]*${escapeRegExp(fnText)}\\s*=\\s*[\\w.]*losses\\.[A-Z]\\w*\\(`, 'm');
    if (made.test(ctx.text) && !unreducedLossCall(fnText + '(', ctx)) {
      // Every binding of it makes a Loss object (not a per-sample function in another branch).
      const bindings = ctx.text.match(new RegExp(`^[ \\t]*${escapeRegExp(fnText)}\\s*=(?!=)[^\\n]*`, 'gm')) ?? [];
      return bindings.every(b => /=\s*[\w.]*losses\.[A-Z]\w*\(/.test(b));
    }
  }
  // A method of the class: every value it returns.
  const m = /^self\.(\w+)$/.exec(fnText);
  const target = m ? classMethods(cls, ctx).get(m[1])?.def : undefined;
  if (target && target !== method) {
    const returns = returnValues(target);
    return returns !== null && returns.length > 0 && returns.every(r => again(r, target));
  }
  return false;
}

/**
 * The values `name` may hold where `use` reads it in `method` (nested functions aside): those of
 * the last plain assignment before `use` that always runs before it (in a block around `use`, a
 * `with` body counting as its statement's block) and of the assignments after that one (also
 * `name += ...`'s right side); every assignment when `use` is in a loop. Null when one binding is
 * not an assignment (`for name in`, unpacking).
 */
function assignedValues(method: SyntaxNode, name: string, use: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const found: Array<{ assignment: SyntaxNode; right: SyntaxNode }> = [];
  const stack = [...(child(method, 'body')?.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left && ctx.textOf(left) === name) {
        if (!right) {
          return null;
        }
        found.push({ assignment: n, right });
      } else if (left && left.type !== 'identifier' && identifiersOf(left, ctx).includes(name)) {
        return null; // unpacked from a tuple
      }
    } else if ((n.type === 'for_statement' || n.type === 'with_item' || n.type === 'named_expression') && identifiersOf(child(n, 'left') ?? child(n, 'alias') ?? child(n, 'name') ?? n, ctx).includes(name)) {
      return null;
    }
    stack.push(...n.children);
  }
  found.sort((a, b) => a.assignment.start - b.assignment.start);
  const ancestors = new Set<SyntaxNode>();
  let inLoop = false;
  for (let p = use.parent; p && p !== method; p = p.parent) {
    ancestors.add(p);
    inLoop ||= p.type === 'for_statement' || p.type === 'while_statement';
  }
  if (inLoop) {
    return found.map(f => f.right);
  }
  const before = found.filter(f => f.assignment.start < use.start);
  const always = (assignment: SyntaxNode): boolean => {
    if (assignment.type !== 'assignment' || assignment.parent?.type !== 'expression_statement') {
      return false;
    }
    let block = assignment.parent.parent;
    while (block?.type === 'block' && block.parent?.type === 'with_statement') {
      block = block.parent.parent;
    }
    return !!block && ancestors.has(block);
  };
  let last = -1;
  before.forEach((f, i) => {
    if (always(f.assignment)) {
      last = i;
    }
  });
  return (last >= 0 ? before.slice(last) : before).map(f => f.right);
}

function identifiersOf(node: SyntaxNode, ctx: RuleContext): string[] {
  return identifiersIn(node).map(n => ctx.textOf(n));
}

/** The values of every `return` in `def` (nested functions aside), or null when one returns nothing. */
function returnValues(def: SyntaxNode): SyntaxNode[] | null {
  const out: SyntaxNode[] = [];
  const stack = [...(child(def, 'body')?.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'return_statement') {
      const value = n.children.find(c => c.type !== 'comment');
      if (!value) {
        return null;
      }
      out.push(value);
      continue;
    }
    stack.push(...n.children);
  }
  return out;
}

/** `for w, ema_w in zip(...): ema_w.assign(...)`: a loop whose body only assigns variables. */
/**
 * `for metric in self.metrics: metric.update_state(...)`: a loop over a list the model holds whose
 * body only updates the loop's metric.
 */
function isMetricUpdateLoop(stmt: SyntaxNode, ctx: RuleContext): boolean {
  const target = stmt.type === 'for_statement' ? child(stmt, 'left') : null;
  const over = stmt.type === 'for_statement' ? child(stmt, 'right') : null;
  if (!target || target.type !== 'identifier' || !over || !/^self\.\w+$/.test(ctx.textOf(over)) || child(stmt, 'alternative')) {
    return false;
  }
  const body = statements(child(stmt, 'body'));
  return body.length > 0 && body.every(s => {
    const e = inner(s);
    return s.type === 'expression_statement' && e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === `${ctx.textOf(target)}.update_state`;
  });
}

function isVariableUpdateLoop(stmt: SyntaxNode, ctx: RuleContext): boolean {
  if (stmt.type !== 'for_statement') {
    return false;
  }
  const body = statements(child(stmt, 'body'));
  return (
    body.length > 0 &&
    body.every(s => {
      const e = inner(s);
      const fn = e.type === 'call' ? child(e, 'function') : null;
      return !!fn && fn.type === 'attribute' && /^assign(_add|_sub)?$/.test(ctx.textOf(child(fn, 'attribute') ?? fn));
    })
  );
}

/** Whether the tape starts with the model's forward pass on fit's input (`y = self.<part>(x, ...)`), which the other rewrites take apart. */
function tapeStartsWithForward(trained: string | undefined, tapeBody: SyntaxNode[], inputName: string, ctx: RuleContext): boolean {
  return tapeBody.some(stmt => {
    const e = inner(stmt);
    const right = e.type === 'assignment' ? child(e, 'right') : null;
    const fn = right?.type === 'call' ? child(right, 'function') : null;
    const first = right ? positionalArgs(right)[0] : null;
    return !!fn && !!first && /^self(\.\w+)?$/.test(ctx.textOf(fn)) && (!trained || ctx.textOf(fn) === `self.${trained}`) && ctx.textOf(first) === inputName;
  });
}

/** What the generic rewrite needs of the parsed step. */
interface ParsedStep {
  tape: SyntaxNode;
  unpack: SyntaxNode | null;
  data: string;
  lossExpr: string;
  trained: string;
  metricUpdates: SyntaxNode[];
  stateUpdates: SyntaxNode[];
  metricsOverride: string | null;
  droppedLogs: string[];
}

/** A statement that computes a loss: it calls `self.loss`, `self.compiled_loss`, a `losses.` function or a `*loss*` callable. */
const LOSS_CALL = /\bself\.(compiled_)?loss\w*\s*\(|\blosses\.\w+\s*\(|\b\w*loss\w*_fn\s*\(/;

/** Names a statement binds by plain assignment (`a, b = ...`, `x = ...`). */
function boundNames(stmt: SyntaxNode, ctx: RuleContext): string[] {
  const e = inner(stmt);
  const left = e.type === 'assignment' ? child(e, 'left') : null;
  if (!left) {
    return [];
  }
  const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  return targets.filter(t => t.type === 'identifier').map(t => ctx.textOf(t));
}

/** Statements of a test_step or train_step, normalised for comparison (comments and docstrings out, `training=` values out, spacing out). */
function normalised(stmts: SyntaxNode[], ctx: RuleContext, flags: string[] = []): string[] {
  // A helper's flag passed by the test_step only (`self.calculate_loss(images, test=True)`) goes too.
  const flag = flags.length ? new RegExp(`,\\s*(${flags.join('|')})\\s*=\\s*(True|False)\\b`, 'g') : null;
  return stmts
    .filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'))
    .map(s => {
      const text = ctx.textOf(s).replace(/#[^\n]*/g, '').replace(/training\s*=\s*(True|False)/g, 'training=_');
      return (flag ? text.replace(flag, '') : text).replace(/\s+/g, '');
    })
    .sort();
}

/**
 * A train_step of a model without call() whose forward pass is code of its own (sampling
 * noise, mixing, a helper method calling sub-models: keras.io's diffusion models), rewritten as
 * the Keras team converted them: call(self, <data>, training=False) runs what the step computed
 * before its losses (with `training=training`) and returns the values the losses use;
 * compute_loss() unpacks them, computes the losses, updates the trackers, runs the weight
 * updates that followed the optimizer step (an EMA) when training, and returns the summed loss
 * (what the tape differentiated). A test_step doing the same with training=False is deleted
 * (Keras's own test_step calls call(training=False) then compute_loss()). Variables those
 * updates assign are frozen in __init__ (fit() would train them otherwise).
 */
function forwardIntoCall(parts: StepParts, step: ParsedStep, ctx: RuleContext): TrainStepRewrite | NoRewrite {
  const { def, cls, tapeBody, pre, methods } = parts;
  if (step.unpack) {
    return { reason: 'its model has no call(), and the step unpacks targets from the data' };
  }
  if (new RegExp(`\\b(x|y|y_pred|sample_weight|training)\\b`).test([...pre, ...tapeBody].map(s => ctx.textOf(s)).join('\n').replace(/training\s*=/g, ''))) {
    return { reason: 'it uses a name call() or compute_loss() receives (x, y, y_pred, sample_weight, training)' };
  }
  const lossAt = tapeBody.findIndex(s => LOSS_CALL.test(ctx.textOf(s)));
  if (lossAt <= 0) {
    return { reason: 'its model has no call(), and the tape does not compute a forward pass before its loss' };
  }
  const forward = [...pre, ...tapeBody.slice(0, lossAt)];
  const lossPart = tapeBody.slice(lossAt);
  if (!forward.some(s => /\bself\.\w+\s*\(/.test(ctx.textOf(s)))) {
    return { reason: 'its model has no call(), and the step calls no layer before its loss' };
  }
  if (lossPart.some(s => /\bself\.\w+\s*\(/.test(ctx.textOf(s).replace(LOSS_CALL, '').replace(/\bself\.\w+\.update_state\(/g, '')))) {
    return { reason: 'it calls layers after computing a loss' };
  }
  // The names call() binds that compute_loss() reads: call() returns them.
  const bound: string[] = [];
  for (const stmt of forward) {
    for (const name of boundNames(stmt, ctx)) {
      if (!bound.includes(name)) {
        bound.push(name);
      }
    }
  }
  const laterText = [...lossPart, ...step.metricUpdates, ...step.stateUpdates].map(s => ctx.textOf(s)).join('\n') + '\n' + step.lossExpr;
  const returned = bound.filter(n => new RegExp(`\\b${n}\\b`).test(laterText));
  if (returned.length === 0 || new RegExp(`\\b${step.data}\\b`).test(laterText) && !bound.includes(step.data)) {
    return { reason: 'its losses read the data itself' };
  }
  // The test_step must be the same computation without training (then Keras's own replaces it).
  const testStep = methods.get('test_step');
  if (testStep) {
    const testParams = plainParameters(testStep.def, ctx);
    const trainKept = normalised([...pre, ...tapeBody, ...step.metricUpdates], ctx);
    const testBody = statements(child(testStep.def, 'body'));
    const testKept = normalised(testBody.filter(s => s.type !== 'return_statement'), ctx);
    const testReturn = testBody[testBody.length - 1];
    const sameReturn = testReturn?.type === 'return_statement' && METRICS_COMPREHENSION.test(ctx.textOf(testReturn.children[0] ?? testReturn).replace(/\s+/g, ' '));
    if (!testParams || testParams[1] !== step.data || !sameReturn || trainKept.join('\n') !== testKept.join('\n')) {
      return { reason: 'its test_step does more than the train_step without training' };
    }
  }
  // Sub-models whose variables the updates assign: not trained by the step, frozen.
  const freezeEdits: OffsetEdit[] = [];
  const init = methods.get('__init__');
  const assigned = init ? attributeAssignments(init.def, ctx) : new Map<string, { stmt: SyntaxNode; value: SyntaxNode }>();
  const classText = ctx.textOf(cls);
  const frozen: string[] = [];
  for (const update of step.stateUpdates) {
    const iter = child(update, 'right');
    for (const m of (iter ? ctx.textOf(iter) : '').matchAll(/\bself\.(\w+)\.(weights|variables|trainable_weights|trainable_variables)\b/g)) {
      const attr = m[1];
      if (attr === step.trained || frozen.includes(attr) || new RegExp(`\\bself\\.${attr}\\.trainable\\s*=`).test(classText)) {
        continue;
      }
      const set = assigned.get(attr);
      if (!set) {
        return { reason: `it updates the variables of \`self.${attr}\`, which __init__() does not set` };
      }
      frozen.push(attr);
      freezeEdits.push({
        start: set.stmt.end,
        end: set.stmt.end,
        text: `\n${indentAt(ctx.text, set.stmt.start)}self.${attr}.trainable = False  # updated by assignment, not trained`
      });
    }
  }
  if (step.stateUpdates.some(u => /\bself\.(\w+)\.(weights|variables)\b/.test(ctx.textOf(child(u, 'right') ?? u)) && !frozen.length && step.trained === '')) {
    return { reason: 'it assigns variables the optimizer also trains' };
  }
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const indent = indentAt(ctx.text, outer.start);
  const inside = indent + '    ';
  const dedent = (stmt: SyntaxNode): number => indentAt(ctx.text, stmt.start).length;
  const training = (text: string): string => text.replace(/training\s*=\s*True\b/g, 'training=training');
  const line = (stmt: SyntaxNode, extra = ''): string => extra + statementText(stmt, ctx, [], dedent(stmt)).replace(/\n/g, '\n' + inside + extra);
  let text = `def call(self, ${step.data}, training=False):\n`;
  for (const stmt of forward) {
    text += inside + training(line(stmt)) + '\n';
  }
  text += `${inside}return ${returned.join(', ')}\n\n`;
  text += `${indent}def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n`;
  text += `${inside}${returned.length === 1 ? returned[0] : returned.join(', ')} = y_pred\n`;
  for (const stmt of [...lossPart, ...step.metricUpdates]) {
    text += inside + line(stmt) + '\n';
  }
  if (step.stateUpdates.length) {
    text += `${inside}if training:\n`;
    for (const stmt of step.stateUpdates) {
      text += inside + line(stmt, '    ') + '\n';
    }
  }
  // The tape differentiated the loss's sum (a per-sample loss is a tensor): fit() needs a scalar.
  text += `${inside}return keras.ops.sum(${step.lossExpr})`;
  if (step.metricsOverride !== null) {
    text += `\n\n${indent}def compute_metrics(self, x, y, y_pred, sample_weight=None):\n${inside}return ${withCompiledMetrics(step.metricsOverride, cls, ctx)}`;
  }
  const removed = testStep ? [outer, testStep.outer] : [outer];
  const edits = [...removalEdits(cls, removed, ctx, text), ...freezeEdits];
  const imp = ctx.kerasImportEdit();
  let title = 'Move the forward pass into call() and the losses into compute_loss()';
  if (step.trained) {
    title += ` (the step trained self.${step.trained}${frozen.length ? `; ${frozen.map(f => `self.${f}`).join(', ')} frozen` : ''})`;
  }
  if (step.stateUpdates.length) {
    title += '; the variable updates that followed the optimizer step run in compute_loss() when training, from the weights before the step (one step behind)';
  }
  if (testStep) {
    title += "; delete test_step() (Keras's own calls call(training=False) and compute_loss())";
  }
  if (step.droppedLogs.length) {
    title += ` (fit() no longer logs ${step.droppedLogs.join(', ')})`;
  }
  return { edits: imp ? [...edits, imp] : edits, safe: false, title };
}

/** The part of a train_step that makes fit()'s (x, y) from the batch, moved into a tf.data map. */
interface DataPreparation {
  /** The statements before the tape that read the batch (docstrings too): they leave the step. */
  statements: SyntaxNode[];
  /** The argument of the model call, as written (`[source, dec_input]`): the forward pass fit() makes. */
  input: string;
  /** The names the loss and the rest of the step read: y (a tuple when several). */
  targets: string[];
  /** The function inserted before the class and the `.map(fn)` edits of the fit()/evaluate() calls. */
  edits: OffsetEdit[];
  fnName: string;
  /** 'fit()' or 'fit() and evaluate()'. */
  fitted: string;
}

/** Names bound by a plain assignment statement (`a = ...`, `a, b = ...`), or null for anything else. */
function assignedNames(stmt: SyntaxNode, ctx: RuleContext): string[] | null {
  const e = inner(stmt);
  const left = e.type === 'assignment' ? child(e, 'left') : null;
  if (!left || !child(e, 'right')) {
    return null;
  }
  const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  return targets.length && targets.every(t => t.type === 'identifier') ? targets.map(t => ctx.textOf(t)) : null;
}

/**
 * A step that makes the model's input and its targets from parts of the batch before the tape
 * (`source = batch["source"]`, `dec_input = target[:, :-1]`), then calls the model once on
 * them: Keras 3's fit() calls the model on the x of each batch before compute_loss() sees it,
 * so the data must yield (x, y). Those statements become a function mapped over the datasets
 * given to fit() and evaluate() in this cell (they run on the batched tf.data pipeline, where
 * TensorFlow ops run on every backend), returning the model call's argument and the names the
 * loss reads. The datasets must be in this cell, as the class (a module-level one).
 */
function dataPreparation(
  cls: SyntaxNode,
  pre: SyntaxNode[],
  tapeBody: SyntaxNode[],
  post: SyntaxNode[],
  data: string,
  ctx: RuleContext
): DataPreparation | { reason: string } {
  const moved: SyntaxNode[] = [];
  const bound: string[] = [];
  for (const stmt of pre) {
    if (stmt.type === 'expression_statement' && stmt.children[0]?.type === 'string') {
      moved.push(stmt); // the step's docstring
      continue;
    }
    const names = assignedNames(stmt, ctx);
    if (!names || /\bself\b/.test(ctx.textOf(stmt))) {
      return { reason: '' };
    }
    moved.push(stmt);
    bound.push(...names.filter(n => !bound.includes(n)));
  }
  if (bound.includes(data)) {
    return { reason: '' };
  }
  const forward = tapeBody.flatMap(stmt => callsUnder(stmt)).filter(c => ctx.textOf(child(c, 'function') ?? c) === 'self');
  if (forward.length !== 1) {
    return { reason: forward.length > 1 ? 'and calls the model more than once' : '' };
  }
  const call = forward[0];
  const args = positionalArgs(call);
  const keywords = (child(call, 'arguments')?.children ?? []).filter(a => a.type === 'keyword_argument');
  if (args.length !== 1 || keywords.some(k => ctx.textOf(child(k, 'name') ?? k) !== 'training')) {
    return { reason: '' };
  }
  const arg = args[0];
  const parts = arg.type === 'identifier' ? [arg] : arg.type === 'list' || arg.type === 'tuple' ? arg.children.filter(c => c.type !== 'comment') : [];
  if (parts.length === 0 || parts.some(p => p.type !== 'identifier' || !bound.includes(ctx.textOf(p)))) {
    return { reason: '' };
  }
  const x = arg.type === 'identifier' ? ctx.textOf(arg) : `(${parts.map(p => ctx.textOf(p)).join(', ')}${parts.length === 1 ? ',' : ''})`;
  // What the rest of the step reads of the batch: the targets.
  const rest =
    tapeBody.map(stmt => (stmt.start <= call.start && call.end <= stmt.end ? ctx.text.slice(stmt.start, call.start) + ctx.text.slice(call.end, stmt.end) : ctx.textOf(stmt))).join('\n') +
    '\n' +
    post.map(stmt => ctx.textOf(stmt)).join('\n');
  if (new RegExp(`\\b${escapeRegExp(data)}\\b`).test(rest)) {
    return { reason: '' };
  }
  const targets = bound.filter(n => new RegExp(`\\b${escapeRegExp(n)}\\b`).test(rest));
  if (targets.some(t => ['x', 'y_pred', 'sample_weight', 'training'].includes(t) || (t === 'y' && targets.length > 1))) {
    return { reason: 'and names a target like an argument of compute_loss()' };
  }
  const className = ctx.textOf(child(cls, 'name') ?? cls);
  const fnName = new RegExp(`\\bto_x_y\\b`).test(ctx.text) ? `to_x_y_for_${className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}` : 'to_x_y';
  const mapping = mapFitInputs(cls, fnName, ctx);
  if ('reason' in mapping) {
    return mapping;
  }
  const { edits, methods, before } = mapping;
  const y = targets.length === 0 ? '' : targets.length === 1 ? targets[0] : `(${targets.join(', ')})`;
  const lines = moved
    .filter(stmt => !(stmt.type === 'expression_statement' && stmt.children[0]?.type === 'string'))
    .map(stmt => '    ' + statementText(stmt, ctx, [], Math.max(0, indentAt(ctx.text, stmt.start).length - 4)));
  const fnText =
    `def ${fnName}(${data}):\n` +
    `    """(x, y) for Keras 3's fit() from one batch, as the Keras 2 train_step of ${className} made them (mapped over the batched tf.data datasets)."""\n` +
    lines.map(l => l + '\n').join('') +
    `    return ${y ? `${x}, ${y}` : `(${x},)`}\n\n\n`;
  edits.push(before(fnText));
  return { statements: moved, input: ctx.textOf(arg), targets, edits, fnName, fitted: methods.has('evaluate') ? 'fit() and evaluate()' : 'fit()' };
}

/**
 * The `.map(<fnName>)` edits of the datasets given to fit() (x and validation_data) and
 * evaluate() of the instances of a top-level model class in this cell, or why there are none.
 */
export function mapFitInputs(cls: SyntaxNode, fnName: string, ctx: RuleContext, fitOnly = false): FitInputsMapping | { reason: string } {
  // The class at the top level of the cell (or of a script's `main()`), and the fit()/evaluate() calls of its instances there.
  const outerCls = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
  const module = outerCls.parent;
  const indent = ctx.text.slice(lineStartAt(ctx.text, outerCls.start), outerCls.start);
  if (!module || !definedInPlainFunctionsFromModule(outerCls) || !/^[ \t]*$/.test(indent)) {
    return { reason: '' };
  }
  const className = ctx.textOf(child(cls, 'name') ?? cls);
  const edits: OffsetEdit[] = [];
  const methods = new Set<string>();
  const mapped = (node: SyntaxNode): OffsetEdit =>
    /^(identifier|attribute|call|subscript|parenthesized_expression)$/.test(node.type)
      ? { start: node.end, end: node.end, text: `.map(${fnName})` }
      : { start: node.start, end: node.end, text: `(${ctx.textOf(node)}).map(${fnName})` };
  const stack = [module];
  while (stack.length) {
    const n = stack.pop()!;
    stack.push(...n.children);
    const fn = n.type === 'call' ? child(n, 'function') : null;
    const method = fn?.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : '';
    const receiver = fn?.type === 'attribute' ? child(fn, 'object') : null;
    if (!receiver || receiver.type !== 'identifier' || (method !== 'fit' && method !== 'evaluate') || (fitOnly && method !== 'fit')) {
      continue;
    }
    let statement: SyntaxNode = n;
    while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') {
      statement = statement.parent;
    }
    const made = lastAssignedValue(ctx.textOf(receiver), statement, ctx);
    if (!made || made.type !== 'call' || ctx.textOf(child(made, 'function') ?? made) !== className) {
      continue;
    }
    const callArgs = child(n, 'arguments')?.children ?? [];
    const keyword = (name: string): SyntaxNode | null => {
      const kw = callArgs.find(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === name);
      return kw ? child(kw, 'value') : null;
    };
    const xArg = callArgs.find(a => a.type !== 'keyword_argument' && a.type !== 'comment' && a.type !== '(' && a.type !== ')' && a.type !== ',') ?? keyword('x');
    if (!xArg || !looksLikeDataset(xArg, ctx)) {
      return { reason: `and \`${ctx.textOf(receiver)}.${method}()\` is not given a tf.data dataset to map` };
    }
    edits.push(mapped(xArg));
    // fitOnly: the validation data are plain batches the model's other path takes.
    const validation = method === 'fit' && !fitOnly ? keyword('validation_data') : null;
    if (validation) {
      if (!looksLikeDataset(validation, ctx)) {
        return { reason: 'and its validation data is not a tf.data dataset to map' };
      }
      edits.push(mapped(validation));
    }
    methods.add(method);
  }
  if (!methods.has('fit')) {
    return { reason: 'and the datasets given to its fit() are not in this cell' };
  }
  // Lines written at column 0, put above the class at its indentation.
  const before = (text: string): OffsetEdit => ({
    start: outerCls.start,
    end: outerCls.start,
    text: text.split('\n').map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n') + indent
  });
  return { edits, methods, outerCls, before };
}

/** The `.map()` edits of the datasets a model class's instances are fitted on, and where the mapped function goes. */
export interface FitInputsMapping {
  edits: OffsetEdit[];
  methods: Set<string>;
  outerCls: SyntaxNode;
  /** The edit putting a definition (written at column 0, ending in blank lines) above the class, at its indentation. */
  before: (text: string) => OffsetEdit;
}

/** A line of a step's forward pass or loss: a statement (its text dedented), with `prefix` before it, or a line made up. */
interface StepLine {
  node: SyntaxNode | null;
  prefix: string;
  text?: string;
  /** The comments on their own lines just above it, and the one at the end of its line. */
  comments?: string[];
  trailing?: string;
}

/**
 * Lines of the statements of a block that `lineOf` keeps (null: left out), each with the
 * comments above it and at the end of its line (comments above a left-out statement go with it).
 */
function linesWithComments(block: SyntaxNode, lineOf: (stmt: SyntaxNode) => StepLine | null, ctx: RuleContext): StepLine[] {
  const out: StepLine[] = [];
  // Comments on their own lines between `def ...:` (or `with ...:`) and the first statement belong to the parent node.
  let pending: string[] = (block.parent?.children ?? [])
    .filter(c => c.type === 'comment' && c.end <= block.start && /^[ \t]*$/.test(ctx.text.slice(lineStartAt(ctx.text, c.start), c.start)))
    .map(c => ctx.textOf(c));
  let previous: { end: number; line: StepLine | null } | null = null;
  for (const n of block.children) {
    if (n.type === 'comment') {
      if (previous && !ctx.text.slice(previous.end, n.start).includes('\n')) {
        if (previous.line) {
          previous.line.trailing = ctx.textOf(n);
        }
      } else {
        pending.push(ctx.textOf(n));
      }
      continue;
    }
    const line = lineOf(n);
    if (line) {
      line.comments = pending;
      out.push(line);
    }
    pending = [];
    previous = { end: n.end, line };
  }
  return out;
}

/** A train_step running the model (or a sub-model) on several parts of the batch, its loss inline or in a helper method. */
interface PartsForward {
  /** The statements before the tape and in it, the helper's body inlined (its `return v` as `<name> = v`). */
  lines: StepLine[];
  /** The helper method the tape calls with the batch, inlined. */
  helper: string | null;
  /** The name the batch has in those lines (the helper's parameter when the step does nothing before the tape). */
  param: string;
  /** The callees run on parts of the batch (`self`, `self.embedding`). */
  callees: string[];
  /** The helper's True/False parameters the step leaves at their defaults (`test=False`). */
  flags: HelperFlag[];
  /**
   * The step starts with `if isinstance(data, tuple): data = data[0]`: what it runs the helper on
   * is the batch's x, which fit() hands call() as it is (no mapping of the datasets needed).
   */
  batchIsX: boolean;
}

/** `if isinstance(data, tuple): data = data[0]` (keras.io's "workaround for open issue"): Keras 3's compute_loss() gets x. */
function isTupleWorkaround(stmt: SyntaxNode, data: string, ctx: RuleContext): boolean {
  const d = escapeRegExp(data);
  const text = ctx.textOf(stmt).replace(/#[^\n]*/g, '').replace(/\s+/g, ' ').trim();
  return new RegExp(`^if isinstance\\(${d}, tuple\\): ${d} = ${d}\\[0\\]$`).test(text);
}

/** The attributes of the model that hold a loss, a metric or a tracker (not layers). */
function lossOrMetricAttributes(methods: Map<string, { def: SyntaxNode; outer: SyntaxNode }>, ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  const init = methods.get('__init__');
  for (const [attr, { value }] of init ? attributeAssignments(init.def, ctx) : []) {
    if (isLossOrMetric(attr, value, ctx)) {
      out.add(attr);
    }
  }
  return out;
}

/**
 * Whether the step runs the model or one sub-model on several parts of the batch (`a, p, n =
 * data`, `data[0]`, `data[1]`), or hands the batch to a helper method that runs a layer on it
 * (keras.io's Siamese network: `loss = self._compute_loss(data)`). Its lines, or null.
 */
function partsForward(cls: SyntaxNode, data: string, pre: SyntaxNode[], tapeBody: SyntaxNode[], tapeBlock: SyntaxNode | null, ctx: RuleContext): PartsForward | null {
  const methods = classMethods(cls, ctx);
  const notLayers = lossOrMetricAttributes(methods, ctx);
  const rest = pre[0] && isTupleWorkaround(pre[0], data, ctx) ? pre.slice(1) : pre;
  if (rest.some(s => /\bisinstance\(/.test(ctx.textOf(s)))) {
    return null;
  }
  const lineOf = (stmt: SyntaxNode): StepLine => ({ node: stmt, prefix: '' });
  const lines = rest.map(lineOf);
  let helper: string | null = null;
  let param = data;
  // The helper's call is the tape's only statement, or its first with the rest computing the loss
  // from what it returned (`loss = mlm_loss + w * disc_loss`).
  const only = tapeBody.length >= 1 ? inner(tapeBody[0]) : null;
  const left = only?.type === 'assignment' ? child(only, 'left') : null;
  const right = only?.type === 'assignment' ? child(only, 'right') : null;
  const name = right?.type === 'call' ? /^self\.(\w+)$/.exec(ctx.textOf(child(right, 'function') ?? right))?.[1] : undefined;
  const def = name && name !== 'call' ? methods.get(name)?.def : undefined;
  const args = right?.type === 'call' ? (child(right, 'arguments')?.children ?? []).filter(a => a.type !== 'comment') : [];
  const targets = left && (left.type === 'identifier' || ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.children.every(c => c.type === 'identifier')));
  const flags: HelperFlag[] = [];
  // `self.compute_losses(inputs, training=True)`: flags passed by keyword as True/False.
  const passed = new Map<string, 'True' | 'False'>();
  for (const a of args.slice(1)) {
    const key = a.type === 'keyword_argument' ? child(a, 'name') : null;
    const value = a.type === 'keyword_argument' ? child(a, 'value') : null;
    if (!key || !value || (value.type !== 'true' && value.type !== 'false')) {
      passed.set('', 'True'); // not a flag: no helper parameter has this name
      break;
    }
    passed.set(ctx.textOf(key), value.type === 'true' ? 'True' : 'False');
  }
  const restOfTape = tapeBody.slice(1);
  const restReadsHelper = restOfTape.every(st => !/\bself\s*\(|\.update_state\(|\.assign(_add|_sub)?\(/.test(ctx.textOf(st)));
  // The original shape (the helper's call alone in the tape, on the batch alone): a helper that does not fit is no rewrite.
  const plain = args.length === 1 && restOfTape.length === 0;
  const candidate = !!targets && !!def && args.length >= 1 && ctx.textOf(args[0]) === data && !passed.has('') && (restOfTape.length === 0 || restReadsHelper);
  const params = candidate ? helperParameters(def!, flags, ctx, passed) : null;
  const body = candidate ? statements(child(def!, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string')) : [];
  const last = body[body.length - 1];
  const returns = candidate ? nodesUnder(child(def!, 'body') ?? def!, 'return_statement') : 0;
  const fits = candidate && !!params && params.length === 2 && !!last && last.type === 'return_statement' && !!last.children[0] && returns === 1 && !/\byield\b/.test(ctx.textOf(def!));
  if (candidate && !fits && plain) {
    return null;
  }
  if (!fits) {
    flags.length = 0;
  }
  if (fits && def && params && last) {
    helper = name!;
    if (params[1] !== data) {
      if (lines.length) {
        lines.push({ node: null, prefix: '', text: `${params[1]} = ${data}` });
      } else {
        param = params[1];
      }
    }
    // `return loss` into `loss = self._compute_loss(data)` (or `return a, b` into `a, b = ...`): nothing to assign.
    const kept = body.slice(0, -1);
    const bare = (n: SyntaxNode): string => ctx.textOf(n).replace(/[()\s]/g, '');
    const same = bare(last.children[0]) === bare(left!);
    const aliases = same ? null : tupleAliases(left!, last.children[0], child(def, 'body')!, ctx);
    const helperLines = linesWithComments(
      child(def, 'body')!,
      st => (kept.includes(st) ? lineOf(st) : st === last && !same && !aliases ? { node: last.children[0], prefix: `${ctx.textOf(left)} = ` } : null),
      ctx
    );
    for (const alias of aliases ?? []) {
      // `target = augmented` right after the last line binding `augmented` (so it is part of the forward pass when that is), else at the end.
      const at = alias.source ? helperLines.map(l => lineBinds(l, ctx).includes(alias.source!)).lastIndexOf(true) : -1;
      helperLines.splice(at >= 0 ? at + 1 : helperLines.length, 0, alias.line);
    }
    lines.push(...helperLines);
    if (restOfTape.length && tapeBlock) {
      lines.push(...linesWithComments(tapeBlock, st => (restOfTape.includes(st) ? lineOf(st) : null), ctx));
    }
  } else {
    lines.push(...(tapeBlock ? linesWithComments(tapeBlock, st => (tapeBody.includes(st) ? lineOf(st) : null), ctx) : tapeBody.map(lineOf)));
  }
  // The parts: names bound from the batch by unpacking or indexing, and subscripts of it.
  const batch = helper ? param : data;
  const b = escapeRegExp(batch);
  const parts = new Set<string>();
  const partOf = new RegExp(`^${b}(\\[[^\\]]+\\])?(\\s*,\\s*${b}(\\[[^\\]]+\\])?)*$`);
  for (const line of lines) {
    const e = line.node ? inner(line.node) : null;
    const value = e?.type === 'assignment' ? child(e, 'right') : null;
    if (line.node && value && partOf.test(ctx.textOf(value).replace(/^\(|\)$/g, ''))) {
      boundNames(line.node, ctx).forEach(n => parts.add(n));
    }
  }
  const isPart = (arg: string): boolean => parts.has(arg) || new RegExp(`^${b}\\[[^\\]]+\\]$`).test(arg);
  const runs = new Map<string, Set<string>>();
  let onBatch = false;
  // A layer run on what a method of the model made of the batch (ELECTRA's `self.generator(masked_inputs)` after `self.mask_tokens(inputs)`).
  let layerRun = false;
  for (const line of lines) {
    for (const call of line.node ? callsUnder(line.node) : []) {
      const callee = ctx.textOf(child(call, 'function') ?? call);
      const attr = /^self\.(\w+)$/.exec(callee)?.[1];
      const first = positionalArgs(call)[0];
      if (!first || !(callee === 'self' || (attr && !methods.has(attr) && !notLayers.has(attr) && !/loss|metric|tracker/i.test(attr)))) {
        continue;
      }
      layerRun = true;
      const arg = ctx.textOf(first);
      if (isPart(arg)) {
        runs.set(callee, (runs.get(callee) ?? new Set<string>()).add(arg));
      } else if (arg === batch) {
        onBatch = true;
      }
    }
  }
  let callees = [...runs].filter(([, args]) => args.size >= 2).map(([callee]) => callee);
  // A model without call() running each part unpacked from the batch through a layer of its own
  // (`z_a = self.left(a)`, `z_b = self.right(b)`): every part is an input, none a target (the
  // other rewrites of a model without call() refuse a step whose targets go through a layer).
  const partsRun = new Set([...runs.values()].flatMap(args => [...args]));
  if (callees.length === 0 && !methods.has('call') && parts.size >= 2 && [...parts].every(p => partsRun.has(p))) {
    callees = [...runs.keys()];
  }
  const batchThroughMethod = !!helper && layerRun && lines.some(l => l.node && callsUnder(l.node).some(c => {
    const attr = /^self\.(\w+)$/.exec(ctx.textOf(child(c, 'function') ?? c))?.[1];
    return !!attr && methods.has(attr) && positionalArgs(c).some(a => ctx.textOf(a) === batch);
  }));
  if (callees.length === 0 && !(helper && (onBatch || runs.size > 0 || batchThroughMethod))) {
    return null;
  }
  const batchIsX = !!helper && !!pre[0] && isTupleWorkaround(pre[0], data, ctx);
  return { lines, helper, param, flags, callees: callees.length ? callees : [...runs.keys()], batchIsX };
}

/**
 * `a, b, c = self.helper(data)` with the helper's `return x, y, z` (names differing): one line per
 * element that differs (`b = y`), or null when a target is a name the helper uses itself. An
 * element that is a plain name records it as `source`; the others (a loss call) go last.
 */
function tupleAliases(left: SyntaxNode, returned: SyntaxNode, body: SyntaxNode, ctx: RuleContext): { line: StepLine; source: string | null }[] | null {
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  const value = returned.type === 'parenthesized_expression' ? returned.children[0] ?? returned : returned;
  const elements = value.type === 'expression_list' || value.type === 'tuple' ? value.children.filter(c => c.type !== 'comment') : [];
  if (targets.length < 2 || targets.length !== elements.length) {
    return null;
  }
  const out: { line: StepLine; source: string | null }[] = [];
  for (let i = 0; i < targets.length; i++) {
    const t = ctx.textOf(targets[i]);
    if (ctx.textOf(elements[i]) === t) {
      continue;
    }
    if (namesUnder(body, t, ctx) > 0) {
      return null;
    }
    out.push({ line: { node: elements[i], prefix: `${t} = ` }, source: elements[i].type === 'identifier' ? ctx.textOf(elements[i]) : null });
  }
  return [...out.filter(a => a.source !== null), ...out.filter(a => a.source === null)];
}

/** A parameter of a loss helper with a True/False default the train_step leaves (`test=False`). */
interface HelperFlag {
  name: string;
  value: 'True' | 'False';
}

/**
 * The plain parameter names of a helper (`self` included), its True/False defaults put in `flags`
 * (with the value the step passes by keyword, `passed`, when it does: `training=True`, which also
 * makes a parameter without default a flag); null for anything else.
 */
function helperParameters(def: SyntaxNode, flags: HelperFlag[], ctx: RuleContext, passed: ReadonlyMap<string, 'True' | 'False'> = new Map()): string[] | null {
  const names: string[] = [];
  for (const p of child(def, 'parameters')?.children ?? []) {
    const value = p.type === 'default_parameter' ? child(p, 'value') : null;
    const name = p.type === 'default_parameter' ? child(p, 'name') : p.type === 'typed_parameter' ? p.children.find(c => c.type === 'identifier') : p;
    const given = name ? passed.get(ctx.textOf(name)) : undefined;
    if (value && name && (value.type === 'true' || value.type === 'false')) {
      flags.push({ name: ctx.textOf(name), value: given ?? (value.type === 'true' ? 'True' : 'False') });
    } else if (!value && given && name?.type === 'identifier') {
      flags.push({ name: ctx.textOf(name), value: given });
    } else if (!value && name?.type === 'identifier' && flags.length === 0) {
      names.push(ctx.textOf(name));
    } else {
      return null;
    }
  }
  // Every flag the step passes is a parameter of the helper.
  return [...passed.keys()].every(k => flags.some(f => f.name === k)) ? names : null;
}

/** Names a line binds (`a, b = ...`, `a /= t`, a helper's `loss = <returned>`, the assignments in an `if`'s branches). */
function lineBinds(l: StepLine, ctx: RuleContext): string[] {
  if (!l.node) {
    return [l.text!.split('=')[0].trim()];
  }
  if (l.prefix) {
    return l.prefix.replace(/\s*=\s*$/, '').replace(/[()]/g, '').split(',').map(n => n.trim());
  }
  const e = inner(l.node);
  const target = e.type === 'augmented_assignment' ? child(e, 'left') : null;
  if (/^(if|for|while|with|try)_statement$/.test(l.node.type)) {
    // `if test: augmented = ... else: augmented = ...`: the names its branches bind.
    const names: string[] = [];
    const stack = [...l.node.children];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'expression_statement') {
        boundNames(n, ctx).forEach(b => !names.includes(b) && names.push(b));
      } else if (n.type !== 'function_definition' && n.type !== 'class_definition') {
        stack.push(...n.children);
      }
    }
    return names;
  }
  return target?.type === 'identifier' ? [ctx.textOf(target)] : boundNames(l.node, ctx);
}

/** How many nodes of `type` are under `node` (nested functions and classes left out). */
function nodesUnder(node: SyntaxNode, type: string): number {
  let count = 0;
  const stack = [...node.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === type) {
      count++;
    }
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return count;
}

/** What partsIntoCall() needs of the parsed step. */
interface PartsStep {
  def: SyntaxNode;
  cls: SyntaxNode;
  data: string;
  /** Every statement before the tape (the unpacking too) and the tape's statements, as written. */
  allPre: SyntaxNode[];
  tapeBody: SyntaxNode[];
  lossExpr: string;
  trained: string;
  metricUpdates: SyntaxNode[];
  /** Loops assigning variables after the optimizer step (an exponential moving average). */
  stateUpdates: SyntaxNode[];
  /** Whether fit() does not train the sub-model `self.<attr>` (frozen by the rewrite, or not trainable). */
  untrained: (attr: string) => boolean;
  metricsOverride: string | null;
  droppedLogs: string[];
  returned: SyntaxNode | null;
}

/**
 * A train_step running the model or a sub-model on several parts of the batch (a triplet or a
 * pair through one embedding network), rewritten as the Keras 3 conversions of keras.io's
 * Siamese and metric learning examples do: fit() hands the whole batch to call() as x (a
 * function mapped over the datasets makes each batch `(batch,)`: fit() reads a tuple as x, y,
 * sample_weight), call() runs the forward part of the step (or is the model's own call() when
 * that is the same sub-model call) and returns what the loss reads, and compute_loss() unpacks
 * y_pred and computes the loss (summed: the tape differentiated the sum of a per-sample loss)
 * and the metric updates. The helper method the loss was in and a test_step doing the same
 * without training go.
 */
function partsIntoCall(pf: PartsForward, step: PartsStep, ctx: RuleContext): TrainStepRewrite | NoRewrite {
  const { def, cls, data } = step;
  const methods = classMethods(cls, ctx);
  const notLayers = lossOrMetricAttributes(methods, ctx);
  const where = pf.callees.map(c => `\`${c}\``).join(', ');
  const what = pf.callees.length ? `it runs ${where} on several parts of the batch` : `it hands \`${data}\` whole to \`self.${pf.helper}()\`, which runs a layer on it`;
  const hasCall = methods.has('call');
  if (!hasCall && !methods.has('__init__') && !derivesFromKerasModel(cls, ctx)) {
    return { reason: `${what}, and its model class has no call() of its own`, hint: DATA_AS_CALL_TAKES };
  }
  if (!hasCall && !methods.has('__init__')) {
    return {
      reason: `${what}, and its model is functional: its call() is the graph of its inputs and outputs, which the rest of the program uses (predict(), the step's own \`self(...)\` calls)`,
      hint:
        "Keras 3's fit() calls the model once on the x of each batch, then compute_loss(x, y, y_pred): build the model around the network as a sub-model, with a call() that takes the parts of the batch as one input (e.g. `(anchors, positives)`) and returns what the loss reads (the similarities), make the data yield `(x, y)` with that x, and override compute_loss() (or let the compiled loss and metrics run); otherwise"
    };
  }
  if (step.trained) {
    return { reason: `${what}, and trains a part of the model only` };
  }
  // `self.compiled_metrics.update_state(labels, logits)` after the optimizer step: call() returns
  // both, and compute_metrics() hands them to Keras's own (which updates the compiled metrics).
  const compiledUpdates = statements(child(def, 'body')).filter(st => {
    const e = inner(st);
    return e.type === 'call' && ctx.textOf(child(e, 'function') ?? e) === 'self.compiled_metrics.update_state';
  });
  const metricArgs = compiledUpdates.length === 1 ? positionalArgs(inner(compiledUpdates[0])) : [];
  const compiledMentions = ctx.textOf(def).match(/\bself\.compiled_metrics\b/g)?.length ?? 0;
  if (
    compiledMentions > 0 &&
    (compiledMentions !== 1 || metricArgs.length !== 2 || metricArgs.some(a => a.type !== 'identifier') || keywordArg(inner(compiledUpdates[0]), 'sample_weight', ctx) || step.metricsOverride !== null)
  ) {
    return { reason: `${what}, and updates the compiled metrics in a way compute_metrics() cannot (it gets call()'s outputs and no y)` };
  }
  const metricNames = metricArgs.map(a => ctx.textOf(a));
  const isLayerCall = (call: SyntaxNode): boolean => {
    const callee = ctx.textOf(child(call, 'function') ?? call);
    const attr = /^self\.(\w+)$/.exec(callee)?.[1];
    return callee === 'self' || (!!attr && !methods.has(attr) && !notLayers.has(attr) && !/loss|metric|tracker/i.test(attr));
  };
  const binds = (l: StepLine): string[] => lineBinds(l, ctx);
  // The forward part ends with the last layer call, or with the last binding of what the compiled metrics are given.
  const lastForward = Math.max(
    pf.lines.map(l => (l.node ? callsUnder(l.node).some(isLayerCall) : false)).lastIndexOf(true),
    ...metricNames.map(n => pf.lines.map(l => binds(l).includes(n)).lastIndexOf(true))
  );
  let forward = pf.lines.slice(0, lastForward + 1);
  let lossPart = pf.lines.slice(lastForward + 1);
  // A loss computed between two layer calls (ELECTRA's generator loss before the discriminator
  // runs) that no later forward line reads moves to the loss part.
  const moved = movableLossLines(forward, isLayerCall, metricNames, binds, ctx);
  if (moved.length) {
    lossPart = [...forward.filter(l => moved.includes(l)), ...lossPart];
    forward = forward.filter(l => !moved.includes(l));
  }
  if (forward.length === 0) {
    return { reason: `${what}, and its forward pass could not be told from its loss` };
  }
  // Texts: `replacements` rewrite self.compiled_loss in the loss part.
  const replacements: OffsetEdit[] = [];
  for (const line of lossPart) {
    if (line.node && !compiledLossEdits(line.node, replacements, ctx)) {
      return { reason: '`self.compiled_loss` is called without y_true and y_pred' };
    }
  }
  const render = (line: StepLine, edits: OffsetEdit[] = []): string =>
    line.text ?? line.prefix + statementText(line.node!, ctx, edits, indentAt(ctx.text, line.node!.start).length);
  /** The line as emitted: its comments kept. */
  const commented = (line: StepLine, edits: OffsetEdit[] = []): string =>
    (line.comments ?? []).map(c => `${c}\n`).join('') + render(line, edits) + (line.trailing ? `  ${line.trailing}` : '');
  const forwardText = forward.map(l => render(l)).join('\n');
  if (LOSS_CALL.test(forwardText) || /\.update_state\(/.test(forwardText)) {
    return { reason: `${what}, and computes its loss or metrics in the statement that runs the model` };
  }
  // A `training` flag of the helper is call()'s own `training` (fit() passes True, evaluate() False, as the steps did).
  const trainingFlag = pf.flags.some(f => f.name === 'training');
  if (new RegExp(`\\b(x|y|y_pred|sample_weight${trainingFlag ? '' : '|training'})\\b`).test(forwardText.replace(/\btraining\s*=/g, ''))) {
    return { reason: `${what}, and uses a name call() or compute_loss() receives (x, y, y_pred, sample_weight, training)` };
  }
  const lossLines = lossPart.map(l => render(l, replacements));
  const metricLines = step.metricUpdates.map(s => statementText(s, ctx, [], indentAt(ctx.text, s.start).length));
  // The variable updates that followed the optimizer step run in compute_loss() when training.
  const stateEdits = stateUpdateEdits(step.stateUpdates, step.untrained, ctx);
  if ('reason' in stateEdits) {
    return { reason: `${what}, and ${stateEdits.reason}` };
  }
  const stateLines = step.stateUpdates.map(s => '    ' + statementText(s, ctx, stateEdits, indentAt(ctx.text, s.start).length).replace(/\n/g, '\n    '));
  if (/^(x|y|y_pred|sample_weight)\s*=|^\s*(x|y|y_pred|sample_weight)\s*(,\s*\w+\s*)*=/m.test(lossLines.join('\n'))) {
    return { reason: 'it reassigns a name compute_loss() receives (x, y, y_pred, sample_weight)' };
  }
  // The names the forward part binds that the rest reads: what call() returns.
  const bound: string[] = [];
  for (const line of forward) {
    binds(line).forEach(n => !bound.includes(n) && bound.push(n));
  }
  if (metricNames.some(n => !bound.includes(n))) {
    return { reason: `${what}, and updates the compiled metrics with values call() cannot return` };
  }
  const later = [...lossLines, ...metricLines, ...stateLines, step.lossExpr, step.metricsOverride ?? '', ...metricNames].join('\n');
  const returnedNames = bound.filter(n => new RegExp(`\\b${escapeRegExp(n)}\\b`).test(later));
  if (returnedNames.length === 0) {
    return { reason: `${what}, and its loss reads none of the outputs` };
  }
  const readsBatch = new RegExp(`\\b${escapeRegExp(pf.param)}\\b`).test(later) && !bound.includes(pf.param);

  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const indent = indentAt(ctx.text, outer.start);
  const inside = indent + '    ';
  const emit = (text: string): string => inside + text.replace(/\n/g, '\n' + inside) + '\n';
  // The helper's flags: `test = not training` when the test_step passed the other value (`test=True`), else the train_step's.
  const testText = methods.has('test_step') ? ctx.textOf(methods.get('test_step')!.def) : '';
  const flagLines = (used: string): string =>
    pf.flags
      .filter(f => new RegExp(`\\b${f.name}\\b`).test(used))
      .map(f => {
        const other = f.value === 'True' ? 'False' : 'True';
        const value = new RegExp(`\\b${f.name}\\s*=\\s*${other}\\b`).test(testText) ? (f.value === 'False' ? 'not training' : 'training') : f.value;
        return f.name === value ? '' : `${inside}${f.name} = ${value}\n`;
      })
      .join('');
  let text = '';
  let unpacked = returnedNames.join(', ');
  let callNote: string;
  if (hasCall) {
    // The model's call() must be the step's forward pass: `return self.<sub>(<batch>)`, and the step `a, b = self.<sub>(<batch>)`.
    const call = methods.get('call')!.def;
    const callParams = plainParameters(call, ctx);
    const callBody = statements(child(call, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
    const only = forward.length === 1 && forward[0].node ? render(forward[0]).replace(/\s+/g, ' ') : '';
    const m = /^(\w+(?:, \w+)*) = (self\.\w+)\((\w+)\)$/.exec(only);
    const ret = callBody.length === 1 && callBody[0].type === 'return_statement' ? ctx.textOf(callBody[0].children[0] ?? callBody[0]).replace(/\s+/g, '') : '';
    if (!m || m[3] !== pf.param || !callParams || callParams.length !== 2 || ret !== `${m[2]}(${callParams[1]})`) {
      return { reason: `${what}, and its model's call() is not that forward pass (other code may use it)`, hint: DATA_AS_CALL_TAKES };
    }
    unpacked = m[1];
    callNote = `the model's call() already runs ${m[2]} on the whole batch; compute_loss() unpacks y_pred`;
  } else {
    if (/\bself\s*\(/.test(forwardText)) {
      return { reason: `${what}, and calls the model itself (call() cannot)`, hint: DATA_AS_CALL_TAKES };
    }
    text += `def call(self, ${pf.param}, training=False):\n`;
    text += flagLines(forwardText);
    text += forward.map(l => emit(commented(l).replace(/training\s*=\s*True\b/g, 'training=training'))).join('');
    text += `${inside}return ${returnedNames.join(', ')}\n\n${indent}`;
    callNote = `call() runs the forward pass on the whole batch and returns ${returnedNames.join(', ')}`;
  }
  text += `def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n`;
  text += hasCall ? (forward[0].comments ?? []).map(c => `${inside}${c}\n`).join('') : '';
  text += `${inside}${unpacked} = y_pred\n`;
  if (readsBatch) {
    text += `${inside}${pf.param} = x\n`;
  }
  text += flagLines(lossLines.join('\n'));
  text += [...lossPart.map(l => commented(l, replacements)), ...metricLines].map(emit).join('');
  const stateNote = stateLines.length ? '; the variable updates that followed the optimizer step run in compute_loss() when training, from the weights before the step (one step behind)' : '';
  if (stateLines.length) {
    text += `${inside}if training:\n` + stateLines.map(emit).join('');
  }
  // The compiled loss is a scalar already; a loss computed by hand may be per sample (the tape differentiated its sum).
  const lossValue = [...lossLines].reverse().find(l => new RegExp(`^${escapeRegExp(step.lossExpr)}\\s*=`).test(l));
  const scalar = !!lossValue && /^\w+\s*=\s*super\(\)\.compute_loss\([^\n]*\)$/.test(lossValue);
  text += `${inside}return ${scalar ? step.lossExpr : `keras.ops.sum(${step.lossExpr})`}`;
  text += `\n\n${indent}def compute_metrics(self, x, y, y_pred, sample_weight=None):\n`;
  text += metricNames.length
    ? `${inside}${unpacked} = y_pred\n${inside}return super().compute_metrics(x, ${metricNames.join(', ')})`
    : `${inside}return ${step.metricsOverride ?? 'self.get_metrics_result()'}`;

  // A test_step doing the same without training goes (Keras's own calls call() then compute_loss()).
  const testStep = methods.get('test_step');
  const flagNames = pf.flags.map(f => f.name);
  const sameTest =
    !!testStep &&
    sameStepWithoutTraining(testStep.def, data, [...step.allPre, ...step.tapeBody, ...step.metricUpdates, ...compiledUpdates], step.returned, ctx, flagNames, step.lossExpr);
  if (testStep && !sameTest && !isDefaultTestStep(testStep.def, ctx)) {
    return { reason: `${what}, and its test_step reads the batch its own way`, hint: DATA_AS_CALL_TAKES };
  }
  // The helper goes when only the steps called it.
  const removed = [outer, ...(testStep ? [testStep.outer] : [])];
  let helperGone = false;
  if (pf.helper) {
    const uses = (t: string): number => t.match(new RegExp(`\\.${pf.helper}\\b`, 'g'))?.length ?? 0;
    const stepUses = uses(ctx.textOf(def)) + (testStep ? uses(ctx.textOf(testStep.def)) : 0);
    if (uses(ctx.text) === stepUses) {
      removed.push(methods.get(pf.helper)!.outer);
      helperGone = true;
    }
  }
  if (pf.batchIsX) {
    // The step ran the helper on the batch's x (`data = data[0]` for a tuple): fit() hands call() that x as it is.
    const edits = removalEdits(cls, removed, ctx, text);
    const imp = ctx.kerasImportEdit();
    let title = `Move the loss into compute_loss() (${callNote})` + stateNote;
    if (helperGone) {
      title += `; inline and delete self.${pf.helper}()`;
    }
    if (testStep) {
      title += "; delete test_step() (Keras's own calls call() then compute_loss())";
    }
    if (step.droppedLogs.length) {
      title += ` (fit() no longer logs ${step.droppedLogs.join(', ')})`;
    }
    return {
      edits: imp ? [...edits, imp] : edits,
      safe: false,
      title,
      besides: `${what} (in Keras 3 call() does, given the batch's x by fit())`
    };
  }
  const className = ctx.textOf(child(cls, 'name') ?? cls);
  const fnName = /\bbatch_as_x\b/.test(ctx.text) ? `batch_as_x_for_${className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}` : 'batch_as_x';
  const mapping = mapFitInputs(cls, fnName, ctx);
  if ('reason' in mapping) {
    return { reason: `${what}${mapping.reason ? `, ${mapping.reason}` : ''}`, hint: DATA_AS_CALL_TAKES };
  }
  const fnText =
    `def ${fnName}(*batch):\n` +
    `    """The whole batch as x for Keras 3's fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of ${className} took it."""\n` +
    `    return (batch if len(batch) > 1 else batch[0],)\n\n\n`;
  const edits = [...removalEdits(cls, removed, ctx, text), ...mapping.edits, mapping.before(fnText)];
  const imp = ctx.kerasImportEdit();
  const fitted = mapping.methods.has('evaluate') ? 'fit() and evaluate()' : 'fit()';
  let title = `Move the loss into compute_loss() (${callNote}); make the whole batch fit()'s x with \`${fnName}()\`, mapped over the datasets given to ${fitted}` + stateNote;
  if (helperGone) {
    title += `; inline and delete self.${pf.helper}()`;
  }
  if (testStep) {
    title += "; delete test_step() (Keras's own calls call() then compute_loss())";
  }
  if (step.droppedLogs.length) {
    title += ` (fit() no longer logs ${step.droppedLogs.join(', ')})`;
  }
  return {
    edits: imp ? [...edits, imp] : edits,
    safe: false,
    title,
    besides: `${what} (in Keras 3 call() does, given the whole batch as x by fit())`
  };
}
