/**
 * array-operator-on-keras-tensor (KM313)
 *
 * What it does: flags a Python operator, in Functional-model construction, whose left operand is
 * a concrete array and whose right operand is a symbolic Keras tensor: `causal_mask & pad_mask`
 * where `causal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))` and `pad_mask` comes from
 * `keras.Input`; `np_weights * x`; `tf_tensor > x`.
 *
 * Why: Python asks the left operand first. Keras 2's KerasTensor was a TensorFlow value every
 * array deferred to, so all of these built a layer. Keras 3's is a placeholder (checked by running
 * Keras 3.15, og49d's Transformer after `fix --unsafe`):
 *  - a NumPy array on the left tries to turn it into an array: "A KerasTensor is symbolic ...
 *    You cannot convert it to a NumPy array" (ValueError) on every backend;
 *  - a JAX array (a `keras.ops` value of concrete data on JAX) raises "A KerasTensor cannot be
 *    used as input to a JAX function" for every operator; a TensorFlow tensor (a `keras.ops` value
 *    on TensorFlow, or a `tf.*` op's result) does so for the comparisons `<`, `>`, `==`, ... on
 *    every backend; a torch tensor defers.
 * A KerasTensor on the left is always fine: its own operators call `keras.ops`.
 *
 * Fix: the `keras.ops` function the KerasTensor's own operator calls (`&` → `logical_and`,
 * `+` → `add`, `>` → `greater`, ...), with the operands in their order. It builds the same
 * symbolic op on every backend. Safe.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import type { Backend } from '../types';
import { withKerasImport } from '../helpers/calls';
import { isEagerBackendTensor } from '../helpers/eager-values';
import { isNumpyValue, isTfTensor } from '../helpers/array-values';
import { backendProse } from '../helpers/tf-op-claims';

/** Python's binary operators and the keras.ops function Keras 3's KerasTensor calls for each. */
const ARITHMETIC: Record<string, string> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '@': 'matmul',
  '/': 'true_divide',
  '//': 'floor_divide',
  '%': 'mod',
  '**': 'power',
  '&': 'logical_and',
  '|': 'logical_or',
  '^': 'logical_xor'
};

/** Comparisons (KerasTensor has no `__eq__`; `keras.ops.equal` is what Keras 2 built). */
const COMPARISON: Record<string, string> = {
  '<': 'less',
  '<=': 'less_equal',
  '>': 'greater',
  '>=': 'greater_equal',
  '!=': 'not_equal',
  '==': 'equal'
};

type Kind = 'numpy' | 'tf' | 'backend';

function kindOf(node: SyntaxNode, ctx: RuleContext): Kind | null {
  if (isNumpyValue(node, ctx)) {
    return 'numpy';
  }
  if (isTfTensor(node, ctx)) {
    return 'tf';
  }
  return isEagerBackendTensor(node, ctx) ? 'backend' : null;
}

const ALL: Backend[] = ['tensorflow', 'jax', 'torch'];

/** The backends where `left OP right` fails, with a concrete `left` of that kind and a KerasTensor `right`. */
function failingBackends(kind: Kind, comparison: boolean): Backend[] {
  if (kind === 'numpy') {
    return ALL;
  }
  if (kind === 'tf') {
    return comparison ? ALL : [];
  }
  return comparison ? ['tensorflow', 'jax'] : ['jax'];
}

const NAMES: Record<Kind, string> = { numpy: 'a NumPy array', tf: 'a TensorFlow tensor', backend: 'a concrete tensor (a `keras.ops` value of concrete data)' };

function check(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode, ctx: RuleContext, comparison: boolean): void {
  const operator = ctx.text.slice(left.end, right.start).replace(/#[^\n]*/g, '').replace(/[\s\\()]/g, '');
  const fn = (comparison ? COMPARISON : ARITHMETIC)[operator];
  if (!fn || !ctx.isSymbolic(right) || ctx.isSymbolic(left)) {
    return;
  }
  const kind = kindOf(left, ctx);
  const blocks = kind ? failingBackends(kind, comparison) : [];
  if (!kind || !blocks.length) {
    return;
  }
  const l = ctx.textOf(left);
  const r = ctx.textOf(right);
  const where = blocks.length === 3 ? 'every backend' : backendProse(blocks);
  const error =
    kind === 'numpy'
      ? '"A KerasTensor is symbolic ... You cannot convert it to a NumPy array"'
      : blocks.includes('tensorflow') && kind === 'tf'
        ? '"A KerasTensor cannot be used as input to a TensorFlow function"'
        : '"A KerasTensor cannot be used as input to a JAX function"';
  const message =
    `\`${l}\` is ${NAMES[kind]} and \`${r}\` a symbolic Keras tensor: Python asks the left operand first, and \`${operator}\` ` +
    `then raises ${error} (ValueError) on ${where}. Keras 2's KerasTensor was a TensorFlow value arrays deferred to. ` +
    `Write \`keras.ops.${fn}(${l}, ${r})\`, which is what Keras 3's own operator builds.`;
  const edits = withKerasImport(ctx, [{ start: node.start, end: node.end, text: `keras.ops.${fn}(${l}, ${r})` }]);
  ctx.report(node, message, { title: `Use \`keras.ops.${fn}(...)\``, safe: true, edits }, undefined, undefined, blocks);
}

function visitBinary(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (left && right) {
    check(node, left, right, ctx, false);
  }
}

function visitComparison(node: SyntaxNode, ctx: RuleContext): void {
  const operands = node.children.filter(c => c.type !== 'comment');
  // Chains (`a < b < c`) are Python's `and` of pairs: left alone.
  if (operands.length === 2) {
    check(node, operands[0], operands[1], ctx, true);
  }
}

export const arrayOperatorOnKerasTensor: RuleDefinition = {
  code: 'KM313',
  name: 'array-operator-on-keras-tensor',
  slug: 'kerastensor-tf-op',
  severity: 'error',
  /** Per operand kind and operator (checked by running Keras 3.15): see the module comment. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a Python operator in Functional-model construction with a concrete array on the left and a symbolic Keras tensor on the right: `mask & pad_mask` where `mask` was made by `keras.ops` from constants, `np_weights * x`, `tf_tensor > x`.',
    why:
      'Python asks the left operand first. Keras 2\'s KerasTensor was a TensorFlow value that arrays deferred to; Keras 3\'s is a placeholder. A NumPy array on the left raises "You cannot convert it to a NumPy array" on every backend; a JAX array (a `keras.ops` value on JAX) raises "A KerasTensor cannot be used as input to a JAX function" for every operator; a TensorFlow tensor raises for comparisons (`<`, `>`, `==`, ...) on every backend (checked on Keras 3.15). A KerasTensor on the left is fine. The fix calls the `keras.ops` function the KerasTensor\'s own operator calls (`&` is `logical_and`, `+` is `add`, `>` is `greater`): safe.',
    example:
      'import keras\n\ntokens = keras.Input(shape=(6,), dtype="int32")\nn = 6\ncausal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))\npad_mask = keras.ops.not_equal(tokens, 0)[:, None]\nmask = causal_mask & pad_mask',
    useInstead:
      'import keras\n\ntokens = keras.Input(shape=(6,), dtype="int32")\nn = 6\ncausal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))\npad_mask = keras.ops.not_equal(tokens, 0)[:, None]\nmask = keras.ops.logical_and(causal_mask, pad_mask)'
  },
  visitors: { binary_operator: visitBinary, comparison_operator: visitComparison }
};
