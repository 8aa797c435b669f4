import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { kerasSpelling } from '../knowledge';

/**
 * Keras 2's `Reduction` members and the strings Keras 3 takes. Keras 2 accepts the same strings
 * (its enum members are those strings), so the rewrite runs on both. `AUTO` meant
 * "sum_over_batch_size" except inside a tf.distribute strategy's custom loop.
 */
const REDUCTION_STRINGS: Record<string, string> = {
  NONE: 'none',
  SUM: 'sum',
  SUM_OVER_BATCH_SIZE: 'sum_over_batch_size',
  AUTO: 'sum_over_batch_size'
};

/**
 * `tf.keras` (and `from tensorflow import keras`) is Keras 3's `keras._tf_keras.keras` when
 * TensorFlow is installed, and that module still has `losses.Reduction` (whose members are the
 * strings): reached through TensorFlow, the enum runs on every backend until the import fixes
 * (KM011/KM012) make it plain `keras`, so the finding keeps its fix but blocks no backend.
 */
const THROUGH_TF_KERAS = /^tensorflow\.(?:compat\.v[12]\.)?keras\./;

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const canonical = ctx.resolve(node);
  const name = kerasSpelling(canonical);
  const member = name ? /^keras\.losses\.(?:Reduction|losses_utils\.ReductionV2)\.([A-Z_]+)$/.exec(name) : null;
  if (!member) {
    return;
  }
  const text = REDUCTION_STRINGS[member[1]];
  const fix = text ? { title: `Use \`"${text}"\``, safe: true, edits: [{ start: node.start, end: node.end, text: `"${text}"` }] } : null;
  if (canonical && THROUGH_TF_KERAS.test(canonical)) {
    ctx.report(
      node,
      `\`keras.losses.Reduction\` does not exist in Keras 3's own \`keras\` (only TensorFlow's \`tf.keras\` still has it, so this runs while it is reached through TensorFlow); losses take the reduction as a string${text ? ` ("${text}")` : ''}.`,
      fix,
      undefined,
      undefined,
      []
    );
    return;
  }
  ctx.report(
    node,
    `\`keras.losses.Reduction\` does not exist in Keras 3 (AttributeError); losses take the reduction as a string${text ? ` ("${text}")` : ''}.`,
    fix
  );
}

export const lossReductionEnum: RuleDefinition = {
  code: 'KM205',
  name: 'loss-reduction-enum',
  slug: 'api-changes',
  severity: 'error',
  /** AttributeError on every backend: the enum is gone from Keras 3's `keras` (3.15); TensorFlow's `tf.keras` keeps it (those findings block nothing). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.losses.Reduction.NONE` (and `SUM`, `SUM_OVER_BATCH_SIZE`, `AUTO`), as in `SparseCategoricalCrossentropy(reduction=tf.keras.losses.Reduction.NONE)`.',
    why: 'Keras 3 has no `Reduction` enum: the attribute lookup raises AttributeError. Losses take `reduction="none"`, `"sum"` or `"sum_over_batch_size"` (the default; what `AUTO` meant outside a tf.distribute custom loop). Keras 2 accepts the same strings, so the rewrite is safe. Not covered by the migration guide.',
    example: 'import keras\nloss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.NONE)',
    useInstead: 'import keras\nloss = keras.losses.MeanSquaredError(reduction="none")'
  },
  visitors: { attribute: visitAttribute }
};
