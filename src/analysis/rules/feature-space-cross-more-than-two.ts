/**
 * feature-space-cross-more-than-two (KM370)
 *
 * What it does: flags a `FeatureSpace` feature cross of more than two features
 * (`FeatureSpace.cross(feature_names=("default", "housing", "loan"), ...)`, or a preset
 * `crosses=[("thal", "ca", "cp")]`).
 * Why: Keras 2's `HashedCrossing` crossed any number of features; Keras 3's crosses exactly two
 * ("Expected as input a list/tuple of 2 tensors"), so building the FeatureSpace (`adapt()`) fails
 * on every backend.
 * Example: `FeatureSpace.cross(feature_names=("default", "housing", "loan"), crossing_dim=6)`
 * Use instead: crosses of two features each (`FeatureSpace.cross(feature_names=("housing", "loan"), ...)`);
 * no automatic fix (a different cross gives the model different features).
 */
import type { SyntaxNode } from '../ast';
import { itemsOf } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

const FEATURE_SPACE = /^keras\.(utils\.)?FeatureSpace$/;
const HASHED_CROSSING = /^keras\.layers\.(experimental\.preprocessing\.)?HashedCrossing$/;
const CROSS = /^keras\.(utils\.)?FeatureSpace\.cross$/;

/** The feature names of a written-out list or tuple of string literals, else null. */
function writtenNames(node: SyntaxNode | undefined): SyntaxNode[] | null {
  if (!node || (node.type !== 'tuple' && node.type !== 'list')) {
    return null;
  }
  const items = itemsOf(node);
  return items.every(i => i.type === 'string') ? items : null;
}

function report(names: SyntaxNode, count: number, ctx: RuleContext): void {
  ctx.report(
    names,
    `\`${ctx.textOf(names)}\` crosses ${count} features: Keras 2's HashedCrossing crossed any number, but Keras 3 crosses exactly two features ("Expected as input a list/tuple of 2 tensors"), so building the FeatureSpace (\`adapt()\`) fails on every backend. Cross two features at a time (the Keras 3 version of keras.io's FeatureSpace advanced example crosses two of its three); no automatic fix, as another cross gives the model other features.`,
    null
  );
}

/**
 * `HashedCrossing(num_bins=...)([a, b, c])` made and called at once on three or more inputs, one of
 * them a KerasTensor: a functional model's construction runs Keras 3's shape check (an eager
 * call on three arrays runs, on TensorFlow and JAX alike).
 */
function visitHashedCrossingCall(maker: SyntaxNode, ctx: RuleContext): void {
  const call = maker.parent?.type === 'call' && maker.parent.children[0] === maker ? maker.parent : null;
  const outer = call ? callParts(call, ctx) : null;
  const inputs = outer?.positional[0];
  if (!inputs || (inputs.type !== 'list' && inputs.type !== 'tuple')) {
    return;
  }
  const items = itemsOf(inputs);
  if (items.length > 2 && items.some(i => ctx.isSymbolic(i))) {
    ctx.report(
      inputs,
      `\`HashedCrossing\` is given ${items.length} inputs: Keras 2's crossed any number, but Keras 3's crosses exactly two ("Expected as input a list/tuple of 2 tensors"), so building the model fails on every backend. Cross two inputs at a time (and cross or concatenate the results); no automatic fix, as another cross gives the model other features.`,
      null
    );
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const keras = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !keras) {
    return;
  }
  if (HASHED_CROSSING.test(keras)) {
    visitHashedCrossingCall(node, ctx);
    return;
  }
  if (CROSS.test(keras)) {
    const names = writtenNames(parts.keywords.get('feature_names')?.value ?? parts.positional[0]);
    if (names && names.length > 2) {
      report((parts.keywords.get('feature_names')?.value ?? parts.positional[0])!, names.length, ctx);
    }
    return;
  }
  if (!FEATURE_SPACE.test(keras)) {
    return;
  }
  const crosses = parts.keywords.get('crosses')?.value ?? parts.positional[2];
  if (!crosses || (crosses.type !== 'list' && crosses.type !== 'tuple')) {
    return;
  }
  // Presets: a tuple of feature names per cross (FeatureSpace.cross(...) items are visited as calls).
  for (const item of itemsOf(crosses)) {
    const names = writtenNames(item);
    if (names && names.length > 2) {
      report(item, names.length, ctx);
    }
  }
}

export const featureSpaceCrossMoreThanTwo: RuleDefinition = {
  code: 'KM370',
  name: 'feature-space-cross-more-than-two',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running (python_kernel_hooks/tests/claims/feature_space_cross_three_features.py):
   * Keras 3.15.1 fails at `adapt()` on TensorFlow, JAX and PyTorch ("Exception encountered when
   * calling HashedCrossing.call()": "Expected as input a list/tuple of 2 tensors", raised by
   * HashedCrossing.compute_output_shape, the same check in Keras 3.0.5); tf_keras 2.21 runs it.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a FeatureSpace feature cross written with more than two feature names: `FeatureSpace.cross(feature_names=(...))` (or its first positional argument) given a list or tuple of three or more string literals, and a preset cross (a tuple or list of three or more names) in `FeatureSpace(crosses=[...])`; also a `HashedCrossing(...)` layer made and called at once on a list or tuple of three or more inputs, one of them a KerasTensor (a functional model\'s construction; an eager call on three arrays runs).',
    why:
      'Keras 2\'s `HashedCrossing` layer, which a FeatureSpace uses for each cross, crossed any number of features. Keras 3\'s takes exactly two: its `compute_output_shape` raises "Expected as input a list/tuple of 2 tensors", and `adapt()` builds the FeatureSpace\'s encoded features symbolically, so the program fails there on TensorFlow, JAX and PyTorch alike (checked on Keras 3.15.1; the same check is in 3.0.5; tf_keras 2.21 runs it). keras.io\'s "FeatureSpace advanced use cases" crossed `("default", "housing", "loan")` and the Keras team\'s Keras 3 version crosses `("housing", "loan")`. There is no automatic fix: which two features to cross, or which pairs, changes the model\'s inputs and is the author\'s choice. Not covered by the migration guide.',
    example:
      'from keras.utils import FeatureSpace\nfeature_space = FeatureSpace(\n    features={"default": "string_categorical", "housing": "string_categorical", "loan": "string_categorical"},\n    crosses=[FeatureSpace.cross(feature_names=("default", "housing", "loan"), crossing_dim=6)],\n    output_mode="concat",\n)',
    useInstead:
      'from keras.utils import FeatureSpace\nfeature_space = FeatureSpace(\n    features={"default": "string_categorical", "housing": "string_categorical", "loan": "string_categorical"},\n    crosses=[FeatureSpace.cross(feature_names=("housing", "loan"), crossing_dim=6)],\n    output_mode="concat",\n)'
  },
  calls: { names: ['FeatureSpace', 'cross', 'HashedCrossing'] },
  visitors: { call: visit }
};
