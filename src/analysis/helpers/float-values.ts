/**
 * Whether an expression is known to hold floating-point values, from how it is written: a float
 * literal, a TF op whose result is always floating (`tf.math.l2_normalize`, `tf.nn.softmax`,
 * `tf.divide`, a cast to a float dtype), a TF op that keeps its operands' dtype given a float
 * operand (`tf.matmul(q, tf.transpose(q))`, `tf.maximum(count, 1.0)`), arithmetic with a float
 * operand, or a local name every assignment of which is such a value. Not a rule.
 *
 * Used where a conversion is exact for floats only: `tf.divide` of integers gives float64 while
 * `keras.ops.divide` gives float32, and floats give the same dtype on both sides. TensorFlow's
 * binary ops refuse operands of different dtypes, so in a program that ran on TensorFlow one
 * float operand means both were floats.
 */
import { child, globalNamesOf, identifiersIn, itemsOf, rootOf, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { callApiName, lastAssignedValue } from './calls';
import { nameBindings } from './name-bindings';

/** TF and keras.ops calls whose result is floating whatever (valid) input they get. */
const ALWAYS_FLOAT = new Set([
  'tf.math.l2_normalize', 'tf.nn.l2_normalize', 'tf.linalg.l2_normalize',
  'tf.nn.softmax', 'tf.math.softmax', 'tf.nn.log_softmax', 'tf.math.log_softmax',
  'tf.math.sigmoid', 'tf.sigmoid', 'tf.nn.sigmoid', 'tf.math.tanh', 'tf.tanh', 'tf.nn.tanh',
  'tf.math.exp', 'tf.exp', 'tf.math.log', 'tf.math.sqrt', 'tf.sqrt', 'tf.math.rsqrt',
  'tf.math.divide', 'tf.divide', 'tf.math.truediv', 'tf.truediv', 'tf.math.divide_no_nan',
  'tf.nn.softmax_cross_entropy_with_logits', 'tf.nn.sigmoid_cross_entropy_with_logits',
  'tf.random.normal', 'tf.random.truncated_normal',
  'keras.ops.normalize', 'keras.ops.softmax', 'keras.ops.log_softmax', 'keras.ops.sigmoid',
  'keras.ops.tanh', 'keras.ops.exp', 'keras.ops.log', 'keras.ops.sqrt', 'keras.ops.divide', 'keras.ops.true_divide'
]);

/** Calls whose result has the dtype of their tensor operands (TF requires those to agree). */
const SAME_DTYPE = new Set([
  'tf.matmul', 'tf.linalg.matmul', 'tf.add', 'tf.math.add', 'tf.multiply', 'tf.math.multiply',
  'tf.subtract', 'tf.math.subtract', 'tf.maximum', 'tf.math.maximum', 'tf.minimum', 'tf.math.minimum',
  'tf.transpose', 'tf.reshape', 'tf.squeeze', 'tf.expand_dims', 'tf.abs', 'tf.math.abs',
  'tf.negative', 'tf.math.negative', 'tf.square', 'tf.math.square',
  'tf.reduce_sum', 'tf.math.reduce_sum', 'tf.reduce_mean', 'tf.math.reduce_mean',
  'tf.reduce_max', 'tf.math.reduce_max', 'tf.reduce_min', 'tf.math.reduce_min'
]);

const FLOAT_DTYPE = /^(["'])(float16|float32|float64|bfloat16)\1$|^(tf|tensorflow|np|numpy)\.(float16|float32|float64|bfloat16)$/;

const FLOAT_LITERAL = /^\d*\.\d*(e[+-]?\d+)?$|^\d+e[+-]?\d+$/i;

/** Whether `node` is known to be floating at the point where it is read (see the file comment). */
export function isKnownFloat(node: SyntaxNode | null | undefined, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 6) {
    return false;
  }
  switch (node.type) {
    case 'float':
      return FLOAT_LITERAL.test(ctx.textOf(node));
    case 'parenthesized_expression':
    case 'unary_operator':
      return node.children.some(c => isKnownFloat(c, ctx, depth + 1));
    case 'binary_operator': {
      const left = child(node, 'left');
      const right = child(node, 'right');
      if (!left || !right) {
        return false;
      }
      const opText = ctx.textOf(node).slice(left.end - node.start, right.start - node.start).trim();
      if (opText === '/') {
        return true; // true division: floating for tensors and Python numbers alike
      }
      if (opText === '+' || opText === '-' || opText === '*' || opText === '**') {
        return isKnownFloat(left, ctx, depth + 1) || isKnownFloat(right, ctx, depth + 1);
      }
      return false;
    }
    case 'subscript':
      return isKnownFloat(child(node, 'value'), ctx, depth + 1);
    case 'call':
      return callIsFloat(node, ctx, depth);
    case 'identifier':
      return nameIsFloat(node, ctx, depth);
    default:
      return false;
  }
}

function callIsFloat(call: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const api = callApiName(call, ctx);
  if (!api) {
    return false;
  }
  const args = child(call, 'arguments');
  const items = args ? itemsOf(args) : [];
  const positional = items.filter(a => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
  const keyword = (name: string): SyntaxNode | null => {
    for (const a of items) {
      if (a.type === 'keyword_argument' && ctx.textOf(child(a, 'name')!) === name) {
        return child(a, 'value');
      }
    }
    return null;
  };
  if (items.some(a => a.type === 'list_splat' || a.type === 'dictionary_splat')) {
    return false;
  }
  if (api === 'tf.cast' || api === 'keras.ops.cast' || api === 'tf.dtypes.cast') {
    const dtype = positional[1] ?? keyword('dtype');
    return !!dtype && FLOAT_DTYPE.test(ctx.textOf(dtype));
  }
  if (ALWAYS_FLOAT.has(api)) {
    const dtype = keyword('dtype');
    return !dtype || FLOAT_DTYPE.test(ctx.textOf(dtype));
  }
  if (SAME_DTYPE.has(api)) {
    const operands = api.includes('matmul') || /add|multiply|subtract|maximum|minimum/.test(api) ? positional.slice(0, 2) : positional.slice(0, 1);
    return operands.some(a => isKnownFloat(a, ctx, depth + 1));
  }
  return false;
}

/** The function (or module) body a name read belongs to. */
function enclosingBody(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      // `global name` in a module-level function: the module's name.
      const statement = p.parent?.type === 'decorated_definition' ? p.parent : p;
      return statement.parent?.type === 'module' && globalNamesOf(p, ctx.text).has(ctx.textOf(node)) ? rootOf(node) : child(p, 'body');
    }
    if (p.type === 'class_definition') {
      return null; // a class body's own scope: not followed
    }
    if (p.type === 'module') {
      return p;
    }
  }
  return null;
}

/**
 * A local name whose every binding in its function is a plain `name = <known float>` (or an
 * augmented assignment, which keeps a float a float), and that is not a parameter.
 */
function nameIsFloat(name: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const text = ctx.textOf(name);
  const body = enclosingBody(name, ctx);
  if (!body) {
    return false;
  }
  const fn = body.parent?.type === 'function_definition' ? body.parent : null;
  const params = fn ? child(fn, 'parameters') : null;
  if (params && identifiersIn(params).some(p => ctx.textOf(p) === text)) {
    return false;
  }
  // A plain assignment before the read, in the blocks around it: at notebook level a name read
  // before (or without) one holds whatever an earlier cell left there.
  if (!lastAssignedValue(text, name, ctx)) {
    return false;
  }
  const found = nameBindings(body, text, ctx, {
    nestedRebinding: body.type === 'module' ? GLOBAL_REBINDING : NO_REBINDING
  });
  return !found.other && found.values.length > 0 && found.values.every(v => isKnownFloat(v, ctx, depth + 1));
}

/** A function that rebinds a notebook-level name with `global` may change it at any call. */
const GLOBAL_REBINDING = new Set(['global_statement']);
const NO_REBINDING = new Set<string>();
