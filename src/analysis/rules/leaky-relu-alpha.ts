import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name === 'keras.layers.LeakyReLU') {
    const alpha = parts.keywords.get('alpha');
    if (alpha) {
      ctx.report(alpha.node, '`LeakyReLU(alpha=...)` is deprecated in Keras 3; the argument is `negative_slope=`.', {
        title: 'Rename to `negative_slope=`',
        safe: true,
        edits: [{ start: alpha.name.start, end: alpha.name.end, text: 'negative_slope' }]
      });
    }
  }
}

export const leakyReluAlpha: RuleDefinition = {
  code: 'KM168',
  name: 'leaky-relu-alpha',
  slug: 'api-changes',
  severity: 'warning',
  /** A deprecation warning ("Argument `alpha` is deprecated"): runs on TensorFlow, JAX and PyTorch. */
  blocks: [],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `LeakyReLU(alpha=...)`.',
    why: 'Keras 3 renamed the argument to `negative_slope` and warns about `alpha`. Same meaning, same default (0.3). Not covered by the migration guide.',
    example: 'import keras\nact = keras.layers.LeakyReLU(alpha=0.2)',
    useInstead: 'import keras\nact = keras.layers.LeakyReLU(negative_slope=0.2)'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on an `alpha=` keyword.
  requires: ['alpha'],
  visitors: { call: visit }
};
