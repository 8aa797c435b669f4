import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { isDataset, mappedNameCalls } from '../helpers/tf-data';
import { lastAssignedValue, topLevelValueBefore } from '../helpers/calls';

const TEXT_VECTORIZATION = new Set(['keras.layers.TextVectorization', 'keras.layers.experimental.preprocessing.TextVectorization']);

/** The fact a cell notes for `NAME = TextVectorization(standardize=<function>)`: other cells may map it. */
const fact = (name: string): string => `text-vectorization-standardize-function:${name}`;

/**
 * The `standardize=` argument of a `TextVectorization(...)` call when it is a function (a name,
 * an attribute, a lambda, a `functools.partial(...)`), not one of the built-in strings or None.
 */
function standardizeFunction(value: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const parts = value && value.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || !TEXT_VECTORIZATION.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return null;
  }
  // TextVectorization(max_tokens, standardize, split, ...)
  const arg = parts.keywords.get('standardize')?.value ?? parts.positional[1];
  if (!arg || arg.type === 'string' || arg.type === 'none' || arg.type === 'concatenated_string') {
    return null;
  }
  return arg.type === 'identifier' || arg.type === 'attribute' || arg.type === 'lambda' || arg.type === 'call' ? arg : null;
}

function message(name: string, fn: string | null): string {
  return (
    `\`${name}\` is a \`TextVectorization\` with a Python \`standardize\` function${fn ? ` (\`${fn}\`)` : ''}, called inside \`tf.data.Dataset.map()\`: ` +
    'since Keras 3.15 the layer hands that function NumPy strings on JAX and PyTorch, which a traced tf.data map cannot give ' +
    '("Cannot convert a symbolic tf.Tensor to a numpy array"). Build the layer with `standardize=None` and apply the function ' +
    'in the pipeline yourself, before the layer and before `adapt()` (`ds.map(lambda x: layer(standardize(x)))`), or use a built-in standardize string.'
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // `layer = TextVectorization(standardize=fn)` at the top of the cell: a later cell may map it.
  if (node.parent?.type === 'assignment' && node.field === 'right' && !ctx.fn && standardizeFunction(node, ctx)) {
    const target = child(node.parent, 'left');
    if (target && target.type === 'identifier') {
      ctx.note(fact(ctx.textOf(target)));
    }
    return;
  }
  // The layer itself as the mapped function (`text_ds.batch(32).map(vectorize_layer)`, the TensorFlow word2vec tutorial).
  const parts = callParts(node, ctx);
  const mapped = parts && parts.fn.type === 'attribute' && calleeName(parts.fn, ctx) === 'map' ? parts.positional[0] ?? parts.keywords.get('map_func')?.value : undefined;
  if (mapped && mapped.type === 'identifier' && isDataset(child(parts!.fn, 'object'), ctx)) {
    const name = ctx.textOf(mapped);
    const value = lastAssignedValue(name, node, ctx) ?? topLevelValueBefore(name, node, ctx);
    const standardize = standardizeFunction(value, ctx);
    if (standardize) {
      ctx.report(mapped, message(name, standardize.type === 'lambda' ? null : ctx.textOf(standardize)));
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      ctx.report(mapped, message(name, null), null, undefined, 'earlier:' + fact(name));
    }
  }
  // The mapped function and the cell's functions it calls: all of them run inside tf.data.
  for (const { call, name, value } of mappedNameCalls(node, ctx)) {
    const standardize = standardizeFunction(value, ctx);
    if (standardize) {
      ctx.report(call, message(name, standardize.type === 'lambda' ? null : ctx.textOf(standardize)));
    } else if (!value && ctx.lookup(name)?.kind === 'layer') {
      // Made in an earlier cell: a finding when that cell made such a layer.
      ctx.report(call, message(name, null), null, undefined, 'earlier:' + fact(name));
    }
  }
}

export const textVectorizationStandardizeFunctionInTfDataMap: RuleDefinition = {
  code: 'KM184',
  name: 'text-vectorization-standardize-function-in-tf-data-map',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['jax', 'torch'],
  kerasVersions: [{ from: '3.15' }],
  fixAvailability: 'never',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags a `TextVectorization` layer built with a Python function as `standardize=` and called inside the function given to `tf.data.Dataset.map()` (a lambda or a `def` of the cell, or a function of the cell that one of them calls) or given to `map()` itself (`ds.map(vectorize_layer)`); the layer made in the cell or an earlier one. Reported for Keras 3.15 and later.',
    why:
      'Keras 3.15 changed how `TextVectorization` runs a custom `standardize` function on JAX and PyTorch: it converts the strings to a NumPy array first, so the function can use NumPy or plain Python. Inside a tf.data map the strings are symbolic graph tensors that have no NumPy value, so the map fails with "Cannot convert a symbolic tf.Tensor to a numpy array" (checked by running Keras 3.15.1 on each backend; TensorFlow runs it, and Keras 3.14 and earlier ran it on every backend). The keras.io text examples (`custom_standardization` with `tf.strings.lower` and `tf.strings.regex_replace`, applied in `format_dataset` or `vectorize_text`) have this shape. No fix is offered: moving the standardization out of the layer changes every `adapt()` and call of the layer.',
    example:
      'import keras\nimport tensorflow as tf\ndef custom_standardization(s):\n    return tf.strings.lower(s)\nvectorize = keras.layers.TextVectorization(max_tokens=100, standardize=custom_standardization)\nvectorize.adapt(texts)\nds = tf.data.Dataset.from_tensor_slices(texts).batch(8).map(lambda x: vectorize(x))',
    useInstead:
      'import keras\nimport tensorflow as tf\ndef custom_standardization(s):\n    return tf.strings.lower(s)\nvectorize = keras.layers.TextVectorization(max_tokens=100, standardize=None)\nvectorize.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(8).map(custom_standardization))\nds = tf.data.Dataset.from_tensor_slices(texts).batch(8).map(lambda x: vectorize(custom_standardization(x)))'
  },
  calls: { names: ['map', 'TextVectorization'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['map', 'TextVectorization'],
  visitors: { call: visit }
};
