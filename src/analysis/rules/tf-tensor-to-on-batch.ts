/**
 * What it does: flags a TensorFlow tensor (the value of a `tf.` op: `tf.expand_dims(sample, 0)`,
 * `tf.constant(...)`, or a name assigned one) given as data to `predict_on_batch()`,
 * `train_on_batch()` or `test_on_batch()`, and converts it with `keras.ops.convert_to_numpy()`.
 * Why: on the JAX backend Keras 3 hands the `*_on_batch` data to its jitted step as it is, and
 * JAX cannot take a TensorFlow tensor ("Error interpreting argument to ... as an abstract array",
 * "Cannot interpret 'tf.float32' as a data type"); `predict()` and `fit()` convert it, and
 * TensorFlow and PyTorch take it. A NumPy array works everywhere.
 * Example: `model.predict_on_batch(tf.expand_dims(sample, 0))`
 * Use instead: `model.predict_on_batch(keras.ops.convert_to_numpy(tf.expand_dims(sample, 0)))`
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../helpers/calls';
import { plainAssignedValues } from '../helpers/name-bindings';

const METHODS = new Set(['predict_on_batch', 'train_on_batch', 'test_on_batch']);
function isTfTensorCall(node: SyntaxNode, ctx: RuleContext): boolean {
  const fn = node.type === 'call' ? child(node, 'function') : null;
  const name = fn ? ctx.resolve(fn) : null;
  if (!name || !name.startsWith('tensorflow.') || ctx.resolveKeras(fn!)?.startsWith('keras')) {
    return false;
  }
  // tf.constant, tf.expand_dims, tf.random.normal, tf.image.resize, tf.math.*: tensor-valued ops.
  return !/^tensorflow\.(data|io|distribute|device|function|GradientTape|TensorShape|Variable|summary|train|saved_model|config|debugging|print|py_function|numpy_function)\b/.test(name);
}

function isTfTensor(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'call') {
    return isTfTensorCall(node, ctx);
  }
  if (node.type === 'identifier') {
    const values = plainAssignedValues(node, ctx);
    return values.length > 0 && values.every(v => isTfTensorCall(v, ctx));
  }
  return false;
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || !METHODS.has(calleeName(parts.fn, ctx)) || parts.splat) {
    return;
  }
  const data = [parts.positional[0], parts.positional[1], parts.keywords.get('x')?.value, parts.keywords.get('y')?.value].filter(
    (a): a is SyntaxNode => a !== undefined && isTfTensor(a, ctx)
  );
  if (data.length === 0) {
    return;
  }
  const edits: OffsetEdit[] = data.map(a => ({ start: a.start, end: a.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(a)})` }));
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const method = calleeName(parts.fn, ctx);
  ctx.report(
    data[0],
    `A TensorFlow tensor given to \`${method}()\`: on the JAX backend Keras 3 passes \`*_on_batch\` data to its jitted step unconverted, and JAX cannot take a TensorFlow tensor ("Error interpreting argument ... as an abstract array"); TensorFlow and PyTorch take it. Convert it with \`keras.ops.convert_to_numpy()\`.`,
    { title: 'Convert it with `keras.ops.convert_to_numpy()`', safe: true, edits }
  );
}

export const tfTensorToOnBatch: RuleDefinition = {
  code: 'KM325',
  name: 'tf-tensor-to-on-batch',
  slug: 'keras-ops',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15: `model.predict_on_batch(tf.expand_dims(x, 0))` raises "Error
   * interpreting argument to ... predict_step ... as an abstract array" on JAX, and
   * `train_on_batch` / `test_on_batch` of TF tensors "Cannot interpret 'tf.float32' as a data
   * type"; TensorFlow and PyTorch run them, and all three run the NumPy conversion
   * (examples/runnable/rnn_guide_states_nested.py, python_kernel_hooks/tests/claims/tf_tensor_to_on_batch.py).
   */
  blocks: ['jax'],
  fixAvailability: 'always',
  triggers: ['predict_on_batch', 'train_on_batch', 'test_on_batch'],
  docs: {
    whatItDoes:
      'Flags the data (`x`, `y`) of `predict_on_batch()`, `train_on_batch()` and `test_on_batch()` when it is the value of a TensorFlow op (`tf.expand_dims(...)`, `tf.constant(...)`, a name assigned one). The fix converts it with `keras.ops.convert_to_numpy()`.',
    why:
      'Keras 3 gives the data of the `*_on_batch` methods to the backend\'s step function without converting it. On JAX a TensorFlow tensor cannot enter the jitted step ("Error interpreting argument to ... as an abstract array", "Cannot interpret \'tf.float32\' as a data type"), though `predict()` and `fit()`, which go through Keras\'s data adapters, take it. TensorFlow and PyTorch accept it. A NumPy array runs on every backend, and on TensorFlow gives the same result.',
    example: 'import tensorflow as tf\n\ndef predict_one(model, sample):\n    return model.predict_on_batch(tf.expand_dims(sample, 0))\n',
    useInstead: 'import tensorflow as tf\nimport keras\n\ndef predict_one(model, sample):\n    return model.predict_on_batch(keras.ops.convert_to_numpy(tf.expand_dims(sample, 0)))\n'
  },
  calls: { names: ['predict_on_batch', 'train_on_batch', 'test_on_batch'] },
  visitors: { call: visitCall }
};
