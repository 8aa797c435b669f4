/** Shared helpers for rules: call anatomy, literals, contexts, edits. Not a rule. */
import { child, SyntaxNode } from './ast';
import { FUNCTION_LAYERS, kerasOpNamed, MODEL_FUNCTION_KEYWORDS, tfOp, type CallRewrite, type OpMapping } from './knowledge';
import type { FunctionScope, OffsetEdit, RawFix, RuleContext } from './rule';

export interface CallParts {
  fn: SyntaxNode;
  args: SyntaxNode | null;
  positional: SyntaxNode[];
  keywords: Map<string, { node: SyntaxNode; name: SyntaxNode; value: SyntaxNode }>;
  /** `*args` or `**kwargs` present: the argument list cannot be reasoned about fully. */
  splat: boolean;
}

/**
 * A rule's `calls.resolved` when its call visitor looks only at Keras callees
 * (`ctx.resolveKeras(fn)` not null): every such name starts with one of these.
 */
export const KERAS_CALLEES: readonly string[] = ['keras', 'tensorflow.'];

/** Call anatomy, computed once per call node and shared by every rule. */
export function callParts(call: SyntaxNode, ctx: RuleContext): CallParts | null {
  if (call.memo !== undefined) {
    return call.memo as CallParts | null;
  }
  const parts = computeCallParts(call, ctx);
  call.memo = parts;
  return parts;
}

/** The keywords of every call that has none: one shared map, never modified (most calls have no keywords). */
const NO_KEYWORDS: CallParts['keywords'] = new Map();

function computeCallParts(call: SyntaxNode, ctx: RuleContext): CallParts | null {
  const fn = child(call, 'function');
  if (!fn) {
    return null;
  }
  const args = child(call, 'arguments');
  const positional: SyntaxNode[] = [];
  let keywords = NO_KEYWORDS;
  let splat = false;
  if (args && args.type === 'argument_list') {
    for (const a of args.children) {
      if (a.type === 'keyword_argument') {
        const name = child(a, 'name');
        const value = child(a, 'value');
        if (name && value) {
          if (keywords === NO_KEYWORDS) {
            keywords = new Map();
          }
          keywords.set(ctx.textOf(name), { node: a, name, value });
        }
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        splat = true;
      } else if (a.type !== 'comment') {
        positional.push(a);
      }
    }
  } else if (args) {
    positional.push(args); // generator expression argument
  }
  return { fn, args, positional, keywords, splat };
}

/** The value of a plain string literal (no f-string fields, no implicit concatenation). */
export function stringValue(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (!node || node.type !== 'string') {
    return null;
  }
  const text = ctx.textOf(node);
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!m || /[fF]/.test(m[1])) {
    return null;
  }
  return m[3];
}

/**
 * The string a path argument holds: a literal, or a name whose last assignment earlier in the
 * same cell is a plain literal (`MODEL_DIR = "saved/model"` ... `model.save(MODEL_DIR)`).
 * Anything else (f-strings, joins, other cells) is unknown.
 */
export function pathValue(node: SyntaxNode | null | undefined, ctx: RuleContext): string | null {
  if (!node) {
    return null;
  }
  if (node.type !== 'identifier') {
    return stringValue(node, ctx);
  }
  const name = ctx.textOf(node);
  // A parameter or local of an enclosing function: only assignments inside that function count.
  let from = 0;
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.locals.has(name)) {
      from = fn.node.start;
      break;
    }
  }
  const before = ctx.text.slice(0, node.start);
  const assignment = new RegExp(`^[ \\t]*${name}[ \\t]*(\\*\\*|//|>>|<<|[-+*/%@&|^])?=(?!=)[ \\t]*(.*)$`, 'gm');
  let last: string | null = null;
  for (const m of before.matchAll(assignment)) {
    if (m.index !== undefined && m.index >= from) {
      last = m[1] ? '' : m[2]; // `x += ...` makes the value unknown
    }
  }
  if (last === null) {
    return null;
  }
  const literal = /^([rR]?)('|")([^'"\\\n]*)\2[ \t]*(#.*)?$/.exec(last.trimEnd());
  return literal ? literal[3] : null;
}

/** The last identifier of a dotted callee: `Dense` for `keras.layers.Dense`, `save` for `m.save`. */
export function calleeName(fn: SyntaxNode, ctx: RuleContext): string {
  if (fn.type === 'identifier') {
    return ctx.textOf(fn);
  }
  if (fn.type === 'attribute') {
    const attr = child(fn, 'attribute');
    return attr ? ctx.textOf(attr) : '';
  }
  return '';
}

/** Edit that removes a keyword argument together with one neighbouring comma. */
export function removeArgument(arg: SyntaxNode, ctx: RuleContext): OffsetEdit {
  const text = ctx.text;
  let start = arg.start;
  let end = arg.end;
  const after = /^\s*,[ \t]*/.exec(text.slice(end));
  if (after) {
    end += after[0].length;
  } else {
    const before = /,\s*$/.exec(text.slice(Math.max(0, start - 200), start));
    if (before) {
      start -= before[0].length;
    }
  }
  return { start, end, text: '' };
}

/** Edit that appends `text` (e.g. `from_logits=True`) as the last argument of a call. */
export function appendArgument(args: SyntaxNode, addition: string, ctx: RuleContext, removed: readonly SyntaxNode[] = []): OffsetEdit {
  const inner = ctx.text.slice(args.start + 1, args.end - 1);
  const closing = args.end - 1;
  const kept = args.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')' && c.type !== 'comment' && !removed.includes(c));
  if (inner.trim() === '' || kept.length === 0) {
    return { start: closing, end: closing, text: addition };
  }
  const trailingComma = /,\s*$/.test(inner);
  // Insert right after the last argument that stays, before any trailing comma/whitespace.
  const last = kept[kept.length - 1];
  const at = last ? last.end : closing;
  return { start: at, end: at, text: trailingComma ? `, ${addition}` : `, ${addition}` };
}

/** Whether the innermost function is a method of a Keras Layer/Model subclass (or nested in one). */
export function inKerasClassMethod(ctx: RuleContext): boolean {
  const fn = ctx.fn;
  if (!fn) {
    return false;
  }
  return ctx.cls !== null && ctx.cls.keras !== null && ctx.cls.node.start <= fn.node.start && fn.node.end <= ctx.cls.node.end;
}

/** The method of a Keras class the node is in (`call`, `build`, ...), or null. */
export function kerasMethodName(ctx: RuleContext): string | null {
  let fn = ctx.fn;
  if (!fn || !ctx.cls || ctx.cls.keras === null) {
    return null;
  }
  // Walk out to the function directly in the class body.
  while (fn && !fn.classScope) {
    fn = ctx.outerFunction(fn);
  }
  return fn && fn.classScope === ctx.cls ? fn.name : null;
}

const Y_TRUE = /^y_?true$/i;
const Y_PRED = /^y_?pred$/i;

/** Loss/metric functions are recognised by their conventional parameters (`y_true, y_pred`, `yTrue, yPred`). */
export function inLossFunction(ctx: RuleContext): boolean {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.locals.has('y_true') && fn.locals.has('y_pred')) {
      return true;
    }
    const params = [...fn.locals.keys()];
    if (params.some(p => Y_TRUE.test(p)) && params.some(p => Y_PRED.test(p))) {
      return true;
    }
  }
  return false;
}

/** Identifiers in a function-valued argument: `f`, `[f, g]`, `{"out": f}`. */
function functionNames(value: SyntaxNode, ctx: RuleContext, out: string[]): void {
  if (value.type === 'identifier') {
    out.push(ctx.textOf(value));
  } else if (value.type === 'list' || value.type === 'tuple' || value.type === 'dictionary') {
    for (const c of value.children) {
      const item = c.type === 'pair' ? child(c, 'value') : c;
      if (item && item.type === 'identifier') {
        out.push(ctx.textOf(item));
      }
    }
  }
}

/**
 * Names of functions a call hands to Keras to run on backend tensors: the function of a
 * `Lambda`/`Activation` layer, `compile(loss=, metrics=)` (also positionally), and
 * activation, regularizer, constraint and initializer arguments.
 */
export function modelFunctionArguments(parts: CallParts, ctx: RuleContext): string[] {
  const out: string[] = [];
  for (const [name, kw] of parts.keywords) {
    if (MODEL_FUNCTION_KEYWORDS.test(name)) {
      functionNames(kw.value, ctx, out);
    }
  }
  const first = parts.positional[0];
  if (first) {
    const keras = ctx.resolveKeras(parts.fn);
    if (keras && FUNCTION_LAYERS.has(keras)) {
      functionNames(first, ctx, out);
    }
  }
  if (calleeName(parts.fn, ctx) === 'compile' && parts.fn.type === 'attribute') {
    parts.positional.slice(1, 3).forEach(arg => functionNames(arg, ctx, out));
  }
  return out;
}

/** Whether a lambda is a function Keras runs on tensors: a Lambda layer's, or a loss/activation/... argument. */
function isModelLambda(fn: FunctionScope, ctx: RuleContext): boolean {
  const known = modelLambdas.get(fn);
  if (known !== undefined) {
    return known;
  }
  let result = false;
  let arg: SyntaxNode = fn.node;
  let p = arg.parent;
  if (p && p.type === 'keyword_argument') {
    const name = child(p, 'name');
    result = name !== null && MODEL_FUNCTION_KEYWORDS.test(ctx.textOf(name));
    arg = p;
    p = p.parent;
  }
  if (!result && p && p.type === 'argument_list' && p.parent && p.parent.type === 'call') {
    const fnNode = child(p.parent, 'function');
    const keras = fnNode ? ctx.resolveKeras(fnNode) : null;
    result = keras !== null && FUNCTION_LAYERS.has(keras);
  }
  modelLambdas.set(fn, result);
  return result;
}

const modelLambdas = new WeakMap<FunctionScope, boolean>();

/** Inside a lambda given to a `Lambda(...)` layer (or as a loss, activation, ... argument). */
export function inLambdaLayer(_node: SyntaxNode, ctx: RuleContext): boolean {
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.name === '<lambda>' && isModelLambda(fn, ctx)) {
      return true;
    }
  }
  return false;
}

/**
 * A notebook-level function installed as a method of a Keras class in the same cell
 * (`def call(self, inputs): ...` then `FeedBack.call = call`, as TensorFlow tutorials do).
 */
export function inPatchedMethod(ctx: RuleContext): boolean {
  let outer = ctx.fn;
  while (outer && ctx.outerFunction(outer)) {
    outer = ctx.outerFunction(outer);
  }
  if (!outer || outer.classScope || outer.name === '<lambda>' || !outer.name) {
    return false;
  }
  // Asked for every TF call in the function: decided once per function.
  const known = patchedMethods.get(outer);
  if (known !== undefined) {
    return known;
  }
  let patched = false;
  const pattern = new RegExp(`^[ \\t]*(\\w+)\\.(\\w+)[ \\t]*=[ \\t]*${outer.name}[ \\t]*(#.*)?$`, 'gm');
  for (const m of ctx.text.slice(outer.node.end).matchAll(pattern)) {
    const cls = ctx.lookup(m[1]);
    if (cls && cls.kind === 'class' && cls.keras !== null) {
      patched = true;
      break;
    }
  }
  patchedMethods.set(outer, patched);
  return patched;
}

const patchedMethods = new WeakMap<FunctionScope, boolean>();

/** Code that runs on the backend's tensors: Keras layer/model methods, losses, metrics, Lambda layers. */
export function inModelCode(node: SyntaxNode, ctx: RuleContext): boolean {
  return inKerasClassMethod(ctx) || inLossFunction(ctx) || inLambdaLayer(node, ctx) || inPatchedMethod(ctx);
}

/**
 * Whether code runs on backend tensors: true for model code, `model:NAME` when it is in the
 * notebook function NAME, whose being model code other cells may decide (a finding there is
 * reported with that condition), null otherwise.
 */
export function modelCodeCondition(node: SyntaxNode, ctx: RuleContext): true | string | null {
  if (inModelCode(node, ctx)) {
    return true;
  }
  const outer = ctx.notebookFunction();
  return outer ? 'model:' + outer.name : null;
}

/** A dotted `tensorflow.X` name that is a TF API (not tf.keras, not tf.data). */
export function tfApiName(canonical: string | null): string | null {
  if (!canonical || !canonical.startsWith('tensorflow.')) {
    return null;
  }
  if (/^tensorflow\.(python\.)?keras(\.|$)/.test(canonical)) {
    return null;
  }
  return 'tf.' + canonical.slice('tensorflow.'.length);
}

/** Where `keras.X` can be written: adds the `import keras` edit when the notebook lacks one. */
export function withKerasImport(ctx: RuleContext, edits: OffsetEdit[]): OffsetEdit[] {
  const imp = ctx.kerasImportEdit();
  return imp ? [...edits, imp] : edits;
}

const TF_DTYPE = /^tensorflow\.(float16|float32|float64|bfloat16|int8|int16|int32|int64|uint8|uint16|uint32|uint64|bool|complex64|complex128|string)$/;

/** Keywords that mean the same in TF and keras.ops calls. */
const SAME_NAMED = new Set(['axis', 'keepdims', 'dtype']);

function isCallableTarget(target: string | null): target is string {
  return target !== null && /^keras\.[\w.]+$/.test(target) && !/\.[A-Z]\w*$/.test(target);
}

/** A rewrite of a call, or why none is offered (an argument the Keras function has no counterpart for). */
export interface CallConversion {
  fix: RawFix | null;
  /** The TF arguments that cannot be written for the Keras function (`output_type=`, `beta`), when that is why there is no fix. */
  unmapped: string | null;
}

/**
 * Builds the rewrite of a call to `target`, renaming keywords; `safe` only when the mapping is
 * safe and this particular call satisfies its conditions. With the signatures of both sides
 * (`tfParams`, `kerasParams`) every argument is placed by meaning: positional arguments whose
 * position differs become keywords, TF-only hints are dropped, boolean flags become wrappers,
 * and a call with an argument the Keras function cannot take gets no rewrite at all (it would
 * raise a TypeError).
 */
export function convertCall(parts: CallParts, target: string | null, mapping: CallRewrite, ctx: RuleContext): CallConversion {
  if (!isCallableTarget(target)) {
    return { fix: null, unmapped: null };
  }
  if (!mapping.tfParams || !mapping.kerasParams) {
    return { fix: rewriteCall(parts, target, mapping, ctx), unmapped: null };
  }
  if (parts.splat) {
    return { fix: null, unmapped: '`*args`/`**kwargs`' };
  }
  const tfParams = mapping.tfParams;
  const kerasParams = mapping.kerasParams;
  const tfVarargs = tfParams.findIndex(p => p.startsWith('*') && !p.startsWith('**'));
  const kerasVarargs = kerasParams.findIndex(p => p.startsWith('*') && !p.startsWith('**'));
  const unmapped: string[] = [];
  let safe = mapping.safe || (mapping.safeWhenIndexed === true && isIndexedByInteger(parts.fn.parent, ctx));
  /** Per argument value: text written before and after it, or a replacement. */
  const around = new Map<SyntaxNode, { before: string; after: string; replace?: string }>();
  const wrap = (node: SyntaxNode, before: string, after: string): void => {
    const a = around.get(node) ?? { before: '', after: '' };
    a.before = a.before + before;
    a.after = after + a.after;
    around.set(node, a);
  };
  const removed: SyntaxNode[] = [];
  const renamed: OffsetEdit[] = [];
  /** The value passed for each TF parameter, and the Keras names the call ends up passing. */
  const byTfName = new Map<string, SyntaxNode>();
  const passed = new Set<string>();
  const wraps: Array<[string, SyntaxNode]> = [];
  const kerasNameOf = (tfName: string): string | 'drop' | 'wrap' | null => {
    if (tfName === 'name' || mapping.dropParams?.includes(tfName)) {
      return 'drop';
    }
    if (mapping.booleanWraps?.[tfName]) {
      return 'wrap';
    }
    const renamedTo = mapping.renames[tfName];
    if (renamedTo !== undefined) {
      return kerasParams.includes(renamedTo) ? renamedTo : null;
    }
    return kerasParams.includes(tfName) && !tfName.startsWith('*') ? tfName : null;
  };
  // Positional arguments, in order: they stay positional while the Keras position matches.
  let keywordsFrom = false;
  let outPosition = 0;
  for (let i = 0; i < parts.positional.length; i++) {
    const node = parts.positional[i];
    if (tfVarargs >= 0 && i >= tfVarargs) {
      if (kerasVarargs !== tfVarargs || keywordsFrom || outPosition !== i) {
        unmapped.push(`argument ${i + 1}`);
      }
      outPosition++;
      continue;
    }
    const tfName = i < tfParams.length && !tfParams[i].startsWith('*') ? tfParams[i] : null;
    if (tfName === null) {
      unmapped.push(`argument ${i + 1}`);
      continue;
    }
    byTfName.set(tfName, node);
    const kerasName = kerasNameOf(tfName);
    if (kerasName === null) {
      unmapped.push(`\`${tfName}\` (argument ${i + 1})`);
    } else if (kerasName === 'drop') {
      removed.push(node);
    } else if (kerasName === 'wrap') {
      wraps.push([tfName, node]);
      removed.push(node);
    } else {
      passed.add(kerasName);
      if (!keywordsFrom && kerasParams.indexOf(kerasName) === outPosition) {
        outPosition++;
      } else {
        keywordsFrom = true;
        wrap(node, `${kerasName}=`, '');
      }
    }
  }
  for (const [name, kw] of parts.keywords) {
    byTfName.set(name, kw.value);
    const kerasName = kerasNameOf(name);
    if (kerasName === null) {
      unmapped.push(`\`${name}=\``);
    } else if (kerasName === 'drop') {
      removed.push(kw.node);
    } else if (kerasName === 'wrap') {
      wraps.push([name, kw.value]);
      removed.push(kw.node);
    } else {
      passed.add(kerasName);
      if (kerasName !== name) {
        renamed.push({ start: kw.name.start, end: kw.name.end, text: kerasName });
      }
    }
  }
  // `transpose_b=True`: the flag goes, its operand is wrapped; only literal flags can be mapped.
  for (const [flag, value] of wraps) {
    const [operand, template] = mapping.booleanWraps![flag];
    const literal = ctx.textOf(value);
    const target = byTfName.get(operand);
    if (literal === 'False') {
      continue;
    }
    if (literal !== 'True' || !target) {
      unmapped.push(`\`${flag}=${literal.length > 20 ? '...' : literal}\``);
      continue;
    }
    const [before, after] = template.split('{}');
    wrap(target, before, after);
  }
  if (unmapped.length) {
    return { fix: null, unmapped: unmapped.join(', ') };
  }
  for (const [name, values] of Object.entries(mapping.unsafeValues ?? {})) {
    const value = byTfName.get(name);
    if (value && values.includes(ctx.textOf(value))) {
      safe = false;
    }
  }
  if (mapping.forbidKwargs?.some(k => byTfName.has(k))) {
    safe = false;
  }
  if (mapping.requireArgs?.some(([name]) => !byTfName.has(name))) {
    safe = false;
  }
  if (mapping.requireKwargs?.some(k => !byTfName.has(k))) {
    safe = false;
  }
  if (mapping.minPositional !== undefined && parts.positional.length < mapping.minPositional) {
    safe = false;
  }
  // `tf.float32` as an argument becomes the dtype string every backend understands.
  for (const arg of [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)]) {
    const dtype = arg.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(arg) ?? '') : null;
    if (dtype) {
      const a = around.get(arg) ?? { before: '', after: '' };
      a.replace = `"${dtype[1]}"`;
      around.set(arg, a);
    }
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: target }, ...renamed];
  for (const [node, a] of around) {
    if (a.replace !== undefined) {
      edits.push({ start: node.start, end: node.end, text: a.before + a.replace + a.after });
    } else {
      if (a.before) {
        edits.push({ start: node.start, end: node.start, text: a.before });
      }
      if (a.after) {
        edits.push({ start: node.end, end: node.end, text: a.after });
      }
    }
  }
  if (parts.args) {
    edits.push(...removeArguments(parts.args, removed));
    for (const [k, v] of Object.entries(mapping.addKwargs ?? {})) {
      if (!passed.has(k)) {
        edits.push(appendArgument(parts.args, `${k}=${v}`, ctx, removed));
      }
    }
  }
  return { fix: { title: `Use \`${target}\``, safe, edits: withKerasImport(ctx, edits) }, unmapped: null };
}

/** What a TF call in model code is and how it converts: shared by the rules that report TF ops. */
export interface TfOpCall {
  /** `tf.x` as written canonically. */
  name: string;
  mapping: OpMapping | undefined;
  /** The keras function to use (the table's, else the keras.ops function of the same name), or null. */
  target: string | null;
  conversion: CallConversion;
}

/** The TF op a call makes and its conversion (once per call node), or null for anything else. */
export function tfOpCall(node: SyntaxNode, ctx: RuleContext): TfOpCall | null {
  // Per walk: the answer depends on the bindings the cell is analysed under.
  let memo = tfOpCalls.get(ctx);
  if (!memo) {
    memo = new Map();
    tfOpCalls.set(ctx, memo);
  }
  const known = memo.get(node);
  if (known !== undefined) {
    return known;
  }
  const parts = callParts(node, ctx);
  const canonical = parts ? ctx.resolve(parts.fn) : null;
  const name = tfApiName(canonical);
  let result: TfOpCall | null = null;
  if (parts && name && !name.startsWith('tf.data.')) {
    const mapping = tfOp(canonical!);
    const target = mapping?.keras ?? kerasOpNamed(name);
    const conversion = mapping ? convertCall(parts, target, mapping, ctx) : { fix: null, unmapped: null };
    result = { name, mapping, target, conversion };
  }
  memo.set(node, result);
  return result;
}

const tfOpCalls = new WeakMap<RuleContext, Map<SyntaxNode, TfOpCall | null>>();

/** Whether a call's result is subscripted with an integer literal: `tf.shape(x)[0]`, `[-1]`. */
function isIndexedByInteger(call: SyntaxNode | null, ctx: RuleContext): boolean {
  const sub = call?.parent;
  if (!call || !sub || sub.type !== 'subscript' || child(sub, 'value') !== call) {
    return false;
  }
  const index = sub.children.filter(c => c !== call && c.type !== '[' && c.type !== ']' && c.type !== 'comment');
  return index.length === 1 && /^-?\s*\d+$/.test(ctx.textOf(index[0]));
}

/** Edits that remove the given arguments of a call, each run of neighbours with its commas. */
function removeArguments(args: SyntaxNode, removed: SyntaxNode[]): OffsetEdit[] {
  if (removed.length === 0) {
    return [];
  }
  const gone = new Set(removed);
  const items = args.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')' && c.type !== 'comment');
  const edits: OffsetEdit[] = [];
  for (let i = 0; i < items.length; ) {
    if (!gone.has(items[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < items.length && gone.has(items[j + 1])) {
      j++;
    }
    if (j + 1 < items.length) {
      edits.push({ start: items[i].start, end: items[j + 1].start, text: '' });
    } else if (i > 0) {
      edits.push({ start: items[i - 1].end, end: items[j].end, text: '' });
    } else {
      edits.push({ start: items[i].start, end: items[j].end, text: '' });
    }
    i = j + 1;
  }
  return edits;
}

/**
 * Builds the rewrite of a call to `target`, renaming keywords; `safe` only when the mapping is
 * safe and this particular call satisfies its conditions.
 */
export function rewriteCall(
  parts: CallParts,
  target: string | null,
  mapping: CallRewrite,
  ctx: RuleContext
): RawFix | null {
  if (!isCallableTarget(target)) {
    return null;
  }
  let safe = mapping.safe && !parts.splat;
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: target }];
  for (const [name, kw] of parts.keywords) {
    if (name === 'name') {
      edits.push(removeArgument(kw.node, ctx)); // graph op names mean nothing to Keras
    } else if (mapping.renames[name] !== undefined) {
      if (mapping.renames[name] !== name) {
        edits.push({ start: kw.name.start, end: kw.name.end, text: mapping.renames[name] });
      }
    } else if (!SAME_NAMED.has(name)) {
      safe = false;
    }
  }
  if (mapping.forbidKwargs?.some(k => parts.keywords.has(k))) {
    safe = false;
  }
  if (mapping.requireKwargs?.some(k => !parts.keywords.has(k))) {
    safe = false;
  }
  if (mapping.maxPositional !== undefined && parts.positional.length > mapping.maxPositional) {
    safe = false;
  }
  if (mapping.minPositional !== undefined && parts.positional.length < mapping.minPositional) {
    safe = false;
  }
  if (mapping.requireArgs?.some(([name, position]) => !parts.keywords.has(name) && parts.positional.length <= position)) {
    safe = false;
  }
  const first = parts.positional[0];
  if (mapping.firstArgTemplate && first) {
    const [before, after] = mapping.firstArgTemplate.split('{}');
    edits.push({ start: first.start, end: first.start, text: before }, { start: first.end, end: first.end, text: after });
  } else if (mapping.firstArgTemplate) {
    safe = false;
  }
  // `tf.float32` as an argument becomes the dtype string every backend understands.
  for (const arg of [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)]) {
    const dtype = arg.type === 'attribute' ? TF_DTYPE.exec(ctx.resolve(arg) ?? '') : null;
    if (dtype) {
      edits.push({ start: arg.start, end: arg.end, text: `"${dtype[1]}"` });
    }
  }
  if (mapping.addKwargs && parts.args) {
    for (const [k, v] of Object.entries(mapping.addKwargs)) {
      if (!parts.keywords.has(k)) {
        edits.push(appendArgument(parts.args, `${k}=${v}`, ctx));
      }
    }
  }
  return {
    title: `Use \`${target}\``,
    safe,
    edits: withKerasImport(ctx, edits)
  };
}

/**
 * A file path argument: `key` names the same path wherever it stands in the cell (the literal's
 * value, or the expression's text: `os.path.join(workdir, "w.h5")`), and `tail` is the plain
 * string literal that ends it, where a file extension can be changed (null when the path ends
 * in something else). A name is followed to its last assignment before the use.
 */
export interface PathArg {
  key: string;
  tail: SyntaxNode | null;
  tailValue: string | null;
  /** The variable the path was passed in, if any. */
  via?: string;
}

/** The string literal a path expression ends with: `"w.h5"` in `os.path.join(d, "w.h5")`, `d + "/w.h5"`, `Path(d) / "w.h5"`. */
function tailLiteral(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  for (let depth = 0; n && depth < 8; depth++) {
    if (n.type === 'string') {
      return stringValue(n, ctx) !== null ? n : null;
    }
    if (n.type === 'parenthesized_expression') {
      n = n.children[0] ?? null;
    } else if (n.type === 'binary_operator') {
      n = child(n, 'right');
    } else if (n.type === 'call') {
      const args: SyntaxNode[] = (child(n, 'arguments')?.children ?? []).filter(a => a.type !== 'comment' && a.type !== 'keyword_argument');
      n = args[args.length - 1] ?? null;
    } else {
      return null;
    }
  }
  return null;
}

/**
 * A name's path from its last assignment before `use` (at module level, or in the enclosing
 * function when it is a local there), read from the text: the relevance filter may have left
 * the assignment's statement out of the tree. Its value is the expression's text; the literal it
 * ends with becomes the tail (as a node of its own range, for edits).
 */
function assignedPath(name: SyntaxNode, ctx: RuleContext): PathArg | null {
  const id = ctx.textOf(name);
  let from = 0;
  for (let fn = ctx.fn; fn; fn = ctx.outerFunction(fn)) {
    if (fn.locals.has(id)) {
      from = fn.node.start;
      break;
    }
  }
  const assignment = new RegExp(`^[ \\t]*${id}[ \\t]*(\\*\\*|//|>>|<<|[-+*/%@&|^])?=(?!=)[ \\t]*(.*)$`, 'gm');
  let last: RegExpMatchArray | null = null;
  for (const m of ctx.text.slice(0, name.start).matchAll(assignment)) {
    if (m.index !== undefined && m.index >= from) {
      last = m;
    }
  }
  if (!last || last.index === undefined || last[1]) {
    return null; // never assigned here, or changed in place (`path += ".keras"`)
  }
  const value = last[2].replace(/[ \t]*(#.*)?$/, '');
  const valueStart = last.index + last[0].length - last[2].length;
  // The literal the value ends with: the whole value, or the last argument/operand.
  const tail = /([rRuU]?)(["'])([^"'\\\n]*)\2[ \t]*\)?$/.exec(value);
  if (!tail || tail.index === undefined || (tail.index > 0 && !/[,(+/][ \t]*$/.test(value.slice(0, tail.index)))) {
    return { key: 'e:' + value.replace(/\s+/g, ''), tail: null, tailValue: null, via: id };
  }
  const start = valueStart + tail.index;
  const node: SyntaxNode = { type: 'string', start, end: start + tail[1].length + tail[3].length + 2, field: null, parent: null, children: [] };
  const whole = tail.index === 0 && !value.endsWith(')');
  return { key: whole ? 's:' + tail[3] : 'e:' + value.replace(/\s+/g, ''), tail: node, tailValue: tail[3], via: id };
}

export function pathArg(node: SyntaxNode | null | undefined, ctx: RuleContext): PathArg | null {
  if (!node) {
    return null;
  }
  if (node.type === 'identifier') {
    return assignedPath(node, ctx) ?? { key: 'v:' + ctx.textOf(node), tail: null, tailValue: null };
  }
  const literal = stringValue(node, ctx);
  if (literal !== null) {
    return { key: 's:' + literal, tail: node, tailValue: literal };
  }
  if (node.type === 'string' || node.type === 'concatenated_string' || node.type === 'call' || node.type === 'binary_operator') {
    const tail = tailLiteral(node, ctx);
    return { key: 'e:' + ctx.textOf(node).replace(/\s+/g, ''), tail, tailValue: tail ? stringValue(tail, ctx) : null };
  }
  return null;
}

export type PathUseKind = 'save-model' | 'load-model' | 'save-weights' | 'load-weights' | 'checkpoint-weights' | 'checkpoint-model';

export interface PathUse {
  kind: PathUseKind;
  call: SyntaxNode;
  path: PathArg;
}

const PATH_METHODS = /^(save|save_weights|load_weights|load_model|save_model|ModelCheckpoint)$/;

/**
 * Every save/load of a path in the cell (model.save, save_model, load_model, save_weights,
 * load_weights, ModelCheckpoint), found in one walk of the cell and kept for the cell's tree:
 * a fix on one side of a save/load pair must agree with the fix on the other side.
 */
export function pathUses(anyNode: SyntaxNode, ctx: RuleContext): PathUse[] {
  let root = anyNode;
  while (root.parent) {
    root = root.parent;
  }
  const known = pathUseMemo.get(root);
  if (known) {
    return known;
  }
  const uses: PathUse[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const parts = callParts(n, ctx);
      const method = parts ? calleeName(parts.fn, ctx) : '';
      if (parts && PATH_METHODS.test(method)) {
        const kw = parts.keywords.get('filepath')?.value;
        let kind: PathUseKind | null = null;
        let arg: SyntaxNode | undefined = parts.positional[0] ?? kw;
        if (method === 'save' && parts.fn.type === 'attribute' && parts.positional.length <= 1) {
          kind = 'save-model';
        } else if (method === 'save_model') {
          kind = 'save-model';
          arg = parts.positional[1] ?? kw;
        } else if (method === 'load_model') {
          kind = 'load-model';
        } else if (method === 'save_weights') {
          kind = 'save-weights';
        } else if (method === 'load_weights') {
          kind = 'load-weights';
        } else if (method === 'ModelCheckpoint') {
          const only = parts.keywords.get('save_weights_only');
          kind = only && ctx.textOf(only.value) === 'True' ? 'checkpoint-weights' : 'checkpoint-model';
        }
        const path = kind ? pathArg(arg, ctx) : null;
        if (kind && path) {
          uses.push({ kind, call: n, path });
        }
      }
    }
    for (const c of n.children) {
      stack.push(c);
    }
  }
  pathUseMemo.set(root, uses);
  return uses;
}

const pathUseMemo = new WeakMap<SyntaxNode, PathUse[]>();

/** How often `needle` stands in `text`. */
function countOf(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); needle && i >= 0; i = text.indexOf(needle, i + needle.length)) {
    count++;
  }
  return count;
}

/**
 * The uses of the same path as `use` in the cell, and whether renaming the file consistently
 * on all of them is safe: every use is one of `kinds` (so each gets the same rename), each
 * ends in an editable literal, and the file name appears nowhere else in the cell (nothing
 * else reads the old name).
 */
export function pathGroup(use: PathUse, kinds: readonly PathUseKind[], ctx: RuleContext): { members: PathUse[]; complete: boolean } {
  const members = pathUses(use.call, ctx).filter(u => u.path.key === use.path.key);
  const tails = new Set(members.map(m => m.path.tail?.start));
  const value = use.path.tailValue;
  // A variable holding the path is read by the uses and written once; any other mention reads the old name.
  const viaUses = new Map<string, number>();
  for (const m of members) {
    if (m.path.via) {
      viaUses.set(m.path.via, (viaUses.get(m.path.via) ?? 0) + 1);
    }
  }
  const complete =
    value !== null &&
    members.every(m => kinds.includes(m.kind) && m.path.tail !== null && m.path.tailValue === value) &&
    countOf(ctx.text, value) === tails.size &&
    [...viaUses].every(([name, n]) => (ctx.text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0) === n + 1);
  return { members, complete };
}

/** The edit that changes the file name a path ends with (its tail literal's value) to `renamed`, keeping the quotes. */
export function renameTail(path: PathArg, renamed: string, ctx: RuleContext): OffsetEdit | null {
  if (!path.tail || path.tailValue === null) {
    return null;
  }
  const text = ctx.textOf(path.tail);
  const quote = /('''|""")$/.test(text) ? 3 : 1;
  const end = path.tail.end - quote;
  return { start: end - path.tailValue.length, end, text: renamed };
}

/**
 * The edits that rename the file on every use of the path in `group` (each tail literal once),
 * so that one fix, applied alone, keeps a save and its load pointing at the same file; null when
 * a use ends in something that cannot be renamed.
 */
export function renameGroup(group: readonly PathUse[], rename: (value: string) => string, ctx: RuleContext): OffsetEdit[] | null {
  const edits: OffsetEdit[] = [];
  const seen = new Set<number>();
  for (const member of group) {
    const edit = member.path.tailValue !== null ? renameTail(member.path, rename(member.path.tailValue), ctx) : null;
    if (!edit) {
      return null;
    }
    if (!seen.has(edit.start)) {
      seen.add(edit.start);
      edits.push(edit);
    }
  }
  return edits;
}

/**
 * The `.keras` file that replaces a SavedModel directory: `saved_model/my_model/` ->
 * `saved_model_my_model.keras`. Keras 2 created the SavedModel's folders; Keras 3 writes a
 * `.keras` file only into a folder that exists ("No such file or directory" otherwise, checked
 * by running), so a relative path's folders become part of the file name unless the code
 * creates folders itself.
 */
export function kerasFileFor(path: string, ctx: RuleContext): string {
  const bare = path.replace(/[\\/]+$/, '');
  const relativeWithFolders = !/^([\\/~]|[A-Za-z]:)/.test(bare) && /[\\/]/.test(bare);
  return (relativeWithFolders && !/\b(makedirs|mkdir)\s*\(/.test(ctx.text) ? bare.replace(/[\\/]+/g, '_') : bare) + '.keras';
}

/** The value last assigned to `name` by a plain statement before `at`, in the blocks around it. */
export function lastAssignedValue(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  for (let scope = at.parent; scope; scope = scope.parent) {
    if (scope.type !== 'block' && scope.type !== 'module') {
      continue;
    }
    let found: SyntaxNode | null = null;
    for (const statement of scope.children) {
      if (statement.start >= at.start) {
        break;
      }
      const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
      const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
      if (left && left.type === 'identifier' && ctx.textOf(left) === name) {
        found = child(assignment!, 'right');
      }
    }
    if (found) {
      return found;
    }
    if (scope.parent && (scope.parent.type === 'function_definition' || scope.parent.type === 'class_definition')) {
      return null; // names assigned outside a function are not looked through
    }
  }
  return null;
}
