/**
 * len-of-tensor (KM295)
 *
 * What it does: flags `len(x)` of a tensor in traced model code: the input of a layer's or model's
 * `call()`, `y_true` / `y_pred` of a loss or metric, and names computed from them by TF ops or
 * `keras.ops`, in the methods Keras traces and the notebook functions they call.
 *
 * Why: Keras 2 ran this code through AutoGraph, which turned `len(x)` into `tf.shape(x)[0]`. Keras 3
 * does not: TensorFlow traces it with an unknown batch size and fails ("len is not well defined for
 * a symbolic Tensor"); JAX fails too where a functional model builds the layer on a symbolic batch
 * ("'_DimExpr' object cannot be interpreted as an integer"); PyTorch runs it (checked on Keras 3.15,
 * /work/og46b repro_5).
 *
 * Fix: `keras.ops.shape(x)[0]`, where what it gives only reaches TF ops or `keras.ops` (or a slice):
 * a Python int on JAX and PyTorch and where the size is known, a scalar tensor on TensorFlow
 * otherwise, so Python arithmetic on it may meet a dtype mismatch there; a suggestion.
 */
import { child, SyntaxNode } from '../ast';
import type { FunctionScope, RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { callParts, parameterNames, tfApiName, withKerasImport } from '../helpers/calls';
import { inLossFunction, kerasMethodName, modelCodeVariants, PYTHON_VALUE_PARAMETERS } from '../helpers/model-code';
import { builtInSymbolicCallFact, symbolicInputFact } from '../helpers/tf-op-claims';

/** Ops taking a list of tensors, or giving one: a name they see or make may be a Python list. */
const LIST_OPS = /\.(concat|concatenate|stack|unstack|split|add_n|meshgrid|dynamic_partition|dynamic_stitch|vstack|hstack|dstack|einsum|nest\.\w+|zip|shape|shape_n)$/;
/** Builtins and methods that show a name is a Python sequence. */
const SEQUENCE_USE = /^(zip|enumerate|isinstance|list|tuple|map|sorted|reversed|any|all)$/;

/** Whether a call is a TF op or a `keras.ops` / `keras.random` function (its name, else null). */
function opName(call: SyntaxNode, ctx: RuleContext): string | null {
  const fn = child(call, 'function');
  if (!fn) {
    return null;
  }
  const tf = tfApiName(ctx.resolve(fn));
  if (tf) {
    return tf;
  }
  const keras = ctx.resolveKeras(fn) ?? '';
  return /^keras\.(ops|random)\./.test(keras) ? keras : null;
}

/** Per function: the names that hold tensors, by what the body shows of them. */
const tensorNamesOf = new WeakMap<SyntaxNode, Set<string>>();

/**
 * The parameters Keras hands tensors: the first of a layer's or model's `call()`, both of a loss's
 * `call()` and of a metric's `update_state()`, `y_true` / `y_pred` of a loss function.
 */
function tensorParameters(fn: FunctionScope, ctx: RuleContext): string[] {
  const params = (parameterNames(fn.node, ctx) ?? []).filter(p => p !== '');
  const own = fn.classScope ? params.slice(1) : params;
  if (fn.classScope && fn.name === 'call') {
    const bases = ctx.textOf(child(fn.classScope.node, 'superclasses') ?? fn.classScope.node);
    return (/\b(Loss|losses\.\w+)\b/.test(bases) ? own.slice(0, 2) : own.slice(0, 1)).filter(p => !PYTHON_VALUE_PARAMETERS.has(p));
  }
  if (fn.classScope && fn.name === 'update_state') {
    return own.slice(0, 2).filter(p => !PYTHON_VALUE_PARAMETERS.has(p));
  }
  return own.filter(p => /^y_?(true|pred)$/i.test(p));
}

/**
 * Whether the function body shows `name` is a Python sequence: iterated, unpacked, given to
 * `zip`/`isinstance`/..., indexed by an integer literal, appended to, or handed to an op that takes
 * a list (`tf.concat(inputs, ...)`).
 */
function usedAsSequence(name: string, body: SyntaxNode, ctx: RuleContext): boolean {
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'for_statement' || n.type === 'for_in_clause') {
      const right = child(n, 'right');
      if (right && ctx.textOf(right) === name) {
        return true;
      }
    } else if (n.type === 'assignment') {
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (left && right && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') && ctx.textOf(right) === name) {
        return true;
      }
    } else if (n.type === 'subscript') {
      const value = child(n, 'value');
      const index = child(n, 'subscript');
      if (value && ctx.textOf(value) === name && index && (index.type === 'integer' || index.type === 'string' || index.type === 'unary_operator')) {
        return true;
      }
    } else if (n.type === 'list_splat' || n.type === 'dictionary_splat') {
      if (n.children.some(c => ctx.textOf(c) === name)) {
        return true;
      }
    } else if (n.type === 'attribute') {
      const object = child(n, 'object');
      const attr = child(n, 'attribute');
      if (object && attr && ctx.textOf(object) === name && /^(append|extend|items|keys|values|get|pop)$/.test(ctx.textOf(attr))) {
        return true;
      }
    } else if (n.type === 'call') {
      const fn = child(n, 'function');
      const args = child(n, 'arguments')?.children ?? [];
      const given = args.some(a => ctx.textOf(a) === name);
      if (given && fn && fn.type === 'identifier' && SEQUENCE_USE.test(ctx.textOf(fn))) {
        return true;
      }
      // `range(len(y_true) - 1)`: indices into a Python list (keras.io GaUGAN's feature-matching loss).
      if (fn && fn.type === 'identifier' && ctx.textOf(fn) === 'range' && new RegExp(`\\blen\\(\\s*${name}\\s*\\)`).test(ctx.textOf(n))) {
        return true;
      }
      const op = given ? opName(n, ctx) : null;
      if (op && LIST_OPS.test(op)) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}

/** Whether the function body shows `name` is a tensor: handed to a TF op or `keras.ops`, or its `.shape` / `.dtype` read. */
function usedAsTensor(name: string, body: SyntaxNode, ctx: RuleContext): boolean {
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'attribute') {
      const object = child(n, 'object');
      const attr = child(n, 'attribute');
      if (object && attr && ctx.textOf(object) === name && /^(shape|dtype|ndim)$/.test(ctx.textOf(attr))) {
        return true;
      }
    } else if (n.type === 'call') {
      const first = child(n, 'arguments')?.children.find(c => c.type !== 'comment');
      const op = first && ctx.textOf(first) === name ? opName(n, ctx) : null;
      if (op && !LIST_OPS.test(op)) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}

/** Whether a value computes a tensor from the function's tensors: a TF op or `keras.ops` call on one (not a list op), or arithmetic on one. */
function tensorValue(value: SyntaxNode, names: Set<string>, ctx: RuleContext, depth = 0): boolean {
  if (depth > 8) {
    return false;
  }
  switch (value.type) {
    case 'identifier':
      return names.has(ctx.textOf(value));
    case 'parenthesized_expression':
    case 'binary_operator':
    case 'unary_operator':
      return value.children.some(c => tensorValue(c, names, ctx, depth + 1));
    case 'call': {
      const op = opName(value, ctx);
      const args = child(value, 'arguments')?.children ?? [];
      return !!op && !LIST_OPS.test(op) && args.some(a => tensorValue(a.type === 'keyword_argument' ? (child(a, 'value') ?? a) : a, names, ctx, depth + 1));
    }
    default:
      return false;
  }
}

/** The names holding tensors in a function: its tensor parameters the body does not use as sequences, and names assigned from them by ops. */
function tensorNames(fn: FunctionScope, ctx: RuleContext): Set<string> {
  let names = tensorNamesOf.get(fn.node);
  if (names) {
    return names;
  }
  names = new Set();
  tensorNamesOf.set(fn.node, names);
  const body = child(fn.node, 'body');
  if (!body) {
    return names;
  }
  for (const p of tensorParameters(fn, ctx)) {
    if (!usedAsSequence(p, body, ctx) && (usedAsTensor(p, body, ctx) || /^y_?(true|pred)$/i.test(p))) {
      names.add(p);
    }
  }
  // Locals assigned once, from an op on a tensor name, in source order.
  const assigned = new Map<string, SyntaxNode[]>();
  const stack: SyntaxNode[] = [body];
  const order: SyntaxNode[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      if (left?.type === 'identifier') {
        const list = assigned.get(ctx.textOf(left)) ?? [];
        list.push(n);
        assigned.set(ctx.textOf(left), list);
        order.push(n);
      }
    }
    for (let i = n.children.length - 1; i >= 0; i--) {
      stack.push(n.children[i]);
    }
  }
  for (const n of order.sort((a, b) => a.start - b.start)) {
    const name = ctx.textOf(child(n, 'left')!);
    const right = child(n, 'right');
    const only = (assigned.get(name)?.length ?? 0) === 1 && n.type === 'assignment' && !names.has(name);
    if (only && right && tensorValue(right, names, ctx) && !usedAsSequence(name, body, ctx)) {
      names.add(name);
    }
  }
  return names;
}

/** Whether what `len(...)` gives reaches only TF ops, `keras.ops` or slices: directly, or through a name assigned once. */
function onlyReachesOps(call: SyntaxNode, fn: FunctionScope, ctx: RuleContext): boolean {
  const inOp = (node: SyntaxNode): boolean => {
    const parent = node.parent;
    if (parent?.type === 'keyword_argument') {
      return inOp(parent);
    }
    if (parent?.type === 'slice') {
      return true;
    }
    return parent?.type === 'argument_list' && !!parent.parent && parent.parent.type === 'call' && opName(parent.parent, ctx) !== null;
  };
  if (inOp(call)) {
    return true;
  }
  const statement = call.parent;
  const left = statement?.type === 'assignment' && child(statement, 'right') === call ? child(statement, 'left') : null;
  const body = child(fn.node, 'body');
  if (!left || left.type !== 'identifier' || !body) {
    return false;
  }
  const name = ctx.textOf(left);
  const uses: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && ctx.textOf(n) === name && n !== left) {
      uses.push(n);
    }
    stack.push(...n.children);
  }
  return uses.length > 0 && uses.every(u => u.parent?.type !== 'assignment' || child(u.parent, 'left') !== u) && uses.every(inOp);
}

function visit(call: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(call, ctx);
  if (!parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat || ctx.textOf(parts.fn) !== 'len' || ctx.lookup('len')) {
    return;
  }
  // AutoGraph still converts `len` under `@tf.function` (TensorFlow only, flagged as such elsewhere).
  const fn = ctx.fn;
  if (!fn || ctx.inTfFunction()) {
    return;
  }
  const method = kerasMethodName(ctx);
  if (!method && !inLossFunction(ctx) && !ctx.notebookFunction()) {
    return;
  }
  const traced = modelCodeVariants(call, ctx).filter(v => !v.eager);
  const arg = parts.positional[0];
  if (!traced.length || arg.type !== 'identifier' || !tensorNames(fn, ctx).has(ctx.textOf(arg))) {
    return;
  }
  // JAX fails where a functional model (or a layer built that way) builds the layer on a symbolic batch.
  const cls = ctx.cls && ctx.cls.keras === 'layer' && method === 'call' ? ctx.cls.name : null;
  const blocks: Backend[] = cls ? ['tensorflow', 'jax'] : ['tensorflow'];
  const jaxIf = cls ? `anywhere:${symbolicInputFact(cls)} | anywhere:${builtInSymbolicCallFact(cls)}` : undefined;
  const text = `keras.ops.shape(${ctx.textOf(arg)})[0]`;
  const fix = onlyReachesOps(call, fn, ctx)
    ? { title: `Use \`${text}\``, safe: false, edits: withKerasImport(ctx, [{ start: call.start, end: call.end, text }]) }
    : null;
  for (const variant of traced) {
    ctx.report(
      call,
      `\`len(${ctx.textOf(arg)})\` of a tensor in traced model code: Keras 2 ran this code through AutoGraph, which made it \`tf.shape(${ctx.textOf(arg)})[0]\`; Keras 3 does not, so TensorFlow fails on the unknown batch size ("len is not well defined for a symbolic Tensor")${cls ? ', and JAX where a functional model builds the layer' : ''}; use \`${text}\`${fix ? '' : ' (a scalar tensor on TensorFlow where the size is unknown: cast it before Python arithmetic with floats)'}.`,
      fix,
      undefined,
      variant.condition,
      blocks,
      jaxIf ? { jax: jaxIf } : undefined
    );
  }
}

export const lenOfTensor: RuleDefinition = {
  code: 'KM295',
  name: 'len-of-tensor',
  slug: 'autograph',
  severity: 'error',
  /** "len is not well defined for a symbolic Tensor" on TensorFlow; JAX in a functional model's symbolic build (Keras 3.15; claims/len_of_tensor.py). */
  blocks: ['tensorflow', 'jax'],
  fixAvailability: 'sometimes',
  triggers: ['len'],
  docs: {
    whatItDoes:
      'Flags `len(x)` of a tensor in traced model code: the input of a Keras layer\'s or model\'s `call()` (where the body uses it as a tensor, not as a list of inputs), `y_true` / `y_pred` of a loss or metric, and names computed from them by TF ops or `keras.ops`.',
    why:
      'Keras 2 ran `call()` and losses through AutoGraph, which turned `len(x)` into `tf.shape(x)[0]`. Keras 3 does not: TensorFlow traces them with an unknown batch size and fails ("len is not well defined for a symbolic Tensor"); JAX fails where a functional model builds the layer on a symbolic batch; PyTorch runs it (checked on Keras 3.15). `keras.ops.shape(x)[0]` runs on all three: a Python int on JAX and PyTorch, a scalar tensor on TensorFlow where the size is unknown. The fix is a suggestion, offered where the value only reaches TF ops, `keras.ops` or slices; elsewhere cast it before Python arithmetic with floats.',
    example:
      'import keras\nimport tensorflow as tf\nclass MeanOverBatch(keras.layers.Layer):\n    def call(self, x):\n        n = len(x)\n        return tf.reduce_sum(x, axis=0) / tf.cast(n, x.dtype)',
    useInstead:
      'import keras\nimport tensorflow as tf\nclass MeanOverBatch(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.shape(x)[0]\n        return tf.reduce_sum(x, axis=0) / tf.cast(n, x.dtype)'
  },
  calls: { names: ['len'] },
  requires: ['len'],
  visitors: { call: visit }
};
