/**
 * tf-lookup-layer-in-model (KM283)
 *
 * What it does: flags an `IntegerLookup` or `Hashing` layer applied to a KerasTensor while a
 * functional model is built (`keras.layers.IntegerLookup(vocabulary=[...], output_mode="one_hot")(inp)`).
 *
 * Why: both layers compute with TensorFlow's lookup tables and hash ops. Keras 3 runs them on every
 * backend eagerly and in a `tf.data` pipeline, but not inside a model that JAX compiles: `fit()`
 * on JAX raises "Unable to automatically build the model" (its cause: "'str' object has no
 * attribute '_error_repr'"), while TensorFlow and PyTorch train it (checked on Keras 3.15, the
 * TensorFlow pandas-dataframe tutorial). Keras 2 had only TensorFlow. `Discretization` and
 * `CategoryEncoding` are written with keras.ops and train on JAX.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';
import { calledLayerClass } from '../helpers/layer-calls';

/** Preprocessing layers that compute with TensorFlow's tables or hash ops (strings are KM192's). */
const TF_TABLE_LAYERS = new Set(['keras.layers.IntegerLookup', 'keras.layers.Hashing']);

/** Fact: the notebook trains or evaluates a model (`fit`, `evaluate`, their batch forms), which JAX compiles there (`predict` ran). */
const TRAINS_WITH_FIT = 'fits-or-evaluates';


function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  if (!fn) {
    return;
  }
  if (fn.type === 'attribute' && /^(fit|fit_generator|train_on_batch|evaluate|test_on_batch)$/.test(ctx.textOf(child(fn, 'attribute') ?? fn))) {
    ctx.note(TRAINS_WITH_FIT);
    return;
  }
  const parts = callParts(node, ctx);
  const input = parts?.positional[0];
  if (!input || !ctx.isSymbolic(input)) {
    return;
  }
  const resolved = calledLayerClass(fn, ctx);
  if (!resolved || !TF_TABLE_LAYERS.has(resolved)) {
    return;
  }
  const cls = resolved.slice('keras.layers.'.length);
  ctx.report(
    fn,
    `\`${cls}\` computes with TensorFlow's lookup tables: Keras 3 runs it eagerly and in a \`tf.data\` pipeline on every backend, but inside a model JAX compiles, \`fit()\` and \`evaluate()\` fail ("Unable to automatically build the model"). Apply the layer to the data (in the \`tf.data\` pipeline, or to the NumPy arrays) and give the model its output; TensorFlow and PyTorch train it as written.`,
    null,
    undefined,
    undefined,
    ['jax'],
    { jax: `anywhere:${TRAINS_WITH_FIT}` }
  );
}

export const tfLookupLayerInModel: RuleDefinition = {
  code: 'KM283',
  name: 'tf-lookup-layer-in-model',
  slug: 'api-changes',
  severity: 'warning',
  /** Checked by running (claims/tf_lookup_layer_in_model.py): Keras 3.15 fails fit() on JAX, trains on TensorFlow and PyTorch. */
  blocks: ['jax'],
  fixAvailability: 'never',
  triggers: ['fit', 'fit_generator', 'train_on_batch', 'evaluate', 'test_on_batch'],
  docs: {
    whatItDoes:
      'Flags an `IntegerLookup` or `Hashing` layer (made in place, or a name bound to one) applied to a KerasTensor while a functional model is built. It claims JAX where the notebook trains or evaluates a model (`fit`, `evaluate`, their batch forms; `predict` ran). No fix: the layer moves to the data side, which changes the model\'s inputs.',
    why:
      'Both layers compute with TensorFlow\'s lookup tables and hash ops. Keras 3 runs them on every backend eagerly and in a `tf.data` pipeline, but not inside a model that JAX compiles: `fit()` and `evaluate()` on JAX raise "Unable to automatically build the model" (its cause: "\'str\' object has no attribute \'_error_repr\'"), while TensorFlow and PyTorch train the same model (checked on Keras 3.15 with the TensorFlow pandas-dataframe tutorial\'s `IntegerLookup(..., output_mode="one_hot")` on an integer `Input`). `Discretization` and `CategoryEncoding` are written with keras.ops and train on JAX. String inputs are KM192\'s.',
    example:
      'import numpy as np\nimport keras\ninp = keras.Input(shape=(1,), dtype="int64")\nx = keras.layers.IntegerLookup(vocabulary=[0, 1, 2, 3], output_mode="one_hot")(inp)\nmodel = keras.Model(inp, keras.layers.Dense(1)(x))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.array([[0], [1], [2], [3]]), np.zeros(4), epochs=1)',
    useInstead:
      'import numpy as np\nimport keras\nlookup = keras.layers.IntegerLookup(vocabulary=[0, 1, 2, 3])\ninp = keras.Input(shape=(1,), dtype="int64")\nx = keras.layers.CategoryEncoding(num_tokens=5, output_mode="one_hot")(inp)\nmodel = keras.Model(inp, keras.layers.Dense(1)(x))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(keras.ops.convert_to_numpy(lookup(np.array([[0], [1], [2], [3]]))), np.zeros(4), epochs=1)'
  },
  visitors: { call: visit }
};
