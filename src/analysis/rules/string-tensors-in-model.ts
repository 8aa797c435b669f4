import type { SyntaxNode } from '../ast';
import { child, enclosingFunctionDefinition, itemsOf, rootOf } from '../ast';
import { INPUT_FACTORIES } from '../knowledge';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import type { CallParts } from '../helpers/calls';
import { withKerasImport } from '../helpers/calls';
import { tensorflowOnlyBranch } from '../helpers/backend-branch';
import { resolveKerasInCell } from '../helpers/cell-imports';
import type { ExportModel } from '../helpers/string-export-model';
import { feedsOnlyAStringLayerBeforeModels, functionalExportModel, sequentialExportModel, servesReplacedExportModel, stringLayerFirstModel } from '../helpers/string-export-model';
import { skippedAssignment } from '../helpers/name-bindings';
import { isPandasData } from '../helpers/pandas-values';
import { parameterArguments } from '../helpers/tf-data';
import { assignmentsByName, binds, callParts, lastAssignedValue, layerCalledOnData, lineStartAt, nodesOfType, parameterNames, selfAttribute, stringValue } from '../rule-helpers';

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
 * Noted (as an implication of the outer model being fed) where a `Sequential` without an `Input`
 * item starts with a model that takes strings (`keras.Sequential([text_model, head])`, TensorFlow's
 * warm-start embedding tutorial): Keras 3 builds such a Sequential from the first batch in its first
 * layer's dtype, a nested model's float32, and TensorFlow casts the strings ("Cast string to float is
 * not supported"; a string layer first, or an `Input(dtype="string")` item, runs). `string-cast-feed:NAME`
 * names the inner model.
 */
const CAST_FEED = 'string-cast-feed';

/**
 * Whether data fed to a model is a list literal of strings or `np.array([...strings])` without a
 * dtype (a fixed-width unicode array): Keras 3's data adapters refuse both on every backend
 * ("Unrecognized data type", "Invalid dtype: str384"), TensorFlow included; a `tf.data` dataset,
 * `tf.constant` or a one-dimensional object array of the same strings runs on TensorFlow (a
 * two-dimensional one, `df[["col"]].values`, fails there too: "Invalid dtype: object"; checked on Keras 3.15.1).
 */
function isStringListData(node: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  // Rows of strings too (`[["a message"]]`, the shape of a `keras.Input(shape=(1,), dtype="string")`).
  if (node.type === 'list') {
    const items = itemsOf(node);
    // A name holding one string counts as that string (`np.array([sample_text])`, TensorFlow's text tutorials).
    // (Read in the text: a statement without Keras words may be left out of the analysed tree.)
    const stringName = (item: SyntaxNode): boolean => item.type === 'identifier' && assignedStringText(ctx.textOf(item), item, ctx);
    return items.length > 0 && items.every(item => item.type === 'string' || item.type === 'concatenated_string' || stringName(item) || (item.type === 'list' && isStringListData(item, ctx, false)));
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

/** Whether the last top-level assignment of `name` before `at` in the cell's text is one string literal. */
function assignedStringText(name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  const before = ctx.text.slice(0, at.start);
  let valueAt = -1;
  for (const m of before.matchAll(new RegExp(`^${name}[ \\t]*=(?!=)[ \\t]*`, 'gm'))) {
    valueAt = m.index! + m[0].length;
  }
  // One literal, adjacent literals in parentheses over several lines (`("The movie was cool. "\n "...")`),
  // or a literal repeated (`"the " * 2000`, the tutorial's padding text).
  return valueAt >= 0 && new RegExp(`^(?:${STRING_ITEM}|\\((?:\\s*${STRING_ITEM})+\\s*\\))(?:[ \\t]*\\*[ \\t]*\\d+)?[ \\t]*(?:#[^\\n]*)?(?:\\r?\\n|$)`).test(before.slice(valueAt));
}

function isStringDtype(node: SyntaxNode, ctx: RuleContext): boolean {
  return stringValue(node, ctx) === 'string' || ctx.resolve(node) === 'tensorflow.string';
}

/** A `key: <string dtype>` entry in a dict literal's text (`"thal": tf.string`, `"color": "string"`). */
const STRING_DTYPE_ENTRY = /:\s*(?:(?:tf|tensorflow)\.string|"string"|'string')\s*[,}]/;

/** Whether a dict literal (or a name assigned one) has a string dtype among its values. */
function dictHasStringDtype(node: SyntaxNode | null, at: SyntaxNode, ctx: RuleContext): boolean {
  const value = node?.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), at, ctx) : node;
  if (!value && node?.type === 'identifier') {
    // A plain `name = {...}` without a Keras word is left out of the walked tree: its text.
    const skipped = skippedAssignment(ctx.textOf(node), at, ctx);
    return !!skipped && skipped.text.startsWith('{') && STRING_DTYPE_ENTRY.test(skipped.text);
  }
  return (
    value?.type === 'dictionary' &&
    value.children.some(pair => {
      const v = pair.type === 'pair' ? child(pair, 'value') : null;
      return !!v && isStringDtype(v, ctx);
    })
  );
}

/**
 * Whether a `dtype=` name is assigned a string dtype somewhere before the Input in its function,
 * loop or cell: one branch of a choice made per column (TensorFlow's CSV tutorial:
 * `if dtype == object: dtype = tf.string` / `else: dtype = tf.float32` in the loop making the
 * Inputs), so some of the Inputs may take strings.
 */
function stringDtypeInABranch(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type !== 'identifier') {
    return false;
  }
  let scope: SyntaxNode = node;
  while (scope.parent && scope.type !== 'function_definition') {
    scope = scope.parent;
  }
  const values = assignmentsByName(rootOf(node), ctx).get(ctx.textOf(node)) ?? [];
  return values.some(v => v.start < node.start && v.start >= scope.start && v.end <= scope.end && isStringDtype(v, ctx));
}

/**
 * Whether a `dtype=` name is bound by a comprehension or `for` over `mapper.items()` / `.values()`
 * whose mapper has a string dtype among its values: a dict of Inputs made from a feature -> dtype
 * mapper (`{f: keras.Input(shape=(1,), name=f, dtype=dtype) for f, dtype in dtype_mapper.items()}`,
 * the keras.io feature-engineering examples). The mapper is a dict literal (through a name), or a
 * parameter of the enclosing function given one at a call of that function in the same cell.
 */
function stringDtypeFromMapper(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  let iterable: SyntaxNode | null = null;
  for (let p = node.parent; p && !iterable; p = p.parent) {
    const clauses = p.type === 'for_statement' ? [p] : p.type.endsWith('_comprehension') || p.type === 'generator_expression' ? p.children.filter(c => c.type === 'for_in_clause') : [];
    for (const clause of clauses) {
      const left = child(clause, 'left');
      if (left && binds(left, name, ctx)) {
        iterable = child(clause, 'right');
        break;
      }
    }
    if (p.type === 'function_definition' || p.type === 'class_definition') {
      break;
    }
  }
  const fn = iterable?.type === 'call' ? child(iterable, 'function') : null;
  const method = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  const mapper = fn?.type === 'attribute' ? child(fn, 'object') : null;
  if (!mapper || !method || !['items', 'values'].includes(ctx.textOf(method))) {
    return false;
  }
  if (dictHasStringDtype(mapper, mapper, ctx)) {
    return true;
  }
  // A parameter of the enclosing function: the dicts given for it where the function is called.
  const def = enclosingFunctionDefinition(node);
  const defName = def ? child(def, 'name') : null;
  const index = def && mapper.type === 'identifier' ? (parameterNames(def, ctx) ?? []).indexOf(ctx.textOf(mapper)) : -1;
  if (!def || !defName || index < 0) {
    return false;
  }
  const stack: SyntaxNode[] = [rootOf(def)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const callee = child(n, 'function');
      const parts = callee?.type === 'identifier' && ctx.textOf(callee) === ctx.textOf(defName) ? callParts(n, ctx) : null;
      const arg = parts ? (parts.keywords.get(ctx.textOf(mapper))?.value ?? parts.positional[index]) : null;
      if (arg && dictHasStringDtype(arg, n, ctx)) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}


/** Lookup layers the rewrite moves from the model into the data pipeline (TextVectorization is recognised only to refuse it). */
const LOOKUP_LAYERS = new Set(['keras.layers.StringLookup', 'keras.layers.IntegerLookup', 'keras.layers.Hashing', 'keras.layers.TextVectorization']);
/** Noted by a cell whose model-side lookups the suggested fix moves to the data: fit/evaluate/predict data in every cell then goes through `lookup_strings_in`. */
const LOOKUPS_MOVED = 'string-lookups-moved';
/** Noted by a cell whose string Inputs the suggested fix can make integer (no refusal in the cell): lookup calls in any cell then move. */
const INPUTS_MOVABLE = 'string-inputs-movable';
/** Noted by a cell that defines the added `moved_lookup` helper (the program was fixed). */
const HELPERS_ADDED = 'string-lookup-helpers';
const REGISTRY = 'string_lookups';
const MOVED = 'moved_lookup';
const HELPER = 'lookup_strings_in';

/**
 * The module-level code the rewrite adds (once per cell, before the first top-level statement
 * holding a moved lookup call). `moved_lookup(layer, model_input, used, key, lookup)` stands for
 * `layer(used)` in the model: on a model `Input` it registers the layer under the input's name
 * (or the dict key), and gives the model what the layer's integer output becomes in it (the
 * input itself, or `CategoryEncoding` of it for a one-hot/multi-hot/count layer, whose data then
 * gets the indices); a `Sequential` starting with the lookup keeps its other layers, a layer
 * whose `call()` applied its `lookup` attribute gets the indices. On anything else (real data,
 * an input still of strings) it is `layer(used)`. `lookup_strings_in(data)`
 * maps a tf.data dataset with the registered lookups (or converts a dict of arrays eagerly:
 * the lookup layers run eagerly on every backend, checked on Keras 3.15).
 */
const HELPER_CODE = [
  '# String lookups run on the data, outside the model (Keras 3 on JAX and PyTorch has no string',
  '# tensors, and these layers run TensorFlow): moved_lookup() registers each lookup layer under',
  '# its model input\'s name and the model takes the integer indices; lookup_strings_in() applies',
  '# the registered layers to the data given to fit/evaluate/predict.',
  '# One registry for every cell that adds these helpers (a later cell\'s copy keeps the lookups an earlier one registered).',
  `${REGISTRY} = globals().get("${REGISTRY}", {})`,
  '',
  '',
  `def ${MOVED}(layer, model_input, used=None, key=None, lookup=None):`,
  '    used = model_input if used is None else used',
  '    history = getattr(model_input, "_keras_history", None)',
  '    if not isinstance(getattr(history, "operation", None), keras.layers.InputLayer) or model_input.dtype == "string":',
  '        return layer(used)  # not a model input: the layer stays where it was',
  '    if isinstance(layer, keras.Sequential):',
  '        # The lookup first in a Sequential moves; its other layers stay in the model.',
  `        return keras.Sequential(layer.layers[1:], name=layer.name)(${MOVED}(layer.layers[0], model_input, used, key))`,
  '    if lookup is not None:',
  '        # A layer whose call() applied its lookup attribute to its input: the lookup moves, the layer takes the indices.',
  `        return layer(${MOVED}(getattr(layer, lookup), model_input, used, key))`,
  '    key = model_input.name if key is None else key',
  `    known = ${REGISTRY}.setdefault(key, layer)`,
  '    vocabulary = lambda lookup: lookup.get_vocabulary() if hasattr(lookup, "get_vocabulary") else lookup.get_config()["num_bins"]',
  '    if known is not layer and vocabulary(known) != vocabulary(layer):',
  '        raise ValueError(f"Two lookups with different vocabularies on the input {key!r}: move them to the data by hand")',
  '    mode = layer.output_mode',
  '    if mode == "int":',
  '        return used',
  '    # The data gets the indices; the model encodes them as the layer did.',
  '    layer.output_mode = "int"',
  '    num_tokens = layer.vocabulary_size() if hasattr(layer, "vocabulary_size") else layer.num_bins',
  '    return keras.layers.CategoryEncoding(num_tokens=num_tokens, output_mode=mode)(used)',
  '',
  '',
  'def is_strings(value):',
  '    dtype = getattr(value, "dtype", None)',
  '    return getattr(dtype, "name", None) == "string" or getattr(dtype, "kind", None) in ("O", "U", "S")',
  '',
  '',
  'def lookup_strings(features, *rest):',
  '    if isinstance(features, dict):',
  `        features = {name: ${REGISTRY}[name](value) if name in ${REGISTRY} else value for name, value in features.items()}`,
  '        # A string feature no lookup reads (a model input the model does not use): zeros in its place,',
  '        # since its Input now takes integers (JAX and PyTorch cannot hold the strings).',
  '        features = {name: keras.layers.Hashing(num_bins=1)(value) if is_strings(value) else value for name, value in features.items()}',
  '        # In sorted key order: Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs.',
  '        features = {name: features[name] for name in sorted(features)}',
  `    elif len(${REGISTRY}) == 1 and is_strings(features):`,
  '        # The strings of a one-input model, given alone (not in a dict): its one lookup reads them.',
  `        features = next(iter(${REGISTRY}.values()))(features)`,
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

/** One lookup call in model-building code the rewrite recognises: `layer(used)`, `used` a model input or `expand_dims` of one. */
interface MovableLookup {
  call: SyntaxNode;
  /** The lookup layer expression: a name bound to lookup layers, a lookup constructor, a `Sequential` starting with one or a call of a function returning one. */
  layer: SyntaxNode;
  /** The call's argument list. */
  args: SyntaxNode;
  /** The model input: a name (`thal`, a parameter `feature`) or `inputs[key]`. */
  input: SyntaxNode;
  /** The argument when it is not the input itself (`tf.expand_dims(inputs[key], -1)`), else null. */
  used: SyntaxNode | null;
  /** `key` of `inputs[key]`, or null. */
  key: SyntaxNode | null;
  /** The layer class when the layer is an instance of one whose `call()` applies its lookup (see LookupLayerClass), or null. */
  ofClass: LookupLayerClass | null;
  /** The top-level statement holding the call. */
  topLevel: SyntaxNode;
}

interface CellPlan {
  /** The dtype nodes of the cell's string Inputs when the cell's lookups all move, else empty. */
  inputs: SyntaxNode[];
  lookups: MovableLookup[];
  /** `self.lookup(inputs)` in the `call()` of layer classes whose lookup moves (see LookupLayerClass). */
  classApplies: LookupLayerClass[];
  /** Why the cell's pattern is not rewritten (for the message), or null. */
  refusal: string | null;
  /** The cell defines the added `moved_lookup` (a fixed program). */
  helpersDefined: boolean;
}

const PLAN = new CellMemoKey<CellPlan>('string-lookups-plan');

/** What a cell's names are bound to, per notebook-level `def` (or the module): gathered once per cell, iteratively (trees can be deep). */
interface Scan {
  nodes: SyntaxNode[];
  /** Per scope, each name assigned there: true when every assignment makes a lookup layer (a constructor, a lookup-first `Sequential`, a factory call). */
  lookupNames: Map<SyntaxNode, Map<string, boolean>>;
  /** Per scope, the names bound only to lookup classes (`lookup_class = StringLookup if is_string else IntegerLookup`). */
  classNames: Map<SyntaxNode, Set<string>>;
  /** Notebook-level functions that return a `Sequential` whose first layer is a lookup (`embedding_encoder(vocabulary, dim)`). */
  factories: Set<string>;
  /** Layer classes of the cell whose `call()` applies their one lookup attribute to its input (`self.index_lookup(inputs)`). */
  layerClasses: Map<string, LookupLayerClass>;
  root: SyntaxNode;
}

/** A layer class holding one lookup layer (`self.lookup = StringLookup(...)` in `__init__`) that its `call()` applies to its input, and nothing else uses. */
interface LookupLayerClass {
  /** The lookup constructor in `__init__`, and the attribute it is assigned to. */
  ctor: SyntaxNode;
  attr: string;
  /** `self.lookup(inputs)` in `call()`, and `inputs`. */
  apply: SyntaxNode;
  param: SyntaxNode;
}

/** The scope a node's names live in: its notebook-level `def`, or the module. */
function scopeOf(node: SyntaxNode, root: SyntaxNode): SyntaxNode {
  let def: SyntaxNode | null = null;
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') {
      def = n;
    }
  }
  return def ?? root;
}

/** The lookup class a class expression names (`StringLookup`, `preprocessing.StringLookup`), canonical, or null. */
function lookupClass(node: SyntaxNode, ctx: RuleContext): string | null {
  // The cell is planned at its first node: a lookup class imported further down counts too.
  const name = resolveKerasInCell(node, ctx)?.replace('.layers.experimental.preprocessing.', '.layers.');
  return name && LOOKUP_LAYERS.has(name) ? name : null;
}

function isLookupClassExpr(node: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!node) {
    return false;
  }
  if (node.type === 'conditional_expression') {
    // `A if cond else B`: both branches.
    return isLookupClassExpr(node.children[0] ?? null, ctx) && isLookupClassExpr(node.children[2] ?? null, ctx);
  }
  return (node.type === 'identifier' || node.type === 'attribute') && !!lookupClass(node, ctx);
}

/** Whether a call constructs a lookup layer: its class named directly or through a name bound to lookup classes in its scope. */
function isLookupConstructor(node: SyntaxNode | null, scan: Scan, ctx: RuleContext): boolean {
  const fn = node?.type === 'call' ? child(node, 'function') : null;
  if (!fn) {
    return false;
  }
  if (lookupClass(fn, ctx)) {
    return true;
  }
  return fn.type === 'identifier' && !!scan.classNames.get(scopeOf(node!, scan.root))?.has(ctx.textOf(fn));
}

/** The first layer of a `keras.Sequential([...])` call, or null. */
function sequentialFirst(node: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const parts = node?.type === 'call' ? callParts(node, ctx) : null;
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !name || !SEQUENTIAL.has(name)) {
    return null;
  }
  const layers = parts.keywords.get('layers')?.value ?? parts.positional[0];
  if (!layers || (layers.type !== 'list' && layers.type !== 'tuple')) {
    return null;
  }
  return itemsOf(layers).find(item => !isStringInput(item, ctx) && !(item.type === 'call' && INPUT_FACTORIES.has(ctx.resolveKeras(child(item, 'function')!) ?? ''))) ?? null;
}

/** Whether an expression makes a lookup layer the model applies to an input: a constructor, a `Sequential` whose first layer is one, a call of a lookup factory. */
function makesLookup(node: SyntaxNode | null, scan: Scan, ctx: RuleContext): boolean {
  if (!node || node.type !== 'call') {
    return false;
  }
  if (isLookupConstructor(node, scan, ctx)) {
    return true;
  }
  const first = sequentialFirst(node, ctx);
  if (first) {
    return isLookupConstructor(first, scan, ctx) || (first.type === 'identifier' && boundToLookups(first, scan, ctx));
  }
  const fn = child(node, 'function');
  return fn?.type === 'identifier' && (scan.factories.has(ctx.textOf(fn)) || scan.layerClasses.has(ctx.textOf(fn)));
}

/** Whether every assignment to the name in its scope (its function, else the module) makes a lookup layer (and there is one). */
function boundToLookups(name: SyntaxNode, scan: Scan, ctx: RuleContext): boolean {
  const text = ctx.textOf(name);
  const local = scan.lookupNames.get(scopeOf(name, scan.root))?.get(text);
  return (local ?? scan.lookupNames.get(scan.root)?.get(text)) === true;
}

function scanCell(root: SyntaxNode, ctx: RuleContext): Scan {
  const nodes: SyntaxNode[] = [];
  const assignments: SyntaxNode[] = [];
  const returns: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root) {
      nodes.push(n);
    }
    if (n.type === 'assignment') {
      assignments.push(n);
    } else if (n.type === 'return_statement') {
      returns.push(n);
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  const scan: Scan = { nodes, lookupNames: new Map(), classNames: new Map(), factories: new Set(), layerClasses: new Map(), root };
  const named = assignments.filter(a => child(a, 'left')?.type === 'identifier');
  // Names bound to lookup classes first (constructors through them count), then lookup-first
  // `Sequential` factories, then the names bound to lookup layers (constructors, Sequentials, factory calls).
  const classAll = new Map<SyntaxNode, Map<string, boolean>>();
  for (const a of named) {
    const scope = scopeOf(a, root);
    const names = classAll.get(scope) ?? new Map<string, boolean>();
    classAll.set(scope, names);
    const name = ctx.textOf(child(a, 'left')!);
    names.set(name, (names.get(name) ?? true) && isLookupClassExpr(child(a, 'right'), ctx));
  }
  for (const [scope, names] of classAll) {
    scan.classNames.set(scope, new Set([...names].filter(([, all]) => all).map(([name]) => name)));
  }
  const bind = (kind: (value: SyntaxNode | null) => boolean): void => {
    const bound = new Map<SyntaxNode, Map<string, boolean>>();
    for (const a of named) {
      const scope = scopeOf(a, root);
      const names = bound.get(scope) ?? new Map<string, boolean>();
      bound.set(scope, names);
      const name = ctx.textOf(child(a, 'left')!);
      names.set(name, (names.get(name) ?? true) && kind(child(a, 'right')));
    }
    scan.lookupNames = bound;
  };
  bind(value => isLookupConstructor(value, scan, ctx));
  const returnsOf = new Map<SyntaxNode, SyntaxNode[]>();
  for (const r of returns) {
    const def = enclosingFunctionDefinition(r);
    if (def && def.parent?.type === 'module') {
      returnsOf.set(def, [...(returnsOf.get(def) ?? []), r]);
    }
  }
  for (const [def, rs] of returnsOf) {
    const all = rs.every(r => {
      const first = sequentialFirst(r.children[0] ?? null, ctx);
      return !!first && (isLookupConstructor(first, scan, ctx) || (first.type === 'identifier' && boundToLookups(first, scan, ctx)));
    });
    const name = child(def, 'name');
    if (all && name) {
      scan.factories.add(ctx.textOf(name));
    }
  }
  for (const cls of root.children) {
    const found = cls.type === 'class_definition' ? lookupLayerClass(cls, scan, ctx) : null;
    const name = found ? child(cls, 'name') : null;
    if (found && name) {
      scan.layerClasses.set(ctx.textOf(name), found);
    }
  }
  bind(value => makesLookup(value, scan, ctx));
  return scan;
}

/** The class's lookup attribute and where `call()` applies it, when the class follows the pattern (see LookupLayerClass), else null. */
function lookupLayerClass(cls: SyntaxNode, scan: Scan, ctx: RuleContext): LookupLayerClass | null {
  const inClass = scan.nodes.filter(n => n.start >= cls.start && n.end <= cls.end);
  const ctors = inClass.filter(n => n.type === 'assignment' && selfAttribute(child(n, 'left') ?? n, ctx) !== null && isLookupConstructor(child(n, 'right'), scan, ctx));
  if (ctors.length !== 1) {
    return null;
  }
  const attr = selfAttribute(child(ctors[0], 'left')!, ctx);
  const uses = inClass.filter(n => n.type === 'attribute' && selfAttribute(n, ctx) === attr && n !== child(ctors[0], 'left'));
  const apply = uses.length === 1 ? uses[0].parent : null;
  if (!apply || apply.type !== 'call' || child(apply, 'function') !== uses[0]) {
    return null;
  }
  const def = enclosingFunctionDefinition(apply);
  const defName = def ? child(def, 'name') : null;
  const params = def ? child(def, 'parameters') : null;
  const param = params ? itemsOf(params)[1] : null;
  const args = child(apply, 'arguments');
  const items = args ? itemsOf(args) : [];
  if (!defName || ctx.textOf(defName) !== 'call' || param?.type !== 'identifier' || items.length !== 1 || ctx.textOf(items[0]) !== ctx.textOf(param)) {
    return null;
  }
  return { ctor: child(ctors[0], 'right')!, attr: attr!, apply, param };
}


/** Why a lookup constructor cannot move (TextVectorization, a tf_idf output), or null. */
function notMovable(ctor: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(ctor, ctx);
  const cls = parts ? lookupClass(parts.fn, ctx) : null;
  if (!parts) {
    return null;
  }
  if (cls === 'keras.layers.TextVectorization') {
    return 'a `TextVectorization` layer: its output has another shape than its input, so the model input changes shape too';
  }
  const mode = parts.keywords.get('output_mode')?.value;
  if (mode && stringValue(mode, ctx) === 'tf_idf') {
    return 'a lookup whose `output_mode` is "tf_idf": the model cannot redo that encoding from the indices';
  }
  if (parts.keywords.has('sparse') && ctx.textOf(parts.keywords.get('sparse')!.value) !== 'False') {
    return 'a lookup with sparse output';
  }
  return null;
}

/** TensorFlow ops on strings or lookup tables: in model code they keep the model on strings. */
const STRING_OPS = /^tensorflow\.(?:strings|lookup)\./;
const EXPAND_DIMS = new Set(['tensorflow.expand_dims', 'keras.ops.expand_dims', 'keras.backend.expand_dims']);

/** The model input an argument is (a name, `inputs[key]`) or is `expand_dims` of, or null. */
function inputOf(arg: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (arg.type === 'identifier') {
    return arg;
  }
  if (arg.type === 'subscript') {
    const value = child(arg, 'value');
    const key = child(arg, 'subscript');
    return value?.type === 'identifier' && key && (key.type === 'identifier' || key.type === 'string') ? arg : null;
  }
  const parts = arg.type === 'call' ? callParts(arg, ctx) : null;
  const name = parts ? ctx.resolve(parts.fn)?.replace(/^tensorflow\.keras\./, 'keras.') : null;
  const first = parts?.positional[0];
  return parts && name && EXPAND_DIMS.has(name) && first && first.type !== 'call' ? inputOf(first, ctx) : null;
}

function topLevelOf(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n && n.parent && n.parent.type !== 'module') {
    n = n.parent;
  }
  return n && n.parent ? n : null;
}

/**
 * Where a call sits: `model` code (a notebook-level function, the module, a lambda such as the
 * TensorFlow tutorial's `lambda feature: encoder(index(feature))`), a `class`, or `data` code (a
 * lambda or function given to `.map(...)`, directly or through a name).
 */
function placeOf(call: SyntaxNode, dataFunctions: Set<string>, ctx: RuleContext): 'model' | 'class' | 'data' {
  for (let n = call.parent; n; n = n.parent) {
    if (n.type === 'class_definition') {
      return 'class';
    }
    if (n.type === 'lambda') {
      const target = n.parent?.type === 'assignment' ? child(n.parent, 'left') : null;
      if (n.parent?.type === 'argument_list' || (target?.type === 'identifier' && dataFunctions.has(ctx.textOf(target)))) {
        return 'data'; // `ds.map(lambda x, y: ...)`, `fn = lambda ...; ds.map(fn)` (any call's argument: `filter`, `apply`, ...)
      }
    }
    if (n.type === 'function_definition') {
      // A function given to `.map(...)` is data code wherever it is defined (keras.io's
      // `def get_dataset_from_csv(...): def process(features): ...; return make_csv_dataset(...).map(process)`).
      const name = child(n, 'name');
      if (name && dataFunctions.has(ctx.textOf(name))) {
        return 'data';
      }
      if (n.parent?.type === 'module') {
        return 'model';
      }
    }
  }
  return 'model';
}

/** `keras.Model(inputs, outputs)` (a functional model) as a value. */
function isFunctionalModel(value: SyntaxNode, ctx: RuleContext): boolean {
  const fn = value.type === 'call' ? child(value, 'function') : null;
  return !!fn && /^keras\.(models\.)?Model$/.test(ctx.resolveKeras(fn) ?? '') && itemsOf(child(value, 'arguments')!).length > 0;
}

/** Names passed as arguments of `.map(...)` (`ds.map(preprocess)`): functions that run on data. */
function mappedFunctions(scan: Scan, ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const n of scan.nodes) {
    const fn = n.type === 'call' ? child(n, 'function') : null;
    const method = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
    const args = child(n, 'arguments');
    if (method && ctx.textOf(method) === 'map' && args) {
      for (const item of itemsOf(args)) {
        if (item.type === 'identifier') {
          out.add(ctx.textOf(item));
        }
      }
    }
  }
  return out;
}

/** Whether a module-level input expression names Keras Inputs (`user = keras.Input(...)`, a dict of them) rather than data. */
function namesInputs(input: SyntaxNode, scan: Scan, ctx: RuleContext): boolean {
  const root = input.type === 'subscript' ? child(input, 'value')! : input;
  if (ctx.isSymbolic(root)) {
    return true;
  }
  const name = ctx.textOf(root);
  const isInput = (n: SyntaxNode | null): boolean => {
    const parts = n && n.type === 'call' ? callParts(n, ctx) : null;
    const cls = parts ? ctx.resolveKeras(parts.fn) : null;
    return !!cls && INPUT_FACTORIES.has(cls);
  };
  return scan.nodes.some(n => {
    if (n.type !== 'assignment' || scopeOf(n, scan.root) !== scan.root) {
      return false;
    }
    const left = child(n, 'left');
    const right = child(n, 'right');
    const target = left?.type === 'subscript' ? child(left, 'value') : left;
    if (target?.type !== 'identifier' || ctx.textOf(target) !== name) {
      return false;
    }
    if (isInput(right)) {
      return true;
    }
    return right?.type === 'dictionary' && right.children.some(pair => pair.type === 'pair' && isInput(child(pair, 'value')));
  });
}

/** Whether an expression uses a module-level Keras Input (`Reshape((1,))(user)`). */
function mentionsInputs(node: SyntaxNode, scan: Scan, ctx: RuleContext): boolean {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && namesInputs(n, scan, ctx)) {
      return true;
    }
    stack.push(...n.children);
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
 * Whether a string Input is kept where model code can use it: assigned to a name or `inputs[key]`,
 * or a value of a dict (literal or comprehension), directly or as a branch of a conditional
 * (`{name: Input(dtype="float32") if name in NUMERIC else Input(dtype="string") for name in NAMES}`,
 * keras.io's structured-data `create_model_inputs()`).
 */
function inputKept(input: SyntaxNode): boolean {
  let value = input;
  let parent = input.parent;
  while (parent?.type === 'conditional_expression' && parent.children.indexOf(value) !== 1) {
    value = parent; // a branch, not the condition
    parent = parent.parent;
  }
  while (parent?.type === 'parenthesized_expression') {
    value = parent;
    parent = parent.parent;
  }
  if (parent?.type === 'assignment') {
    return child(parent, 'right') === value;
  }
  return (parent?.type === 'pair' && child(parent, 'value') === value) || false;
}

/**
 * The cell's rewrite, decided once. Every lookup layer of the cell must be applied as
 * `layer(input)` or `layer(expand_dims(input, -1))` in model code (a notebook-level function or
 * the module), where the layer is a lookup constructor, a name bound to lookup layers, a
 * `Sequential` starting with one or a call of a function returning such a `Sequential`; data
 * code (lambdas, functions given to `.map`) is left alone. Anything else (a lookup inside a
 * layer class, a TextVectorization, a string Input inside a `Sequential`) leaves the cell without a fix.
 */
function planCell(at: SyntaxNode, ctx: RuleContext): CellPlan {
  const helpersDefined = new RegExp(`^def ${MOVED}\\(`, 'm').test(ctx.text);
  const none = (refusal: string): CellPlan => ({ inputs: [], lookups: [], classApplies: [], refusal, helpersDefined });
  // Only a cell that writes a string dtype or a lookup layer has something to plan for (most cells: no scan).
  if (!/\bstring\b|Lookup|Hashing/.test(ctx.text)) {
    return none('no string `Input` in this cell');
  }
  let root = at;
  while (root.parent) {
    root = root.parent;
  }
  const scan = scanCell(root, ctx);
  const dataFunctions = mappedFunctions(scan, ctx);
  const inputs: SyntaxNode[] = [];
  const lookups: MovableLookup[] = [];
  let refusal: string | null = null;
  const refuse = (why: string): void => {
    refusal ??= why;
  };
  for (const n of scan.nodes) {
    if (n.type !== 'call') {
      continue;
    }
    const dtype = isStringInput(n, ctx);
    if (dtype) {
      if (inputKept(n)) {
        inputs.push(dtype);
      } else {
        refuse('a string `Input` that is not assigned to a name or a dict of inputs (inside a `Sequential`, ...)');
      }
      continue;
    }
    const fn = child(n, 'function');
    const args = child(n, 'arguments');
    if (!fn || !args) {
      continue;
    }
    // A functional model applied in tf.data code (TensorFlow's feature-columns migration guide:
    // `dataset.map(lambda x, y: (preprocessing_model(x), y))`) gets the strings there: its Inputs must
    // keep taking them (made integer, TensorFlow failed: "Cast string to int64 is not supported").
    if (fn.type === 'identifier' && placeOf(n, dataFunctions, ctx) === 'data' && isFunctionalModel(lastAssignedValue(ctx.textOf(fn), n, ctx) ?? fn, ctx)) {
      refuse(`a model applied in tf.data code (\`${ctx.textOf(fn)}(...)\` in a \`.map\` function): its string \`Input\`s take the strings there`);
      continue;
    }
    if (STRING_OPS.test(ctx.resolve(fn) ?? '') && placeOf(n, dataFunctions, ctx) !== 'data') {
      const table = /^tensorflow\.lookup\./.test(ctx.resolve(fn) ?? '')
        ? '; a table keyed by the strings becomes an array indexed by the looked-up index (`keras.ops.take(keras.ops.convert_to_tensor(values), indices)`)'
        : '';
      refuse(`TensorFlow string or table ops in model code: \`${ctx.textOf(fn)}\`${table}`);
      continue;
    }
    const isCtor = isLookupConstructor(n, scan, ctx);
    if (isCtor) {
      const why = notMovable(n, ctx);
      if (why) {
        refuse(why);
        continue;
      }
    }
    const made = fn.type === 'identifier' && (scan.factories.has(ctx.textOf(fn)) || scan.layerClasses.has(ctx.textOf(fn)));
    if (isCtor || made || sequentialFirst(n, ctx)) {
      if (!makesLookup(n, scan, ctx)) {
        continue; // a Sequential not starting with a lookup
      }
      const place = placeOf(n, dataFunctions, ctx);
      if (place === 'class') {
        if (![...scan.layerClasses.values()].some(c => c.ctor === n)) {
          refuse('a lookup layer made inside a layer class whose `call()` does more with it than apply it once to its input (several lookups, a lookup-first `Sequential`, ...)');
        }
        continue;
      }
      // A lookup layer made here: assigned to a name, called at once, first in a Sequential or returned by a factory.
      const parent = n.parent;
      const called = parent?.type === 'call' && child(parent, 'function') === n;
      const assigned = parent?.type === 'assignment' && child(parent, 'right') === n && child(parent, 'left')?.type === 'identifier';
      const inSequential = parent?.type === 'list' || parent?.type === 'tuple' || parent?.type === 'argument_list';
      const returned = parent?.type === 'return_statement';
      if (!(called || assigned || inSequential || returned) && place === 'model') {
        refuse('a lookup layer used other than by calling it on a model input (`lookup(input)`, `encoder(input)`)');
      }
      continue;
    }
    // A call of a lookup layer held by a name, or made in place (`StringLookup(...)(x)`, `encoder(...)(x)`).
    const layerCall = fn.type === 'identifier' ? boundToLookups(fn, scan, ctx) : makesLookup(fn, scan, ctx);
    if (!layerCall) {
      continue;
    }
    const place = placeOf(n, dataFunctions, ctx);
    if (place === 'data') {
      continue;
    }
    const items = itemsOf(args);
    const input = items.length === 1 && items[0].type !== 'keyword_argument' ? inputOf(items[0], ctx) : null;
    const topLevel = topLevelOf(n);
    const atModule = scopeOf(n, root) === root;
    if (place === 'class' || !input || !topLevel || (atModule && !namesInputs(input, scan, ctx))) {
      if (place !== 'model' || !atModule || items.some(item => mentionsInputs(item, scan, ctx))) {
        refuse('a lookup layer applied to something else than a model input (a name, `inputs[key]` or `expand_dims` of one)');
      }
      continue; // module-level data code (`ids = user_lookup(user_ids)`)
    }
    const key = input.type === 'subscript' ? child(input, 'subscript') : null;
    const ofClass = [...scan.layerClasses.values()].find(c => makesLookupOfClass(fn, c, scan, ctx)) ?? null;
    lookups.push({ call: n, layer: fn, args, input, used: input === items[0] ? null : items[0], key, ofClass, topLevel });
  }
  // An Input other layers read too (`norm(ca)` beside `lookup(ca)`: keras.io's heart-disease "ca", both
  // numerical and categorical) keeps its raw values: a lookup moved to the data would hand them its
  // indices (og45b: a silently different Normalization output on every backend). A numeric Input's
  // lookup stays in the model; a string Input's cannot (no fix).
  const moved: MovableLookup[] = [];
  // Other lookups of the input (Wide & Deep's lookup per use) move with it: not counted as other readers.
  const lookupCalls = new Set<SyntaxNode>();
  for (const lookup of lookups) {
    lookupCalls.add(lookup.call);
    lookupParameterArguments(lookup, ctx)?.forEach(a => {
      const call = (a.parent?.type === 'keyword_argument' ? a.parent.parent : a.parent)?.parent;
      if (call?.type === 'call') {
        lookupCalls.add(call);
      }
    });
  }
  for (const lookup of lookups) {
    const shared = sharedInputs(lookup, lookupCalls, scan, ctx);
    if (!shared.length) {
      moved.push(lookup);
    } else if (shared.some(n => n.type !== 'identifier' || !numericInput(n, scan, ctx)) || lookup.input.type !== 'identifier' || shared[0] !== lookup.input) {
      refuse(`a model input that other layers read besides its lookup (\`${ctx.textOf(shared[0])}\`): moved to the data, the lookup would hand them its indices`);
    }
  }
  // The string Inputs and the lookups may be in different cells (helpers in one, the model in the next):
  // the findings' conditions join them (INPUTS_MOVABLE, LOOKUPS_MOVED).
  const classApplies = [...scan.layerClasses.values()].filter(c => moved.some(l => l.ofClass === c));
  return refusal === null ? { inputs, lookups: moved, classApplies, refusal, helpersDefined } : none(refusal);
}

/** Calls that take a model's inputs without reading them as a layer does. */
const MODEL_CONSTRUCTORS = new Set(['keras.Model', 'keras.models.Model']);

/**
 * The inputs a lookup call reads (its input, or for a parameter of the function around it the
 * arguments its calls give: names, or `inputs["key"]`) that the cell also hands to another call: a layer, a function of
 * the cell, `concatenate`, ... (a Keras `Model(...)` constructor, lists and dicts assigned to names are
 * not counted; `expand_dims` of an input counts as the input).
 */
function sharedInputs(lookup: MovableLookup, lookupCalls: ReadonlySet<SyntaxNode>, scan: Scan, ctx: RuleContext): SyntaxNode[] {
  const read = lookupParameterArguments(lookup, ctx) ?? [lookup.input];
  // `inputs[name]` in a loop over the features names another Input each time: not followed.
  const followed = read.filter(a => a.type === 'identifier' || (a.type === 'subscript' && child(a, 'subscript')?.type === 'string'));
  return followed.filter(input => consumers(ctx.textOf(input), input.type, lookupCalls, scan, ctx) > 0);
}

/** For a lookup applied to a parameter of the function around it, the arguments the cell's calls give that parameter; else null. */
function lookupParameterArguments(lookup: MovableLookup, ctx: RuleContext): SyntaxNode[] | null {
  const def = lookup.input.type === 'identifier' ? enclosingFunctionDefinition(lookup.call) : null;
  if (!def || !(parameterNames(def, ctx) ?? []).includes(ctx.textOf(lookup.input))) {
    return null;
  }
  return (parameterArguments(ctx.textOf(lookup.input), lookup.call, ctx) ?? []).map(a => a.argument);
}

/**
 * How many calls other than `lookupCalls` (and a Model constructor) take the expression of this text
 * as an argument, in lists, dicts or `expand_dims` too.
 */
function consumers(text: string, type: string, lookupCalls: ReadonlySet<SyntaxNode>, scan: Scan, ctx: RuleContext): number {
  let count = 0;
  for (const n of scan.nodes) {
    if (n.type !== type || ctx.textOf(n) !== text) {
      continue;
    }
    let p = n.parent;
    while (p && (CONTAINERS.has(p.type) || (p.type === 'call' && EXPAND_DIMS.has(ctx.resolve(child(p, 'function')!)?.replace(/^tensorflow\.keras\./, 'keras.') ?? '')))) {
      p = p.parent;
    }
    if (p?.type === 'call' && !lookupCalls.has(p) && !MODEL_CONSTRUCTORS.has(ctx.resolveKeras(child(p, 'function')!) ?? '') && child(p, 'function') !== n) {
      count++;
    }
  }
  return count;
}

const CONTAINERS = new Set(['list', 'tuple', 'dictionary', 'pair', 'keyword_argument', 'argument_list', 'parenthesized_expression']);

/** Whether a name is assigned a Keras `Input` of a numeric dtype in the cell: none given, or a literal or TF dtype other than strings. */
function numericInput(name: SyntaxNode, scan: Scan, ctx: RuleContext): boolean {
  return scan.nodes.some(n => {
    const left = n.type === 'assignment' ? child(n, 'left') : null;
    const right = left && ctx.textOf(left) === ctx.textOf(name) ? child(n, 'right') : null;
    const parts = right?.type === 'call' ? callParts(right, ctx) : null;
    const dtype = parts?.keywords.get('dtype')?.value;
    const literal = !dtype || dtype.type === 'string' || /^tensorflow\.\w+$/.test(ctx.resolve(dtype) ?? '');
    return !!parts && INPUT_FACTORIES.has(ctx.resolveKeras(parts.fn) ?? '') && literal && !(dtype && isStringDtype(dtype, ctx));
  });
}

/** Whether a moved call's layer is (a name bound to) an instance of the layer class. */
function makesLookupOfClass(layer: SyntaxNode, cls: LookupLayerClass, scan: Scan, ctx: RuleContext): boolean {
  const classOf = (n: SyntaxNode | null): string | null => {
    const fn = n?.type === 'call' ? child(n, 'function') : null;
    return fn?.type === 'identifier' ? ctx.textOf(fn) : null;
  };
  const name = [...scan.layerClasses].find(([, c]) => c === cls)?.[0];
  if (classOf(layer) === name) {
    return true;
  }
  return layer.type === 'identifier' && scan.nodes.some(n => n.type === 'assignment' && child(n, 'left')?.type === 'identifier' && ctx.textOf(child(n, 'left')!) === ctx.textOf(layer) && classOf(child(n, 'right')) === name);
}

/**
 * The edits of one moved lookup call: `layer(used)` becomes `moved_lookup(layer, input[, used][, key=k])`
 * (the layer and argument texts are kept, so other rules' edits inside them still apply); the first
 * call of the cell also adds the module-level helpers.
 */
function lookupEdits(lookup: MovableLookup, all: readonly MovableLookup[], ctx: RuleContext): OffsetEdit[] {
  const inputText = lookup.used ? `${ctx.textOf(lookup.input)}, ` : '';
  const edits: OffsetEdit[] = [
    { start: lookup.call.start, end: lookup.call.start, text: `${MOVED}(` },
    { start: lookup.layer.end, end: lookup.args.start + 1, text: `, ${inputText}` }
  ];
  const keywords = [lookup.key ? `key=${ctx.textOf(lookup.key)}` : '', lookup.ofClass ? `lookup="${lookup.ofClass.attr}"` : ''].filter(k => k);
  if (keywords.length > 0) {
    const end = lookup.args.end - 1; // before `)`
    edits.push({ start: end, end, text: `, ${keywords.join(', ')}` });
  }
  // The helpers once per cell (a later pass of the fixer finds them there already), with the fix of the first lookup.
  if (all[0] === lookup && !new RegExp(`^def ${MOVED}\\(`, 'm').test(ctx.text)) {
    const at = lineStartAt(ctx.text, lookup.topLevel.start);
    edits.push({ start: at, end: at, text: HELPER_CODE });
    const keras = ctx.kerasImportEdit();
    if (keras) {
      edits.push(keras);
    }
  }
  return edits;
}

/** Pandas data given to a model as columns: a DataFrame, or `dict(df)` of one. */
function isPandasColumns(data: SyntaxNode, at: SyntaxNode, ctx: RuleContext): boolean {
  const parts = data.type === 'call' ? callParts(data, ctx) : null;
  const dictOf = parts && parts.fn.type === 'identifier' && ctx.textOf(parts.fn) === 'dict' && parts.positional.length === 1 ? parts.positional[0] : null;
  return isPandasData(dictOf ?? data, at, ctx);
}

/**
 * A Python list of strings (rows of them) or a unicode NumPy array given to fit/predict/evaluate:
 * Keras 3's data adapters refuse it on every backend ("Unrecognized data type", "Invalid dtype:
 * str384"); a tensor of the same strings runs on TensorFlow, as the Keras team's port of keras.io
 * pretrained word embeddings passes `keras.ops.convert_to_tensor([["..."]])` (checked on Keras
 * 3.15). Safe: the call failed on every backend as written. A dict of columns keeps its arrays
 * (no single tensor): the string Input finding says what to do.
 */
function reportStringListData(data: SyntaxNode, ctx: RuleContext): void {
  const bound = data.type === 'identifier' ? lastAssignedValue(ctx.textOf(data), data, ctx) : null;
  if (data.type === 'dictionary' || bound?.type === 'dictionary') {
    return;
  }
  ctx.report(
    data,
    'Data of strings as a Python list or a NumPy unicode array: Keras 3\'s data adapters refuse it on every backend ("Unrecognized data type", "Invalid dtype: str..."), TensorFlow included. A tensor of the same strings runs on TensorFlow (the Keras team\'s Keras 3 port of keras.io pretrained word embeddings passes `keras.ops.convert_to_tensor([[...]])`); JAX and PyTorch have no string tensors (see the string model finding).',
    { title: 'Pass the strings as a tensor (`keras.ops.convert_to_tensor`)', safe: true, edits: withKerasImport(ctx, [{ start: data.start, end: data.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(data)})` }]) },
    undefined,
    undefined,
    ['tensorflow', 'jax', 'torch']
  );
}

const MOVE_WHY = 'only the TensorFlow backend has string tensors, so on JAX and PyTorch the lookup moves out of the model into the data pipeline.';

/**
 * Whether a Lambda layer's function works on strings: compares its (first) parameter with a string
 * literal (`x == "fixed"`, `tf.equal(x, "fixed")`), applies a `tf.strings` op to it, or looks it up
 * in a table (`table.lookup(x)`). The function
 * is an inline `lambda` or a `def` of this code named by the Lambda's first argument.
 */
function lambdaDoesStringOps(fnArg: SyntaxNode, ctx: RuleContext): boolean {
  let param: string | null = null;
  let body: string | null = null;
  if (fnArg.type === 'lambda') {
    const params = child(fnArg, 'parameters');
    const first = params?.children.find(c => c.type === 'identifier');
    param = first ? ctx.textOf(first) : null;
    const b = child(fnArg, 'body');
    body = b ? ctx.textOf(b) : null;
  } else if (fnArg.type === 'identifier') {
    const name = ctx.textOf(fnArg).replace(/[^\w]/g, '');
    const def = new RegExp(`^([ \\t]*)def\\s+${name}\\s*\\(\\s*(\\w+)[^)]*\\)[^:\\n]*:`, 'm').exec(ctx.text);
    if (def) {
      param = def[2];
      const rest = ctx.text.slice(def.index + def[0].length);
      const end = new RegExp(`\\n(?=${def[1]}\\S)`).exec(rest);
      body = rest.slice(0, end ? end.index : rest.length);
    }
  }
  if (!param || !body || param === 'self') {
    return false;
  }
  const p = param;
  const str = `(?:"[^"\\n]*"|'[^'\\n]*')`;
  return [
    new RegExp(`\\b${p}\\s*[!=]=\\s*${str}`),
    new RegExp(`${str}\\s*[!=]=\\s*${p}\\b`),
    new RegExp(`\\b(?:tf|tensorflow)\\.(?:math\\.)?(?:equal|not_equal)\\(\\s*${p}\\s*,\\s*${str}`),
    new RegExp(`\\b(?:tf|tensorflow)\\.strings\\.\\w+\\(\\s*${p}\\b`),
    // `table.lookup(cats)`: a `tf.lookup` table keyed by strings (Géron's ch. 13 categories, og48b repro_3).
    new RegExp(`\\.lookup\\(\\s*${p}\\s*\\)`)
  ].some(re => re.test(body!));
}

/** A layer constructed as an item of a `Sequential(...)` list or given to `.add(...)`. */
function inSequential(layer: SyntaxNode, ctx: RuleContext): boolean {
  const list = layer.parent;
  const args = list?.type === 'list' || list?.type === 'tuple' ? (list.parent?.type === 'keyword_argument' ? list.parent.parent : list.parent) : layer.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  const fn = call ? child(call, 'function') : null;
  if (!fn) {
    return false;
  }
  if (args !== layer.parent) {
    return SEQUENTIAL.has(ctx.resolveKeras(fn) ?? '');
  }
  return fn.type === 'attribute' && ctx.textOf(child(fn, 'attribute') ?? fn) === 'add';
}

/**
 * A `Lambda` layer without `output_shape` whose function works on strings: Keras 3 infers a
 * Lambda's output shape by calling its function on placeholders of the layer's float dtype, which
 * string comparisons and `tf.strings` ops refuse ("We could not automatically infer the shape of
 * the Lambda's output") on TensorFlow when the model is built (checked on Keras 3.15; on JAX and
 * PyTorch the string data fails anyway).
 */
function reportStringLambda(node: SyntaxNode, parts: CallParts, ctx: RuleContext): void {
  const fnArg = parts.keywords.get('function')?.value ?? parts.positional[0];
  if (!fnArg || parts.keywords.has('output_shape') || parts.positional.length > 1 || parts.splat || !lambdaDoesStringOps(fnArg, ctx)) {
    return;
  }
  // A layer of a Sequential (its list, or `.add(...)`): Keras 3's Sequential.build() gives up on the
  // shape inference's NotImplementedError and runs its layers one by one, so TensorFlow runs it
  // (checked on Keras 3.15, /work/og46c repro_4); applied to a KerasTensor, the Lambda fails to build there.
  if (inSequential(node, ctx)) {
    ctx.report(
      node,
      `A \`Lambda\` layer doing string operations (a comparison with a string, \`tf.strings\`) in a \`Sequential\`: ${WHY} Move the string handling to the tf.data pipeline and give the model numbers.`,
      null,
      undefined,
      undefined,
      ['tensorflow', 'jax', 'torch'],
      { tensorflow: `anywhere:${FEEDS_STRING_LIST} & anywhere:${FEEDS_MODEL}`, jax: `anywhere:${FEEDS_MODEL}`, torch: `anywhere:${FEEDS_MODEL}` }
    );
    return;
  }
  ctx.report(
    node,
    `A \`Lambda\` layer doing string operations (a comparison with a string, \`tf.strings\`) without \`output_shape\`: Keras 3 infers a Lambda's output shape by calling its function on float placeholders, which string operations refuse, so building the model fails on TensorFlow too ("We could not automatically infer the shape of the Lambda's output"), and ${WHY} Move the string handling to the tf.data pipeline and give the model numbers (on TensorFlow alone, \`output_shape=\` lets the Lambda build).`,
    null,
    undefined,
    undefined,
    ['tensorflow', 'jax', 'torch'],
    { jax: `anywhere:${FEEDS_MODEL}`, torch: `anywhere:${FEEDS_MODEL}` }
  );
}

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
      reportStringListData(data, ctx);
    } else if (data && TRAINER_METHODS.includes(ctx.textOf(method)) && (data.type === 'tuple' || data.type === 'list') && itemsOf(data).some(item => item.type !== 'string' && item.type !== 'list' && isStringListData(item, ctx))) {
      // `model.predict((np.array(["..."]), np.array(["..."])))`, one array per string input (handson-ml3's
      // Transformer): TensorFlow refuses it too ("Invalid dtype: str352"; og49d repro_3, Keras 3.15). The
      // arrays are separate inputs, so no one tensor replaces them: the string Input finding claims TensorFlow.
      ctx.note(FEEDS_STRING_LIST);
    } else if (data && TRAINER_METHODS.includes(ctx.textOf(method)) && isPandasColumns(data, node, ctx)) {
      // `model.fit(dict(df), target)` (the TensorFlow pandas-dataframe tutorial): Keras 3 makes each
      // Series a two-dimensional array, an object array for a string column, which TensorFlow refuses
      // ("Invalid dtype: object"; checked on Keras 3.15, /work/og44c r4). `.to_numpy()` of each column runs there.
      ctx.note(FEEDS_STRING_LIST);
    }
    if (TRAINER_METHODS.includes(ctx.textOf(method))) {
      reportDataWrap(node, parts, ctx);
    }
    return;
  }
  const plan = ctx.cellMemo(PLAN, () => planCell(node, ctx));
  if (plan.helpersDefined) {
    ctx.note(HELPERS_ADDED);
  }
  if (plan.lookups.length > 0 && node === plan.lookups[0].call) {
    ctx.note(LOOKUPS_MOVED);
  }
  const applied = plan.classApplies.find(c => c.apply === node);
  if (applied) {
    ctx.report(
      node,
      `A layer's \`call()\` applies its lookup layer to its input: ${MOVE_WHY} Suggested fix (with the lookup call on the model input moved by \`${MOVED}\`, which registers this layer's lookup for the data): \`call()\` takes the integer indices as they come.`,
      { title: 'Take the looked-up indices (the lookup runs on the data)', safe: false, edits: [{ start: node.start, end: node.end, text: ctx.textOf(applied.param) }] },
      undefined,
      `anywhere:${INPUTS_MOVABLE}`,
      []
    );
    return;
  }
  const moved = plan.lookups.findIndex(l => l.call === node);
  if (moved >= 0) {
    const lookup = plan.lookups[moved];
    ctx.report(
      lookup.call,
      `A lookup layer applied to a model input in model-building code: ${MOVE_WHY} Suggested fix (with the string \`Input\`s made integer and the data of fit/evaluate/predict wrapped in \`${HELPER}(...)\`): \`${MOVED}(layer, input)\` registers the layer in \`${REGISTRY}\` under the input's name to run on the data, and the model takes the integer indices (encoded by \`CategoryEncoding\` in the model where the layer's \`output_mode\` is one-hot, multi-hot or count; a \`Sequential\` keeps its other layers).`,
      { title: 'Apply the lookup to the data (tf.data pipeline) instead of in the model', safe: false, edits: lookupEdits(lookup, plan.lookups, ctx) },
      undefined,
      `anywhere:${INPUTS_MOVABLE}`,
      []
    );
    return;
  }
  if (parts.fn.type === 'identifier' && layerCalledOnData(node, parts.fn, ctx)) {
    noteFeeds(parts.fn, ctx);
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name === 'keras.layers.Lambda') {
    reportStringLambda(node, parts, ctx);
    return;
  }
  if (name && (INPUT_FACTORIES.has(name) || name === 'keras.layers.InputLayer')) {
    const dtype = parts.keywords.get('dtype')?.value;
    if (dtype && !isStringDtype(dtype, ctx) && (stringDtypeFromMapper(dtype, ctx) || stringDtypeInABranch(dtype, ctx))) {
      const source = stringDtypeInABranch(dtype, ctx) ? `is assigned a string dtype above, for some of the columns` : 'comes from a feature -> dtype mapper with a string dtype';
      report(dtype, `A string model input (its \`dtype\` ${source}): ${WHY} No automatic fix here (the string column's handling must move out of the model): turn the string column into numbers in the tf.data pipeline (\`dataset.map(...)\`, e.g. a \`StringLookup\` index), make its \`Input\` numeric and change the model code that compared or looked up the strings.`, ctx, `anywhere:${FEEDS_MODEL}`);
      return;
    }
    if (dtype && isStringDtype(dtype, ctx)) {
      const noFix = (why: string): string =>
        ` No automatic fix here (${why}): move the lookups to the tf.data pipeline (\`dataset.map(...)\`), make the model's input integer (\`keras.Input(..., dtype="int64")\`) and use it where the lookup's output was used; feed a dict in the order of the model's inputs (sorted by name) on PyTorch.`;
      // An end-to-end model around a trained one (unless the cell's lookups move to the data by the other fix).
      // (Not in a branch only TensorFlow runs, the portable export: nothing to fix there.)
      const movable = (!plan.inputs.includes(dtype) || plan.lookups.length === 0) && !tensorflowOnlyBranch(node, ctx);
      const exported = movable ? (functionalExportModel(node, ctx) ?? stringLayerFirstModel(node, ctx)) : null;
      if (exported) {
        reportExportModel(dtype, exported, ctx);
        return;
      }
      if (servesReplacedExportModel(node, ctx) || feedsOnlyAStringLayerBeforeModels(node, ctx)) {
        return; // its export model was made of the numeric part (this rule's fix): no model takes these strings
      }
      if (!plan.inputs.includes(dtype)) {
        report(dtype, `A string model input: ${WHY}${noFix(plan.refusal ?? 'the pattern is not recognised')}`, ctx, `anywhere:${FEEDS_MODEL}`);
        return;
      }
      ctx.note(INPUTS_MOVABLE);
      // With a fix where some cell's lookups move (this one's, or helpers' in another cell), else without.
      const fix = { title: 'Make the input integer (the lookups move to the data)', safe: false, edits: [{ start: dtype.start, end: dtype.end, text: '"int64"' }] };
      const how = ` Suggested fix: the input takes the lookup's integer indices (\`dtype="int64"\`), the lookups applied to model inputs go through \`${MOVED}(...)\`, which registers them in \`${REGISTRY}\`, and the data given to fit/evaluate/predict goes through \`${HELPER}(...)\`, which applies them.`;
      report(dtype, `A string model input: ${WHY}${how}`, ctx, `anywhere:${FEEDS_MODEL}`, fix, `anywhere:${LOOKUPS_MOVED}`);
      report(dtype, `A string model input: ${WHY}${noFix('no lookup layer applied to a model input in model-building code')}`, ctx, `anywhere:${FEEDS_MODEL}`, null, `!anywhere:${LOOKUPS_MOVED}`);
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
    const target = node.parent?.type === 'assignment' ? child(node.parent, 'left') : null;
    if (first?.type === 'identifier') {
      // A model nested first in this one gets this one's data: fed where this one is.
      const outer = target?.type === 'identifier' ? `${FEEDS_MODEL}:${ctx.textOf(target)}` : FEEDS_MODEL;
      const inner = ctx.textOf(first);
      ctx.note(`if:${outer}=>${FEEDS_MODEL}:${inner}`);
      if (!items.some(item => isInputItem(item, ctx)) && modelTakesStrings(first, ctx)) {
        ctx.note(`if:${outer}=>${CAST_FEED}:${inner}`);
        ctx.note(`if:${outer}=>${CAST_FEED}`);
      }
    }
    // A Sequential encoder the suggested fix already handles (`moved_lookup(encoder, input)`, a factory's): its lookup runs on the data.
    const component = node.parent?.type === 'return_statement' || node.parent?.type === 'argument_list' || (target?.type === 'identifier' && ctx.text.includes(`${MOVED}(${ctx.textOf(target)},`));
    const exported = first && cls && !tensorflowOnlyBranch(node, ctx) ? sequentialExportModel(node, first, ctx, item => isInputItem(item, ctx)) : null;
    if (first && exported) {
      reportExportModel(first, exported, ctx);
      return;
    }
    if (first && cls) {
      const fed = target?.type === 'identifier' ? `anywhere:${FEEDS_MODEL}:${ctx.textOf(target)}` : `anywhere:${FEEDS_MODEL}`;
      // Unless the fix already moved its lookup (`moved_lookup(encoder, input)`, a factory's Sequential).
      report(first, `\`${cls}\` is the first layer of this model, so the model takes strings: ${WHY}`, ctx, fed, null, component ? `!anywhere:${HELPERS_ADDED}` : undefined);
    }
  }
}

/**
 * Whether a name holds a model that takes strings: a `Sequential` whose first layer is a string
 * layer or whose `Input` item is a string one, or a functional model (`keras.Model(inp, ...)`) whose
 * input is a name bound to a string `Input`.
 */
function modelTakesStrings(name: SyntaxNode, ctx: RuleContext): boolean {
  const value = lastAssignedValue(ctx.textOf(name), name, ctx);
  const parts = value?.type === 'call' ? callParts(value, ctx) : null;
  const made = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !made) {
    return false;
  }
  const isStringInputCall = (node: SyntaxNode | null | undefined): boolean => {
    const input = node?.type === 'call' ? callParts(node, ctx) : null;
    const dtype = input?.keywords.get('dtype')?.value;
    return !!input && isInputItem(node!, ctx) && !!dtype && isStringDtype(dtype, ctx);
  };
  if (SEQUENTIAL.has(made)) {
    const list = parts.keywords.get('layers')?.value ?? parts.positional[0];
    const items = list && (list.type === 'list' || list.type === 'tuple') ? itemsOf(list) : [];
    return items.some(isStringInputCall) || (!!items[0] && stringLayerClass(items[0], ctx) !== null);
  }
  if (made === 'keras.Model' || made === 'keras.models.Model') {
    const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0];
    return inputs?.type === 'identifier' && isStringInputCall(lastAssignedValue(ctx.textOf(inputs), inputs, ctx));
  }
  return false;
}

/** An `Input`/`InputLayer` item of a `Sequential` list. */
function isInputItem(item: SyntaxNode, ctx: RuleContext): boolean {
  const fn = item.type === 'call' ? child(item, 'function') : null;
  const name = fn ? ctx.resolveKeras(fn) : null;
  return !!name && (INPUT_FACTORIES.has(name) || name === 'keras.layers.InputLayer');
}

/**
 * An end-to-end model wrapping a trained model with a string layer (see helpers/string-export-model):
 * the finding holds where that model runs on data; its suggested fix predicts with the trained
 * model on the layer's output, computed outside the model.
 */
function reportExportModel(node: SyntaxNode, exported: ExportModel, ctx: RuleContext): void {
  const { name, layer } = exported;
  const inner = exported.inner.replace(/\s+/g, ' ');
  // A Sequential list with more after its string layer: the rest of the list is the numeric model, not `inner` (its next layer).
  const rest = !exported.simple && !exported.start;
  const portable = rest
    ? `\`keras.Sequential(${name}.layers[1:]).predict(keras.ops.convert_to_numpy(${layer}(data)))\`, a model of its other layers sharing their weights`
    : `\`${inner}.predict(keras.ops.convert_to_numpy(${layer}(data)))\``;
  const intro = exported.start
    ? `\`${name}\` applies the string layer \`${layer}\` to its string input first, so it takes strings: ${WHY}`
    : rest
      ? `\`${name}\` is a model applying the string layer \`${layer}\` before its other layers (\`${inner}\`, ...), so it takes strings: ${WHY}`
      : `\`${name}\` is a model applying the string layer \`${layer}\` before \`${inner}\`, so it takes strings: ${WHY}`;
  const fed = `anywhere:${FEEDS_MODEL}:${name}`;
  if (exported.edits) {
    const how = exported.start
      ? `\`${name}\` starts at \`${layer}\`'s output (\`keras.Model(${exported.start}, ...)\`: Keras 3 takes a layer's output as a model input) and its data gets \`${layer}\` applied outside the model (\`keras.ops.convert_to_numpy(${layer}(x))\`, a dataset mapped with \`lambda x, y: (${layer}(x), y)\`)`
      : exported.own
      ? `\`${name}\` is made without \`${layer}\` (the same weights) and its data gets \`${layer}\` applied outside the model (\`keras.ops.convert_to_numpy(${layer}(x))\`, a dataset mapped with \`lambda x, y: (${layer}(x), y)\`)`
      : `apply \`${layer}\` to the data outside the model and predict with \`${inner}\` (${portable}, the same for a direct call of \`${name}\`); \`${name}\` is still built, which runs on every backend`;
    report(node, `${intro} Suggested fix: ${how}.`, ctx, fed, { title: `Apply \`${layer}\` to the data outside the model`, safe: false, edits: withKerasImport(ctx, exported.edits) }, fed);
    return;
  }
  report(
    node,
    `${intro} No automatic fix here (${exported.refusal}): apply \`${layer}\` to the data outside the model and give ${rest ? 'the model of its other layers' : `\`${inner}\``} its output (${portable}; a tf.data dataset: \`ds.map(lambda x, y: (${layer}(x), y))\`).`,
    ctx,
    fed,
    null,
    // Unfed, a model that only wraps a trained one is no finding (the fix leaves it built); any other is, claiming nothing.
    exported.simple && exported.unfed ? fed : undefined
  );
}

/**
 * Where a cell's lookups move to the data (`anywhere:LOOKUPS_MOVED`), the data given to
 * fit/evaluate/predict (`x`, and `validation_data` of fit) goes through `lookup_strings_in(...)`.
 */
function reportDataWrap(node: SyntaxNode, parts: CallParts, ctx: RuleContext): void {
  const targets = [parts.keywords.get('x')?.value ?? parts.positional[0], parts.keywords.get('validation_data')?.value].filter((n): n is SyntaxNode => !!n);
  const edits = targets
    .filter(n => !ctx.textOf(n).startsWith(`${HELPER}(`))
    // The strings themselves, not a tensor of them (the safe fix for string data), which JAX and PyTorch cannot make.
    .map(n => ({ start: n.start, end: n.end, text: `${HELPER}(${ctx.textOf(convertedData(n, ctx))})` }));
  if (edits.length === 0) {
    return;
  }
  ctx.report(
    targets[0],
    `Data given to a model whose lookup layers move to the data pipeline (see the string \`Input\` finding): ${MOVE_WHY} Suggested fix: pass it through \`${HELPER}(...)\`, which maps a tf.data dataset with the lookups (and converts a dict of arrays), its features in sorted key order.`,
    { title: `Look the string features up in the data (${HELPER})`, safe: false, edits },
    undefined,
    // Or a program with the helpers already (a fix pass that moved the lookups and made the data a tensor in one go).
    `anywhere:${LOOKUPS_MOVED} & anywhere:${INPUTS_MOVABLE} | anywhere:${HELPERS_ADDED}`,
    []
  );
}

/** `x` for `keras.ops.convert_to_tensor(x)`, else the node itself. */
function convertedData(node: SyntaxNode, ctx: RuleContext): SyntaxNode {
  const parts = node.type === 'call' ? callParts(node, ctx) : null;
  return parts && !parts.splat && parts.positional.length === 1 && parts.keywords.size === 0 && ctx.resolveKeras(parts.fn) === 'keras.ops.convert_to_tensor' ? parts.positional[0] : node;
}

/**
 * The names a notebook function returns (`return end_to_end_model`), where `name` was last assigned
 * a call of it (`model = get_end_to_end(classifier)`): a model built by a factory function is fed
 * under the caller's name. Functions defined in the same cell, `return <name>` statements only.
 */
function returnedByFactory(name: SyntaxNode, ctx: RuleContext): string[] {
  const value = lastAssignedValue(ctx.textOf(name), name, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  if (!fn || fn.type !== 'identifier') {
    return [];
  }
  const names: string[] = [];
  for (const def of nodesOfType(rootOf(name), 'function_definition')) {
    if (ctx.textOf(child(def, 'name') ?? def) !== ctx.textOf(fn)) {
      continue;
    }
    for (const ret of nodesOfType(def, 'return_statement')) {
      const returned = ret.children.find(c => c.type !== 'return');
      if (returned?.type === 'identifier') {
        names.push(ctx.textOf(returned));
      }
    }
  }
  return names;
}

/** The receiver of `fit`/`predict`/... or a called model instance: the notebook runs a model on data. */
function noteFeeds(receiver: SyntaxNode | null, ctx: RuleContext): void {
  ctx.note(FEEDS_MODEL);
  if (receiver?.type === 'identifier') {
    ctx.note(`${FEEDS_MODEL}:${ctx.textOf(receiver)}`);
    for (const returned of returnedByFactory(receiver, ctx)) {
      ctx.note(`${FEEDS_MODEL}:${returned}`);
    }
  }
}

/**
 * JAX and PyTorch fail on string data however it comes, but only once data reaches the model
 * (`fed`: a model built, summarised or compiled and never run on data runs on all three);
 * TensorFlow only where the program feeds a list or unicode array of strings.
 */
function report(node: SyntaxNode, message: string, ctx: RuleContext, fed: string, fix: RawFix | null = null, onlyIf?: string): void {
  const tf = ' Where the program feeds the model a Python list of strings or a NumPy unicode array (`np.array([...])`), Keras 3 refuses that data on TensorFlow too; `tf.constant(...)` or a `tf.data` dataset of the strings runs there. Building, compiling or saving the model runs on every backend: only running it on data fails.';
  // A string model built where only TensorFlow runs (`if keras.backend.backend() == "tensorflow":`, the
  // portable export of an end-to-end string model) blocks neither JAX nor PyTorch.
  const tfOnly = tensorflowOnlyBranch(node, ctx);
  // TensorFlow also where the model is nested first in a Sequential without an Input that is fed (CAST_FEED).
  const cast = fed.replace(FEEDS_MODEL, CAST_FEED);
  ctx.report(node, message + tf, fix, undefined, onlyIf, tfOnly ? ['tensorflow'] : ['tensorflow', 'jax', 'torch'], {
    tensorflow: `anywhere:${FEEDS_STRING_LIST} & ${fed} | ${cast}`,
    ...(tfOnly ? {} : { jax: fed, torch: fed })
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
      'Flags models that take strings: a `keras.Input`/`InputLayer` with `dtype="string"` (or `tf.string`; also a `dtype` name bound by a comprehension or `for` over `mapper.items()` whose feature -> dtype mapper dict, by name or given for a parameter of the enclosing function, has a string dtype: no fix then), a `Lambda` layer without `output_shape` whose function (an inline lambda or a `def` of the code) compares its input with a string literal, applies a `tf.strings` op to it or looks it up in a table (`table.lookup(x)`) (Keras 3 infers its output shape on float placeholders: the model fails to build on TensorFlow too; no fix), and a `Sequential` model whose first layer is a `TextVectorization` or `StringLookup` layer (constructed there or assigned to the name used). Where its suggested fix applies, also the lookup calls it moves out of the model and the `fit`/`evaluate`/`predict` data it wraps (those findings block no backend by themselves). Also data of strings given to `fit`/`predict`/`evaluate` as a Python list (or rows of them, `[["..."]]`) or a unicode `np.array`, which Keras 3 refuses on every backend: its safe fix passes `keras.ops.convert_to_tensor(...)` of it, which runs on TensorFlow (the Keras team\'s port of keras.io pretrained word embeddings does so; a dict of columns is left to the string Input finding).',
    why:
      'Keras 2 models could take raw strings because everything was TensorFlow. In Keras 3 only the TensorFlow backend has string tensors; on JAX and PyTorch the model fails when string data reaches it. TensorFlow fails too where the program gives `fit`/`predict`/`evaluate` a Python list of strings (or of rows of strings, `[["..."]]`), `np.array` of them without `dtype=object`, or pandas columns (a DataFrame or `dict(df)`: Keras 3 makes each Series a two-dimensional array, "Invalid dtype: object" for strings) (Keras 3\'s data adapters refuse both: "Unrecognized data type", "Invalid dtype: str384"), so the finding then blocks TensorFlow as well; `tf.constant`, a one-dimensional object array or a `tf.data` dataset of the strings runs there (a two-dimensional object array, such as pandas `df[["col"]].values`, fails there too: "Invalid dtype: object"; checked on Keras 3.15.1). Not covered by the migration guide. The string preprocessing layers still work in a `tf.data` pipeline on every backend, so the portable program adapts and applies them there and feeds the model integer ids or one-hot vectors (as the Keras team\'s Keras 3 ports of the keras.io structured-data examples do). Suggested (unsafe) fix for the structured-data patterns of the keras.io examples, when every lookup layer (`StringLookup`, `IntegerLookup`, `Hashing`) of a cell is applied to a model input in model-building code (a notebook-level function, the module, or a lambda not given to `.map(...)`; a function given to `.map(...)` is data code wherever it is defined, e.g. nested in the dataset helper such as the TensorFlow tutorial\'s `lambda feature: encoder(index(feature))`; the lookups\' helper and the string `Input`s may be in different cells): the input a name (`thal = keras.Input(..., dtype="string")`, a helper\'s parameter `feature`), `inputs[key]` of a dict of `Input`s, or `tf.expand_dims` of one; the layer a lookup constructor, a name bound to lookups (a lookup class chosen by a conditional included), a `Sequential` whose first layer is a lookup (or a function returning one), or a layer class whose `call()` applies its one lookup attribute to its input. The string `Input`s become `dtype="int64"`; each such call `layer(x)` becomes `moved_lookup(layer, x)`, an added helper that registers the lookup in a module-level `string_lookups` dict under the input\'s name (the dict key for `inputs[key]`) and gives the model the integer indices (a one-hot/multi-hot/count lookup gives the indices to the data and the model a `CategoryEncoding` of them; a `Sequential` keeps its other layers; a layer class\'s `call()` takes the indices); on anything but a model `Input` it is `layer(x)`, so data code is unchanged. The data given to `fit`/`evaluate`/`predict` (`x` and `validation_data`, in any cell) goes through an added `lookup_strings_in(...)`, which maps a `tf.data` dataset with the registered lookups (or converts a dict of arrays eagerly; the strings of a one-input model given alone, an array or a dataset of them, go through the one lookup registered) and returns the features in sorted key order (Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs); a string feature no lookup reads (a string `Input` the model does not use, keras.io Behavior Sequence Transformer\'s `user_id` with `include_user_id=False`) becomes zeros, since its `Input` now takes integers. The lookups are registered when the model is built, so the data must be wrapped after that (as in `fit`); two lookups with different vocabularies on one input raise an error when the model is built. An `Input` that another layer reads besides its lookups (a `Normalization` of the same integer column, keras.io heart disease\'s `ca`) keeps its raw values: a numeric `Input`\'s lookup stays in the model (moved, it would hand the other layer its indices), and a string `Input` read so gets no fix. For models that apply a string layer before the rest (keras.io\'s end-to-end export models: `keras.Model(string_input, model(vectorizer(string_input)))` through names, with `model` a trained model; `keras.Sequential([vectorizer, model])`; or a `Sequential` whose first layer is the string layer), another suggested fix where the cell runs the model on data only through calls it can rewrite (`predict`, `predict_on_batch`, a direct call, `fit`, `evaluate`, `*_on_batch`, in the same scope, no name involved assigned again): a model that only wraps a trained one and is only predicted with leaves its calls to the trained model on `keras.ops.convert_to_numpy(vectorizer(data))` (the string layer runs TensorFlow eagerly on every backend; `keras.ops.convert_to_tensor(...)` around the strings, the safe fix for list data, is dropped) and stays built, unfed, which is no finding; one that is trained or evaluated (its compile state is its own) becomes its numeric part (`keras.Sequential([model])`, which shares the weights, or the `Sequential` list without its string layer) and its data gets the layer applied (a dataset mapped with `lambda x, y: (vectorizer(x), y)`, `validation_data` too). A functional model whose string `Input` only feeds a string layer first (`x = vectorize_layer(inputs)`, more layers, `model = keras.Model(inputs, outputs)`, then `model.fit(string_ds)`) gets the same data rewrite and starts at the layer\'s output instead: Keras 3 takes that KerasTensor as a Functional model\'s input (an `InputLayer` of its shape and dtype; fit, predict, save and load checked on TensorFlow, JAX and PyTorch), through a new name `<input>_encoded` when the output\'s name is assigned again before the model is built. Data the cell does not show as a dataset or an array is mapped or converted as it turns out when it runs (`hasattr(data, "element_spec")`), for a name; another expression is refused. No fix where the model is passed on or returned, given data in another function or of another shape, called directly on anything but clear array data, or where its `Sequential` has an `Input` item; the message says what to do. Any other shape (a `TextVectorization`, a `tf_idf` output, TensorFlow string or table ops such as `tf.lookup.StaticHashTable` in model code, a lookup applied to another layer\'s output, a layer class doing more with its lookups, a string `Input` inside a `Sequential`, a functional model of the cell applied in tf.data code such as `dataset.map(lambda x, y: (preprocessing_model(x), y))`) gets no fix for the cell and the message says what to change; data given to the model otherwise (a direct `model(x)` call, a list of arrays) is not wrapped.',
    example:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])',
    useInstead:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])\n# train_ds = raw_ds.map(lambda text, label: (vectorize(text), label))'
  },
  // Every finding needs a string model input (`dtype="string"`, `tf.string`: its facts), a Sequential whose first layer is a TextVectorization or StringLookup, or a Lambda layer; the facts it notes are its own.
  requires: ['string', 'TextVectorization', 'StringLookup', 'Lambda'],
  visitors: { call: visit }
};
