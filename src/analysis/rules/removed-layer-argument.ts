import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, removeArgument } from './util';

/** Layer constructor arguments Keras 3 no longer accepts, and what replaces them. */
const REMOVED: Record<string, Record<string, string>> = {
  'keras.layers.Embedding': { input_length: 'the sequence length comes from the input shape' },
  'keras.layers.BatchNormalization': { fused: 'Keras picks the implementation itself', virtual_batch_size: 'not supported in Keras 3', adjustment: 'not supported in Keras 3' },
};

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  const removed = name ? REMOVED[name] : undefined;
  if (!removed) {
    return;
  }
  for (const [arg, advice] of Object.entries(removed)) {
    const kw = parts.keywords.get(arg);
    if (kw) {
      ctx.report(kw.node, `\`${name!.split('.').pop()}(${arg}=...)\` is not accepted by Keras 3 ("Unrecognized keyword arguments"); ${advice}.`, {
        title: `Remove \`${arg}=\``,
        safe: false,
        edits: [removeArgument(kw.node, ctx)]
      });
    }
  }
}

export const removedLayerArgument: RuleDefinition = {
  code: 'KM164',
  name: 'removed-layer-argument',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  docs: {
    whatItDoes: 'Flags layer constructor arguments Keras 3 dropped, such as `Embedding(input_length=...)` and `BatchNormalization(fused=...)`.',
    why:
      'Keras 3 layers reject unknown keyword arguments with "Unrecognized keyword arguments passed to Embedding". Not covered by the migration guide. Removing the argument is offered as a suggestion: it usually only fed shape inference, but check the model summary.',
    example: 'embed = keras.layers.Embedding(10000, 64, input_length=100)',
    useInstead: 'embed = keras.layers.Embedding(10000, 64)'
  },
  visitors: { call: visit }
};
