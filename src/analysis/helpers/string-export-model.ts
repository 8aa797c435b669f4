/**
 * End-to-end "export" models of string data: a model built around a trained numeric model so that
 * it takes raw strings, `keras.Model(string_input, model(vectorizer(string_input)))` or
 * `keras.Sequential([vectorizer, model])` (keras.io's text examples), and keras.io's FeatureSpace
 * inference model; and a functional model whose string `Input` only feeds a string layer first.
 * Only TensorFlow has string tensors, so on JAX and PyTorch such a model fails once data reaches
 * it; building it runs everywhere. The portable program applies the string layer to the data and
 * gives the model its output: this module finds the model's data calls and writes them (and the
 * model's numeric part, where it is kept). Not a rule.
 */
import type { SyntaxNode } from '../ast';
import { child, itemsOf, rootOf } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { callParts, calleeName, lastAssignedValue } from './calls';
import { looksLikeDataset } from './tf-data';

/** The model constructors an inner (trained) model may come from, besides a call of a function of the program. */
const MODEL_MAKERS = /^keras\.(Model|Sequential|models\.(Model|Sequential|load_model)|saving\.load_model)$/;
/** Methods that run the export model on data and are rewritten (the first argument or `x` is the data). */
const PREDICT_METHODS = new Set(['predict', 'predict_on_batch']);
/** Methods that run the model on data with labels: rewritten only where the fix keeps the model (its compile state is its own), the data mapped as `(x, y)`. */
const OTHER_DATA_METHODS = new Set(['fit', 'evaluate', 'train_on_batch', 'test_on_batch']);

const NO_DATA = 'the cell does not run the model on data';

/** An export model found: how its data calls are rewritten, or why they are not. */
export interface ExportModel {
  /** The name the export model is assigned to. */
  name: string;
  /** The trained model's expression text (`model`) and the string layer's (`vectorizer`). */
  inner: string;
  layer: string;
  /**
   * A model that only wraps a trained model with the string layer (`keras.Model(s, model(layer(s)))`,
   * `Sequential([layer, model])`), which the fix leaves built: unfed, it is no finding.
   */
  simple: boolean;
  /** Whether the cell never runs the model on data. */
  unfed: boolean;
  /** stringLayerFirstModel: the model's new input (the layer output's name). */
  start?: string;
  /** Whether the fix keeps the model (made of its numeric part) for its data calls, rather than predicting with `inner`. */
  own: boolean;
  /** The edits rewriting every data call of the model in the cell (at least one), or null with `refusal`. */
  edits: OffsetEdit[] | null;
  refusal: string | null;
}

/** Every node of a cell, in document order (iteratively: trees can be deep). */
function nodesOf(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  return out;
}

/** The nearest enclosing `def` or lambda, or null at module level. */
function scopeOf(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') {
      return n;
    }
  }
  return null;
}

/** An expression, or the value a name was last assigned before it (one step). */
function valueOf(node: SyntaxNode, ctx: RuleContext): SyntaxNode {
  return node.type === 'identifier' ? (lastAssignedValue(ctx.textOf(node), node, ctx) ?? node) : node;
}

/** `f(arg)` with one positional argument and nothing else: [f, arg], else null. */
function singleCall(node: SyntaxNode, ctx: RuleContext): [SyntaxNode, SyntaxNode] | null {
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  if (!parts || parts.splat || parts.keywords.size > 0 || parts.positional.length !== 1) {
    return null;
  }
  return [parts.fn, parts.positional[0]];
}

/** Whether a name holds a Keras model (its last value in the cell a model constructor, `load_model` or a call of a function of the program, not a Keras layer; from an earlier cell, a layer or model instance with weights). */
export function holdsModel(name: SyntaxNode, ctx: RuleContext): boolean {
  if (name.type !== 'identifier') {
    return false;
  }
  const value = lastAssignedValue(ctx.textOf(name), name, ctx);
  if (!value) {
    // Made in an earlier cell: a layer or model instance with weights (a trained model, in this position).
    const binding = ctx.lookup(ctx.textOf(name));
    return binding?.kind === 'layer' && !binding.weightless;
  }
  const fn = value.type === 'call' ? child(value, 'function') : null;
  if (!fn) {
    return false;
  }
  const keras = ctx.resolveKeras(fn);
  if (keras) {
    return MODEL_MAKERS.test(keras);
  }
  // `fnet_classifier = build_fnet()`, `model = make_model()`: a function of the program (its class a Keras model class also counts).
  return fn.type === 'identifier' && (!ctx.resolve(fn) || ctx.kerasKindOfClass(fn) === 'model');
}

/** Whether a name is assigned anywhere in the cell after `after` (then the uses may see another value). */
function reassignedAfter(name: string, after: SyntaxNode, nodes: SyntaxNode[], ctx: RuleContext): boolean {
  return nodes.some(n => {
    if (n.start < after.end || (n.type !== 'assignment' && n.type !== 'augmented_assignment' && n.type !== 'for_statement')) {
      return false;
    }
    const left = child(n, 'left');
    return !!left && new RegExp(`(^|[^\\w.])${name}($|[^\\w])`).test(ctx.textOf(left));
  });
}

/**
 * The statement after `statement`, in its block, that binds `name` to a new value without reading
 * the old one (`model = keras.Sequential([...])` again: the TensorFlow RNN tutorial builds a second
 * model under the same name); null where none does, or where a statement before it may bind the
 * name in a branch or loop (then later uses may see either value).
 */
function nextRebinding(name: string, statement: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let top = statement;
  while (top.parent && top.parent.type !== 'block' && top.parent.type !== 'module') {
    top = top.parent;
  }
  const siblings = top.parent?.children ?? [];
  const mentions = new RegExp(`(^|[^\\w.])${name}($|[^\\w])`);
  for (const s of siblings.slice(siblings.indexOf(top) + 1)) {
    const assignment = s.type === 'expression_statement' && s.children.length === 1 ? s.children[0] : null;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
    const right = assignment ? child(assignment, 'right') : null;
    if (left?.type === 'identifier' && ctx.textOf(left) === name && right) {
      return mentions.test(ctx.textOf(right)) ? null : s;
    }
    if (s.type !== 'expression_statement' && mentions.test(ctx.textOf(s)) && nodesOf(s).some(n => (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') && mentions.test(ctx.textOf(child(n, 'left') ?? n)))) {
      return null;
    }
  }
  return null;
}

/** How a string layer (or FeatureSpace) is applied to the data of a call: to arrays and tensors, and to a tf.data dataset. */
export interface DataTransform {
  array: (data: string) => string;
  /** `labelled`: the elements are `(x, y)` (fit/evaluate); else `x` or `(x, ...)` (predict). */
  dataset: (data: string, labelled: boolean) => string;
}

/**
 * The edits that make every data call of the model held by `name` (assigned by `statement`) run
 * on the transformed data: `E.predict(data, ...)` -> `inner.predict(T(data), ...)`, `E(data)` ->
 * `inner(T(data))` (`inner` null: `E` itself). With `labelled`, `fit`/`evaluate`/`*_on_batch` too
 * (their `x`, and fit's `validation_data`, a dataset or an `(x, y)` tuple); `hasLabelled` tells
 * whether there was one. Refused (with the reason) where the model is used otherwise on data
 * (passed on, a validation split of another shape), where a name involved is assigned again later,
 * or where the cell never runs it on data.
 */
export function rewriteDataCalls(
  name: string,
  statement: SyntaxNode,
  inner: string | null,
  transform: DataTransform,
  involved: string[],
  ctx: RuleContext,
  labelled = false
): { edits: OffsetEdit[] | null; refusal: string | null; hasLabelled: boolean } {
  // Uses after the model's name is bound to another model are that model's (it has a finding of its own).
  const rebinding = nextRebinding(name, statement, ctx);
  const nodes = nodesOf(rootOf(statement)).filter(n => !rebinding || n.start < rebinding.start);
  let hasLabelled = false;
  const refuse = (refusal: string): { edits: null; refusal: string; hasLabelled: boolean } => ({ edits: null, refusal, hasLabelled });
  const usedAfter = (at: number): boolean =>
    nodes.some(n => n.type === 'identifier' && n.start >= at && ctx.textOf(n) === name && !(n.parent?.type === 'attribute' && child(n.parent, 'attribute') === n));
  for (const n of [name, ...involved]) {
    // A name the model's calls read (the trained model inside an export model) bound again after
    // the model's last use leaves those calls alone (TensorFlow's text-loading tutorial builds the next model under `model`).
    const next = n === name ? null : nextRebinding(n, statement, ctx);
    if (next && !usedAfter(next.start) && !reassignedAfter(n, statement, nodes.filter(m => m.start < next.start), ctx)) {
      continue;
    }
    if (reassignedAfter(n, statement, nodes, ctx)) {
      return refuse(`\`${n}\` is assigned again after the model is built`);
    }
  }
  const scope = scopeOf(statement);
  const edits: OffsetEdit[] = [];
  let unknown: string | null = null;
  const applied = (data: SyntaxNode, withLabels: boolean): string => {
    const text = ctx.textOf(unwrapTensor(data, ctx));
    if (looksLikeDataset(data, ctx)) {
      return transform.dataset(text, withLabels);
    }
    if (isArrayData(data, ctx)) {
      return transform.array(text);
    }
    if (data.type === 'identifier') {
      // Either: decided when it runs.
      return `(${transform.dataset(text, withLabels)} if hasattr(${text}, "element_spec") else ${transform.array(text)})`;
    }
    unknown = text;
    return text;
  };
  for (const use of nodes) {
    if (use.type !== 'identifier' || use.start < statement.end || ctx.textOf(use) !== name) {
      continue;
    }
    const parent = use.parent;
    if (parent?.type === 'attribute' && child(parent, 'attribute') === use) {
      continue; // `x.name`: another object's attribute
    }
    if (parent?.type === 'keyword_argument' && child(parent, 'name') === use) {
      continue;
    }
    if (scopeOf(use) !== scope) {
      return refuse('the model is used in another function');
    }
    let call: SyntaxNode | null = null;
    let fn: SyntaxNode = use;
    let withLabels = false;
    if (parent?.type === 'attribute' && child(parent, 'object') === use) {
      const method = calleeName(parent, ctx);
      const holder = parent.parent;
      const isCall = holder?.type === 'call' && child(holder, 'function') === parent;
      if (OTHER_DATA_METHODS.has(method) && isCall && !labelled) {
        return refuse(`the model is given data with \`.${method}()\``);
      }
      withLabels = OTHER_DATA_METHODS.has(method);
      if ((!PREDICT_METHODS.has(method) && !withLabels) || !isCall) {
        continue; // `summary()`, `compile(...)`, `save(...)`, `inputs`: run on every backend
      }
      call = holder;
      fn = parent;
    } else if (parent?.type === 'call' && child(parent, 'function') === use) {
      call = parent;
    } else {
      return refuse('the model is passed on or assigned to another name');
    }
    const parts = callParts(call!, ctx);
    const data = parts && !parts.splat ? (parts.keywords.get('x')?.value ?? parts.positional[0]) : undefined;
    if (!parts || !data) {
      return refuse('a call of the model without its data as first argument');
    }
    if (fn === use && !isArrayData(data, ctx)) {
      // A direct call on anything but clear array data may be on a KerasTensor (another model built on it).
      return refuse(`the model is called on \`${ctx.textOf(data)}\`, not clearly an array`);
    }
    hasLabelled ||= withLabels;
    if (inner !== null) {
      edits.push({ start: fn.start, end: fn.end, text: fn === use ? inner : `${inner}.${calleeName(fn, ctx)}` });
    }
    edits.push({ start: data.start, end: data.end, text: applied(data, withLabels) });
    const validation = parts.keywords.get('validation_data')?.value;
    if (validation) {
      const first = validation.type === 'tuple' || validation.type === 'parenthesized_expression' ? itemsOf(validation)[0] : null;
      if (looksLikeDataset(validation, ctx)) {
        edits.push({ start: validation.start, end: validation.end, text: applied(validation, true) });
      } else if (validation.type === 'tuple' && first) {
        edits.push({ start: first.start, end: first.end, text: applied(first, false) });
      } else {
        return refuse('validation data of another shape than a dataset or an `(x, y)` tuple');
      }
    }
  }
  if (unknown !== null) {
    return refuse(`data neither a dataset nor an array as far as the cell shows: \`${unknown}\``);
  }
  if (edits.length === 0) {
    return refuse(NO_DATA);
  }
  return { edits, refusal: null, hasLabelled };
}

/** Calls whose result is an array or tensor (not a dataset). */
const ARRAY_MAKERS = /^(numpy\.|tensorflow\.(constant|convert_to_tensor|expand_dims|reshape|strings\.)|keras\.ops\.)/;

/**
 * Whether data is an array, a tensor or a list (not a dataset): a literal, an array or tensor
 * constructor, an indexed value, an element taken from a dataset (`next(iter(ds))`), or a name
 * last assigned one of those (or unpacked from one) in the cell.
 */
function isArrayData(data: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 4) {
    return false;
  }
  if (['list', 'tuple', 'dictionary', 'string', 'concatenated_string', 'subscript', 'list_comprehension', 'dictionary_comprehension'].includes(data.type)) {
    return true;
  }
  if (data.type === 'call') {
    const fn = child(data, 'function');
    const name = fn ? (ctx.resolve(fn) ?? '') : '';
    return ARRAY_MAKERS.test(name.replace(/^tensorflow\.keras\./, 'keras.')) || (fn?.type === 'identifier' && ctx.textOf(fn) === 'next');
  }
  if (data.type === 'identifier') {
    return assignedArrayText(ctx.textOf(data), data, ctx);
  }
  return false;
}

/** Text of values that are arrays, tensors, lists or dicts of them: literals, NumPy / tf.constant / keras.ops calls, `next(iter(ds))`. */
const ARRAY_TEXT = /^(\[|\(|\{|["']|(np|numpy)\.|tf\.(constant|convert_to_tensor|expand_dims|reshape|strings\.)|keras\.ops\.|next\()/;

/**
 * Whether the last statement before `at` at the top of the cell assigning `name` (alone or unpacked,
 * `text_batch, label_batch = next(iter(ds))`) gives it an array, read from the text: plain data
 * statements mention no Keras name, so the relevance filter may leave them out of the tree.
 */
function assignedArrayText(name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  const before = ctx.text.slice(0, at.start);
  const assignment = new RegExp(`^(?:[\\w, ]*,\\s*)?${name}(?:\\s*,[\\w, ]*)?[ \\t]*=(?!=)[ \\t]*(.*)`, 'gm');
  let last: string | null = null;
  for (const m of before.matchAll(assignment)) {
    last = m[1];
  }
  return last !== null && ARRAY_TEXT.test(last);
}

/**
 * The strings inside `keras.ops.convert_to_tensor(strings)` / `tf.constant(strings)` when they are
 * a list or array (the safe fix for list data passes the tensor on TensorFlow; a JAX or PyTorch
 * tensor cannot hold strings, the string layer takes the list itself), else the data.
 */
function unwrapTensor(data: SyntaxNode, ctx: RuleContext): SyntaxNode {
  const call = data.type === 'call' ? singleCall(data, ctx) : null;
  const name = call ? ctx.resolveKeras(call[0]) ?? ctx.resolve(call[0]) : null;
  return call && name === 'keras.ops.convert_to_tensor' ? call[1] : data;
}

/** The assignment target name of a call (`name = call`), or null. */
function assignedName(call: SyntaxNode, ctx: RuleContext): { name: string; statement: SyntaxNode } | null {
  const assignment = call.parent?.type === 'assignment' && child(call.parent, 'right') === call ? call.parent : null;
  const left = assignment ? child(assignment, 'left') : null;
  return left?.type === 'identifier' && assignment ? { name: ctx.textOf(left), statement: assignment } : null;
}

/** A string layer applied to the data: NumPy of its output for arrays (it runs TensorFlow and gives a backend tensor), mapped over a dataset. */
export function appliedLayer(layer: string): DataTransform {
  return {
    array: data => `keras.ops.convert_to_numpy(${layer}(${data}))`,
    dataset: (data, labelled) => `${data}.map(${labelled ? `lambda x, y: (${layer}(x), y)` : `lambda x, *rest: (${layer}(x), *rest)`})`
  };
}

/**
 * `model` (the export model's construction) wraps `inner` with `layer`. Predicted with only: its
 * data calls predict with `inner` on the layer's output (`simple`, else with the model itself
 * after `withoutLayer`); trained or evaluated (its compile state is its own): the model is made of
 * the numeric part (`withoutLayer`) and its data calls get the layer's output.
 */
function exportModel(model: SyntaxNode, layer: SyntaxNode, inner: SyntaxNode, withoutLayer: OffsetEdit, simple: boolean, ctx: RuleContext): ExportModel | null {
  const target = assignedName(model, ctx);
  if (!target) {
    return null;
  }
  const innerText = ctx.textOf(inner);
  const layerText = ctx.textOf(layer);
  const involved = [innerText, layerText].filter(t => /^\w+$/.test(t));
  const apply = appliedLayer(layerText);
  const own = rewriteDataCalls(target.name, target.statement, null, apply, involved, ctx, true);
  if (!own.edits) {
    return { name: target.name, inner: innerText, layer: layerText, simple, unfed: own.refusal === NO_DATA, own: false, edits: null, refusal: own.refusal };
  }
  if (simple && !own.hasLabelled) {
    const { edits, refusal } = rewriteDataCalls(target.name, target.statement, innerText, apply, involved, ctx);
    return { name: target.name, inner: innerText, layer: layerText, simple, unfed: false, own: false, edits, refusal };
  }
  return { name: target.name, inner: innerText, layer: layerText, simple, unfed: false, own: true, edits: [withoutLayer, ...own.edits], refusal: null };
}

/**
 * The export model built on a string `keras.Input` call (`string_input = keras.Input(shape=(1,),
 * dtype="string")`): `keras.Model(string_input, outputs)` in the same scope, `outputs` being (a name
 * for) `model(layer(string_input))` with `model` a name holding a model and `layer` a name or
 * attribute (a name for the middle value allowed). Null when the input is not used that way.
 */
export function functionalExportModel(inputCall: SyntaxNode, ctx: RuleContext): ExportModel | null {
  const input = assignedName(inputCall, ctx);
  if (!input) {
    return null;
  }
  const scope = scopeOf(inputCall);
  const nodes = nodesOf(rootOf(inputCall));
  for (const n of nodes) {
    if (n.type !== 'call' || n.start < inputCall.end || scopeOf(n) !== scope) {
      continue;
    }
    const parts = callParts(n, ctx);
    if (!parts || !/^keras\.(models\.)?Model$/.test(ctx.resolveKeras(parts.fn) ?? '')) {
      continue;
    }
    const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0];
    const outputs = parts.keywords.get('outputs')?.value ?? parts.positional[1];
    if (!inputs || !outputs || ctx.textOf(inputs) !== input.name) {
      continue;
    }
    const outer = singleCall(valueOf(outputs, ctx), ctx);
    const innerCall = outer ? singleCall(valueOf(outer[1], ctx), ctx) : null;
    if (!outer || !innerCall || ctx.textOf(innerCall[1]) !== input.name || !holdsModel(outer[0], ctx)) {
      continue;
    }
    const layer = innerCall[0];
    if (layer.type !== 'identifier' && layer.type !== 'attribute') {
      continue;
    }
    // Trained or evaluated: the model becomes `keras.Sequential([inner])`, which shares its weights.
    return exportModel(n, layer, outer[0], { start: n.start, end: n.end, text: `keras.Sequential([${ctx.textOf(outer[0])}])` }, true, ctx);
  }
  return null;
}

/** The reads of NAME among `nodes` after the statement `after` (attribute names such as `x.NAME` are not reads). */
function readsAfter(nodes: SyntaxNode[], name: string, after: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return nodes.filter(n => n.type === 'identifier' && n.start >= after.end && ctx.textOf(n) === name && !(n.parent?.type === 'attribute' && child(n.parent, 'attribute') === n));
}

/**
 * Whether a string `keras.Input` only serves an export model the fix made of its numeric part:
 * `out = model(layer(string_input))` (through names) and then `E = keras.Sequential([model])`
 * instead of `keras.Model(string_input, out)`, with `out` used nowhere else. Such an input
 * reaches no model that is run on data.
 */
export function servesReplacedExportModel(inputCall: SyntaxNode, ctx: RuleContext): boolean {
  const input = assignedName(inputCall, ctx);
  if (!input) {
    return false;
  }
  const nodes = nodesOf(rootOf(inputCall));
  const usesOf = (name: string, after: SyntaxNode): SyntaxNode[] => readsAfter(nodes, name, after, ctx);
  // Follow the single use chain: input -> layer(input) -> model(...) (each assigned to a name).
  let name = input.name;
  let at: SyntaxNode = input.statement;
  const calls: SyntaxNode[] = [];
  for (let step = 0; step < 2; step++) {
    const uses = usesOf(name, at);
    const call = uses.length === 1 ? uses[0].parent?.parent : null;
    if (!call || call.type !== 'call' || !singleCall(call, ctx) || singleCall(call, ctx)![1] !== uses[0]) {
      return false;
    }
    calls.push(call);
    const target = assignedName(call, ctx);
    if (!target && step === 0) {
      // `model(layer(input))` in one expression
      const outer = call.parent?.parent;
      if (outer?.type === 'call' && singleCall(outer, ctx)?.[1] === call && assignedName(outer, ctx)) {
        calls.push(outer);
        const t = assignedName(outer, ctx)!;
        name = t.name;
        at = t.statement;
        break;
      }
      return false;
    }
    if (!target) {
      return false;
    }
    name = target.name;
    at = target.statement;
  }
  const model = calls.length === 2 ? ctx.textOf(singleCall(calls[1], ctx)![0]) : null;
  if (!model || usesOf(name, at).length > 0) {
    return false;
  }
  return nodes.some(n => {
    const parts = n.type === 'call' && n.start >= at.end ? callParts(n, ctx) : null;
    const layers = parts && /^keras\.(models\.)?Sequential$/.test(ctx.resolveKeras(parts.fn) ?? '') ? parts.positional[0] : null;
    return !!layers && layers.type === 'list' && itemsOf(layers).length === 1 && ctx.textOf(itemsOf(layers)[0]) === model;
  });
}

/**
 * The export model a `keras.Sequential([layer, ...])` call is (its string layer first, then a
 * trained model or other layers; `Input`s skipped, `isInput` tells them): null otherwise.
 */
export function sequentialExportModel(sequential: SyntaxNode, first: SyntaxNode, ctx: RuleContext, isInput: (item: SyntaxNode) => boolean): ExportModel | null {
  const parts = callParts(sequential, ctx);
  const layers = parts ? (parts.keywords.get('layers')?.value ?? parts.positional[0]) : null;
  if (!layers || (first.type !== 'identifier' && first.type !== 'attribute')) {
    return null;
  }
  const items = itemsOf(layers).filter(item => !isInput(item));
  const all = itemsOf(layers);
  const next = all[all.indexOf(first) + 1];
  // An `Input` item of strings would stay: not rewritten.
  if (items.length < 2 || items.length !== all.length || items[0] !== first || !next) {
    return null;
  }
  // `[vectorizer, model]`: predicted with only, `model` predicts; else the list loses its string layer.
  const simple = items.length === 2 && holdsModel(items[1], ctx);
  return exportModel(sequential, first, items[1], { start: first.start, end: next.start, text: '' }, simple, ctx);
}

/**
 * A model whose string `Input` only feeds a string layer (`x = vectorize_layer(inputs)`, then more
 * layers, `model = keras.Model(inputs, outputs)`): Keras 3 takes the layer's output, a KerasTensor,
 * as a Functional model's input (checked on TensorFlow, JAX and PyTorch), so the model starts
 * there (`keras.Model(x, outputs)`, through a new name when `x` is assigned again before) and its
 * data gets the layer applied (the export-model rewrite of its data calls, fit and evaluate
 * included). Null when the input is used otherwise or the model is not of that shape.
 */
export function stringLayerFirstModel(inputCall: SyntaxNode, ctx: RuleContext): ExportModel | null {
  const input = assignedName(inputCall, ctx);
  if (!input) {
    return null;
  }
  const nodes = nodesOf(rootOf(inputCall));
  const uses = nodes.filter(n => n.type === 'identifier' && n.start >= input.statement.end && ctx.textOf(n) === input.name && !(n.parent?.type === 'attribute' && child(n.parent, 'attribute') === n));
  // The layer call `layer(input)` assigned to a name, and the model `keras.Model(input, outputs)` after it.
  const layerCalls = uses.filter(u => u.parent?.type === 'argument_list' && u.parent.parent?.type === 'call' && singleCall(u.parent.parent, ctx)?.[1] === u);
  const models = uses.filter(u => {
    const call = u.parent?.type === 'keyword_argument' ? u.parent.parent?.parent : u.parent?.parent;
    const parts = call?.type === 'call' ? callParts(call, ctx) : null;
    return !!parts && /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(parts.fn) ?? '') && (parts.keywords.get('inputs')?.value ?? parts.positional[0]) === u;
  });
  if (layerCalls.length !== 1 || models.length !== 1 || uses.length !== 2) {
    return null;
  }
  const layerCall = layerCalls[0].parent!.parent!;
  const layer = child(layerCall, 'function')!;
  const target = assignedName(layerCall, ctx);
  const modelUse = models[0];
  const model = (modelUse.parent?.type === 'keyword_argument' ? modelUse.parent.parent?.parent : modelUse.parent?.parent)!;
  if (!target || (layer.type !== 'identifier' && layer.type !== 'attribute') || model.start < target.statement.end || scopeOf(model) !== scopeOf(layerCall)) {
    return null;
  }
  const modelTarget = assignedName(model, ctx);
  if (!modelTarget) {
    return null;
  }
  const layerText = ctx.textOf(layer);
  // The layer output's name, or a new one where it is assigned again before the model is built.
  const between = nodes.filter(n => n.start >= target.statement.end && n.end <= model.start);
  const reassigned = between.some(n => n.type === 'assignment' && new RegExp(`(^|[^\\w.])${target.name}($|[^\\w])`).test(ctx.textOf(child(n, 'left') ?? n)));
  const edits: OffsetEdit[] = [];
  let start = target.name;
  if (reassigned) {
    start = `${input.name}_encoded`;
    if (new RegExp(`\\b${start}\\b`).test(ctx.text)) {
      return null;
    }
    const statement = target.statement.parent?.type === 'expression_statement' ? target.statement.parent : target.statement;
    const lineStart = ctx.text.lastIndexOf('\n', statement.start - 1) + 1;
    const indent = ctx.text.slice(lineStart, statement.start);
    const lineEnd = ctx.text.indexOf('\n', statement.end);
    const at = lineEnd < 0 ? ctx.text.length : lineEnd + 1;
    edits.push({ start: at, end: at, text: `${lineEnd < 0 ? '\n' : ''}${indent}${start} = ${target.name}  # the model's input: ${layerText} runs on the data\n` });
  }
  edits.push({ start: modelUse.start, end: modelUse.end, text: start });
  const own = rewriteDataCalls(modelTarget.name, modelTarget.statement, null, appliedLayer(layerText), /^\w+$/.test(layerText) ? [layerText] : [], ctx, true);
  const base = { name: modelTarget.name, inner: modelTarget.name, layer: layerText, simple: false, unfed: own.refusal === NO_DATA, own: true, start };
  return own.edits ? { ...base, edits: [...edits, ...own.edits], refusal: null } : { ...base, edits: null, refusal: own.refusal };
}

/**
 * Whether a string `keras.Input` only feeds a string layer whose output (through one name at most)
 * is a model's input (`x = vectorize_layer(inputs)`, `keras.Model(x, outputs)`, stringLayerFirstModel's
 * fix): no model takes the strings.
 */
export function feedsOnlyAStringLayerBeforeModels(inputCall: SyntaxNode, ctx: RuleContext): boolean {
  const input = assignedName(inputCall, ctx);
  if (!input) {
    return false;
  }
  const nodes = nodesOf(rootOf(inputCall));
  const usesOf = (name: string, after: SyntaxNode): SyntaxNode[] => readsAfter(nodes, name, after, ctx);
  const uses = usesOf(input.name, input.statement);
  const call = uses.length === 1 && uses[0].parent?.type === 'argument_list' ? uses[0].parent.parent : null;
  const target = call?.type === 'call' && singleCall(call, ctx)?.[1] === uses[0] ? assignedName(call, ctx) : null;
  if (!target) {
    return false;
  }
  const isModelInput = (u: SyntaxNode): boolean => {
    const model = u.parent?.type === 'keyword_argument' ? u.parent.parent?.parent : u.parent?.parent;
    const parts = model?.type === 'call' ? callParts(model, ctx) : null;
    return !!parts && /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(parts.fn) ?? '') && (parts.keywords.get('inputs')?.value ?? parts.positional[0]) === u;
  };
  return usesOf(target.name, target.statement).some(u => {
    if (isModelInput(u)) {
      return true;
    }
    // `inputs_encoded = x` then `keras.Model(inputs_encoded, ...)`
    const alias = u.parent?.type === 'assignment' && child(u.parent, 'right') === u ? child(u.parent, 'left') : null;
    return alias?.type === 'identifier' && usesOf(ctx.textOf(alias), u.parent!).some(isModelInput);
  });
}
