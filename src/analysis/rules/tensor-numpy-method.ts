import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { KERAS_TENSOR_FUNCTIONS } from '../knowledge';
import { callParts, calleeName, lastAssignedValue } from '../rule-helpers';

/** keras.ops / keras.random functions that return something other than a backend tensor. */
const NOT_TENSOR = /^keras\.ops\.(convert_to_numpy|shape|dtype|is_tensor|ndim|size)$/;

/** Whether `fn` is a Keras loss or metric object (`keras.losses.MeanSquaredError()`), or a name last assigned one. */
function isComponentInstance(fn: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (fn.type === 'call') {
    const cls = child(fn, 'function');
    return !!cls && ctx.kerasKindOfClass(cls) === 'component';
  }
  if (fn.type === 'identifier' && follow) {
    const value = lastAssignedValue(ctx.textOf(fn), fn, ctx);
    return !!value && isComponentInstance(value, ctx, false);
  }
  return false;
}

/** Whether calling `fn` gives a backend tensor: a layer or model, a loss or metric object or its
 * `result()`, a keras.ops, keras.random, loss or metric function. */
function returnsBackendTensor(fn: SyntaxNode, ctx: RuleContext): boolean {
  if (ctx.isLayerInstance(fn) || isComponentInstance(fn, ctx)) {
    return true;
  }
  if (fn.type === 'attribute' && calleeName(fn, ctx) === 'result') {
    const owner = child(fn, 'object');
    return !!owner && isComponentInstance(owner, ctx);
  }
  const name = ctx.resolveKeras(fn);
  return !!name && ((/^keras\.(ops|random)\.\w+$/.test(name) && !NOT_TENSOR.test(name)) || KERAS_TENSOR_FUNCTIONS.test(name));
}

/**
 * Whether `node` is the eager output of calling a Keras layer or model (`model(x)`), a loss
 * or metric, or a keras.ops function, or a name last assigned one in the same block. Such a
 * value is a backend tensor: a tf.Tensor on TensorFlow, a jax.Array on JAX, a torch.Tensor on
 * PyTorch.
 */
function isLayerOutput(node: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  if (node.type === 'call') {
    const fn = child(node, 'function');
    return !!fn && returnsBackendTensor(fn, ctx) && !ctx.isSymbolic(node);
  }
  if (node.type === 'identifier' && follow && !ctx.isSymbolic(node)) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isLayerOutput(value, ctx, false);
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'numpy') {
    return;
  }
  if (parts.positional.length || parts.keywords.size || parts.splat) {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || !isLayerOutput(receiver, ctx)) {
    return;
  }
  const edits: OffsetEdit[] = [{ start: node.start, end: node.end, text: `keras.ops.convert_to_numpy(${ctx.textOf(receiver)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    node,
    '`.numpy()` on a Keras result (a model, layer, loss or metric output, a `keras.ops` value) works only on TensorFlow: a JAX array has no `.numpy()` and a PyTorch tensor that requires grad refuses it. `keras.ops.convert_to_numpy()` works on every backend.',
    { title: 'Use `keras.ops.convert_to_numpy(...)`', safe: true, edits }
  );
}

export const tensorNumpyMethod: RuleDefinition = {
  code: 'KM186',
  name: 'tensor-numpy-method',
  slug: 'keras-ops',
  severity: 'warning',
  /** AttributeError on JAX, RuntimeError on PyTorch ("Can't call numpy() on Tensor that requires grad"); fine on TensorFlow. */
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
