import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, modelCodeCondition, tfApiName } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !/^tf\.random\.(?!set_seed$)/.test(name)) {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  const stateless = /^tf\.random\.stateless_/.test(name);
  const op = name.slice('tf.random.'.length).replace(/^stateless_/, '');
  const keras = op === 'truncated_normal' || op === 'normal' || op === 'uniform' || op === 'shuffle' || op === 'categorical' ? op : 'normal';
  // Only stateless ops repeat: a seeded `tf.random.normal` in a tf.function draws new values on
  // every call (checked on TensorFlow 2), so no repetition is claimed for it.
  const why = stateless ? 'is TensorFlow-only and returns the same values for the same seed at every call' : 'is TensorFlow-only (it fails on JAX and PyTorch)';
  ctx.report(
    parts.fn,
    `\`${name}\` in model code ${why}; use \`keras.random.${keras}\` with a \`keras.random.SeedGenerator\`.`,
    null,
    undefined,
    condition === true ? undefined : condition
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
      'TF random ops only run on TensorFlow; the stateless ones (`tf.random.stateless_*`) also return the same numbers for the same seed at every call. Keras 3 layers draw randomness from `keras.random` with a `SeedGenerator` held by the layer (guide section "RNG handling").',
    example: 'import keras\nimport tensorflow as tf\nclass Noise(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))',
    useInstead:
      'import keras\nclass Noise(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1337)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)'
  },
  calls: { resolved: ['tensorflow.random.'] },
  visitors: { call: visit }
};
