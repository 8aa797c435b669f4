import { ruleTester } from '../rule-tester';

ruleTester('layer-on-constant-in-functional-model', {
  valid: [
    { name: 'a layer on a KerasTensor', code: 'import keras\ninputs = keras.Input((6,))\nx = keras.layers.Dense(4)(inputs) + keras.layers.Dense(4)(inputs)\n' },
    { name: 'eager use, no Functional model', code: 'import keras\nemb = keras.layers.Embedding(6, 4)\nprint(emb(keras.ops.arange(0, 6)) + 1.0)\n' }
  ],
  invalid: [
    {
      name: 'keras.io BERT position embedding',
      code:
        'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = layers.Input((16,), dtype=tf.int64)\nword_embeddings = layers.Embedding(100, 8)(inputs)\nposition_embeddings = layers.Embedding(input_dim=16, output_dim=8, weights=[np.zeros((16, 8))])(tf.range(start=0, limit=16, delta=1))\nembeddings = word_embeddings + position_embeddings\n',
      errors: [{ line: 8, column: 32 }],
      // Measured (python_kernel_hooks/tests/claims/layer_on_constant_in_functional_model.py): runs on TF and JAX, fails on PyTorch.
      blocks: ['torch']
    }
  ]
});
