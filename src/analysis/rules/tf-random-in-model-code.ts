import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, inModelCode, tfApiName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !/^tf\.random\.(?!set_seed$)/.test(name) || !inModelCode(node, ctx)) {
    return;
  }
  const op = name.slice('tf.random.'.length).replace(/^stateless_/, '');
  ctx.report(
    parts.fn,
    `\`${name}\` in model code is TensorFlow-only and, once compiled, can repeat the same values; use \`keras.random.${op === 'truncated_normal' || op === 'normal' || op === 'uniform' || op === 'shuffle' || op === 'categorical' ? op : 'normal'}\` with a \`keras.random.SeedGenerator\`.`
  );
}

export const tfRandomInModelCode: RuleDefinition = {
  code: 'KM151',
  name: 'tf-random-in-model-code',
  slug: 'rng',
  severity: 'warning',
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.random.*` calls inside Keras layer/model methods, loss functions and Lambda layers.',
    why:
      'TF random ops only run on TensorFlow, and seeded ones return the same numbers at every call of a compiled function. Keras 3 layers draw randomness from `keras.random` with a `SeedGenerator` held by the layer (guide section "RNG handling").',
    example: 'import keras\nimport tensorflow as tf\nclass Noise(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))',
    useInstead:
      'import keras\nclass Noise(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1337)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)'
  },
  visitors: { call: visit }
};
