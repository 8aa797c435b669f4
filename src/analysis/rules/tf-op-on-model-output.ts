import type { SyntaxNode } from '../ast';
import { isEagerBackendTensor } from '../helpers/eager-values';
import { isTfOpName } from '../knowledge';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, tfApiName } from '../rule-helpers';

/** Whether `node` sits in the body of a `with` statement (a GradientTape records there: the value must stay a tensor). */
function inWithBlock(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      return true;
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Model code gets its TF ops converted by KM131; only eager code at the top of a cell here.
  if (ctx.fn || ctx.cls || inWithBlock(node)) {
    return;
  }
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !isTfOpName(name)) {
    return;
  }
  const args = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)];
  const outputs = args.filter(a => isEagerBackendTensor(a, ctx, true));
  if (!outputs.length) {
    return;
  }
  const edits: OffsetEdit[] = [];
  for (const arg of outputs) {
    edits.push({ start: arg.start, end: arg.start, text: 'keras.ops.convert_to_numpy(' }, { start: arg.end, end: arg.end, text: ')' });
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    parts.fn,
    `\`${name}\` is given \`${ctx.textOf(outputs[0])}\`, the output of a Keras model or layer: on PyTorch that is a tensor that requires grad, which TensorFlow cannot convert ("Can't call numpy() on Tensor that requires grad"). Convert it with \`keras.ops.convert_to_numpy()\` first (or use \`keras.ops\`).`,
    { title: 'Pass `keras.ops.convert_to_numpy(...)`', safe: true, edits }
  );
}

export const tfOpOnModelOutput: RuleDefinition = {
  code: 'KM191',
  name: 'tf-op-on-model-output',
  slug: 'keras-ops',
  severity: 'warning',
  /** RuntimeError on PyTorch (the output requires grad); TensorFlow converts a JAX array through NumPy. */
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a TensorFlow op applied, outside model code, to the output of calling a Keras model or layer on data (`tf.argmax(model(x), axis=-1)`), directly or through a name assigned in the same block. Code under a `with` statement (a GradientTape) is left alone.',
    why:
      'The output of an eager model call is the backend\'s tensor. TensorFlow converts a JAX array through NumPy, but on PyTorch the output requires grad and the conversion raises "Can\'t call numpy() on Tensor that requires grad". `keras.ops.convert_to_numpy()` gives the same values on every backend and the TF op returns the same result for them, so the fix is safe.',
    example:
      'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprobs = model(np.ones((2, 4)))\nprint(tf.argmax(probs, axis=-1).numpy())',
    useInstead:
      'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprobs = model(np.ones((2, 4)))\nprint(tf.argmax(keras.ops.convert_to_numpy(probs), axis=-1).numpy())'
  },
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit }
};
