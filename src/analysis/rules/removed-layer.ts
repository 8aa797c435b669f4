import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

const REMOVED: Record<string, string> = {
  'keras.layers.LocallyConnected1D': 'use a Conv1D, or the LocallyConnected layer code from the Keras 2 sources as a custom layer',
  'keras.layers.LocallyConnected2D': 'use a Conv2D, or the LocallyConnected layer code from the Keras 2 sources as a custom layer',
  'keras.layers.experimental.RandomFourierFeatures': 'copy the layer from the Keras 2 sources as a custom layer',
  'keras.constraints.RadialConstraint': 'write a custom keras.constraints.Constraint',
  'keras.layers.DenseFeatures': 'preprocess features with keras.utils.FeatureSpace or preprocessing layers',
  'keras.layers.CuDNNLSTM': 'use keras.layers.LSTM (it uses cuDNN when it can)',
  'keras.layers.CuDNNGRU': 'use keras.layers.GRU (it uses cuDNN when it can)'
};

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Report the outermost dotted name only (`keras.layers.LocallyConnected2D`, not its prefixes).
  if (node.parent?.type === 'attribute' && node.field === 'object') {
    return;
  }
  const name = ctx.resolveKeras(node);
  const advice = name ? REMOVED[name] : undefined;
  if (advice) {
    ctx.report(node, `\`${name!.split('.').pop()}\` does not exist in Keras 3; ${advice}.`);
  }
}

export const removedLayer: RuleDefinition = {
  code: 'KM122',
  name: 'removed-layer',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags uses of layers and constraints Keras 3 dropped: LocallyConnected1D/2D, RandomFourierFeatures, RadialConstraint, DenseFeatures, CuDNNLSTM/CuDNNGRU.',
    why: 'These names are gone from Keras 3, so the code fails with AttributeError or ImportError (guide section "Removed features").',
    example: 'import keras\nx = keras.layers.LocallyConnected2D(8, 3)(x)',
    useInstead: 'import keras\nx = keras.layers.Conv2D(8, 3)(x)'
  },
  visitors: { attribute: visit, identifier: visitIdentifier }
};

function visitIdentifier(node: SyntaxNode, ctx: RuleContext): void {
  // A bare name bound by `from keras.layers import LocallyConnected2D`.
  if (node.parent?.type === 'attribute' || node.parent?.type === 'dotted_name' || node.parent?.type === 'aliased_import' || node.parent?.type === 'keyword_argument' && node.field === 'name') {
    return;
  }
  if (node.parent?.type === 'call' && node.field === 'function') {
    visit(node, ctx);
  }
}
