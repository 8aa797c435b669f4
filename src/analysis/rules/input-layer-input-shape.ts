import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.InputLayer') {
    return;
  }
  const kw = parts.keywords.get('input_shape');
  if (!kw) {
    return;
  }
  // With `shape=` also given, which one Keras keeps is not a rename: no fix.
  const fix =
    !parts.keywords.has('shape')
      ? { title: 'Rename to `shape=`', safe: true, edits: [{ start: kw.name.start, end: kw.name.end, text: 'shape' }] }
      : null;
  ctx.report(kw.node, '`InputLayer(input_shape=)` is deprecated in Keras 3 (it warns "Argument `input_shape` is deprecated"); the argument is `shape=`.', fix);
}

export const inputLayerInputShape: RuleDefinition = {
  code: 'KM177',
  name: 'input-layer-input-shape',
  slug: 'api-changes',
  severity: 'info',
  /** A deprecation warning: checked by running, the layer builds and predicts on TensorFlow, JAX and PyTorch. */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `input_shape=` passed to `keras.layers.InputLayer` and renames it to `shape=`.',
    why:
      'Keras 3 renamed the argument to `shape=`; `input_shape=` still works but warns that it is deprecated. The rename gives the same layer on every backend. Not covered by the migration guide.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.InputLayer(input_shape=(4,)), keras.layers.Dense(2)])',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.InputLayer(shape=(4,)), keras.layers.Dense(2)])'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `keras.layers.InputLayer`.
  requires: ['InputLayer'],
  visitors: { call: visit }
};
