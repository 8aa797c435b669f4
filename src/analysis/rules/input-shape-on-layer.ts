import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { TAKES_INPUT_DIM } from '../knowledge';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (!name || !/^keras\.layers\.[A-Z]\w*$/.test(name) || name === 'keras.layers.InputLayer') {
    return;
  }
  // `batch_input_shape=` is an error in Keras 3, not a warning: KM164 reports it.
  for (const arg of ['input_shape', 'input_dim']) {
    if (arg === 'input_dim' && TAKES_INPUT_DIM.has(name)) {
      continue; // `Embedding(input_dim=)` is the vocabulary size, a real argument
    }
    const kw = parts.keywords.get(arg);
    if (kw) {
      ctx.report(kw.node, `\`${arg}=\` on a layer is deprecated in Keras 3; start the model with \`keras.Input(shape=...)\`.`);
    }
  }
}

export const inputShapeOnLayer: RuleDefinition = {
  code: 'KM167',
  name: 'input-shape-on-layer',
  slug: 'api-changes',
  severity: 'info',
  /** A deprecation warning: the layer builds and runs on TensorFlow, JAX and PyTorch. */
  blocks: [],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `input_shape=` and `input_dim=` passed to layers other than `InputLayer`.',
    why:
      'Keras 3 warns "Do not pass an `input_shape`/`input_dim` argument to a layer" and ignores it in places where Keras 2 used it to build the model. Not covered by the migration guide.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(8, input_shape=(4,))])',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8)])'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
