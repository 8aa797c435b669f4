import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

/** Keras 2's default `pool_size` of the average-pooling layers, which Keras 3 requires. */
const KERAS2_DEFAULT: Record<string, string> = {
  AveragePooling1D: '2',
  AvgPool1D: '2',
  AveragePooling2D: '(2, 2)',
  AvgPool2D: '(2, 2)',
  AveragePooling3D: '(2, 2, 2)',
  AvgPool3D: '(2, 2, 2)'
};

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !parts.args || parts.splat || parts.positional.length || parts.keywords.has('pool_size')) {
    return;
  }
  const m = /^keras\.layers\.(\w+)$/.exec(ctx.resolveKeras(parts.fn) ?? '');
  const pool = m ? KERAS2_DEFAULT[m[1]] : undefined;
  if (!m || pool === undefined) {
    return;
  }
  const text = `pool_size=${pool}` + (parts.keywords.size ? ', ' : '');
  ctx.report(
    parts.fn,
    `\`${m[1]}()\` without \`pool_size\` fails in Keras 3 (TypeError: "missing 1 required positional argument: 'pool_size'"); Keras 2's default was \`pool_size=${pool}\`: pass it.`,
    { title: `Pass \`pool_size=${pool}\` (Keras 2's default)`, safe: true, edits: [{ start: parts.args.start + 1, end: parts.args.start + 1, text }] }
  );
}

export const averagePoolingWithoutPoolSize: RuleDefinition = {
  code: 'KM249',
  name: 'average-pooling-without-pool-size',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'always',
  triggers: ['AveragePooling', 'AvgPool'],
  docs: {
    whatItDoes:
      'Flags `AveragePooling1D()`, `AveragePooling2D()`, `AveragePooling3D()` (and their `AvgPool` aliases) constructed without a pool size, as keras.io examples did (MelGAN\'s multi-scale discriminator: `layers.AveragePooling1D()(inp)`).',
    why:
      'Keras 2 gave the average-pooling layers a default `pool_size` (2, `(2, 2)`, `(2, 2, 2)`); Keras 3 requires the argument ("AveragePooling1D.__init__() missing 1 required positional argument: \'pool_size\'", on every backend, checked on Keras 3.15). The max-pooling layers kept their default. Passing Keras 2\'s default builds the same layer, so the fix is safe.',
    example: 'import keras\npool = keras.layers.AveragePooling1D()',
    useInstead: 'import keras\npool = keras.layers.AveragePooling1D(pool_size=2)'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
