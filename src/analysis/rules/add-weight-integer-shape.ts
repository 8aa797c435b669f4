/**
 * What it does: flags `self.add_weight(shape=n)` in a Keras layer, model or metric where the
 * shape is an integer (a literal, a module constant, `len(...)`, integer arithmetic of those) or
 * parentheses around one count (`shape=(self.atom_dim * self.atom_dim)`, `shape=(units)` with a
 * parameter), and writes the 1-tuple `(n,)`.
 * Why: Keras 2's `add_weight` turned an integer shape into a 1-tuple (through `TensorShape`);
 * Keras 3's `standardize_shape` raises "Cannot convert '64' to a shape." on every backend, when
 * the layer is built. `(n)` is only a parenthesised integer, a slip Keras 2 forgave.
 * Example: `self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim), initializer="zeros")`
 * Use instead: `self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim,), initializer="zeros")`
 */
import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { addWeightCall } from '../rule-helpers';
import { integerShapeTuple, isIntDefaultedParameter, isIntFromEveryCaller, isKnownInt, looksLikeCountArithmetic, looksLikeParenthesizedCount } from '../helpers/int-values';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const call = addWeightCall(node, ctx);
  if (!call) {
    return;
  }
  const { parts } = call;
  // `shape=`, or the Keras 2 positional order `add_weight(name, shape, ...)`.
  const shape = parts.keywords.get('shape')?.value ?? (call.nameFirst ? parts.positional[1] : undefined);
  if (!shape) {
    return;
  }
  const known = isKnownInt(shape, ctx);
  const defaulted = !known && (isIntDefaultedParameter(shape, ctx) || isIntFromEveryCaller(shape, ctx));
  const unparenthesized = !known && !defaulted && looksLikeCountArithmetic(shape, ctx);
  if (!known && !defaulted && !unparenthesized && !looksLikeParenthesizedCount(shape, ctx)) {
    return;
  }
  const { text, inner, fix } = integerShapeTuple(shape, known, ctx);
  const replacement = `(${inner},)`;
  const said = known
    ? `The weight shape \`${text}\` is an integer: Keras 3 \`add_weight()\` wants a tuple and raises "Cannot convert '…' to a shape." on every backend when the layer is built (Keras 2 turned an integer into a 1-tuple). Write \`${replacement}\`.`
    : defaulted
    ? `The weight shape \`${text}\` is a parameter whose default, or every call's argument, is an integer: Keras 3 \`add_weight()\` wants a tuple and raises "Cannot convert '…' to a shape." on every backend when it gets an integer (Keras 2 turned an integer into a 1-tuple). Write \`${replacement}\` if callers pass a count.`
    : unparenthesized
    ? `The weight shape \`${text}\` is arithmetic of counts, an integer unless its operands are shapes: Keras 3 \`add_weight()\` wants a tuple and raises "Cannot convert '…' to a shape." on every backend when the layer is built (Keras 2 turned an integer into a 1-tuple). Write \`${replacement}\` if \`${inner}\` is a count.`
    : `The weight shape \`${text}\` is parentheses around one value, not a tuple: where \`${inner}\` is an integer, Keras 3 \`add_weight()\` raises "Cannot convert '…' to a shape." on every backend when the layer is built (Keras 2 turned an integer into a 1-tuple). Write \`${replacement}\` if \`${inner}\` is a count.`;
  ctx.report(shape, said, fix);
}

export const addWeightIntegerShape: RuleDefinition = {
  code: 'KM233',
  name: 'add-weight-integer-shape',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: a layer whose build() calls
   * self.add_weight(shape=(s[-1] * 2), ...) raises "Cannot convert '6' to a shape." when the
   * model is built; tf_keras 2.21 builds a weight of shape (6,).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags an integer passed as the `shape` of `self.add_weight(...)` in a Keras layer, model or metric (by keyword, or second after a positional name): an integer literal, a module constant, `len(...)`, integer arithmetic of those, or parentheses around one count (`(self.units * 2)`, `(units)` with a parameter), or the same product with the parentheses dropped (`self.atom_dim * self.atom_dim`, as `ast.unparse` or a formatter leaves it; not `a + b`, which may join two shape tuples), or a bare parameter whose default is an integer. The fix writes the 1-tuple `(n,)`.',
    why:
      'Keras 2 turned an integer weight shape into a 1-tuple, so `add_weight(shape=(self.atom_dim * self.atom_dim))` (parentheses, no comma: an integer) worked. Keras 3 raises "Cannot convert \'64\' to a shape." on every backend when the layer is built. `(n,)` is the shape Keras 2 built: the fix is safe for a known integer, and a suggestion where the value is not known (a parameter or an attribute could hold a tuple). Not covered by the migration guide.',
    example:
      'import keras\nclass EdgeNetwork(keras.layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[-1]\n        self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim), initializer="zeros")',
    useInstead:
      'import keras\nclass EdgeNetwork(keras.layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[-1]\n        self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim,), initializer="zeros")'
  },
  calls: { names: ['add_weight'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['add_weight'],
  visitors: { call: visit }
};
