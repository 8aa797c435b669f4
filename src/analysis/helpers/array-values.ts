/**
 * What kind of value an expression holds where the code shows it: a NumPy array or a TensorFlow
 * tensor. Shared by the rules that must tell them apart (a nested model input mixing them, KM308)
 * and by the op conversions that convert a possible array first (`keras.ops.stop_gradient`). Not a rule.
 */
import { child, descendants, rootOf, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { callParts, lastAssignedValue, localNamesOf, parameterNames, topLevelValueBefore } from './calls';
import { onlyVisibleDefinition } from './model-code';
import { everySource } from './value-sources';

/** TensorFlow namespaces whose functions do not return tensors. */
const TF_NOT_TENSOR =
  /^tensorflow\.((keras|data|compat|io\.gfile|config|summary|saved_model|train|distribute|debugging|autograph|lite|errors|experimental|sysconfig|test|estimator|feature_column|tpu)\.|(function|py_function|numpy_function|device|print|name_scope|is_tensor|executing_eagerly|get_static_value|make_ndarray|as_dtype|control_dependencies|init_scope|get_logger|random\.set_seed|random\.get_global_generator|get_current_name_scope|no_gradient|custom_gradient|recompute_grad)$)/;

/**
 * `tf.convert_to_tensor(a)`, `tf.constant(x)`, another TensorFlow op's result, a subscript of one,
 * arithmetic with one (a TF tensor wins over numbers and NumPy arrays: `actions * bound + shift`),
 * or a name bound to one (helpers/value-sources.ts: also by unpacking, `a, b = tf.split(x, 2)`, or
 * from a function of the program that returns one at that position).
 */
export function isTfTensor(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.children.find(c => c.type !== 'comment');
      return !!inner && isTfTensor(inner, ctx, depth + 1);
    }
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && isTfTensor(value, ctx, depth + 1);
    }
    case 'binary_operator': {
      const operands = node.children.filter(c => c.type !== 'comment');
      // (Not `"%s" % t`, a string; not KerasTensor arithmetic of model construction.)
      return operands[0]?.type !== 'string' && !operands.some(o => ctx.isSymbolic(o)) && operands.some(o => isTfTensor(o, ctx, depth + 1));
    }
    case 'identifier':
      return everySource(node, ctx, s => isTfTensor(s, ctx, depth + 1));
    case 'call':
      break;
    default:
      return false;
  }
  const fn = child(node, 'function');
  if (!fn || ctx.resolveKeras(fn)) {
    return false;
  }
  const name = ctx.resolve(fn) ?? '';
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  return name.startsWith('tensorflow.') && /^[a-z]/.test(leaf) && !TF_NOT_TENSOR.test(name);
}

/** Methods of a NumPy array that give a NumPy array. */
const ARRAY_METHODS = /^(astype|reshape|copy|squeeze|flatten|ravel|transpose|clip|round|swapaxes)$/;

/**
 * A NumPy value: a NumPy function's result, `model.predict(...)`, `.numpy()`,
 * `keras.ops.convert_to_numpy(...)`, an array method or subscript of one, arithmetic of them with
 * numbers, or a name bound to one (helpers/value-sources.ts: also by unpacking, `s, _ =
 * model.predict(x)`, `a, b = [np.vstack(...) for i in range(2)]`, or from a function of the
 * program that returns one at that position).
 */
export function isNumpyValue(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
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
    case 'identifier':
      return !ctx.isSymbolic(node) && everySource(node, ctx, s => isNumpyValue(s, ctx, depth + 1));
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


/** NumPy functions whose result is an ndarray (never a NumPy scalar), whatever they are given. */
export const NUMPY_ARRAY_MAKERS: ReadonlySet<string> = new Set([
  'array', 'asarray', 'asanyarray', 'ascontiguousarray', 'zeros', 'ones', 'full', 'empty', 'zeros_like', 'ones_like', 'full_like',
  'eye', 'identity', 'arange', 'linspace', 'logspace', 'geomspace', 'tril', 'triu', 'diag', 'concatenate', 'stack', 'vstack', 'hstack',
  'tile', 'repeat', 'outer', 'expand_dims', 'atleast_1d', 'atleast_2d'
]);

/** NumPy functions that give an ndarray when one of their arguments is one (`np.sin(angles)`, `np.float32(arr)`). */
const NUMPY_ELEMENTWISE = /^(sin|cos|tan|exp|log|log2|log10|sqrt|square|power|abs|absolute|maximum|minimum|clip|where|tanh|sign|floor|ceil|round|multiply|add|subtract|divide|matmul|dot|reshape|transpose|squeeze|float16|float32|float64|int32|int64)$/;

/**
 * Whether a subscript keeps an array an array: an index with a slice, `None`/`np.newaxis` or `...`
 * (`pos_encoding[:, :n, :]`); an integer index may give a NumPy scalar.
 */
function keepsArray(index: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!index) {
    return false;
  }
  const parts = index.type === 'expression_list' || index.type === 'tuple' ? index.children : [index];
  return parts.some(p => p.type === 'slice' || p.type === 'none' || p.type === 'ellipsis' || ctx.textOf(p) === 'np.newaxis' || ctx.textOf(p) === 'numpy.newaxis');
}

/** The enclosing defs and lambdas of a node, innermost first. */
function enclosingFunctions(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') {
      out.push(n);
    }
  }
  return out;
}

/**
 * The value a name read at `node` holds, seen from the tree around the node (not from the walk's
 * current function, so that a value found in another method is read in its own scope): the last
 * plain assignment in its blocks, else, when no enclosing function binds the name, the cell's
 * top-level value (a module name read in a function or a Lambda's lambda); null for a parameter.
 */
function valueAt(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const name = ctx.textOf(node);
  const found = lastAssignedValue(name, node, ctx);
  if (found) {
    return found;
  }
  const fns = enclosingFunctions(node);
  return fns.length && !fns.some(f => localNamesOf(f, ctx).has(name)) ? topLevelValueBefore(name, node, ctx) : null;
}

/**
 * A NumPy ndarray (not a NumPy scalar such as `np.float64(2)`, which every backend takes), where
 * the code shows it: a call of NUMPY_ARRAY_MAKERS, an elementwise NumPy function of an array, an
 * array method or a slicing subscript of an array, `copy.deepcopy` of one, a call of a notebook function
 * returning one, arithmetic of arrays and numbers, a name last
 * assigned one (a module name read in a function or lambda too), and `self.NAME` where every
 * assignment of it in the class is one or is a parameter of `__init__` that every construction
 * of the class in the cell (at least one) passes one (`SAC(..., action_bound=np.array(...))`).
 */
export function isNumpyArray(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.children.find(c => c.type !== 'comment');
      return !!inner && isNumpyArray(inner, ctx, depth + 1);
    }
    case 'subscript': {
      const value = child(node, 'value');
      return !!value && keepsArray(child(node, 'subscript'), ctx) && isNumpyArray(value, ctx, depth + 1);
    }
    case 'unary_operator': {
      const operand = child(node, 'argument') ?? node.children[node.children.length - 1];
      return !!operand && isNumpyArray(operand, ctx, depth + 1);
    }
    case 'binary_operator': {
      const operands = node.children.filter(c => c.type !== 'comment');
      return operands.some(o => isNumpyArray(o, ctx, depth + 1)) && operands.every(o => o.type === 'integer' || o.type === 'float' || isNumpyValue(o, ctx, depth + 1) || isNumpyArray(o, ctx, depth + 1));
    }
    case 'identifier': {
      if (ctx.isSymbolic(node)) {
        return false;
      }
      const value = valueAt(node, ctx);
      return !!value && isNumpyArray(value, ctx, depth + 1);
    }
    case 'attribute':
      return isNumpyAttribute(node, ctx, depth);
    case 'call': {
      const fn = child(node, 'function');
      if (!fn) {
        return false;
      }
      const name = ctx.resolve(fn) ?? '';
      if (name.startsWith('numpy.')) {
        const leaf = name.slice('numpy.'.length);
        if (NUMPY_ARRAY_MAKERS.has(leaf)) {
          return true;
        }
        const args = child(node, 'arguments')?.children.filter(c => c.type !== 'comment' && c.type !== 'keyword_argument') ?? [];
        return NUMPY_ELEMENTWISE.test(leaf) && args.some(a => isNumpyArray(a, ctx, depth + 1));
      }
      if (name === 'copy.deepcopy' || name === 'copy.copy') {
        // `copy.deepcopy(self.action_bound)` (TF2 RL Cookbook's PPO actor): a copy of an array.
        const first = child(node, 'arguments')?.children.find(c => c.type !== 'comment' && c.type !== 'keyword_argument');
        return !!first && isNumpyArray(first, ctx, depth + 1);
      }
      if (fn.type === 'identifier') {
        return returnsNumpyArray(fn, ctx, depth);
      }
      const object = fn.type === 'attribute' ? child(fn, 'object') : null;
      const method = fn.type === 'attribute' ? ctx.textOf(child(fn, 'attribute') ?? fn) : '';
      return !!object && ARRAY_METHODS.test(method) && method !== 'round' && isNumpyArray(object, ctx, depth + 1);
    }
    default:
      return false;
  }
}

/**
 * A call of a function of the cell (the one definition the call sees) whose every `return` gives an
 * ndarray (the TF Transformer tutorial's `positional_encoding(length, depth)` returning `np.concatenate(...)`).
 */
function returnsNumpyArray(fn: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  if (ctx.resolve(fn) !== null) {
    return false;
  }
  const def = onlyVisibleDefinition(fn, 'function_definition', ctx.textOf(fn), ctx);
  const body = def ? child(def, 'body') : null;
  if (!body) {
    return false;
  }
  const returns: SyntaxNode[] = [];
  const stack = [...body.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'return_statement') {
      returns.push(n);
    } else if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return returns.length > 0 && returns.every(r => {
    const value = r.children.find(c => c.type !== 'comment');
    return !!value && isNumpyArray(value, ctx, depth + 1);
  });
}

/** `self.NAME` in a class: see isNumpyArray. */
function isNumpyAttribute(node: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  let cls: SyntaxNode | null = node.parent;
  while (cls && cls.type !== 'class_definition') {
    cls = cls.parent;
  }
  if (!object || !attr || ctx.textOf(object) !== 'self' || !cls) {
    return false;
  }
  const name = ctx.textOf(attr);
  const values: SyntaxNode[] = [];
  for (const d of descendants(cls)) {
    if (d.type === 'augmented_assignment' || d.type === 'assignment') {
      const left = child(d, 'left');
      const targets = left?.type === 'attribute' ? [left] : left ? [...descendants(left)].filter(t => t.type === 'attribute') : [];
      for (const t of targets) {
        if (ctx.textOf(child(t, 'object') ?? t) === 'self' && ctx.textOf(child(t, 'attribute') ?? t) === name) {
          const right = child(d, 'right');
          if (d.type !== 'assignment' || t !== left || !right) {
            return false; // unpacked, augmented: not followed
          }
          values.push(right);
        }
      }
    }
  }
  return values.length > 0 && values.every(v => isNumpyArray(v, ctx, depth + 1) || constructorPassesArray(v, cls!, ctx, depth));
}

/**
 * `self.NAME = param` in `__init__`, where `param` is a parameter the method does not rebind first, and every
 * construction `Cls(...)` in the cell (at least one) passes an ndarray there (by keyword or position).
 */
function constructorPassesArray(value: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const init = enclosingFunctions(value)[0];
  if (value.type !== 'identifier' || !init || init.type !== 'function_definition' || ctx.textOf(child(init, 'name') ?? init) !== '__init__' || child(init, 'name') === null) {
    return false;
  }
  const param = ctx.textOf(value);
  const params = parameterNames(init, ctx) ?? [];
  const className = child(cls, 'name');
  if (!className || !params.includes(param) || lastAssignedValue(param, value, ctx) !== null) {
    return false;
  }
  const positional = params.slice(1, params.indexOf('') < 0 ? undefined : params.indexOf('')).indexOf(param);
  const owner = ctx.textOf(className);
  let constructions = 0;
  for (const call of descendants(rootOf(cls))) {
    const fn = call.type === 'call' ? child(call, 'function') : null;
    if (!fn || fn.type !== 'identifier' || ctx.textOf(fn) !== owner) {
      continue;
    }
    const parts = callParts(call, ctx);
    if (!parts || parts.splat) {
      return false;
    }
    const given = parts.keywords.get(param)?.value ?? (positional >= 0 ? parts.positional[positional] : undefined);
    if (!given || !isNumpyArray(given, ctx, depth + 1)) {
      return false;
    }
    constructions++;
  }
  return constructions > 0;
}
