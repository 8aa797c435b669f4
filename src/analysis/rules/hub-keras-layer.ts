import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow_hub.KerasLayer') {
    return;
  }
  ctx.report(
    parts.fn,
    '`hub.KerasLayer` is a Keras 2 (tf_keras) layer: Keras 3 models reject it ("Only instances of `keras.Layer` can be added"). Load the SavedModel with `keras.layers.TFSMLayer(hub.resolve(handle), call_endpoint=...)`, or use the model from KerasHub.'
  );
}

export const hubKerasLayer: RuleDefinition = {
  code: 'KM173',
  name: 'hub-keras-layer',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'never',
  triggers: ['KerasLayer'],
  docs: {
    whatItDoes: 'Flags `tensorflow_hub.KerasLayer(...)`.',
    why:
      'TensorFlow Hub builds its `KerasLayer` on the Keras 2 package (tf_keras). A Keras 3 Sequential or Functional model does not accept it, whatever the backend. Not covered by the migration guide. The endpoint name of a Hub model varies, so there is no automatic rewrite.',
    example: 'import tensorflow_hub as hub\nmodel = keras.Sequential([hub.KerasLayer(handle, trainable=False), keras.layers.Dense(2)])',
    useInstead:
      'import tensorflow_hub as hub\nencoder = keras.layers.TFSMLayer(hub.resolve(handle), call_endpoint="serving_default")\nmodel = keras.Sequential([encoder, keras.layers.Dense(2)])'
  },
  calls: { resolved: ['tensorflow_hub.KerasLayer'] },
  // Findings are on calls resolving to `tensorflow_hub.KerasLayer`.
  requires: ['KerasLayer'],
  visitors: { call: visit }
};
