import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, stringValue, withKerasImport } from '../rule-helpers';

/** NumPy functions that make a new array from constants. */
const ARRAY_MAKERS = new Set(['array', 'asarray', 'zeros', 'ones', 'full', 'eye', 'identity', 'arange', 'linspace', 'tril', 'triu']);

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**', '@']);

/** `self.NAME` or `self.NAME[...]` (any depth of subscripts). */
function selfAttributeName(node: SyntaxNode, ctx: RuleContext): string | null {
  let n: SyntaxNode | null = node;
  while (n && n.type === 'subscript') {
    n = child(n, 'value');
  }
  if (!n || n.type !== 'attribute') {
    return null;
  }
  const object = child(n, 'object');
  const attribute = child(n, 'attribute');
  return object && attribute && ctx.textOf(object) === 'self' ? ctx.textOf(attribute) : null;
}

/** The `call` method of a class, if the class body defines one. */
function callMethod(cls: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const body = child(cls, 'body');
  for (const statement of body?.children ?? []) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    if (name && ctx.textOf(name) === 'call') {
      return def;
    }
  }
  return null;
}

/** Whether `self.NAME` (or an element of it) is an operand of an arithmetic operator somewhere in `fn`. */
function usedInArithmetic(fn: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const stack = [...fn.children];
  while (stack.length) {
    const n = stack.pop()!;
    // The tree keeps named nodes only: the operator is the text between the two operands.
    if (n.type === 'binary_operator' && n.children.length === 2 && ARITHMETIC.has(ctx.text.slice(n.children[0].end, n.children[1].start).trim())) {
      if (selfAttributeName(n.children[0], ctx) === name || selfAttributeName(n.children[1], ctx) === name) {
        return true;
      }
    }
    if (n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') {
      stack.push(...n.children);
    }
  }
  return false;
}

/** `dtype="float32"` / `dtype=np.float32` / `dtype=tf.float32`: a float32 array, which the fix keeps float32. */
function isFloat32(node: SyntaxNode | undefined, ctx: RuleContext): boolean {
  if (!node) {
    return false;
  }
  return stringValue(node, ctx) === 'float32' || /(^|\.)float32$/.test(ctx.resolve(node) ?? ctx.textOf(node));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  if (!cls || (cls.keras !== 'layer' && cls.keras !== 'model') || ctx.fn?.name !== '__init__' || ctx.fn.classScope !== cls) {
    return;
  }
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || right.type !== 'call' || left.type !== 'attribute') {
    return;
  }
  const name = selfAttributeName(left, ctx);
  const parts = callParts(right, ctx);
  const callee = parts ? ctx.resolve(parts.fn) : null;
  if (!name || !parts || !callee || !callee.startsWith('numpy.') || !ARRAY_MAKERS.has(callee.slice('numpy.'.length))) {
    return;
  }
  const call = callMethod(cls.node, ctx);
  if (!call || !usedInArithmetic(call, name, ctx)) {
    return;
  }
  const fix = isFloat32(parts.keywords.get('dtype')?.value, ctx)
    ? {
        title: 'Store the array as a backend tensor (`keras.ops.convert_to_tensor`)',
        safe: false,
        edits: withKerasImport(ctx, [
          { start: right.start, end: right.start, text: 'keras.ops.convert_to_tensor(' },
          { start: right.end, end: right.end, text: ')' }
        ])
      }
    : null;
  ctx.report(
    right,
    `\`self.${name}\` is a NumPy array that \`call()\` combines with tensors by an arithmetic operator: PyTorch refuses that ("unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'" with the array on the left, "Can't call numpy() on Tensor that requires grad" on the right, in training), while TensorFlow and JAX convert the array. Store \`keras.ops.convert_to_tensor(...)\` of it, the backend's tensor${fix ? '' : ' (with the float dtype the layer computes in)'}.`,
    fix
  );
}

/**
 * Checked by running Keras 3.15.1 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13 (keras.io's
 * Real NVP keeps its coupling masks as `self.masks = np.array(..., dtype="float32")`):
 * `np_array * tensor` raises TypeError on PyTorch even without grad, `tensor * np_array` raises
 * when the tensor requires grad; TensorFlow and JAX run both.
 */
export const numpyAttributeInCall: RuleDefinition = {
  code: 'KM272',
  name: 'numpy-attribute-in-call',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'sometimes',
  triggers: ['array', 'asarray', 'zeros', 'ones', 'full', 'eye', 'identity', 'arange', 'linspace', 'tril', 'triu'],
  docs: {
    whatItDoes:
      'Flags a NumPy array made in a Keras layer\'s or model\'s `__init__` and kept as an attribute (`self.masks = np.array([[0, 1], [1, 0]], dtype="float32")`, keras.io Real NVP\'s coupling masks) that its `call()` combines with tensors by an arithmetic operator (`x * self.masks[i]`, `1 - self.masks[i]`).',
    why:
      'TensorFlow and JAX convert a NumPy operand to a tensor. PyTorch does not: an operator with the NumPy array on the left raises "unsupported operand type(s)" (NumPy gives up on the tensor), and with the array on the right the tensor is turned into NumPy, which fails for a tensor that requires grad (in training). Storing `keras.ops.convert_to_tensor(...)` of the array gives the backend\'s tensor, which every backend combines with its own. The fix (a suggestion: the attribute changes type) is offered for a float32 array (`dtype="float32"`), whose tensor keeps its dtype; other dtypes would need a cast the fix cannot choose.',
    example:
      'import keras\nimport numpy as np\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mask = np.array([1.0, 0.0], dtype="float32")\n    def call(self, x):\n        return x * self.mask',
    useInstead:
      'import keras\nimport numpy as np\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mask = keras.ops.convert_to_tensor(np.array([1.0, 0.0], dtype="float32"))\n    def call(self, x):\n        return x * self.mask'
  },
  requires: ['numpy'],
  visitors: { assignment: visit }
};
