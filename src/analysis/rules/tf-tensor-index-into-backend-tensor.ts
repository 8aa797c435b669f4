/**
 * tf-tensor-index-into-backend-tensor (KM274)
 *
 * What it does: flags a subscript of an eager model, layer or `keras.ops` output whose index is a
 * TensorFlow tensor: the value of a TF op (`tf.argmax(...)`, `tf.constant(2)`,
 * `tf.math.top_k(...).indices`, `tf.shape(x)[0]`), given directly or through a name, in code that
 * runs eagerly (a cell's top level, a notebook function, a callback), outside a GradientTape.
 *
 * Why: on TensorFlow the output is a TF tensor, which takes a scalar TF tensor as an index. On
 * JAX and PyTorch it is a JAX array or a torch tensor, which take no TensorFlow index: "only
 * integers, slices (`:`), ellipsis (`...`), newaxis (`None`) and integer or boolean arrays are
 * valid indices" (JAX), "Scalar tensor has no `len()`" (PyTorch). The keras.io integrated
 * gradients example takes `preds[:, tf.argmax(preds[0])]` this way. Checked by running Keras 3.15
 * on each backend; as a NumPy value the same index works on all three.
 *
 * Example:
 *   preds = model(x)
 *   top = tf.argmax(preds[0])
 *   score = preds[:, top]
 *
 * Use instead:
 *   preds = model(x)
 *   top = tf.argmax(preds[0])
 *   score = preds[:, keras.ops.convert_to_numpy(top)]
 *
 * Fix (safe): wraps the index in `keras.ops.convert_to_numpy(...)`; on TensorFlow the NumPy
 * scalar selects the same element.
 */
import { child, SyntaxNode } from '../ast';
import { inKerasCallback, isEagerBackendTensor } from '../helpers/eager-values';
import { inModelCode } from '../helpers/model-code';
import { inWithStatement, runsUnderTapeOrTfFunction } from '../helpers/tape-context';
import { runsInDatasetMap } from '../helpers/tf-data';
import { isTfOpName } from '../knowledge';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, tfApiName, withKerasImport } from '../rule-helpers';

/** The TF op (`tf.argmax`) whose tensor `node` is: its call, an attribute or element of it, or a name last assigned one. */
function tfTensorOrigin(node: SyntaxNode, ctx: RuleContext, follow = true): string | null {
  if (node.type === 'call') {
    const parts = callParts(node, ctx);
    const name = parts ? tfApiName(ctx.resolve(parts.fn)) : null;
    return name && isTfOpName(name) ? name : null;
  }
  if (node.type === 'attribute') {
    // `tf.math.top_k(x, 3).indices`
    const object = child(node, 'object');
    return object ? tfTensorOrigin(object, ctx, follow) : null;
  }
  if (node.type === 'subscript') {
    // `tf.shape(x)[0]`: an element of a TF tensor is a TF tensor.
    const value = child(node, 'value');
    return value ? tfTensorOrigin(value, ctx, follow) : null;
  }
  if (node.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx, true);
    return value ? tfTensorOrigin(value, ctx, false) : null;
  }
  return null;
}

/** Whether the code at `node` runs eagerly outside model code and tapes: where the subscript sees backend tensors. */
function runsEagerly(node: SyntaxNode, ctx: RuleContext): boolean {
  const callback = inKerasCallback(ctx);
  if ((ctx.cls && !callback) || inModelCode(node, ctx) || ctx.inTfFunction() || inWithStatement(node)) {
    return false;
  }
  if (ctx.fn !== null && !callback) {
    const outer = ctx.notebookFunction();
    if (!outer || runsUnderTapeOrTfFunction(outer, ctx) || runsInDatasetMap(node, ctx)) {
      return false;
    }
  }
  return true;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const items = node.children.filter(c => c.field === 'subscript' && c.type !== 'slice');
  if (items.length === 0) {
    return;
  }
  const found = items.map(item => ({ item, op: tfTensorOrigin(item, ctx) })).filter(f => f.op !== null);
  if (found.length === 0) {
    return;
  }
  let value = child(node, 'value');
  while (value && value.type === 'subscript') {
    value = child(value, 'value');
  }
  if (!value || !isEagerBackendTensor(value, ctx) || !runsEagerly(node, ctx)) {
    return;
  }
  for (const { item, op } of found) {
    const index = ctx.textOf(item);
    const named = item.type === 'call' ? `\`${op}(...)\`` : `\`${index}\`, a TensorFlow tensor (from \`${op}\`)`;
    ctx.report(
      item,
      `\`${ctx.textOf(child(node, 'value')!)}\` is indexed with ${named}: on JAX and PyTorch it is a JAX array or a torch tensor, which take no TensorFlow index ("only integers, slices ... are valid indices" on JAX, "Scalar tensor has no \`len()\`" on PyTorch). Convert the index with \`keras.ops.convert_to_numpy\` (or compute it with \`keras.ops\`).`,
      {
        title: 'Convert the index with keras.ops.convert_to_numpy',
        safe: true,
        edits: withKerasImport(ctx, [
          { start: item.start, end: item.start, text: 'keras.ops.convert_to_numpy(' },
          { start: item.end, end: item.end, text: ')' }
        ])
      }
    );
  }
}

export const tfTensorIndexIntoBackendTensor: RuleDefinition = {
  code: 'KM274',
  name: 'tf-tensor-index-into-backend-tensor',
  slug: 'keras-ops',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a subscript of an eager model, layer or `keras.ops` output whose index is a TensorFlow tensor: the value of a TF op (`tf.argmax(...)`, `tf.constant(2)`, `tf.math.top_k(...).indices`, `tf.shape(x)[0]`), given directly or through a name, in code that runs eagerly (a cell\'s top level, a notebook function, a callback), outside a GradientTape.',
    why: 'On TensorFlow the output is a TF tensor, which takes a scalar TF tensor as an index. On JAX and PyTorch it is a JAX array or a torch tensor, which take no TensorFlow index: "only integers, slices (`:`), ellipsis (`...`), newaxis (`None`) and integer or boolean arrays are valid indices" (JAX), "Scalar tensor has no `len()`" (PyTorch). The keras.io integrated gradients example takes `preds[:, tf.argmax(preds[0])]` this way. Checked by running Keras 3.15 on each backend; as a NumPy value the same index works on all three, so the fix (safe) wraps the index in `keras.ops.convert_to_numpy(...)`.',
    example: 'import keras\nimport tensorflow as tf\nmodel = keras.Sequential([keras.layers.Dense(3)])\npreds = model(x)\ntop = tf.argmax(preds[0])\nscore = preds[:, top]\n',
    useInstead: 'import keras\nimport tensorflow as tf\nmodel = keras.Sequential([keras.layers.Dense(3)])\npreds = model(x)\ntop = tf.argmax(preds[0])\nscore = preds[:, keras.ops.convert_to_numpy(top)]\n'
  },
  requires: ['tf', 'tensorflow'],
  visitors: { subscript: visit }
};
