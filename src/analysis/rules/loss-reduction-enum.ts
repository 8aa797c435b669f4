import { child, itemsOf, SyntaxNode } from '../ast';
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

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const name = kerasSpelling(ctx.resolve(node));
  const member = name ? /^keras\.losses\.(?:Reduction|losses_utils\.ReductionV2)\.([A-Z_]+)$/.exec(name) : null;
  if (!member) {
    return;
  }
  const text = REDUCTION_STRINGS[member[1]];
  const fix = text ? { title: `Use \`"${text}"\``, safe: true, edits: [{ start: node.start, end: node.end, text: `"${text}"` }] } : null;
  // TensorFlow's `tf.keras` (Keras 3 as `keras._tf_keras`) keeps a legacy `Reduction` whose members
  // are the strings Keras 3 losses take, except "auto", which they reject with ValueError.
  const viaTfKeras = /^tensorflow\.keras\.losses\.Reduction\./.test(ctx.resolve(node) ?? '');
  if (viaTfKeras && member[1] !== 'AUTO') {
    ctx.report(
      node,
      `\`keras.losses.Reduction\` does not exist in Keras 3; \`tf.keras\` (TensorFlow's copy of Keras 3) keeps it, and its members are the strings losses take${text ? ` ("${text}")` : ''}, so this runs while TensorFlow is installed.`,
      fix,
      undefined,
      undefined,
      []
    );
    return;
  }
  const failure = viaTfKeras ? 'Keras 3 losses reject its value "auto" (ValueError)' : '`keras.losses.Reduction` does not exist in Keras 3 (AttributeError)';
  ctx.report(node, `${failure}; losses take the reduction as a string${text ? ` ("${text}")` : ''}.`, fix);
}

/**
 * `reduction="auto"` written as a string (Keras 2's `ReductionV2.AUTO` value), passed to a Keras
 * loss or to `super().__init__` in a Loss subclass (keras.io RetinaNet): Keras 3 losses reject it
 * with ValueError on every backend (checked on Keras 3.15); "sum_over_batch_size" is what it meant
 * outside a tf.distribute custom loop, and Keras 2 takes that string too.
 */
function visitKeyword(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const value = child(node, 'value');
  if (!name || !value || ctx.textOf(name) !== 'reduction' || value.type !== 'string' || !/^(['"])auto\1$/.test(ctx.textOf(value))) {
    return;
  }
  const call = node.parent?.parent;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  if (!fn) {
    return;
  }
  const fnText = ctx.textOf(fn).replace(/\s+/g, '');
  const bases = ctx.cls ? child(ctx.cls.node, 'superclasses') : null;
  // `tf.losses.Loss` (TensorFlow's alias of the Keras loss base) as well as keras.losses.Loss and subclasses.
  const lossBase = !!bases && itemsOf(bases).some(b => /^(tensorflow\.|keras\.)(keras\.)?losses\.Loss$/.test(ctx.resolve(b) ?? '') || (ctx.cls?.keras === 'component' && /Loss\b/.test(ctx.textOf(b))));
  const inLossInit = /^super\([^)]*\)\.__init__$/.test(fnText) && lossBase;
  const callee = kerasSpelling(ctx.resolve(fn));
  if (!inLossInit && !(callee && /^keras\.losses\.[A-Z]\w*$/.test(callee))) {
    return;
  }
  ctx.report(
    value,
    'Keras 3 losses reject `reduction="auto"` (ValueError); "sum_over_batch_size" is what it meant (the default).',
    { title: 'Use `"sum_over_batch_size"`', safe: true, edits: [{ start: value.start, end: value.end, text: '"sum_over_batch_size"' }] }
  );
}

export const lossReductionEnum: RuleDefinition = {
  code: 'KM205',
  name: 'loss-reduction-enum',
  slug: 'api-changes',
  severity: 'error',
  /** AttributeError on every backend: the enum is gone from Keras 3 (3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.losses.Reduction.NONE` (and `SUM`, `SUM_OVER_BATCH_SIZE`, `AUTO`), as in `SparseCategoricalCrossentropy(reduction=tf.keras.losses.Reduction.NONE)`, and the string `reduction="auto"` passed to a Keras loss or to `super().__init__` in a Loss subclass.',
    why: 'Keras 3 has no `Reduction` enum: the attribute lookup raises AttributeError. TensorFlow\'s `tf.keras` (Keras 3 as `keras._tf_keras`) keeps one whose members are the strings Keras 3 losses take, so `tf.keras.losses.Reduction.NONE` runs and blocks no backend, except `AUTO` ("auto"), which Keras 3 losses reject with ValueError (checked on Keras 3.15). Losses take `reduction="none"`, `"sum"` or `"sum_over_batch_size"` (the default; what `AUTO` meant outside a tf.distribute custom loop). Keras 2 accepts the same strings, so the rewrite is safe. Not covered by the migration guide.',
    example: 'import keras\nloss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.NONE)',
    useInstead: 'import keras\nloss = keras.losses.MeanSquaredError(reduction="none")'
  },
  // Findings are on `...losses.Reduction.X` or a `reduction="auto"` keyword.
  requires: ['Reduction', 'reduction'],
  attributes: { resolved: ['keras', 'tensorflow.'] },
  visitors: { attribute: visitAttribute, keyword_argument: visitKeyword }
};
