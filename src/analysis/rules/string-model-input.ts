import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES, stringValue } from '../rule-helpers';

const INPUTS = new Set(['keras.Input', 'keras.layers.Input', 'keras.layers.InputLayer']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !INPUTS.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const dtype = parts.keywords.get('dtype')?.value;
  if (!dtype) {
    return;
  }
  const isString = stringValue(dtype, ctx) === 'string' || (dtype.type === 'attribute' && ctx.resolve(dtype) === 'tensorflow.string');
  if (!isString) {
    return;
  }
  ctx.report(
    dtype,
    'A Keras 3 model input of dtype `string` works on the TensorFlow backend only: JAX and PyTorch have no string tensors, and `fit()`/`predict()` fail with "Invalid dtype: object". Apply the string layers (`StringLookup`, `TextVectorization`, `Hashing`) in the tf.data pipeline (`ds.map(...)`) and give the model their integer output.'
  );
}

export const stringModelInput: RuleDefinition = {
  code: 'KM180',
  name: 'string-model-input',
  slug: 'api-changes',
  severity: 'warning',
  /** Checked by running a Functional model with a string Input and StringLookup/TextVectorization inside it. */
  blocks: ['jax', 'torch'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.Input(..., dtype="string")` (or `dtype=tf.string`, or an `InputLayer` of strings): a model that takes raw strings.',
    why:
      'Keras 2 models often took raw strings and turned them into tokens inside the model (`StringLookup`, `TextVectorization`). Keras 3 runs such a model on TensorFlow only: JAX and PyTorch have no string tensors, so `fit()`/`predict()` fail with "ValueError: Invalid dtype: object" (checked by running Keras 3.15 on each backend). The string layers still run on every backend inside a tf.data pipeline, so the portable model takes their integer output. No automatic fix: the model\'s inputs change.',
    example: 'import keras\ntext = keras.Input(shape=(1,), dtype="string")\ntokens = vectorize_layer(text)',
    useInstead: 'import keras\ntokens = keras.Input(shape=(sequence_length,), dtype="int64")\n# train_ds = train_ds.map(lambda x, y: (vectorize_layer(x), y))'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
