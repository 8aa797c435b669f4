import { ruleTester } from '../rule-tester';

const DATA = 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n';

ruleTester('tf-lookup-layer-in-model', {
  valid: [
    { name: 'applied to data, not to a KerasTensor', code: DATA + 'lookup = keras.layers.IntegerLookup(vocabulary=[0, 1, 2])\nids = lookup(np.array([[0], [2]]))\n' },
    { name: 'layers written with keras.ops', code: DATA + 'inp = keras.Input(shape=(1,))\nx = keras.layers.Discretization(bin_boundaries=[0.5])(inp)\ny = keras.layers.CategoryEncoding(num_tokens=3)(x)\n' },
    { name: 'in a tf.data map (data code)', code: DATA + 'lookup = keras.layers.Hashing(num_bins=4)\nds = tf.data.Dataset.from_tensor_slices(np.array([[1], [2]])).map(lambda x: lookup(x))\n' }
  ],
  invalid: [
    {
      // TensorFlow pandas-dataframe tutorial (/work/og44c r5): fit() on JAX raised "Unable to automatically build the model";
      // TensorFlow and PyTorch trained it (Keras 3.15, claims/tf_lookup_layer_in_model.py).
      name: 'an IntegerLookup made in place and a Hashing bound to a name, applied to Inputs of a model trained with fit',
      code: DATA + 'a = keras.Input(shape=(1,), dtype="int64")\nb = keras.Input(shape=(1,), dtype="int64")\nx = keras.layers.IntegerLookup(vocabulary=[0, 1, 2, 3], output_mode="one_hot")(a)\nhashing = keras.layers.Hashing(num_bins=4, output_mode="one_hot")\ny = hashing(b)\nmodel = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.concatenate([x, y])))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit([np.zeros((4, 1)), np.zeros((4, 1))], np.zeros(4))\n',
      errors: [{ line: 6, column: 5, message: '`IntegerLookup` computes with TensorFlow' }, { line: 8, column: 5, message: '`Hashing` computes' }],
      blocks: ['jax']
    },
    {
      name: 'a model that is never trained with fit: no claim',
      code: DATA + 'a = keras.Input(shape=(1,), dtype="int64")\nx = keras.layers.IntegerLookup(vocabulary=[0, 1])(a)\nmodel = keras.Model(a, x)\nprint(model.predict(np.zeros((2, 1))))\n',
      errors: [{ line: 5, column: 5 }],
      blocks: []
    }
  ]
});
