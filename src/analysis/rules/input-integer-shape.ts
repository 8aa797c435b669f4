/**
 * What it does: flags `keras.Input(shape=n)`, `keras.layers.Input(shape=(n))` and
 * `keras.layers.InputLayer(input_shape=n)` where the shape is an integer (a literal, a module
 * constant, `len(...)`, `x.shape[-1]`, integer arithmetic of those), and writes it as the 1-tuple
 * `(n,)`.
 * Why: Keras 2 turned an integer shape into a 1-tuple; Keras 3's `standardize_shape` raises
 * "Cannot convert '3' to a shape." on every backend. `(n)` is only a parenthesised integer, a
 * common slip that Keras 2 forgave.
 * A parenthesised function parameter (`layers.Input((atom_dim), ...)`) gets the same rewrite as a
 * suggestion: the parentheses say a 1-tuple was meant, but a caller could pass a tuple. So does a
 * bare parameter whose default is an integer (`def build_generator(latent_dim=LATENT_DIM)`).
 * A parameter named like a shape, without a default, counts too when every call passes an integer
 * and the same function also passes it as the `units` of a `Dense` layer (a count: Real NVP's
 * `def Coupling(input_shape)` with `Dense(input_shape, ...)`, called as `Coupling(2)`).
 * Example: `state_input = layers.Input(shape=(num_states))`
 * Use instead: `state_input = layers.Input(shape=(num_states,))`
 */
import { enclosingFunctionDefinition, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';
import { integerShapeTuple, isIntDefaultedParameter, isIntFromEveryCaller, isKnownInt, looksLikeCountArithmetic, looksLikeParenthesizedCount } from '../helpers/int-values';

const INPUT_FACTORIES = new Set(['keras.Input', 'keras.layers.Input']);
const INPUT_LAYER = 'keras.layers.InputLayer';
const DENSE = 'keras.layers.Dense';

function message(text: string, inner: string, literal: boolean): string {
  const shown = literal ? inner : '…';
  return `The input shape \`${text}\` is an integer: Keras 3 wants a tuple and raises "Cannot convert '${shown}' to a shape." on every backend (Keras 2 turned an integer into a 1-tuple). Write \`(${inner},)\`.`;
}

/**
 * Whether the function around `name` also passes it as the units of a `Dense` layer
 * (`Dense(input_shape, ...)` / `Dense(units=input_shape)`): a count there, so an integer.
 */
function alsoDenseUnits(name: SyntaxNode, ctx: RuleContext): boolean {
  const fn = enclosingFunctionDefinition(name);
  if (!fn) {
    return false;
  }
  const text = ctx.textOf(name);
  const stack = [...fn.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      continue; // a nested scope may bind the name anew
    }
    if (n.type === 'call') {
      const parts = callParts(n, ctx);
      if (parts && ctx.resolveKeras(parts.fn) === DENSE) {
        const units = parts.keywords.get('units')?.value ?? (parts.keywords.has('units') ? null : parts.positional[0] ?? null);
        if (units && units.type === 'identifier' && ctx.textOf(units) === text) {
          return true;
        }
      }
    }
    stack.push(...n.children);
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  let shape: SyntaxNode | null = null;
  if (name && INPUT_FACTORIES.has(name)) {
    shape = parts.keywords.get('shape')?.value ?? (parts.keywords.has('shape') ? null : parts.positional[0] ?? null);
  } else if (name === INPUT_LAYER) {
    // Keras 2's first parameter is `input_shape`, Keras 3's is `shape`: an integer fails either way.
    shape = parts.keywords.get('shape')?.value ?? parts.keywords.get('input_shape')?.value ?? parts.positional[0] ?? null;
  }
  if (!shape) {
    return;
  }
  const known = isKnownInt(shape, ctx);
  // `Input((atom_dim))` with a function parameter: a 1-tuple was meant unless the caller passes a tuple.
  // `Input(shape=(input_shape))` around a parameter named like a shape whose default is an integer literal.
  const inner0 = shape.type === 'parenthesized_expression' ? shape.children.find(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment') : null;
  // A bare parameter named like a shape (`def Mapping(num_stages, input_shape=512)` reading
  // `Input(shape=input_shape)`) only when its default is an integer literal and every call leaves it
  // or passes an integer: the name alone says a tuple may come.
  // Without a default, when the same function also makes it the units of a `Dense` layer, a count.
  const shapeNamedInt =
    shape.type === 'identifier' &&
    /shape/i.test(ctx.textOf(shape)) &&
    (isIntDefaultedParameter(shape, ctx, true) || alsoDenseUnits(shape, ctx)) &&
    isIntFromEveryCaller(shape, ctx, true);
  const defaulted =
    !known &&
    (isIntDefaultedParameter(shape, ctx) || isIntFromEveryCaller(shape, ctx) || shapeNamedInt || (!!inner0 && /shape/i.test(ctx.textOf(inner0)) && isIntDefaultedParameter(inner0, ctx, true)));
  const unparenthesized = !known && !defaulted && looksLikeCountArithmetic(shape, ctx);
  if (!known && !defaulted && !unparenthesized && !looksLikeParenthesizedCount(shape, ctx)) {
    return;
  }
  const { text, inner, fix } = integerShapeTuple(shape, known, ctx);
  const said = known
    ? message(text, inner, /^[+-]?\d+$/.test(inner))
    : defaulted
    ? `The input shape \`${text}\` is a parameter whose default, or every call's argument, is an integer: Keras 3 wants a tuple and raises "Cannot convert '…' to a shape." on every backend when it gets an integer (Keras 2 turned an integer into a 1-tuple). Write \`(${inner},)\` if callers pass a count.`
    : unparenthesized
    ? `The input shape \`${text}\` is arithmetic of counts, an integer unless its operands are shapes: Keras 3 wants a tuple and raises "Cannot convert '…' to a shape." on every backend (Keras 2 turned an integer into a 1-tuple). Write \`(${inner},)\` if \`${inner}\` is a count.`
    : `The input shape \`${text}\` is parentheses around one value, not a tuple: where \`${inner}\` is an integer, Keras 3 raises "Cannot convert '…' to a shape." on every backend (Keras 2 turned an integer into a 1-tuple). Write \`(${inner},)\` if \`${inner}\` is a count.`;
  ctx.report(shape, said, fix);
}

export const inputIntegerShape: RuleDefinition = {
  code: 'KM226',
  name: 'input-integer-shape',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: keras.Input(shape=3),
   * keras.Input(3), keras.layers.Input(shape=(3)), InputLayer(shape=3) and
   * InputLayer(input_shape=3) raise "Cannot convert '3' to a shape."; tf_keras 2.21 builds
   * (None, 3) from each.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags an integer passed as the shape of `keras.Input` / `keras.layers.Input` (`shape=` or the first argument) or of `keras.layers.InputLayer` (`shape=` / `input_shape=`): an integer literal, `(n)` around a module constant, `len(...)`, `x.shape[-1]` or integer arithmetic of those. The fix writes the 1-tuple `(n,)`. Also `(n)` around a function parameter or `self.n` whose value is not known (`layers.Input((atom_dim), ...)` in a model-building function), or a product of such values written without the parentheses (`Input(shape=rows * cols)`; not `a + b`, which may join two shape tuples), or a bare parameter whose default is an integer, or to which every call in the program passes an integer (a parameter named like a shape without a default also when the same function passes it as the units of a `Dense` layer: `def Coupling(input_shape)` reading `Input(shape=input_shape)` and `Dense(input_shape)`, called as `Coupling(2)`) (`def build_generator(latent_dim=LATENT_DIM)` reading `Input(shape=latent_dim)`; `MPNNModel(atom_dim=x.shape[-1])`) (a parameter named like a shape only when its default is an integer literal and every call leaves it or passes an integer: `def Mapping(num_layers=2, input_shape=16)` reading `Input(shape=input_shape)`), or `self.n` that `__init__()` only sets from such a parameter of the class (`keras.Input(shape=self.latent_dim)` with every `GauGAN(..., LATENT_DIM)` passing an integer): the same rewrite, as a suggestion.',
    why:
      'Keras 2 accepted an integer shape and made it a 1-tuple, so `Input(shape=(num_states))` (parentheses, no comma: an integer) worked. Keras 3 raises "Cannot convert \'3\' to a shape." on every backend. `(n,)` is the shape Keras 2 built, so the fix is safe. Around a parameter, the parentheses say a 1-tuple was meant, but a caller could pass a tuple: the fix is then unsafe. Not covered by the migration guide.',
    example: 'import keras\nnum_states = 3\nstate_input = keras.layers.Input(shape=(num_states))\nmodel = keras.Model(state_input, keras.layers.Dense(1)(state_input))',
    useInstead: 'import keras\nnum_states = 3\nstate_input = keras.layers.Input(shape=(num_states,))\nmodel = keras.Model(state_input, keras.layers.Dense(1)(state_input))'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `keras.Input`, `keras.layers.Input` or `keras.layers.InputLayer`.
  requires: ['Input', 'InputLayer'],
  visitors: { call: visit }
};
