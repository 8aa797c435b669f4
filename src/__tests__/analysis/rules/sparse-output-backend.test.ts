import { ruleTester } from '../rule-tester';

ruleTester('sparse-output-backend', {
  valid: [
    { name: 'dense outputs', code: 'import keras\nlookup = keras.layers.StringLookup(vocabulary=["a"], output_mode="one_hot")\nenc = keras.layers.CategoryEncoding(num_tokens=3, sparse=False)\n' },
    { name: 'sparse on TensorFlow only', code: 'import keras\nlookup = keras.layers.StringLookup(vocabulary=["a"], output_mode="one_hot", sparse=keras.backend.backend() == "tensorflow")\n' },
    { name: 'another class with sparse=True', code: 'import keras\nloss = keras.losses.CategoricalCrossentropy()\nx = make(sparse=True)\n' }
  ],
  invalid: [
    {
      // StringLookup(sparse=True) is refused on JAX and PyTorch when made; TensorFlow runs it (claims/sparse_output_backend.py).
      name: 'a lookup layer, from tf.keras: JAX and PyTorch',
      code: 'import tensorflow as tf\nlookup = tf.keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot", sparse=True)\n',
      errors: [{ line: 2, column: 85, message: '`StringLookup(sparse=True)`: Keras 3 makes this sparse output on TensorFlow only, and fails on JAX and PyTorch' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\nlookup = tf.keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot", sparse=keras.backend.backend() == "tensorflow")\n'
    },
    {
      // TensorFlow's feature-columns migration guide (og45c): CategoryEncoding(sparse=True) failed on PyTorch; JAX gave a BCOO array.
      name: 'CategoryEncoding and keras.Input: PyTorch',
      code: 'import keras\nenc = keras.layers.CategoryEncoding(num_tokens=4, output_mode="one_hot", sparse=True)\ninp = keras.Input((3,), sparse=True)\n',
      errors: [{ line: 2, column: 74, message: 'on TensorFlow and JAX only, and fails on PyTorch' }, { line: 3, column: 25 }],
      blocks: ['torch']
    },
    {
      // TensorFlow's feature-columns migration guide (og45c): `tf.sparse.to_dense(count_layer(ids))` failed on JAX (a BCOO
      // array) and PyTorch; with the dense-elsewhere fix both failed there too ("Input must be a SparseTensor").
      name: 'CategoryEncoding whose output the cell gives to tf.sparse ops: JAX and PyTorch, no fix',
      code: 'import tensorflow as tf\nimport keras\ncount = keras.layers.CategoryEncoding(num_tokens=20, output_mode="count", sparse=True)\nprint(tf.sparse.to_dense(count(ids)))\n',
      errors: [{ line: 3, column: 75, message: 'take only a TensorFlow SparseTensor, which JAX and PyTorch never give' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\ncount = keras.layers.CategoryEncoding(num_tokens=20, output_mode="count", sparse=True)\nprint(tf.sparse.to_dense(count(ids)))\n'
    }
  ]
});
