/**
 * Eager backend tensors outside model code: values Keras hands back when a model, layer,
 * loss, metric or keras.ops function is called on concrete data (`probs = model(x)`). They are
 * a tf.Tensor on TensorFlow, a jax.Array on JAX and a torch.Tensor on PyTorch (one that
 * requires grad when it comes out of a model), so TensorFlow-only handling of them (`.numpy()`,
 * a TF op) works on TensorFlow alone.
 */
import { child, SyntaxNode } from '../ast';
import { KERAS_TENSOR_FUNCTIONS } from '../knowledge';
import type { RuleContext } from '../rule';
import { calleeName, lastAssignedValue } from './calls';

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

/** Whether calling `fn` gives a backend tensor: a layer or model (`layers` says whether only
 * those count), a loss or metric object or its `result()`, a keras.ops, keras.random, loss or
 * metric function. */
function returnsBackendTensor(fn: SyntaxNode, ctx: RuleContext, layersOnly: boolean): boolean {
  // `model.predict(x)`, `model.evaluate(...)`: a method of a model (NumPy or Python values), not a call of one.
  const owner = fn.type === 'attribute' ? child(fn, 'object') : null;
  if (owner && ctx.isLayerInstance(owner) && !/^(__call__|call)$/.test(calleeName(fn, ctx))) {
    return false;
  }
  if (ctx.isLayerInstance(fn)) {
    return true;
  }
  if (layersOnly) {
    return false;
  }
  if (isComponentInstance(fn, ctx)) {
    return true;
  }
  if (owner && calleeName(fn, ctx) === 'result') {
    return isComponentInstance(owner, ctx);
  }
  const name = ctx.resolveKeras(fn);
  return !!name && ((/^keras\.(ops|random)\.\w+$/.test(name) && !NOT_TENSOR.test(name)) || KERAS_TENSOR_FUNCTIONS.test(name));
}

/**
 * Whether `node` is the eager output of calling a Keras model or layer (`model(x)`), a loss or
 * metric, or a keras.ops function, or a name last assigned one in the same block (symbolic
 * Functional-API tensors excluded). `layersOnly`: only model and layer outputs (the ones that
 * require grad on PyTorch).
 */
export function isEagerBackendTensor(node: SyntaxNode, ctx: RuleContext, layersOnly = false, follow = true): boolean {
  if (node.type === 'call') {
    const fn = child(node, 'function');
    return !!fn && returnsBackendTensor(fn, ctx, layersOnly) && !ctx.isSymbolic(node);
  }
  if (node.type === 'identifier' && follow && !ctx.isSymbolic(node)) {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && isEagerBackendTensor(value, ctx, layersOnly, false);
  }
  return false;
}
