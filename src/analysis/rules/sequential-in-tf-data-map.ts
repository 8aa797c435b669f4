import { child, identifiersIn, itemsOf, rootOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, withKerasImport } from '../rule-helpers';
import { mappedNameCalls, ParameterArgument, parameterArguments, PREPROCESSING_LAYER } from '../helpers/tf-data';

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
    if (args && args.some(a => sequentialCall(a.value, ctx))) {
      let def: SyntaxNode = call;
      while (def.type !== 'function_definition') {
        def = def.parent!;
      }
      ctx.report(call, message(name), parameterFix(name, def, args, calls.filter(c => c.name === name).length, ctx));
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
      'Flags a `keras.Sequential` (typically of preprocessing layers: `RandomFlip`, `RandomRotation`, `Rescaling`...) called inside the function given to `tf.data.Dataset.map()` (a lambda or a `def` of the cell, or a function of the cell that one of them calls; the Sequential made in the cell or an earlier one, or passed by the cell\'s calls to a parameter of the function holding the map: `def prepare(ds, augmenter)` called as `prepare(train, get_augmenter())` with a cell function returning a Sequential, as keras.io\'s PatchConvNet and many vision examples do).',
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
