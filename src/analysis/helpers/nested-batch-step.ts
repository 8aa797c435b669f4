/**
 * A Keras 2 train_step unpacking a NESTED batch (datasets zipped together: keras.io consistency
 * training's `clean_ds, noisy_ds = data; clean_images, _ = clean_ds; noisy_images, y = noisy_ds`,
 * FixMatch's `(x_l, y_l), (x_u_weak, x_u_strong) = data`), rewritten for Keras 3's own step:
 *
 * - fit() would split such a batch into x, y and sample_weight, so the datasets given to fit()
 *   are mapped with `batch_as_x()`: the whole batch is x (the validation and evaluation data,
 *   plain `(x, y)` batches, are left as they are);
 * - call() tells the two apart by the batch's structure (a tuple of the unpacked length, with
 *   tuples where the step unpacked further): on a training batch it runs the step's forward part
 *   (the unpacking, the statements before the tape, the tape's statements up to its last layer
 *   call) and returns what the loss and the metric updates read; on other inputs it runs the
 *   test_step's forward pass (or the model's own call());
 * - compute_loss() computes the step's loss from those (the compiled loss as
 *   `super().compute_loss()`), with the tracker updates that followed the optimizer step; on an
 *   evaluation batch, the test_step's loss (none: zero) and tracker updates;
 * - compute_metrics() hands the compiled metrics what the step gave them;
 * - the step trained `self.<sub>.trainable_variables` only: the other sub-models the model calls
 *   are frozen (fit() trains every trainable variable);
 * - a step counter read from `self.optimizer.iterations` becomes a counter of the model's own
 *   (compute_loss() cannot read the optimizer's on JAX), incremented when training.
 * Checked by running keras.io consistency training and a FixMatch-like program on TensorFlow, JAX
 * and PyTorch (examples/runnable/). Anything else gets the advice of train-step-advice.ts.
 */
import { child, identifiersIn, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { lineStartAt } from '../text';
import { tfApiName } from './calls';
import {
  inner as expr,
  mapFitInputs,
  METRICS_COMPREHENSION,
  othersOf,
  removalEdits,
  statements as stmtsOf,
  type TrainStepRewrite
} from './train-step-rewrite';
import { classMethods as methodsOf } from './model-code';

function callsIn(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      out.push(n);
    }
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return out;
}

/** Identifiers an assignment binds (nested patterns included), or null for another statement. */
function bound(stmt: SyntaxNode, ctx: RuleContext): string[] | null {
  const e = expr(stmt);
  if (e.type !== 'assignment' && e.type !== 'augmented_assignment') {
    return null;
  }
  const left = child(e, 'left');
  return left ? identifiersIn(left).filter(n => !(n.parent?.type === 'attribute' || n.parent?.type === 'subscript')).map(n => ctx.textOf(n)) : null;
}

function reads(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])${name}\\b`).test(text);
}

/** The block's statements from `from` to `to` (comments between them kept), re-indented to `indent`. */
function linesOf(stmts: SyntaxNode[], ctx: RuleContext, indent: string, edits: OffsetEdit[] = []): string {
  const out: string[] = [];
  for (const s of stmts) {
    // Comments on their own lines just above the statement come with it.
    const comments: string[] = [];
    let prev = s.parent?.children[s.parent.children.indexOf(s) - 1];
    while (prev && prev.type === 'comment' && !ctx.text.slice(lineStartAt(ctx.text, prev.start), prev.start).trim()) {
      comments.unshift(ctx.textOf(prev));
      prev = prev.parent?.children[prev.parent.children.indexOf(prev) - 1];
    }
    const start = lineStartAt(ctx.text, s.start);
    const own = /^[ \t]*/.exec(ctx.text.slice(start))![0];
    const inside = edits.filter(e => e.start >= s.start && e.end <= s.end).sort((a, b) => b.start - a.start);
    let text = ctx.text.slice(s.start, s.end);
    for (const e of inside) {
      text = text.slice(0, e.start - s.start) + e.text + text.slice(e.end - s.start);
    }
    const body = text
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.startsWith(own) ? l.slice(own.length) : l.trimStart()))
      .map(l => (l.trim() ? indent + l : l))
      .join('\n');
    out.push(...comments.map(c => indent + c), body);
  }
  return out.join('\n');
}

/** `self.compiled_metrics.update_state(a, b)` (or its converted form `self.compute_metrics(None, a, b)`): [a, b]. */
function compiledMetricUpdate(stmt: SyntaxNode, ctx: RuleContext): string[] | null {
  const e = expr(stmt);
  if (e.type !== 'call') {
    return null;
  }
  const fn = ctx.textOf(child(e, 'function') ?? e).replace(/\s+/g, '');
  const args = (child(e, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
  if (args.some(a => a.type === 'keyword_argument')) {
    return null;
  }
  if (fn === 'self.compiled_metrics.update_state' && args.length === 2) {
    return args.map(a => ctx.textOf(a));
  }
  if (fn === 'self.compute_metrics' && args.length === 3 && args[0].type === 'none') {
    return args.slice(1).map(a => ctx.textOf(a));
  }
  return null;
}

/** `self.<tracker>.update_state(value)`: a metric the model holds, updated with a value. */
function trackerUpdate(stmt: SyntaxNode, ctx: RuleContext): boolean {
  const e = expr(stmt);
  return e.type === 'call' && /^self\.\w+\.update_state$/.test(ctx.textOf(child(e, 'function') ?? e).replace(/\s+/g, '')) && !compiledMetricUpdate(stmt, ctx);
}

/** `self.compiled_loss(a, b)` -> `super().compute_loss(x=None, y=a, y_pred=b)` edits (null when called otherwise). */
function compiledLossEdits(stmts: SyntaxNode[], ctx: RuleContext): OffsetEdit[] | null {
  const edits: OffsetEdit[] = [];
  for (const s of stmts) {
    for (const c of callsIn(s)) {
      if (ctx.textOf(child(c, 'function') ?? c).replace(/\s+/g, '') !== 'self.compiled_loss') {
        continue;
      }
      const args = (child(c, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
      if (args.length !== 2 || args.some(a => a.type === 'keyword_argument')) {
        return null;
      }
      edits.push({ start: c.start, end: c.end, text: `super().compute_loss(x=None, y=${ctx.textOf(args[0])}, y_pred=${ctx.textOf(args[1])})` });
    }
  }
  return edits;
}

/** Whether a call runs a layer of the model: `self(...)` or `self.<attr>(...)` for an attribute that is not a method, loss, metric or tracker. */
function layerCall(call: SyntaxNode, methods: Map<string, unknown>, ctx: RuleContext): boolean {
  const callee = ctx.textOf(child(call, 'function') ?? call).replace(/\s+/g, '');
  const attr = /^self\.(\w+)$/.exec(callee)?.[1];
  return callee === 'self' || (!!attr && !methods.has(attr) && !/loss|metric|tracker|optimizer/i.test(attr));
}

/**
 * The nested unpacking at the start of the step: the statements and the structure test of a
 * training batch (`isinstance(b, tuple) and len(b) == 2 and isinstance(b[0], tuple) ...`).
 */
function nestedUnpacking(body: SyntaxNode[], data: string, ctx: RuleContext): { stmts: SyntaxNode[]; test: (b: string) => string } | null {
  const first = body[0] ? expr(body[0]) : null;
  const left = first?.type === 'assignment' ? child(first, 'left') : null;
  if (!left || ctx.textOf(child(first!, 'right') ?? first!) !== data || !(left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    return null;
  }
  const parts = left.children.filter(c => c.type !== 'comment');
  if (!parts.every(p => p.type === 'identifier' || p.type === 'tuple_pattern' || p.type === 'list_pattern')) {
    return null;
  }
  const stmts = [body[0]];
  const nested = new Map<number, number>();
  parts.forEach((p, i) => {
    if (p.type !== 'identifier') {
      nested.set(i, p.children.filter(c => c.type !== 'comment').length);
    }
  });
  // Staged: `clean_ds, noisy_ds = data` then `clean_images, _ = clean_ds`.
  for (const s of body.slice(1)) {
    const e = expr(s);
    const l = e.type === 'assignment' ? child(e, 'left') : null;
    const r = e.type === 'assignment' ? child(e, 'right') : null;
    const i = r ? parts.findIndex(p => p.type === 'identifier' && ctx.textOf(p) === ctx.textOf(r)) : -1;
    if (!l || i < 0 || !(l.type === 'pattern_list' || l.type === 'tuple_pattern') || !l.children.every(c => c.type === 'identifier') || nested.has(i)) {
      break;
    }
    nested.set(i, l.children.length);
    stmts.push(s);
  }
  if (nested.size === 0) {
    return null;
  }
  const n = parts.length;
  return {
    stmts,
    test: b => [`isinstance(${b}, (tuple, list))`, `len(${b}) == ${n}`, ...[...nested].sort((a, c) => a[0] - c[0]).map(([i, k]) => `isinstance(${b}[${i}], (tuple, list)) and len(${b}[${i}]) == ${k}`)].join(' and ')
  };
}

/** The test_step's parts: `x, y = data`, a forward pass, loss lines, tracker updates, one compiled-metrics update, a return of every metric. */
interface EvalStep {
  xName: string;
  yName: string;
  forward: SyntaxNode[];
  pred: string;
  loss: SyntaxNode[];
  lossName: string | null;
  trackers: SyntaxNode[];
  metric: string[] | null;
}

function evalStep(def: SyntaxNode, methods: Map<string, unknown>, ctx: RuleContext): EvalStep | null {
  const params = (child(def, 'parameters')?.children ?? []).filter(c => c.type !== 'comment');
  if (params.length !== 2 || !params.every(p => p.type === 'identifier') || def.parent?.type === 'decorated_definition') {
    return null;
  }
  const data = ctx.textOf(params[1]);
  const body = stmtsOf(child(def, 'body'));
  const first = body[0] ? expr(body[0]) : null;
  const left = first?.type === 'assignment' ? child(first, 'left') : null;
  if (!left || ctx.textOf(child(first!, 'right') ?? first!) !== data || !(left.type === 'pattern_list' || left.type === 'tuple_pattern') || left.children.length !== 2 || !left.children.every(c => c.type === 'identifier')) {
    return null;
  }
  const [xName, yName] = left.children.map(c => ctx.textOf(c));
  const rest = body.slice(1);
  const ret = rest.pop();
  let returned = ret?.type === 'return_statement' ? ret.children[0] : null;
  if (returned && returned.type === 'identifier') {
    const name = ctx.textOf(returned);
    const made = rest.pop();
    const e = made ? expr(made) : null;
    if (!e || e.type !== 'assignment' || ctx.textOf(child(e, 'left') ?? e) !== name) {
      return null;
    }
    returned = child(e, 'right');
  }
  if (!returned || !METRICS_COMPREHENSION.test(ctx.textOf(returned).replace(/\s+/g, ' '))) {
    return null;
  }
  const lastLayer = rest.map(s => callsIn(s).some(c => layerCall(c, methods, ctx))).lastIndexOf(true);
  if (lastLayer < 0) {
    return null;
  }
  const forward = rest.slice(0, lastLayer + 1);
  const predNames = bound(forward[forward.length - 1], ctx);
  if (!predNames || predNames.length !== 1 || forward.some(s => !bound(s, ctx) || /\.update_state\(|compiled_loss/.test(ctx.textOf(s)))) {
    return null;
  }
  const after = rest.slice(lastLayer + 1);
  const loss: SyntaxNode[] = [];
  const trackers: SyntaxNode[] = [];
  let metric: string[] | null = null;
  for (const s of after) {
    const m = compiledMetricUpdate(s, ctx);
    if (m && !metric) {
      metric = m;
    } else if (trackerUpdate(s, ctx)) {
      trackers.push(s);
    } else if (bound(s, ctx)?.length === 1 && trackers.length === 0 && !callsIn(s).some(c => layerCall(c, methods, ctx))) {
      loss.push(s);
    } else {
      return null;
    }
  }
  const lossName = loss.length ? bound(loss[loss.length - 1], ctx)![0] : null;
  return { xName, yName, forward, pred: predNames[0], loss, lossName, trackers, metric };
}

/**
 * The rewrite of a train_step unpacking a nested batch, or null when the step is not of the form
 * this module handles (the caller then gives advice).
 */
export function rewriteNestedBatchStep(def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): TrainStepRewrite | null {
  const params = (child(def, 'parameters')?.children ?? []).filter(c => c.type !== 'comment');
  if (params.length !== 2 || !params.every(p => p.type === 'identifier') || def.parent?.type === 'decorated_definition') {
    return null;
  }
  const data = ctx.textOf(params[1]);
  const body = stmtsOf(child(def, 'body'));
  const unpack = nestedUnpacking(body, data, ctx);
  if (!unpack) {
    return null;
  }
  const methods = methodsOf(cls, ctx);
  if (['compute_loss', 'compute_metrics', 'make_train_function'].some(m => methods.has(m)) || identifiersIn(def).filter(n => ctx.textOf(n) === 'GradientTape').length !== 1) {
    return null;
  }
  const tape = body.find(s => s.type === 'with_statement' && /GradientTape/.test(ctx.textOf(s.children[0])));
  const clause = tape?.children[0];
  const tapeCall = clause ? callsIn(clause).find(c => tfApiName(ctx.resolve(child(c, 'function') ?? c)) === 'tf.GradientTape') : undefined;
  const alias = clause ? /^(?:\w+\.)*GradientTape\(\s*\)\s+as\s+(\w+)$/.exec(ctx.textOf(clause).replace(/^with\s+/, '').replace(/\s+/g, ' ').trim())?.[1] : undefined;
  if (!tape || !tapeCall || !alias) {
    return null;
  }
  const pre = body.slice(unpack.stmts.length, body.indexOf(tape));
  const tapeBody = stmtsOf(child(tape, 'body'));
  const post = body.slice(body.indexOf(tape) + 1);
  if ([...pre, ...tapeBody].some(s => !bound(s, ctx) || reads(ctx.textOf(s), alias))) {
    return null;
  }
  // After the tape: the gradient over one set of variables, applied by self.optimizer, metric updates, the return.
  let lossName: string | null = null;
  let grads: string | null = null;
  let trained: string | null = null;
  const varNames = new Map<string, string>();
  let applied = false;
  let metric: string[] | null = null;
  const trackers: SyntaxNode[] = [];
  const dropped: string[] = [];
  let resultsName: string | null = null;
  let done = false;
  const variables = (text: string): string | null => {
    const t = text.replace(/\s+/g, '');
    if (/^self\.trainable_(variables|weights)$/.test(t)) {
      return '';
    }
    return /^self\.(\w+)\.trainable_(variables|weights)$/.exec(t)?.[1] ?? varNames.get(t) ?? null;
  };
  for (const s of post) {
    const e = expr(s);
    const text = ctx.textOf(e).replace(/\s+/g, ' ');
    const left = e.type === 'assignment' ? child(e, 'left') : null;
    const right = e.type === 'assignment' ? child(e, 'right') : null;
    if (done) {
      return null;
    }
    if (left?.type === 'identifier' && right && variables(ctx.textOf(right)) !== null && !grads) {
      varNames.set(ctx.textOf(left), variables(ctx.textOf(right))!);
      continue;
    }
    const g = new RegExp(`^(\\w+) = ${alias}\\.gradient\\((\\w+), (.+)\\)$`).exec(text);
    if (g && !grads && variables(g[3]) !== null) {
      grads = g[1];
      lossName = g[2];
      trained = variables(g[3]);
      continue;
    }
    const a = /^self\.optimizer\.apply_gradients\(zip\((\w+), (.+)\)\)$/.exec(text);
    if (a && grads && a[1] === grads && variables(a[2]) === trained && !applied) {
      applied = true;
      continue;
    }
    const m = applied ? compiledMetricUpdate(s, ctx) : null;
    if (m && !metric) {
      metric = m;
      continue;
    }
    if (applied && trackerUpdate(s, ctx)) {
      trackers.push(s);
      continue;
    }
    if (applied && left?.type === 'identifier' && right && METRICS_COMPREHENSION.test(ctx.textOf(right).replace(/\s+/g, ' ')) && !resultsName) {
      resultsName = ctx.textOf(left);
      continue;
    }
    const upd = resultsName ? new RegExp(`^${resultsName}\\.update\\(\\{(.*)\\}\\)$`).exec(text) : null;
    if (upd) {
      for (const pair of upd[1].split(',')) {
        const key = /^\s*["'](\w+)["']\s*:/.exec(pair)?.[1];
        if (!key) {
          return null;
        }
        dropped.push(key);
      }
      continue;
    }
    if (s.type === 'return_statement' && applied) {
      const r = s.children[0] ? ctx.textOf(s.children[0]).replace(/\s+/g, ' ') : '';
      if (r === resultsName || METRICS_COMPREHENSION.test(r)) {
        done = true;
        continue;
      }
    }
    return null;
  }
  if (!done || !lossName || trained === null) {
    return null;
  }
  // Freeze what the step did not train; the statements before the tape must not run what it trains.
  let freeze: OffsetEdit[] = [];
  const frozen: string[] = [];
  if (trained) {
    const only = new RegExp(`^return self\\.${trained}\\(\\w+(, training=training)?\\)$`).test(stmtsOf(child(methods.get('call')?.def ?? def, 'body')).map(st => ctx.textOf(st).replace(/\s+/g, ' ')).join('\n'));
    const others = only ? null : othersOf([trained], cls, ctx);
    if (others && 'reason' in others) {
      return null;
    }
    if (others) {
      freeze = others.edits;
      frozen.push(...others.names);
    }
  }
  const trains = (s: SyntaxNode): boolean => callsIn(s).some(c => layerCall(c, methods, ctx) && (!trained || ctx.textOf(child(c, 'function') ?? c).replace(/\s+/g, '') === `self.${trained}`));
  if (pre.some(trains)) {
    return null;
  }
  // The forward part: up to the last layer call of the tape (or the last binding of what the compiled metrics get).
  const metricText = (metric ?? []).join(' ');
  const lastLayer = tapeBody.map(s => callsIn(s).some(c => layerCall(c, methods, ctx))).lastIndexOf(true);
  const lastMetric = tapeBody.map(s => (bound(s, ctx) ?? []).some(n => reads(metricText, n))).lastIndexOf(true);
  const cut = Math.max(lastLayer, lastMetric) + 1;
  const forward = [...unpack.stmts, ...pre, ...tapeBody.slice(0, cut)];
  const lossPart = tapeBody.slice(cut);
  if (lossPart.length === 0 || !(bound(lossPart[lossPart.length - 1], ctx) ?? []).includes(lossName) || lossPart.some(s => callsIn(s).some(c => layerCall(c, methods, ctx)))) {
    return null;
  }
  const forwardText = forward.map(s => ctx.textOf(s)).join('\n');
  if (/compiled_loss|\.update_state\(/.test(forwardText)) {
    return null;
  }
  const lossEdits = compiledLossEdits(lossPart, ctx);
  if (!lossEdits) {
    return null;
  }
  const later = [...lossPart.map(s => ctx.textOf(s)), ...trackers.map(s => ctx.textOf(s)), metricText].join('\n');
  // The unpacking and the statements before the tape that run no layer and read only what those
  // bind run again in compute_loss() and compute_metrics() from x (the labels, static sizes: a
  // size returned by call() would be a traced value on JAX); call() returns the rest.
  const forwardBound = new Set(forward.flatMap(st => bound(st, ctx) ?? []));
  const again: SyntaxNode[] = [];
  const againNames = new Set<string>();
  for (const st of [...unpack.stmts, ...pre]) {
    const right = child(expr(st), 'right');
    const rightText = right ? ctx.textOf(right) : ctx.textOf(st);
    const readsOthers = [...forwardBound].some(n => !againNames.has(n) && reads(rightText, n));
    if (unpack.stmts.includes(st) || (!readsOthers && !callsIn(st).some(c => layerCall(c, methods, ctx)))) {
      again.push(st);
      (bound(st, ctx) ?? []).forEach(n => againNames.add(n));
    }
  }
  const rebound = forward.filter(st => !again.includes(st)).some(st => (bound(st, ctx) ?? []).some(n => againNames.has(n)));
  if (rebound) {
    return null;
  }
  const names: string[] = [];
  const needed = new Set<string>();
  for (const st of forward) {
    for (const n of bound(st, ctx) ?? []) {
      if (n === '_' || !reads(later, n)) {
        continue;
      }
      if (againNames.has(n)) {
        needed.add(n);
      } else if (!names.includes(n)) {
        names.push(n);
      }
    }
  }
  // What compute_loss() and compute_metrics() run again: the statements binding what they read, with what those read.
  const closure = (wanted: Set<string>): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    for (const st of [...again].reverse()) {
      if ((bound(st, ctx) ?? []).some(n => wanted.has(n))) {
        out.unshift(st);
        const right = child(expr(st), 'right');
        againNames.forEach(n => right && reads(ctx.textOf(right), n) && wanted.add(n));
      }
    }
    return out;
  };
  const kept = closure(needed);
  const metricKept = closure(new Set([...againNames].filter(n => reads(metricText, n))));
  if (names.length === 0 || [...needed].some(n => /^(x|y_pred|sample_weight|training|self)$/.test(n))) {
    return null;
  }
  // Names compute_loss() and compute_metrics() receive must not be rebound by the step's code.
  const reserved = /^(x|y_pred|sample_weight|training|self)$/;
  if (names.some(n => reserved.test(n)) || lossPart.some(s => (bound(s, ctx) ?? []).some(n => reserved.test(n) || n === 'y'))) {
    return null;
  }

  // The evaluation path: the test_step's, or the model's own call() with Keras's default loss and metrics.
  const test = methods.get('test_step');
  const ev = test ? evalStep(test.def, methods, ctx) : null;
  if (test && !ev) {
    return null;
  }
  const ownCall = methods.get('call');
  const callParams = ownCall ? (child(ownCall.def, 'parameters')?.children ?? []).filter(c => c.type !== 'comment') : [];
  if (ownCall && (callParams.length < 2 || callParams[1].type !== 'identifier' || ownCall.outer !== ownCall.def)) {
    return null;
  }
  if (!ownCall && !ev) {
    return null;
  }
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const indent = /^[ \t]*/.exec(ctx.text.slice(lineStartAt(ctx.text, outer.start)))![0];
  const unit = '    ';
  const i1 = indent + unit;
  const i2 = i1 + unit;
  const trainingEdits = (stmts: SyntaxNode[]): OffsetEdit[] =>
    stmts.flatMap(s =>
      callsIn(s)
        .filter(c => layerCall(c, methods, ctx))
        .flatMap(c => (child(c, 'arguments')?.children ?? []).filter(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === 'training' && ctx.textOf(child(a, 'value') ?? a) === 'True'))
        .map(a => ({ start: child(a, 'value')!.start, end: child(a, 'value')!.end, text: 'training' }))
    );
  const isTrain = unpack.test;

  // A step counter of the model's own for self.optimizer.iterations.
  const counter = readsIterations(def, cls, methods, ctx);
  if (counter === 'elsewhere') {
    return null;
  }
  let counterName = '';
  const extra: OffsetEdit[] = [];
  if (counter) {
    counterName = ['steps', 'train_steps', 'step_counter'].find(n => !new RegExp(`\\bself\\.${n}\\b`).test(ctx.textOf(cls)))!;
    const init = methods.get('__init__');
    const superInit = init ? stmtsOf(child(init.def, 'body')).find(s => /^super\b[\s\S]*\.__init__\s*\(/.test(ctx.textOf(s))) : undefined;
    if (!superInit || counter.some(n => n.start < superInit.start && n.end > superInit.end)) {
      return null;
    }
    const at = /^[ \t]*/.exec(ctx.text.slice(lineStartAt(ctx.text, superInit.start)))![0];
    extra.push({ start: superInit.end, end: superInit.end, text: `\n${at}# The step count the loss reads (compute_loss() cannot read self.optimizer.iterations on JAX).\n${at}self.${counterName} = keras.Variable(0, dtype="int64", trainable=False, name="${counterName}")` });
    for (const n of counter) {
      if (!(n.start >= def.start && n.end <= def.end)) {
        extra.push({ start: n.start, end: n.end, text: `self.${counterName}` });
      }
    }
  }
  const counterEdits: OffsetEdit[] = counter ? counter.filter(n => n.start >= def.start && n.end <= def.end).map(n => ({ start: n.start, end: n.end, text: `self.${counterName}` })) : [];
  // call()
  const inputsName = ownCall ? ctx.textOf(callParams[1]) : 'inputs';
  let text = `def call(self, ${inputsName}, training=False):\n`;
  text += `${i1}if ${isTrain(inputsName)}:\n`;
  text += `${i2}# The whole zipped batch (batch_as_x() makes it fit()'s x): the train_step's forward pass.\n`;
  text += `${i2}${data} = ${inputsName}\n`;
  text += linesOf(forward, ctx, i2, [...trainingEdits(forward), ...counterEdits]) + '\n';
  text += `${i2}return ${names.join(', ')}${names.length === 1 ? ',' : ''}\n`;
  if (ownCall) {
    const ownBody = stmtsOf(child(ownCall.def, 'body')).filter(s => !(s.type === 'expression_statement' && s.children[0]?.type === 'string'));
    if (ev) {
      // The test_step's forward pass must be the model's call() (what Keras's test_step runs).
      const norm = (t: string, param: string): string => t.replace(/\s+/g, '').replace(/,?training=\w+/g, '').replace(new RegExp(`\\b${param}\\b`, 'g'), '_in_');
      const evForward = ev.forward.length === 1 ? ctx.textOf(child(expr(ev.forward[0]), 'right') ?? ev.forward[0]) : null;
      const ret = ownBody.length === 1 && ownBody[0].type === 'return_statement' ? ctx.textOf(ownBody[0].children[0] ?? ownBody[0]) : null;
      if (!evForward || !ret || norm(evForward, ev.xName) !== norm(ret, inputsName)) {
        return null;
      }
    }
    text += linesOf(ownBody, ctx, i1);
  } else {
    text += `${i1}${ev!.xName} = ${inputsName}\n`;
    text += linesOf(ev!.forward, ctx, i1, ev!.forward.flatMap(s => callsIn(s).flatMap(c => (child(c, 'arguments')?.children ?? []).filter(a => a.type === 'keyword_argument' && ctx.textOf(child(a, 'name') ?? a) === 'training').map(a => ({ start: child(a, 'value')!.start, end: child(a, 'value')!.end, text: 'training' }))))) + '\n';
    text += `${i1}return ${ev!.pred}`;
  }

  const rerunOf = (stmts: SyntaxNode[]): string => (stmts.length ? (stmts.some(st => reads(ctx.textOf(st), data)) ? `${i2}${data} = x\n` : '') + linesOf(stmts, ctx, i2, counterEdits) + '\n' : '');
  const rerun = rerunOf(kept);
  text += `\n\n${indent}def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n`;
  text += `${i1}if ${isTrain('x')}:\n`;
  text += `${i2}${names.join(', ')}${names.length === 1 ? ',' : ''} = y_pred\n`;
  text += rerun;
  text += linesOf(lossPart, ctx, i2, [...lossEdits, ...counterEdits]) + '\n';
  if (trackers.length) {
    text += linesOf(trackers, ctx, i2) + '\n';
  }
  if (counter) {
    text += `${i2}if training:\n${i2}${unit}self.${counterName}.assign_add(1)\n`;
  }
  text += `${i2}return ${lossName}\n`;
  if (ev) {
    if (ev.pred !== 'y_pred' && [...ev.loss, ...ev.trackers].some(st => reads(ctx.textOf(st), ev.pred))) {
      text += `${i1}${ev.pred} = y_pred\n`;
    }
    if (ev.yName !== 'y' && (ev.loss.length || ev.trackers.length)) {
      text += `${i1}${ev.yName} = y\n`;
    }
    const evLoss = compiledLossEdits(ev.loss, ctx);
    if (!evLoss) {
      return null;
    }
    if (ev.loss.length) {
      text += linesOf(ev.loss, ctx, i1, evLoss) + '\n';
    }
    if (ev.trackers.length) {
      text += linesOf(ev.trackers, ctx, i1) + '\n';
    }
    text += ev.lossName ? `${i1}return ${ev.lossName}` : `${i1}# The Keras 2 test_step computed no loss.\n${i1}return keras.ops.zeros(())`;
  } else {
    text += `${i1}return super().compute_loss(x, y, y_pred, sample_weight, training=training)`;
  }

  // compute_metrics()
  text += `\n\n${indent}def compute_metrics(self, x, y, y_pred, sample_weight=None):\n`;
  text += `${i1}if ${isTrain('x')}:\n`;
  const metricRerun = rerunOf(metricKept);
  text += metric ? `${i2}${names.join(', ')}${names.length === 1 ? ',' : ''} = y_pred\n${metricRerun}${i2}return super().compute_metrics(x, ${metric.join(', ')})\n` : `${i2}return self.get_metrics_result()\n`;
  if (ev) {
    if (ev.metric) {
      text += ev.pred !== 'y_pred' ? `${i1}${ev.pred} = y_pred\n` : '';
      text += ev.yName !== 'y' ? `${i1}${ev.yName} = y\n` : '';
      text += `${i1}return super().compute_metrics(x, ${ev.metric.join(', ')})`;
    } else {
      text += `${i1}return self.get_metrics_result()`;
    }
  } else {
    text += `${i1}return super().compute_metrics(x, y, y_pred, sample_weight)`;
  }

  const removed = [outer, ...(test ? [test.outer] : []), ...(ownCall ? [ownCall.outer] : [])].sort((a, b) => a.start - b.start);
  // The new methods replace the first of those removed.
  const className = ctx.textOf(child(cls, 'name') ?? cls);
  const fnName = /\bbatch_as_x\b/.test(ctx.text) ? `batch_as_x_for_${className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}` : 'batch_as_x';
  const mapping = mapFitInputs(cls, fnName, ctx, true);
  if ('reason' in mapping) {
    return null;
  }
  const fnText =
    `def ${fnName}(*batch):\n` +
    `    """The whole batch as x for Keras 3's fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of ${className} took it."""\n` +
    `    return (batch if len(batch) > 1 else batch[0],)\n\n\n`;
  const edits = [...removalEdits(cls, removed, ctx, text), ...freeze, ...extra, ...mapping.edits, mapping.before(fnText)];
  const imp = ctx.kerasImportEdit();
  let title = `Move the step into call() and compute_loss() (call() runs the forward pass on the whole zipped batch, made fit()'s x by \`${fnName}()\` mapped over the data given to fit(), and ${ownCall ? 'its own' : "the test_step's"} on other inputs; compute_loss() computes the loss${trackers.length ? ' and updates the trackers' : ''}${metric ? '; compute_metrics() gives the compiled metrics what the step gave them' : ''})`;
  if (test) {
    title += "; delete test_step() (Keras's own calls call(), compute_loss() and compute_metrics())";
  }
  if (frozen.length) {
    title += `; freeze ${frozen.map(f => `self.${f}`).join(', ')} (the Keras 2 train_step did not train ${frozen.length > 1 ? 'them' : 'it'})`;
  }
  if (counter) {
    title += `; count the steps in \`self.${counterName}\` (read instead of self.optimizer.iterations)`;
  }
  if (dropped.length) {
    title += ` (fit() no longer logs ${dropped.join(', ')})`;
  }
  return {
    edits: imp ? [...edits, imp] : edits,
    safe: false,
    title,
    message: `\`tf.GradientTape\` in \`train_step()\` ties training to TensorFlow; the step unpacks a nested batch (datasets zipped together), which Keras 3's fit() would split into x, y and sample_weight: make the whole batch fit()'s x, run the forward pass in call() and the loss in \`compute_loss()\` (\`fit()\` then runs the step on every backend).`
  };
}

/** The `self.optimizer.iterations` nodes in the step and the methods it calls (null when none). */
function readsIterations(def: SyntaxNode, cls: SyntaxNode, methods: Map<string, { def: SyntaxNode; outer: SyntaxNode }>, ctx: RuleContext): SyntaxNode[] | 'elsewhere' | null {
  const called = new Set([...ctx.textOf(def).matchAll(/\bself\.(\w+)\s*\(/g)].map(m => m[1]));
  const scopes = [def, ...[...methods].filter(([n]) => called.has(n)).map(([, m]) => m.def)];
  const out: SyntaxNode[] = [];
  for (const scope of scopes) {
    const stack = [scope];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'attribute' && ctx.textOf(n).replace(/\s+/g, '') === 'self.optimizer.iterations') {
        out.push(n);
        continue;
      }
      stack.push(...n.children);
    }
  }
  // Read anywhere else in the class: the counter would not stand for it there.
  const all = ctx.textOf(cls).match(/\bself\.optimizer\.iterations\b/g)?.length ?? 0;
  if (all === 0) {
    return null;
  }
  return all === out.length ? out : 'elsewhere';
}
