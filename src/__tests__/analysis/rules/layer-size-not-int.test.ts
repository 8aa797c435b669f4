import { ruleTester } from '../rule-tester';

ruleTester('layer-size-not-int', {
  valid: [
    { code: 'import keras\nx = keras.layers.Dense(4)\n' },
    { name: 'int() already', code: 'import numpy as np\nimport keras\nx = keras.layers.Dense(int(np.prod((2, 3))))\n' },
    { name: 'math.prod is a Python int', code: 'import math\nimport keras\nx = keras.layers.Dense(math.prod((2, 3)))\n' },
    { name: 'len() is a Python int', code: 'import keras\nvocab = ["a", "b"]\nx = keras.layers.Embedding(len(vocab) + 1, 8)\n' },
    { name: 'not a size argument', code: 'import numpy as np\nimport keras\nx = keras.layers.Dense(4, bias_initializer=keras.initializers.Constant(np.sum([1.0])))\n' },
    { name: 'an element of keras.ops.shape is a Python int', code: 'import keras\nn = keras.ops.shape(x)[1]\ne = keras.layers.Embedding(n, 4)\n' },
    { name: 'not Keras', code: 'import numpy as np\nfrom mylib import Dense\nx = Dense(np.prod((2, 3)))\n' }
  ],
  invalid: [
    {
      name: 'keras.io molecule generation: tf.math.reduce_prod of a shape tuple',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ndef get_decoder(x, adjacency_shape):\n    return keras.layers.Dense(tf.math.reduce_prod(adjacency_shape))(x)\n',
      errors: [{ line: 4, column: 31, message: 'expected a positive integer' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\ndef get_decoder(x, adjacency_shape):\n    return keras.layers.Dense(int(tf.math.reduce_prod(adjacency_shape)))(x)\n'
    },
    {
      name: 'np.prod keyword units, with arithmetic',
      code: 'import numpy as np\nfrom tensorflow.keras import layers\nimg_shape = (4, 4, 1)\nd = layers.Dense(units=np.prod(img_shape) * 2, activation="tanh")\n',
      errors: [{ line: 4, column: 24 }],
      output: 'import numpy as np\nfrom tensorflow.keras import layers\nimg_shape = (4, 4, 1)\nd = layers.Dense(units=int(np.prod(img_shape) * 2), activation="tanh")\n'
    },
    {
      name: 'Embedding sizes',
      code: 'import numpy as np\nimport tensorflow as tf\ne = tf.keras.layers.Embedding(np.max(ids) + 1, tf.size(w))\n',
      errors: [{ line: 3, column: 31 }, { line: 3, column: 48 }],
      output: 'import numpy as np\nimport tensorflow as tf\ne = tf.keras.layers.Embedding(int(np.max(ids) + 1), int(tf.size(w)))\n'
    },
    {
      // Ran (Keras 3.15): the Embedding raised "`input_dim` must be a positive integer" on TensorFlow; fixed, it was built.
      name: 'keras.io CCT: Embedding sizes named from elements of tf.shape of a dummy output, and one inline',
      code:
        'import keras\nimport tensorflow as tf\nclass Tok(keras.layers.Layer):\n    def positional_embedding(self, image_size):\n        dummy_outputs = self.call(tf.ones((1, image_size, image_size, 3)))\n' +
        '        sequence_length = tf.shape(dummy_outputs)[1]\n        return keras.layers.Embedding(input_dim=sequence_length, output_dim=tf.shape(dummy_outputs)[-1])\n',
      errors: [
        { line: 7, column: 49, message: "`Embedding`'s `input_dim` is `sequence_length`, which `tf.shape` makes a TF tensor (an element of `tf.shape(...)`)" },
        { line: 7, column: 77 }
      ],
      output:
        'import keras\nimport tensorflow as tf\nclass Tok(keras.layers.Layer):\n    def positional_embedding(self, image_size):\n        dummy_outputs = self.call(tf.ones((1, image_size, image_size, 3)))\n' +
        '        sequence_length = tf.shape(dummy_outputs)[1]\n        return keras.layers.Embedding(input_dim=int(sequence_length), output_dim=int(tf.shape(dummy_outputs)[-1]))\n'
    }
  ]
});
