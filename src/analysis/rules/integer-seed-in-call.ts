import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, kerasMethodName, KERAS_CALLEES } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (!name || !name.startsWith('keras.random.') || name === 'keras.random.SeedGenerator' || kerasMethodName(ctx) !== 'call') {
    return;
  }
  const seed = parts.keywords.get('seed')?.value;
  if (seed && seed.type === 'integer') {
    ctx.report(seed, `An integer seed in \`${name}\` inside \`call()\` gives the same random values at every call once the step is compiled (it runs on every backend, but the noise never changes); pass a \`keras.random.SeedGenerator\` created in __init__.`);
  }
}

export const integerSeedInCall: RuleDefinition = {
  code: 'KM152',
  name: 'integer-seed-in-call',
  slug: 'rng',
  severity: 'warning',
  // Checked by running (TF, JAX, PyTorch, fit and predict): it runs everywhere, the numbers just
  // repeat; a silent change, not a blocked backend.
  blocks: [],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.random.*(..., seed=<int>)` inside a layer\'s `call()`.',
    why:
      'With an integer seed the random op is stateless: every traced call produces the same numbers, so dropout masks or noise never change. A `SeedGenerator` stored on the layer advances its state each call (guide section "RNG handling").',
    example: 'import keras\nclass Drop(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=42)',
    useInstead:
      'import keras\nclass Drop(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed_generator = keras.random.SeedGenerator(42)\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=self.seed_generator)'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on a `seed=` keyword.
  requires: ['seed'],
  visitors: { call: visit }
};
