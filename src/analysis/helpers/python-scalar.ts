/**
 * A TF math op on plain Python numbers stored on a layer in `build()` or `__init__()`
 * (`self.scale = tf.sqrt(self.gain / fan_in)`, keras.io StyleGAN's equalized-learning-rate
 * layers). The stored value is a tensor made wherever the layer is built: a layer built lazily
 * inside another layer's call (a sublayer made in `build()`) is built inside the symbolic trace
 * of that call, so the tensor belongs to the trace ("out of scope" on TensorFlow, a leaked tracer
 * on JAX, a failing call on PyTorch). `keras.ops` keeps that problem; `math.sqrt(...)` gives a
 * Python float, the same number in every context.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import type { CallParts } from './calls';
import { nodesOfType, selfAttribute } from './layer-calls';
import { classMethodDefinitions } from './model-code';

/** TF ops with a `math` module counterpart of one argument. */
const SCALAR_MATH: Record<string, string> = {
  'tf.sqrt': 'math.sqrt',
  'tf.math.sqrt': 'math.sqrt',
  'tf.exp': 'math.exp',
  'tf.math.exp': 'math.exp',
  'tf.math.log': 'math.log'
};

/** The `default_parameter` / `typed_default_parameter` value of parameter `name` of `fn`, or null (undefined: no such parameter). */
function parameterDefault(fn: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null | undefined {
  for (const p of child(fn, 'parameters')?.children ?? []) {
    if (p.type === 'identifier' && ctx.textOf(p) === name) {
      return null;
    }
    if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && ctx.textOf(child(p, 'name') ?? p) === name) {
      return child(p, 'value');
    }
  }
  return undefined;
}

function isNumberLiteral(node: SyntaxNode | null | undefined): boolean {
  return !!node && (node.type === 'integer' || node.type === 'float');
}

/**
 * Whether `expr`, in method `fn` of class `cls`, is a plain Python number: a literal, integer
 * arithmetic of such, `int()`/`float()`/`len()`, an element of a `*shape` parameter, a local
 * whose every binding is one, a parameter with a number default, or `self.x` whose every
 * assignment in the class is one.
 */
function isPlainNumber(expr: SyntaxNode, fn: SyntaxNode, cls: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  switch (expr.type) {
    case 'integer':
    case 'float':
      return true;
    case 'parenthesized_expression':
      return expr.children.length === 1 && isPlainNumber(expr.children[0], fn, cls, ctx, depth + 1);
    case 'unary_operator':
      return expr.children.length === 1 && isPlainNumber(expr.children[0], fn, cls, ctx, depth + 1);
    case 'binary_operator':
      return expr.children.length === 2 && expr.children.every(c => isPlainNumber(c, fn, cls, ctx, depth + 1));
    case 'call': {
      const callee = child(expr, 'function');
      return !!callee && /^(int|float|len)$/.test(ctx.textOf(callee)) && !ctx.lookup(ctx.textOf(callee));
    }
    case 'subscript': {
      // `input_shape[-1]` in build(): a dimension of the shape Keras passes (an int or None).
      const value = child(expr, 'value');
      return value?.type === 'identifier' && /shape$/i.test(ctx.textOf(value)) && parameterDefault(fn, ctx.textOf(value), ctx) !== undefined;
    }
    case 'identifier': {
      const name = ctx.textOf(expr);
      const def = parameterDefault(fn, name, ctx);
      if (def !== undefined) {
        return isNumberLiteral(def);
      }
      const bindings = [...nodesOfType(child(fn, 'body') ?? fn, 'assignment')].filter(a => child(a, 'left')?.type === 'identifier' && ctx.textOf(child(a, 'left')!) === name);
      const other = [...nodesOfType(child(fn, 'body') ?? fn, 'augmented_assignment'), ...nodesOfType(child(fn, 'body') ?? fn, 'for_statement')].some(a => ctx.textOf(child(a, 'left') ?? a) === name);
      return bindings.length > 0 && !other && bindings.every(b => !!child(b, 'right') && isPlainNumber(child(b, 'right')!, fn, cls, ctx, depth + 1));
    }
    case 'attribute': {
      const attr = selfAttribute(expr, ctx);
      if (!attr) {
        return false;
      }
      const values: Array<{ value: SyntaxNode; method: SyntaxNode }> = [];
      for (const method of classMethodDefinitions(cls, ctx).values()) {
        for (const a of nodesOfType(method, 'assignment')) {
          const left = child(a, 'left');
          if (left && selfAttribute(left, ctx) === attr) {
            const right = child(a, 'right');
            if (!right) {
              return false;
            }
            values.push({ value: right, method });
          }
        }
        for (const a of nodesOfType(method, 'augmented_assignment')) {
          const left = child(a, 'left');
          if (left && selfAttribute(left, ctx) === attr) {
            return false;
          }
        }
      }
      return values.length > 0 && values.every(v => isPlainNumber(v.value, v.method, cls, ctx, depth + 1));
    }
    default:
      return false;
  }
}

/**
 * The fix for `self.attr = tf.sqrt(<Python numbers>)` in a class's `build()` or `__init__()`:
 * `math.sqrt(...)` (a Python float), or null when the call is not that.
 */
export function storedScalarMath(node: SyntaxNode, name: string, parts: CallParts, ctx: RuleContext): RawFix | null {
  const target = SCALAR_MATH[name];
  const parent = node.parent;
  if (!target || parts.positional.length !== 1 || parts.keywords.size || !ctx.fn || !ctx.cls || !/^(build|__init__)$/.test(ctx.fn.name)) {
    return null;
  }
  if (parent?.type !== 'assignment' || child(parent, 'right') !== node || !selfAttribute(child(parent, 'left') ?? parent, ctx)) {
    return null;
  }
  if (!isPlainNumber(parts.positional[0], ctx.fn.node, ctx.cls.node, ctx)) {
    return null;
  }
  const edits: OffsetEdit[] = [{ start: parts.fn.start, end: parts.fn.end, text: target }];
  const imp = ctx.importEdit('math');
  if (imp) {
    edits.push(imp);
  }
  return { title: `Use \`${target}\`: a Python float, the same number wherever the layer is built`, safe: false, edits };
}
