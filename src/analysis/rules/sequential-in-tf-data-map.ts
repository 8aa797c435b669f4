import { child, enclosingFunctionDefinition, identifiersIn, itemsOf, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, withKerasImport } from '../rule-helpers';
import { lastAssignedValue, valueBefore } from '../helpers/calls';
import { mappedNameCalls, ParameterArgument, parameterArguments, PREPROCESSING_LAYER, returnedValues, topLevelDefinitions } from '../helpers/tf-data';

const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);
/** The keywords `keras.Sequential` shares with `keras.layers.Pipeline(layers, name=None)`. */
const PIPELINE_KEYWORDS = new Set(['layers', 'name']);

/** The fact a cell notes for `NAME = keras.Sequential(...)`: other cells may map it. */
const fact = (name: string): string => `sequential:${name}`;

/** `aug = keras.Sequential([...])`: the Sequential call, when `value` is one. */
function sequentialCall(value: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const parts = value && value.type === 'call' ? callParts(value, ctx) : null;
  return parts && SEQUENTIAL.has(ctx.resolveKeras(parts.fn) ?? '') ? value : null;
}

/**
 * The edit `keras.Sequential([...])` -> `keras.layers.Pipeline([...])` when every listed layer is a
 * preprocessing layer and no argument lacks a Pipeline spelling; null otherwise.
 */
function pipelineEdit(seq: SyntaxNode, ctx: RuleContext): OffsetEdit | null {
  const parts = callParts(seq, ctx)!;
  const layers = parts.positional[0] ?? parts.keywords.get('layers')?.value;
  // `keras.layers.Pipeline(layers, name=None)`: the layer list and `name=` carry over; any other
  // argument (`trainable=`, a second positional) has no Pipeline spelling.
  const keywordsKept = [...parts.keywords.keys()].every(key => PIPELINE_KEYWORDS.has(key));
  if (!layers || layers.type !== 'list' || parts.splat || parts.positional.length > 1 || !keywordsKept) {
    return null;
  }
  const items = itemsOf(layers);
  const allPreprocessing = items.length > 0 && items.every(item => {
    const fn = item.type === 'call' ? child(item, 'function') : null;
    return fn !== null && PREPROCESSING_LAYER.test(ctx.resolveKeras(fn) ?? '');
  });
  return allPreprocessing ? { start: parts.fn.start, end: parts.fn.end, text: 'keras.layers.Pipeline' } : null;
}

const FIX_TITLE = 'Use `keras.layers.Pipeline` (runs in tf.data on every backend)';

/**
 * The Pipeline fix for a Sequential held by a name the mapped function calls (a Pipeline is no
 * model: no `summary()`, no place in a functional model's graph): safe when the Sequential is
 * called nowhere but in mapped functions.
 */
function pipelineFix(seq: SyntaxNode, name: string, mappedCalls: number, ctx: RuleContext): RawFix | null {
  const edit = pipelineEdit(seq, ctx);
  if (!edit) {
    return null;
  }
  // An item of a dict (`augmenters["weak"]`): other code may reach it through the dict.
  if (!/^\w+$/.test(name)) {
    return { title: FIX_TITLE, safe: false, edits: withKerasImport(ctx, [edit]) };
  }
  // Named nowhere in the cell but in its assignment and in calls inside this mapped function.
  // (`name="data_augmentation"` spelling the variable's name is no use of it.)
  const mentionsIn = (text: string): number => text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
  const nameKeyword = callParts(seq, ctx)!.keywords.get('name')?.value;
  const mentions = mentionsIn(ctx.text) - (nameKeyword ? mentionsIn(ctx.textOf(nameKeyword)) : 0);
  return { title: FIX_TITLE, safe: mentions === 1 + mappedCalls, edits: withKerasImport(ctx, [edit]) };
}

/** How many identifiers `name` there are in `node`. */
const uses = (name: string, node: SyntaxNode, ctx: RuleContext): number =>
  identifiersIn(node).filter(id => ctx.textOf(id) === name).length;

/**
 * Whether the Sequential an argument stands for reaches nothing but the parameter: given inline, or
 * held by a top-level name (or returned by a cell function) used only as arguments of that kind.
 */
function onlyPassedOn(arg: ParameterArgument, all: ParameterArgument[], ctx: RuleContext): boolean {
  const root = rootOf(arg.argument);
  if (arg.value === arg.argument) {
    return true;
  }
  if (arg.factory) {
    const factoryName = ctx.textOf(child(arg.factory, 'name')!);
    const calls = all.filter(a => a.factory === arg.factory).length;
    // `model = keras.Sequential(...)` then `return model`: that name is used there only.
    const assigned = arg.value.parent?.type === 'assignment' ? child(arg.value.parent, 'left') : null;
    const local = !assigned || (assigned.type === 'identifier' && uses(ctx.textOf(assigned), arg.factory, ctx) === 2);
    return local && uses(factoryName, root, ctx) === 1 + calls;
  }
  if (arg.argument.type === 'identifier') {
    const holder = ctx.textOf(arg.argument);
    return uses(holder, root, ctx) === 1 + all.filter(a => a.argument.type === 'identifier' && ctx.textOf(a.argument) === holder).length;
  }
  return false;
}

/**
 * The fix for a parameter of the cell function holding the map, called inside it: every Sequential
 * its calls pass becomes a Pipeline; safe when the parameter is used only in these mapped calls and
 * each Sequential reaches nothing but the parameter.
 */
function parameterFix(name: string, def: SyntaxNode, args: ParameterArgument[], mappedCalls: number, ctx: RuleContext): RawFix | null {
  const sequentials = args.filter(a => sequentialCall(a.value, ctx));
  const edits = sequentials.map(a => pipelineEdit(a.value, ctx));
  if (!edits.length || edits.some(e => !e)) {
    return null;
  }
  const safe = uses(name, def, ctx) === 1 + mappedCalls && sequentials.every(a => onlyPassedOn(a, args, ctx));
  return { title: FIX_TITLE, safe, edits: withKerasImport(ctx, edits as OffsetEdit[]) };
}

/** The value a name holds at `at`: assigned before it in the blocks around it, or at the top of the cell. */
const valueAt = (name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null =>
  valueBefore(name, at, ctx);

/**
 * The Sequential calls `value` leads to: through names, `a if c else b` (both), a cell function that
 * returns one (`def get_augmenter(): model = keras.Sequential(...); return model`) and `obj.attr` of
 * `obj = Cls(..., attr=value)` (a model holding the augmenter it was given, keras.io's MAE). Null
 * unless every way leads to a Sequential.
 */
function sequentialsFrom(value: SyntaxNode | null, ctx: RuleContext, depth = 0): SyntaxNode[] | null {
  if (!value || depth > 8) {
    return null;
  }
  if (sequentialCall(value, ctx)) {
    return [value];
  }
  const all = (nodes: (SyntaxNode | null)[]): SyntaxNode[] | null => {
    const found = nodes.map(n => sequentialsFrom(n, ctx, depth + 1));
    return found.length && found.every(f => f) ? (found as SyntaxNode[][]).flat() : null;
  };
  switch (value.type) {
    case 'parenthesized_expression':
      return all([value.children.find(c => c.type !== 'comment') ?? null]);
    case 'conditional_expression': {
      const branches = value.children.filter(c => c.type !== 'comment');
      return branches.length === 3 ? all([branches[0], branches[2]]) : null;
    }
    case 'identifier':
      return all([valueAt(ctx.textOf(value), value, ctx)]);
    case 'call': {
      const callee = child(value, 'function');
      const def = callee?.type === 'identifier' ? topLevelDefinitions(rootOf(value), ctx).get(ctx.textOf(callee)) : undefined;
      const returned = def ? returnedValues(def) : [];
      return returned.length ? all(returned.map(r => (r.type === 'identifier' ? lastAssignedValue(ctx.textOf(r), r, ctx) : r))) : null;
    }
    case 'attribute': {
      const obj = child(value, 'object');
      const attr = child(value, 'attribute');
      const made = obj?.type === 'identifier' ? valueAt(ctx.textOf(obj), obj, ctx) : null;
      const given = made?.type === 'call' && attr ? callParts(made, ctx)?.keywords.get(ctx.textOf(attr))?.value : undefined;
      return given ? all([given]) : null;
    }
    default:
      return null;
  }
}

/**
 * Every value the function around `call` assigns to `name` (`aug = train_aug` in one `if` branch,
 * `aug = test_aug` in the other), outside the functions and classes nested in it; empty when it
 * assigns none.
 */
function assignmentsInFunction(name: string, call: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const def = enclosingFunctionDefinition(call);
  const body = def ? child(def, 'body') : null;
  const found: SyntaxNode[] = [];
  const stack = body ? [body] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
      continue;
    }
    const left = node.type === 'assignment' ? child(node, 'left') : null;
    const right = node.type === 'assignment' ? child(node, 'right') : null;
    if (left?.type === 'identifier' && ctx.textOf(left) === name && right && node.start < call.start) {
      found.push(right);
    }
    stack.push(...node.children);
  }
  return found;
}

/**
 * The Sequentials a called name stands for when its value is no Sequential call itself: every value
 * the function holding the map assigns to it, or else its value, followed by sequentialsFrom.
 */
function sequentialsBehind(name: string, call: SyntaxNode, value: SyntaxNode | null, ctx: RuleContext): SyntaxNode[] | null {
  const assigned = assignmentsInFunction(name, call, ctx);
  const found = (assigned.length ? assigned : [value]).map(v => sequentialsFrom(v, ctx));
  return found.length && found.every(f => f) ? [...new Set((found as SyntaxNode[][]).flat())] : null;
}

/** The Pipeline fix for Sequentials reached through names, branches, factories or attributes: a suggestion (they may be used elsewhere). */
function indirectFix(seqs: SyntaxNode[], ctx: RuleContext): RawFix | null {
  const edits = seqs.map(seq => pipelineEdit(seq, ctx));
  return edits.every(e => e) ? { title: FIX_TITLE, safe: false, edits: withKerasImport(ctx, edits as OffsetEdit[]) } : null;
}

function message(name: string): string {
  return `\`${name}\` is a \`keras.Sequential\` called inside \`tf.data.Dataset.map()\`: on JAX and PyTorch it fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (Keras 3 runs single preprocessing layers inside tf.data on every backend, but not a Sequential). Chain the preprocessing layers with \`keras.layers.Pipeline([...])\`, or apply them in the model.`;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  // `aug = keras.Sequential(...)` at the top of the cell: a later cell may map it.
  // Also in a function that declares the name `global`.
  const target = node.parent?.type === 'assignment' && node.field === 'right' ? child(node.parent, 'left') : null;
  if (target && (!ctx.fn || (target.type === 'identifier' && ctx.fn.globals.has(ctx.textOf(target)))) && sequentialCall(node, ctx)) {
    if (target.type === 'identifier') {
      ctx.note(fact(ctx.textOf(target)));
    }
    return;
  }
  // The mapped function and the cell's functions it calls: all of them run inside tf.data.
  const calls = mappedNameCalls(node, ctx);
  for (const { call, name, value } of calls) {
    const seq = sequentialCall(value, ctx);
    if (seq) {
      ctx.report(call, message(name), pipelineFix(seq, name, calls.filter(c => c.name === name).length, ctx));
      continue;
    }
    // A parameter of the cell function holding the map: the Sequentials the cell's calls pass there.
    const args = value ? null : parameterArguments(name, call, ctx);
    // A name that leads to Sequentials (an alias, `if` branches, a cell function returning one, an attribute of a model given one).
    const behind = args ? null : sequentialsBehind(name, call, value, ctx);
    if (args && args.some(a => sequentialCall(a.value, ctx))) {
      let def: SyntaxNode = call;
      while (def.type !== 'function_definition') {
        def = def.parent!;
      }
      ctx.report(call, message(name), parameterFix(name, def, args, calls.filter(c => c.name === name).length, ctx));
    } else if (behind) {
      ctx.report(call, message(name), indirectFix(behind, ctx));
    } else if (ctx.lookup(name)?.kind === 'layer' && !value) {
      // Made in an earlier cell: a finding (without a fix, which would edit that cell) when that cell made a Sequential.
      ctx.report(call, message(name), null, undefined, 'earlier:' + fact(name));
    }
  }
}

export const sequentialInTfDataMap: RuleDefinition = {
  code: 'KM179',
  name: 'sequential-in-tf-data-map',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags a `keras.Sequential` (typically of preprocessing layers: `RandomFlip`, `RandomRotation`, `Rescaling`...) called inside the function given to `tf.data.Dataset.map()` (a lambda or a `def` of the cell, or a function of the cell that one of them calls; the Sequential made in the cell or an earlier one, or passed by the cell\'s calls to a parameter of the function holding the map: `def prepare(ds, augmenter)` called as `prepare(train, get_augmenter())` with a cell function returning a Sequential, as keras.io\'s PatchConvNet and many vision examples do; or a name leading to Sequentials through `if`/`else` assignments in the function holding the map, `a if c else b`, a cell function returning one, or `obj.attr` of a model made as `Cls(..., attr=...)`, as keras.io\'s masked image modeling does).',
    why:
      'Keras 3 runs its preprocessing layers inside tf.data on every backend by switching them to TensorFlow while tracing, but a `Sequential` is a model, not such a layer: on JAX and PyTorch the map fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (TensorFlow runs it; checked by running Keras 3.15 on each backend). `keras.layers.Pipeline` chains preprocessing layers the way tf.data needs. The fix rewrites `keras.Sequential([...])` to `keras.layers.Pipeline([...])` when every listed layer is a preprocessing layer; it is safe when the Sequential is used nowhere but in mapped calls (through a parameter: the parameter is used only in mapped calls, and the Sequential, or the name or cell function holding it, only reaches that parameter).',
    example:
      'import keras\nimport tensorflow as tf\naug = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (aug(a, training=True), b))',
    useInstead:
      'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32).map(lambda a, b: (aug(a, training=True), b))'
  },
  calls: { names: ['map', 'Sequential'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['map', 'Sequential'],
  visitors: { call: visit }
};
