import type { SyntaxNode } from '../ast';
import { child, itemsOf } from '../ast';
import { INPUT_FACTORIES } from '../knowledge';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import type { CallParts } from '../helpers/calls';
import { callParts, lastAssignedValue, layerCalledOnData, lineStartAt, stringValue } from '../rule-helpers';

/** Preprocessing layers that take strings: inside a model they make it a model of string inputs. */
const STRING_LAYERS = new Set(['keras.layers.TextVectorization', 'keras.layers.StringLookup']);
const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);

const WHY =
  'only the TensorFlow backend has string tensors: on JAX and PyTorch the model fails on its string input ("could not convert string to float", "Invalid dtype: object"). Keep string preprocessing in the tf.data pipeline (`dataset.map(...)`, which runs TensorFlow on every backend) and give the model the numbers it produces.';

/** The string preprocessing layer class an expression constructs (directly or through a name assigned in the same block), or null. */
function stringLayerClass(node: SyntaxNode, ctx: RuleContext, follow = true): string | null {
  if (node.type === 'call') {
    const fn = child(node, 'function');
    const name = fn ? ctx.resolveKeras(fn) : null;
    return name && STRING_LAYERS.has(name) ? name.slice('keras.layers.'.length) : null;
  }
  if (node.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return value ? stringLayerClass(value, ctx, false) : null;
  }
  return null;
}

/** Noted where the program gives fit/predict/evaluate a Python list of strings or a NumPy array of them. */
const FEEDS_STRING_LIST = 'feeds-string-list';
const TRAINER_METHODS = ['fit', 'predict', 'evaluate'];
/** Methods that run a model on data (string data reaches the model only through these or a direct call). */
const DATA_METHODS = [...TRAINER_METHODS, 'train_on_batch', 'test_on_batch', 'predict_on_batch'];
/**
 * Noted where the program runs some model on data (`DATA_METHODS`, or calling a layer or model
 * instance on values that are not KerasTensors); `feeds-model:NAME` names the receiver. A string
 * model that is only built (summary, compile, save) runs on JAX and PyTorch: only data fails there
 * (checked on Keras 3.15).
 */
const FEEDS_MODEL = 'feeds-model';

/**
 * Whether data fed to a model is a list literal of strings or `np.array([...strings])` without a
 * dtype (a fixed-width unicode array): Keras 3's data adapters refuse both on every backend
 * ("Unrecognized data type", "Invalid dtype: str384"), TensorFlow included; a `tf.data` dataset,
 * `tf.constant` or an object array of the same strings runs on TensorFlow (checked on Keras 3.15).
 */
function isStringListData(node: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (node.type === 'list') {
    const items = itemsOf(node);
    return items.length > 0 && items.every(item => item.type === 'string' || item.type === 'concatenated_string');
  }
  if (node.type === 'call') {
    const parts = callParts(node, ctx);
    const first = parts?.positional[0];
    return !!parts && ctx.resolve(parts.fn) === 'numpy.array' && !parts.keywords.has('dtype') && parts.positional.length === 1 && !!first && isStringListData(first, ctx, follow);
  }
  // `colors[np.random.randint(0, 5, n)]`: indexing a unicode array keeps its dtype.
  if (node.type === 'subscript') {
    const value = child(node, 'value');
    return !!value && isStringListData(value, ctx, true);
  }
  // A dict of named inputs (`{"color": colors[idx], "price": prices}`): any string column refuses it.
  if (node.type === 'dictionary') {
    return node.children.some(pair => {
      const value = pair.type === 'pair' ? child(pair, 'value') : null;
      return !!value && isStringListData(value, ctx, true);
    });
  }
  if (node.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return value ? isStringListData(value, ctx, value.type === 'dictionary' || value.type === 'subscript') : assignedStringListText(ctx.textOf(node), node, ctx);
  }
  return false;
}

/** One string literal without escapes or line breaks, and a list of them (one line or several). */
const STRING_ITEM = `(?:"[^"\\\\\\n]*"|'[^'\\\\\\n]*')`;

/**
 * `examples = ["...", "..."]` (or `np.array([...])`) at the top of the cell, read from the text:
 * a statement of plain data mentions no Keras name, so the relevance filter leaves it out of the
 * syntax tree (see relevance.ts statementFilter). The last top-level assignment before the call counts.
 */
function assignedStringListText(name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  const before = ctx.text.slice(0, at.start);
  const assignment = new RegExp(`^${name}[ \\t]*=[ \\t]*(.*)`, 'gm');
  let last: string | null = null;
  for (const m of before.matchAll(assignment)) {
    last = before.slice(m.index! + m[0].length - m[1].length);
  }
  if (last === null) {
    return false;
  }
  const list = new RegExp(`^(?:(?:np|numpy)\\.array\\()?\\[\\s*${STRING_ITEM}(?:\\s*,\\s*${STRING_ITEM})*\\s*,?\\s*\\]\\)?[ \\t]*(?:#[^\\n]*)?(?:\\n|$)`);
  return list.test(last);
}

function isStringDtype(node: SyntaxNode, ctx: RuleContext): boolean {
  return stringValue(node, ctx) === 'string' || ctx.resolve(node) === 'tensorflow.string';
}


/** Lookup layers the rewrite moves from the model into the data pipeline. */
const LOOKUP_LAYERS = new Set(['keras.layers.StringLookup', 'keras.layers.IntegerLookup', 'keras.layers.Hashing', 'keras.layers.TextVectorization']);
/** Noted by a cell whose model-side lookups the suggested fix moves to the data: fit/evaluate/predict data in every cell then goes through `lookup_strings_in`. */
const LOOKUPS_MOVED = 'string-lookups-moved';
const REGISTRY = 'string_lookups';
const HELPER = 'lookup_strings_in';

/**
 * The module-level code the rewrite adds (once, before the first model-building function whose
 * lookups it moves): the registry the model-building code fills, the tf.data map function, and
 * the wrapper for the data given to fit/evaluate/predict (a dataset is mapped, a dict of arrays
 * converted eagerly: StringLookup/IntegerLookup run eagerly on every backend, checked on Keras 3.15).
 */
const HELPER_CODE = [
  '# String lookups run on the data, outside the model (Keras 3 on JAX and PyTorch has no string',
  '# tensors): the model-building code registers each lookup layer under its input\'s key, and the',
  '# model takes the integer indices.',
  `${REGISTRY} = {}`,
  '',
  '',
  'def lookup_strings(features, *rest):',
  '    if isinstance(features, dict):',
  `        features = {name: ${REGISTRY}[name](value) if name in ${REGISTRY} else value for name, value in features.items()}`,
  '        # In sorted key order: Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs.',
  '        features = {name: features[name] for name in sorted(features)}',
  '    return (features, *rest) if rest else features',
  '',
  '',
  `def ${HELPER}(data):`,
  '    # A tf.data dataset is mapped; a dict of arrays (or an (x, y) tuple of them) is converted now.',
  '    if hasattr(data, "element_spec"):',
  '        return data.map(lookup_strings)',
  '    if isinstance(data, tuple):',
  '        return (lookup_strings(data[0]),) + tuple(data[1:])',
  '    return lookup_strings(data)',
  '',
  '',
  ''
].join('\n');

/** One lookup call in model-building code the rewrite recognises: `lookup(inputs[key])` in a notebook-level function. */
interface MovableLookup {
  call: SyntaxNode;
  /** The lookup layer expression (a name bound to lookup layers in the function, or the constructor call). */
  layer: SyntaxNode;
  /** `inputs[key]`. */
  argument: SyntaxNode;
  key: SyntaxNode;
  /** The simple statement holding the call, and the top-level statement holding that. */
  statement: SyntaxNode;
  topLevel: SyntaxNode;
  functionName: string;
}

interface CellPlan {
  /** The cell's string Inputs assigned to `inputs[key]` (their dtype nodes) when the whole cell follows the pattern, else empty. */
  inputs: SyntaxNode[];
  lookups: MovableLookup[];
  /** Why the cell's pattern is not rewritten (for the message), or null. */
  refusal: string | null;
}

const PLAN = new CellMemoKey<CellPlan>('string-lookups-plan');

/** A cell's nodes in document order, and its assignments, gathered once per cell (iteratively: trees can be deep). */
interface Scan {
  nodes: SyntaxNode[];
  assignments: SyntaxNode[];
  /** Per notebook-level `def` (or the module): each name assigned there, true when every assignment is a lookup constructor. */
  lookupNames: Map<SyntaxNode, Map<string, boolean>>;
  /** The names some assignment binds to a lookup constructor. */
  anyLookupName: Set<string>;
}

function scanCell(root: SyntaxNode, ctx: RuleContext): Scan {
  const nodes: SyntaxNode[] = [];
  const assignments: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root) {
      nodes.push(n);
    }
    if (n.type === 'assignment') {
      assignments.push(n);
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  const lookupNames = new Map<SyntaxNode, Map<string, boolean>>();
  const anyLookupName = new Set<string>();
  for (const a of assignments) {
    const left = child(a, 'left');
    if (left?.type !== 'identifier') {
      continue;
    }
    const scope = enclosingDef(a) ?? root;
    let names = lookupNames.get(scope);
    if (!names) {
      names = new Map();
      lookupNames.set(scope, names);
    }
    const name = ctx.textOf(left);
    const isLookup = isLookupConstructor(child(a, 'right'), ctx);
    names.set(name, (names.get(name) ?? true) && isLookup);
    if (isLookup) {
      anyLookupName.add(name);
    }
  }
  return { nodes, assignments, lookupNames, anyLookupName };
}

/** The nearest enclosing `def`, or null at module level. */
function enclosingDef(node: SyntaxNode): SyntaxNode | null {
  let def: SyntaxNode | null = node.parent;
  while (def && def.type !== 'function_definition') {
    def = def.parent;
  }
  return def;
}

function isLookupConstructor(node: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!node || node.type !== 'call') {
    return false;
  }
  const fn = child(node, 'function');
  const name = fn ? ctx.resolveKeras(fn) : null;
  return !!name && LOOKUP_LAYERS.has(name);
}

/** Whether every assignment to `name` in the function (or module) is a lookup layer constructor (and there is one). */
function boundToLookups(name: string, scope: SyntaxNode, scan: Scan): boolean {
  return scan.lookupNames.get(scope)?.get(name) === true;
}

/** Why a lookup constructor's output is not the integer index an `int64` model input would take (TextVectorization, a one-hot/multi-hot output_mode), or null. */
function notAnIndex(ctor: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(ctor, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !name) {
    return null;
  }
  const cls = name.slice('keras.layers.'.length);
  if (cls === 'TextVectorization') {
    return 'a `TextVectorization` layer: its output has another shape than its input, so the model input changes shape too';
  }
  const mode = parts.keywords.get('output_mode')?.value;
  if (mode && stringValue(mode, ctx) !== 'int') {
    return `a \`${cls}\` whose \`output_mode\` is not "int": the model would take its encoded vectors, not integer indices`;
  }
  return null;
}

/** Whether a called name is bound to lookup layers in its enclosing notebook-level function. */
function boundInDef(fn: SyntaxNode, scan: Scan, ctx: RuleContext): boolean {
  if (!scan.anyLookupName.has(ctx.textOf(fn))) {
    return false; // most calls: no parent walk
  }
  const def = enclosingDef(fn);
  return !!def && boundToLookups(ctx.textOf(fn), def, scan);
}

function topLevelOf(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.type !== 'module') {
    n = n.parent;
  }
  return n && n.parent ? n : null;
}

function simpleStatementOf(node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type === 'expression_statement' || n.type === 'return_statement') {
      return n.parent && (n.parent.type === 'block' || n.parent.type === 'module') ? n : null;
    }
    if (n.type === 'lambda' || n.type === 'function_definition' || n.type.endsWith('comprehension')) {
      return null;
    }
  }
  return null;
}

function movableLookup(call: SyntaxNode, scan: Scan, root: SyntaxNode, ctx: RuleContext): MovableLookup | null {
  const fn = child(call, 'function');
  const args = child(call, 'arguments');
  const items = args ? itemsOf(args) : [];
  if (!fn || items.length !== 1 || items[0].type !== 'subscript') {
    return null;
  }
  const argument = items[0];
  const value = child(argument, 'value');
  const key = child(argument, 'subscript');
  if (value?.type !== 'identifier' || !key || (key.type !== 'identifier' && key.type !== 'string')) {
    return null;
  }
  let def: SyntaxNode | null = call.parent;
  while (def && def.type !== 'function_definition') {
    if (def.type === 'lambda' || def.type === 'class_definition') {
      return null;
    }
    def = def.parent;
  }
  if (def && def.parent?.type !== 'module') {
    return null; // a notebook-level `def` only (not a method or nested function)
  }
  let scope = def;
  if (!scope) {
    // At module level: `inputs` must be a module-level dict of Inputs (`inputs = {"color": keras.Input(...)}`
    // or `inputs[name] = keras.Input(...)`), so that data code (`lookup(data["color"])`) is left alone.
    scope = root;
    if (!holdsInputs(ctx.textOf(value), scan, ctx)) {
      return null;
    }
  }
  const layerOk = fn.type === 'identifier' ? boundToLookups(ctx.textOf(fn), scope, scan) : isLookupConstructor(fn, ctx);
  const statement = simpleStatementOf(call);
  const topLevel = topLevelOf(call);
  const name = def ? child(def, 'name') : null;
  if (!layerOk || !statement || !topLevel) {
    return null;
  }
  return { call, layer: fn, argument, key, statement, topLevel, functionName: name ? ctx.textOf(name) : '' };
}

/** Whether module-level statements store Keras Inputs in the dict `name` (a dict literal of them, or `name[key] = keras.Input(...)`). */
function holdsInputs(name: string, scan: Scan, ctx: RuleContext): boolean {
  const isInput = (n: SyntaxNode | null): boolean => {
    const parts = n && n.type === 'call' ? callParts(n, ctx) : null;
    const cls = parts ? ctx.resolveKeras(parts.fn) : null;
    return !!cls && INPUT_FACTORIES.has(cls);
  };
  for (const n of scan.assignments) {
    const left = child(n, 'left');
    const right = child(n, 'right');
    if (left?.type === 'identifier' && ctx.textOf(left) === name && right?.type === 'dictionary') {
      if (right.children.some(pair => pair.type === 'pair' && isInput(child(pair, 'value')))) {
        return true;
      }
    }
    const target = left?.type === 'subscript' ? child(left, 'value') : null;
    if (target?.type === 'identifier' && ctx.textOf(target) === name && isInput(right)) {
      return true;
    }
  }
  return false;
}

function isStringInput(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  const dtype = parts?.keywords.get('dtype')?.value;
  return name && INPUT_FACTORIES.has(name) && dtype && isStringDtype(dtype, ctx) ? dtype : null;
}

/**
 * The cell's rewrite, decided once: its string Inputs must all be assigned to `inputs[key]`
 * (a dict of named inputs), and its lookup layers all applied as `lookup(inputs[key])` in
 * notebook-level functions; anything else (a lookup first in a Sequential, inside a layer
 * class, a string Input on its own) leaves the cell without a fix.
 */
function planCell(at: SyntaxNode, ctx: RuleContext): CellPlan {
  let root = at;
  while (root.parent) {
    root = root.parent;
  }
  const inputs: SyntaxNode[] = [];
  const lookups: MovableLookup[] = [];
  let refusal: string | null = null;
  // Only a cell that writes a string dtype has string Inputs to plan for (most cells: no scan).
  if (!/\bstring\b/.test(ctx.text)) {
    return { inputs, lookups, refusal: 'no string `Input` stored in a dict of inputs in this cell' };
  }
  const scan = scanCell(root, ctx);
  const refuse = (why: string): void => {
    refusal ??= why;
  };
  for (const n of scan.nodes) {
    if (n.type !== 'call') {
      continue;
    }
    const dtype = isStringInput(n, ctx);
    if (dtype) {
      const assignment = n.parent?.type === 'assignment' ? n.parent : null;
      const left = assignment ? child(assignment, 'left') : null;
      const inDict = n.parent?.type === 'pair' && child(n.parent, 'value') === n && n.parent.parent?.type === 'dictionary';
      if ((left?.type === 'subscript' && child(assignment!, 'right') === n) || inDict) {
        inputs.push(dtype);
      } else {
        refuse('a string `Input` that is not stored in a dict of inputs (`inputs[name] = keras.Input(...)`)');
      }
      continue;
    }
    const fn = child(n, 'function');
    if (fn && isLookupConstructor(n, ctx)) {
      const notIndex = notAnIndex(n, ctx);
      if (notIndex) {
        refuse(notIndex);
        continue;
      }
      // A lookup layer constructed here: it must be assigned to a name or called at once.
      const parent = n.parent;
      if (parent?.type === 'call' && child(parent, 'function') === n) {
        continue; // `StringLookup(...)(inputs[name])`: judged as a call below
      }
      if (parent?.type === 'assignment' && child(parent, 'right') === n && child(parent, 'left')?.type === 'identifier') {
        continue;
      }
      refuse('a lookup layer used other than as `lookup(inputs[name])` in a model-building function (first in a `Sequential`, inside a layer class, ...)');
      continue;
    }
    if (fn && (fn.type === 'identifier' || fn.type === 'call')) {
      const movable = movableLookup(n, scan, root, ctx);
      if (movable) {
        lookups.push(movable);
      } else if (fn.type === 'call' ? isLookupConstructor(fn, ctx) : boundInDef(fn, scan, ctx)) {
        refuse('a lookup layer applied to something else than `inputs[key]` (a dict of inputs indexed by a name)');
      }
    }
  }
  if (refusal === null && inputs.length === 0) {
    refuse('no string `Input` stored in a dict of inputs in this cell');
  }
  if (refusal === null && lookups.length === 0) {
    refuse('no lookup layer applied as `lookup(inputs[name])` in a model-building function of this cell');
  }
  return refusal === null ? { inputs, lookups, refusal } : { inputs: [], lookups: [], refusal };
}

/** The edits of one moved lookup call: its registration under the input's key, the model taking the input itself; the first also adds the module-level helpers. */
function lookupEdits(lookup: MovableLookup, all: readonly MovableLookup[], ctx: RuleContext): OffsetEdit[] {
  const lineStart = lineStartAt(ctx.text, lookup.statement.start);
  const indent = ctx.text.slice(lineStart, lookup.statement.start);
  // Every lookup of the statement is registered by one edit (the same in each of their fixes, so it applies once).
  const registration = all
    .filter(l => l.statement === lookup.statement)
    .map(l => `${indent}${REGISTRY}[${ctx.textOf(l.key)}] = ${ctx.textOf(l.layer)}  # applied to the data by lookup_strings()\n`)
    .join('');
  const at = lineStartAt(ctx.text, lookup.topLevel.start);
  // The helpers once per cell (a later pass of the fixer finds them there already), with the fix of the
  // first lookup; at module level they go before the same statement as its registration: one edit
  // (helpers first), which every lookup of that statement carries.
  const helpersAdded = new RegExp(`^def ${HELPER}\\(`, 'm').test(ctx.text);
  const together = !helpersAdded && at === lineStart && all[0].statement === lookup.statement;
  const first = !helpersAdded && all[0] === lookup;
  const edits: OffsetEdit[] = [
    { start: lineStart, end: lineStart, text: together ? HELPER_CODE + registration : registration },
    { start: lookup.call.start, end: lookup.call.end, text: ctx.textOf(lookup.argument) }
  ];
  if (first && !together) {
    edits.push({ start: at, end: at, text: HELPER_CODE });
  }
  return edits;
}

const MOVE_WHY = 'only the TensorFlow backend has string tensors, so on JAX and PyTorch the lookup moves out of the model into the data pipeline.';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const method = parts.fn.type === 'attribute' ? child(parts.fn, 'attribute') : null;
  if (method && DATA_METHODS.includes(ctx.textOf(method))) {
    const receiver = child(parts.fn, 'object');
    noteFeeds(receiver, ctx);
    const data = parts.keywords.get('x')?.value ?? parts.positional[0];
    if (data && TRAINER_METHODS.includes(ctx.textOf(method)) && isStringListData(data, ctx)) {
      ctx.note(FEEDS_STRING_LIST);
    }
    if (TRAINER_METHODS.includes(ctx.textOf(method))) {
      reportDataWrap(node, parts, ctx);
    }
    return;
  }
  const plan = ctx.cellMemo(PLAN, () => planCell(node, ctx));
  const moved = plan.lookups.findIndex(l => l.call === node);
  if (moved >= 0) {
    const lookup = plan.lookups[moved];
    if (moved === 0) {
      ctx.note(LOOKUPS_MOVED);
    }
    ctx.report(
      lookup.call,
      `A lookup layer applied to a model input in model-building code: ${MOVE_WHY} Suggested fix (with the string \`Input\`s made integer and the data of fit/evaluate/predict wrapped in \`${HELPER}(...)\`): register the layer in \`${REGISTRY}\` under the input's key and let the model take the input itself.`,
      { title: 'Apply the lookup to the data (tf.data pipeline) instead of in the model', safe: false, edits: lookupEdits(lookup, plan.lookups, ctx) },
      undefined,
      undefined,
      []
    );
    return;
  }
  if (parts.fn.type === 'identifier' && layerCalledOnData(node, parts.fn, ctx)) {
    noteFeeds(parts.fn, ctx);
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name && (INPUT_FACTORIES.has(name) || name === 'keras.layers.InputLayer')) {
    const dtype = parts.keywords.get('dtype')?.value;
    if (dtype && isStringDtype(dtype, ctx)) {
      const fix = plan.inputs.includes(dtype) ? { title: 'Make the input integer (the lookups move to the data)', safe: false, edits: [{ start: dtype.start, end: dtype.end, text: '"int64"' }] } : null;
      const how = fix
        ? ` Suggested fix: the input takes the lookup's integer indices (\`dtype="int64"\`), the lookups of this cell move to \`${REGISTRY}\` and the data given to fit/evaluate/predict goes through \`${HELPER}(...)\`.`
        : ` No automatic fix here (${plan.refusal ?? 'the pattern is not recognised'}): move the lookups to the tf.data pipeline (\`dataset.map(...)\`), make the model's input integer (\`keras.Input(..., dtype="int64")\`) and use it where the lookup's output was used; feed a dict in the order of the model's inputs (sorted by name) on PyTorch.`;
      report(dtype, `A string model input: ${WHY}${how}`, ctx, `anywhere:${FEEDS_MODEL}`, fix);
    }
    return;
  }
  if (name && SEQUENTIAL.has(name)) {
    const layers = parts.keywords.get('layers')?.value ?? parts.positional[0];
    if (!layers || (layers.type !== 'list' && layers.type !== 'tuple')) {
      return;
    }
    // The first layer that is not an Input receives the model's input.
    const items = itemsOf(layers);
    const first = items.find(item => {
      const fn = item.type === 'call' ? child(item, 'function') : null;
      const itemName = fn ? ctx.resolveKeras(fn) : null;
      return !(itemName && (INPUT_FACTORIES.has(itemName) || itemName === 'keras.layers.InputLayer'));
    });
    const cls = first ? stringLayerClass(first, ctx) : null;
    if (first && cls) {
      const target = node.parent?.type === 'assignment' ? child(node.parent, 'left') : null;
      const fed = target?.type === 'identifier' ? `anywhere:${FEEDS_MODEL}:${ctx.textOf(target)}` : `anywhere:${FEEDS_MODEL}`;
      report(first, `\`${cls}\` is the first layer of this model, so the model takes strings: ${WHY}`, ctx, fed);
    }
  }
}

/**
 * Where a cell's lookups move to the data (`anywhere:LOOKUPS_MOVED`), the data given to
 * fit/evaluate/predict (`x`, and `validation_data` of fit) goes through `lookup_strings_in(...)`.
 */
function reportDataWrap(node: SyntaxNode, parts: CallParts, ctx: RuleContext): void {
  const targets = [parts.keywords.get('x')?.value ?? parts.positional[0], parts.keywords.get('validation_data')?.value].filter((n): n is SyntaxNode => !!n);
  const edits = targets
    .filter(n => !ctx.textOf(n).startsWith(`${HELPER}(`))
    .map(n => ({ start: n.start, end: n.end, text: `${HELPER}(${ctx.textOf(n)})` }));
  if (edits.length === 0) {
    return;
  }
  ctx.report(
    targets[0],
    `Data given to a model whose lookup layers move to the data pipeline (see the string \`Input\` finding): ${MOVE_WHY} Suggested fix: pass it through \`${HELPER}(...)\`, which maps a tf.data dataset with the lookups (and converts a dict of arrays), its features in sorted key order.`,
    { title: `Look the string features up in the data (${HELPER})`, safe: false, edits },
    undefined,
    `anywhere:${LOOKUPS_MOVED}`,
    []
  );
}

/** The receiver of `fit`/`predict`/... or a called model instance: the notebook runs a model on data. */
function noteFeeds(receiver: SyntaxNode | null, ctx: RuleContext): void {
  ctx.note(FEEDS_MODEL);
  if (receiver?.type === 'identifier') {
    ctx.note(`${FEEDS_MODEL}:${ctx.textOf(receiver)}`);
  }
}

/**
 * JAX and PyTorch fail on string data however it comes, but only once data reaches the model
 * (`fed`: a model built, summarised or compiled and never run on data runs on all three);
 * TensorFlow only where the program feeds a list or unicode array of strings.
 */
function report(node: SyntaxNode, message: string, ctx: RuleContext, fed: string, fix: RawFix | null = null): void {
  const tf = ' Where the program feeds the model a Python list of strings or a NumPy unicode array (`np.array([...])`), Keras 3 refuses that data on TensorFlow too; `tf.constant(...)` or a `tf.data` dataset of the strings runs there. Building, compiling or saving the model runs on every backend: only running it on data fails.';
  ctx.report(node, message + tf, fix, undefined, undefined, ['tensorflow', 'jax', 'torch'], {
    tensorflow: `anywhere:${FEEDS_STRING_LIST} & ${fed}`,
    jax: fed,
    torch: fed
  });
}

export const stringTensorsInModel: RuleDefinition = {
  code: 'KM192',
  name: 'string-tensors-in-model',
  slug: 'api-changes',
  severity: 'warning',
  /** ValueError/TypeError on JAX and PyTorch when string data reaches the model; on TensorFlow only for list or unicode-array data (checked by running). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: DATA_METHODS,
  docs: {
    whatItDoes:
      'Flags models that take strings: a `keras.Input`/`InputLayer` with `dtype="string"` (or `tf.string`), and a `Sequential` model whose first layer is a `TextVectorization` or `StringLookup` layer (constructed there or assigned to the name used). Where its suggested fix applies, also the lookup calls it moves out of the model and the `fit`/`evaluate`/`predict` data it wraps (those findings block no backend by themselves).',
    why:
      'Keras 2 models could take raw strings because everything was TensorFlow. In Keras 3 only the TensorFlow backend has string tensors; on JAX and PyTorch the model fails when string data reaches it. TensorFlow fails too where the program gives `fit`/`predict`/`evaluate` a Python list of strings or `np.array` of them without `dtype=object` (Keras 3\'s data adapters refuse both: "Unrecognized data type", "Invalid dtype: str384"), so the finding then blocks TensorFlow as well; `tf.constant`, an object array or a `tf.data` dataset of the strings runs there (checked on Keras 3.15). Not covered by the migration guide. The string preprocessing layers still work in a `tf.data` pipeline on every backend, so the portable program adapts and applies them there and feeds the model integer ids or one-hot vectors (as the Keras team\'s Keras 3 ports of the keras.io structured-data examples do). Suggested (unsafe) fix for the common structured-data pattern, when a cell stores its string `Input`s in a dict (`inputs[name] = keras.Input(..., dtype="string")`) and applies every lookup layer (`StringLookup`, `IntegerLookup`, `Hashing`, with integer output) as `lookup(inputs[key])` in notebook-level model-building functions (or at module level on a module-level dict of `Input`s, a dict literal included): the string `Input`s become `dtype="int64"`, each lookup call is replaced by the input itself and the layer is registered in a module-level `string_lookups` dict under the input\'s key, and the data given to `fit`/`evaluate`/`predict` (`x` and `validation_data`, in any cell) goes through an added `lookup_strings_in(...)`, which maps a `tf.data` dataset with the registered lookups (or converts a dict of arrays eagerly) and returns the features in sorted key order (Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs). The lookups are registered when the model is built, so the data must be wrapped after that (as in `fit`). Any other shape (a lookup first in a `Sequential`, inside a layer class, applied to `tf.expand_dims(inputs[key], -1)`, a one-hot/multi-hot `output_mode`, a `TextVectorization`, a string `Input` outside a dict) gets no fix and the message says what to change; data given to the model otherwise (a direct `model(x)` call) is not wrapped.',
    example:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])',
    useInstead:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])\n# train_ds = raw_ds.map(lambda text, label: (vectorize(text), label))'
  },
  visitors: { call: visit }
};
