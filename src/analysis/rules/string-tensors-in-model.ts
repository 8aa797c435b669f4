import type { SyntaxNode } from '../ast';
import { child, itemsOf } from '../ast';
import { INPUT_FACTORIES } from '../knowledge';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, stringValue } from '../rule-helpers';

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

function isStringDtype(node: SyntaxNode, ctx: RuleContext): boolean {
  return stringValue(node, ctx) === 'string' || ctx.resolve(node) === 'tensorflow.string';
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name && (INPUT_FACTORIES.has(name) || name === 'keras.layers.InputLayer')) {
    const dtype = parts.keywords.get('dtype')?.value;
    if (dtype && isStringDtype(dtype, ctx)) {
      ctx.report(dtype, `A string model input: ${WHY}`);
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
      ctx.report(first, `\`${cls}\` is the first layer of this model, so the model takes strings: ${WHY}`);
    }
  }
}

export const stringTensorsInModel: RuleDefinition = {
  code: 'KM192',
  name: 'string-tensors-in-model',
  slug: 'api-changes',
  severity: 'warning',
  /** ValueError/TypeError on JAX and PyTorch when string data reaches the model; TensorFlow runs it (checked by running). */
  blocks: ['jax', 'torch'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags models that take strings: a `keras.Input`/`InputLayer` with `dtype="string"` (or `tf.string`), and a `Sequential` model whose first layer is a `TextVectorization` or `StringLookup` layer (constructed there or assigned to the name used).',
    why:
      'Keras 2 models could take raw strings because everything was TensorFlow. In Keras 3 only the TensorFlow backend has string tensors; on JAX and PyTorch the model fails when string data reaches it. Not covered by the migration guide. The string preprocessing layers still work in a `tf.data` pipeline on every backend, so the portable program adapts and applies them there and feeds the model integer ids or one-hot vectors. No automatic fix: the model\'s inputs change.',
    example:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])',
    useInstead:
      'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=100, output_sequence_length=8)\nmodel = keras.Sequential([keras.layers.Embedding(101, 8), keras.layers.GlobalAveragePooling1D()])\n# train_ds = raw_ds.map(lambda text, label: (vectorize(text), label))'
  },
  calls: { names: ['Input', 'InputLayer', 'Sequential'] },
  visitors: { call: visit }
};
