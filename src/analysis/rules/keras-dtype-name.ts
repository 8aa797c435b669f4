import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { isKerasVariableOrTensor, VARIABLE_ATTRIBUTES } from '../helpers/keras-values';

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'attribute');
  const dtype = child(node, 'object');
  if (!name || ctx.textOf(name) !== 'name' || !dtype || dtype.type !== 'attribute') {
    return;
  }
  const dtypeAttr = child(dtype, 'attribute');
  const receiver = child(dtype, 'object');
  if (!dtypeAttr || ctx.textOf(dtypeAttr) !== 'dtype' || !receiver || !isKerasVariableOrTensor(receiver, ctx)) {
    return;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: `keras.backend.standardize_dtype(${ctx.textOf(dtype)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    node,
    'In Keras 3 the `dtype` of a KerasTensor or a Keras variable is a string (`"float32"`), which has no `.name` ("\'str\' object has no attribute \'name\'"); `keras.backend.standardize_dtype(x.dtype)` gives the name on every backend.',
    { title: 'Use `keras.backend.standardize_dtype(...)`', safe: true, edits }
  );
}

export const kerasDtypeName: RuleDefinition = {
  code: 'KM203',
  name: 'keras-dtype-name',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  /** The variable attributes too: the statement that names the variable must be kept for the lookup. */
  triggers: ['dtype', 'add_weight', 'get_layer', ...VARIABLE_ATTRIBUTES],
  docs: {
    whatItDoes: 'Flags `x.dtype.name` where `x` is a KerasTensor (a functional model\'s input or output, `layer.output`) or a Keras variable (`layer.kernel`, `add_weight(...)`).',
    why:
      'Keras 2 gave these a `tf.DType`; Keras 3 gives a dtype string, so `.dtype.name` raises AttributeError on every backend (checked on Keras 3.15 with a mixed-precision model printing `outputs.dtype.name`). `keras.backend.standardize_dtype(x.dtype)` returns the same name ("float16", "float32") for any backend\'s dtype; the fix is safe because the attribute read failed.',
    example: 'import keras\ninputs = keras.Input((4,))\noutputs = keras.layers.Dense(2)(inputs)\nprint(outputs.dtype.name)',
    useInstead: 'import keras\ninputs = keras.Input((4,))\noutputs = keras.layers.Dense(2)(inputs)\nprint(keras.backend.standardize_dtype(outputs.dtype))'
  },
  attributes: { names: ['name'] },
  visitors: { attribute: visitAttribute }
};
