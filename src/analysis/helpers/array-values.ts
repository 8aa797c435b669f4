/**
 * What kind of value an expression holds where the code shows it: a NumPy array or a TensorFlow
 * tensor. Shared by the rules that must tell them apart (a nested model input mixing them, KM308)
 * and by the op conversions that convert a possible array first (`keras.ops.stop_gradient`). Not a rule.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { lastAssignedValue, topLevelValueBefore } from './calls';

/**
 * The value a name read at `node` was last assigned: in its scope, else (a module name read in a
 * function) the cell's top-level value before it; null for a local without one (a parameter).
 */
function assignedValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const name = ctx.textOf(node);
  return lastAssignedValue(name, node, ctx) ?? (ctx.fn && !ctx.functionBinding(name) ? topLevelValueBefore(name, node, ctx) : null);
}

/** TensorFlow namespaces whose functions do not return tensors. */
const TF_NOT_TENSOR =
  /^tensorflow\.((keras|data|compat|io\.gfile|config|summary|saved_model|train|distribute|debugging|autograph|lite|errors|experimental|sysconfig|test|estimator|feature_column|tpu)\.|(function|py_function|numpy_function|device|print|name_scope|is_tensor|executing_eagerly|get_static_value|make_ndarray|as_dtype|control_dependencies|init_scope|get_logger|random\.set_seed|random\.get_global_generator|get_current_name_scope|no_gradient|custom_gradient|recompute_grad)$)/;

/** `tf.convert_to_tensor(a)`, `tf.constant(x)`, another TensorFlow op's result, or a name last assigned one. */
export function isTfTensor(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 3) {
    return false;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.children.find(c => c.type !== 'comment');
    return !!inner && isTfTensor(inner, ctx, depth + 1);
  }
  if (node.type === 'identifier') {
    const value = assignedValue(node, ctx);
    return !!value && isTfTensor(value, ctx, depth + 1);
  }
  const fn = node.type === 'call' ? child(node, 'function') : null;
  if (!fn || ctx.resolveKeras(fn)) {
    return false;
  }
  const name = ctx.resolve(fn) ?? '';
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  return name.startsWith('tensorflow.') && /^[a-z]/.test(leaf) && !TF_NOT_TENSOR.test(name);
}

/** Methods of a NumPy array that give a NumPy array. */
const ARRAY_METHODS = /^(astype|reshape|copy|squeeze|flatten|ravel|transpose|clip|round|swapaxes)$/;

/** A NumPy value: a NumPy function's result, `model.predict(...)`, `.numpy()`, `keras.ops.convert_to_numpy(...)`, an array method or subscript of one, or a name last assigned one. */
export function isNumpyValue(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 4) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.children.find(c => c.type !== 'comment');
      return !!inner && isNumpyValue(inner, ctx, depth + 1);
    }
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && isNumpyValue(value, ctx, depth + 1);
    }
    case 'binary_operator': {
      // `states / 255.0`, `a - b` of arrays: NumPy only when no operand may be a tensor.
      const operands = node.children.filter(c => c.type !== 'comment');
      return operands.some(o => isNumpyValue(o, ctx, depth + 1)) && operands.every(o => o.type === 'integer' || o.type === 'float' || isNumpyValue(o, ctx, depth + 1));
    }
    case 'identifier': {
      if (ctx.isSymbolic(node)) {
        return false;
      }
      const value = assignedValue(node, ctx);
      return !!value && isNumpyValue(value, ctx, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      if ((ctx.resolve(fn) ?? '').startsWith('numpy.') || ctx.resolveKeras(fn) === 'keras.ops.convert_to_numpy') {
        return true;
      }
      const object = fn.type === 'attribute' ? child(fn, 'object') : null;
      const method = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : '';
      if (!object) {
        return false;
      }
      if (/^(predict|predict_on_batch)$/.test(method)) {
        return ctx.isLayerInstance(object);
      }
      if (method === 'numpy' && !child(node, 'arguments')?.children.length) {
        return true;
      }
      return ARRAY_METHODS.test(method) && isNumpyValue(object, ctx, depth + 1);
    }
    default:
      return false;
  }
}

