import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { isEagerBackendTensor, requiresGradOnTorch } from '../helpers/eager-values';
import { callParts, calleeName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'numpy') {
    return;
  }
  if (parts.positional.length || parts.keywords.size || parts.splat) {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || !isEagerBackendTensor(receiver, ctx)) {
    return;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(receiver)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  // JAX arrays have no `.numpy()`; a PyTorch tensor refuses it only when it requires grad.
  const onTorch = requiresGradOnTorch(receiver, ctx);
  const message = onTorch
    ? '`.numpy()` on what a Keras model or layer computed works only on TensorFlow: a JAX array has no `.numpy()` and on PyTorch that tensor requires grad, which `.numpy()` refuses. `keras.ops.convert_to_numpy()` works on every backend.'
    : '`.numpy()` on a Keras result (a `keras.ops`, `keras.random`, loss or metric value) fails on JAX (a JAX array has no `.numpy()`; PyTorch runs it on the CPU, not on a GPU tensor). `keras.ops.convert_to_numpy()` works on every backend.';
  ctx.report(node, message, { title: 'Use `keras.ops.convert_to_numpy(...)`', safe: true, edits }, undefined, undefined, onTorch ? ['jax', 'torch'] : ['jax']);
}

export const tensorNumpyMethod: RuleDefinition = {
  code: 'KM186',
  name: 'tensor-numpy-method',
  slug: 'keras-ops',
  severity: 'warning',
  /**
   * AttributeError on JAX; on PyTorch a RuntimeError ("Can't call numpy() on Tensor that requires grad")
   * only for a model or layer output (or a value computed from one): each finding says which.
   */
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `.numpy()` on a backend tensor Keras returns: the output of calling a Keras model or layer (`model(x).numpy()`), a loss or metric object or its `result()`, a `keras.ops`, `keras.random`, loss or metric function, directly or through a name assigned in the same block.',
    why: 'The output of a model call (and of a loss, metric or `keras.ops` function) is the backend\'s tensor. TensorFlow tensors have `.numpy()`; JAX arrays do not (AttributeError), and PyTorch refuses it on a tensor that requires grad (RuntimeError). `keras.ops.convert_to_numpy()` gives the same NumPy array on every backend, so the rewrite is safe.',
    example: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(model(np.ones((1, 2))).numpy())',
    useInstead: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(keras.ops.convert_to_numpy(model(np.ones((1, 2)))))'
  },
  calls: { names: ['numpy'] },
  visitors: { call: visit }
};
