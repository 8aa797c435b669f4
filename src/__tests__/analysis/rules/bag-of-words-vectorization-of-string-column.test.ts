import { ruleTester } from '../rule-tester';

const VECTORIZER = 'import keras\nfrom keras import layers\ntv = layers.TextVectorization(output_mode="multi_hot", ngrams=2)\ntv.adapt(["the brain is wider than the sky"])\n';
const MODEL = 'features = keras.Input(shape=(tv.vocabulary_size(),))\nmodel = keras.Model(features, layers.Dense(1)(features))\n';

ruleTester('bag-of-words-vectorization-of-string-column', {
  valid: [
    { name: 'int output mode keeps the Keras 2 shape', code: 'import keras\ntv = keras.layers.TextVectorization(output_mode="int")\ninputs = keras.Input(shape=(1,), dtype="string")\nx = tv(inputs)\n' },
    { name: 'a scalar string input', code: VECTORIZER + 'inputs = keras.Input(shape=(), dtype="string")\nx = tv(inputs)\n' },
    { name: 'a numeric input of shape (1,)', code: VECTORIZER + 'inputs = keras.Input(shape=(1,))\nx = tv(inputs)\n' },
    { name: 'the vectorizer on data', code: VECTORIZER + 'x = tv(["a b"])\n' }
  ],
  invalid: [
    {
      // keras.io preprocessing-layers guide (helper oe41d): Keras 3.15 fails to build the end-to-end
      // model on TensorFlow, JAX and PyTorch; with shape=() it builds, calls and predicts (TensorFlow).
      name: 'the guide\'s end-to-end model: the vectorizer output feeds a Keras model',
      code: VECTORIZER + MODEL + 'inputs = keras.Input(shape=(1,), dtype="string")\nx = tv(inputs)\noutputs = model(x)\nend_to_end_model = keras.Model(inputs, outputs)\n',
      errors: [{ line: 8, column: 5, message: 'fails to build on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: VECTORIZER + MODEL + 'inputs = keras.Input(shape=(), dtype="string")\nx = tv(inputs)\noutputs = model(x)\nend_to_end_model = keras.Model(inputs, outputs)\n'
    },
    {
      name: 'tf-idf (as the guide spells it), constructed in place, layers after it: a warning of the extra axis',
      code: 'import keras\nimport tensorflow as tf\ninp = keras.layers.Input([1], dtype=tf.string)\nh = keras.layers.TextVectorization(output_mode="tf-idf")(inp)\nout = keras.layers.Dense(1)(h)\nm = keras.Model(inputs=inp, outputs=out)\n',
      errors: [{ line: 4, column: 5, message: 'the layers after it get an extra axis' }],
      blocks: [],
      output: 'import keras\nimport tensorflow as tf\ninp = keras.layers.Input((), dtype=tf.string)\nh = keras.layers.TextVectorization(output_mode="tf-idf")(inp)\nout = keras.layers.Dense(1)(h)\nm = keras.Model(inputs=inp, outputs=out)\n'
    },
    {
      // The guide reuses the names: the numeric model's `inputs` is another binding, not read after the string Input.
      name: 'the name bound before to the numeric model\'s input: still only the vectorizer and Model read the string input',
      code: VECTORIZER + 'inputs = keras.Input(shape=(tv.vocabulary_size(),))\nmodel = keras.Model(inputs, layers.Dense(1)(inputs))\ninputs = keras.Input(shape=(1,), dtype="string")\noutputs = model(tv(inputs))\nend_to_end_model = keras.Model(inputs, outputs)\ninputs = None\n',
      errors: [{ line: 8, column: 17 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: VECTORIZER + 'inputs = keras.Input(shape=(tv.vocabulary_size(),))\nmodel = keras.Model(inputs, layers.Dense(1)(inputs))\ninputs = keras.Input(shape=(), dtype="string")\noutputs = model(tv(inputs))\nend_to_end_model = keras.Model(inputs, outputs)\ninputs = None\n'
    },
    {
      name: 'the input also read by another layer: a suggestion',
      code: VECTORIZER + MODEL + 'inputs = keras.Input(shape=(1,), dtype="string")\nlookup = layers.StringLookup()(inputs)\noutputs = model(tv(inputs))\n',
      errors: [{ line: 9, column: 17 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: VECTORIZER + MODEL + 'inputs = keras.Input(shape=(), dtype="string")\nlookup = layers.StringLookup()(inputs)\noutputs = model(tv(inputs))\n'
    }
  ]
});
