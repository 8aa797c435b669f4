import { ruleTester } from '../rule-tester';

ruleTester('input-shape-on-layer', {
  valid: [
    { name: 'Embedding(input_dim=) is the vocabulary size', code: 'import keras\nimport tensorflow as tf\ne = keras.layers.Embedding(input_dim=10000, output_dim=64)\nf = tf.keras.layers.Embedding(input_dim=100, output_dim=8, input_length=5)\n' },
    { code: 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n' }
  ],
  invalid: [
    {
      name: 'a deprecation warning blocks no backend (Keras 3.15 warns and runs on TF, JAX, PyTorch)',
      code: 'import keras\nm = keras.Sequential([keras.layers.Dense(2, input_dim=3), keras.layers.Dense(1, input_shape=(2,))])\n',
      errors: [{ line: 2, column: 45 }, { line: 2, column: 81 }],
      blocks: []
    },
    { code: 'import keras\nd = keras.layers.Dense(2, input_shape=(4,))\n', errors: [{ line: 2, column: 27 }] }
  ]
});
