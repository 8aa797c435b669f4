import type { SyntaxNode } from '../ast';
import { child, itemsOf } from '../ast';
import { INPUT_FACTORIES } from '../knowledge';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, layerCalledOnData, stringValue } from '../rule-helpers';

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
      report(dtype, `A string model input: ${WHY}`, ctx, `anywhere:${FEEDS_MODEL}`);
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
function report(node: SyntaxNode, message: string, ctx: RuleContext, fed: string): void {
  const tf = ' Where the program feeds the model a Python list of strings or a NumPy unicode array (`np.array([...])`), Keras 3 refuses that data on TensorFlow too; `tf.constant(...)` or a `tf.data` dataset of the strings runs there. Building, compiling or saving the model runs on every backend: only running it on data fails.';
  ctx.report(node, message + tf, null, undefined, undefined, ['tensorflow', 'jax', 'torch'], {
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
  fixAvailability: 'never',
  triggers: DATA_METHODS,
  docs: {
    whatItDoes:
      'Flags models that take strings: a `keras.Input`/`InputLayer` with `dtype="string"` (or `tf.string`), and a `Sequential` model whose first layer is a `TextVectorization` or `StringLookup` layer (constructed there or assigned to the name used).',
    why:
      'Keras 2 models could take raw strings because everything was TensorFlow. In Keras 3 only the TensorFlow backend has string tensors; on JAX and PyTorch the model fails when string data reaches it. TensorFlow fails too where the program gives `fit`/`predict`/`evaluate` a Python list of strings or `np.array` of them without `dtype=object` (Keras 3\'s data adapters refuse both: "Unrecognized data type", "Invalid dtype: str384"), so the finding then blocks TensorFlow as well; `tf.constant`, an object array or a `tf.data` dataset of the strings runs there (checked on Keras 3.15). Not covered by the migration guide. The string preprocessing layers still work in a `tf.data` pipeline on every backend, so the portable program adapts and applies them there and feeds the model integer ids or one-hot vectors. No automatic fix: the model\'s inputs change.',
    example:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])',
    useInstead:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])\n# train_ds = raw_ds.map(lambda text, label: (vectorize(text), label))'
  },
  visitors: { call: visit }
};
