import { ruleTester } from '../rule-tester';

ruleTester('layer-size-not-int', {
  valid: [
    { code: 'import keras\nx = keras.layers.Dense(4)\n' },
    { name: 'int() already', code: 'import numpy as np\nimport keras\nx = keras.layers.Dense(int(np.prod((2, 3))))\n' },
    { name: 'math.prod is a Python int', code: 'import math\nimport keras\nx = keras.layers.Dense(math.prod((2, 3)))\n' },
    { name: 'len() is a Python int', code: 'import keras\nvocab = ["a", "b"]\nx = keras.layers.Embedding(len(vocab) + 1, 8)\n' },
    { name: 'not a size argument', code: 'import numpy as np\nimport keras\nx = keras.layers.Dense(4, bias_initializer=keras.initializers.Constant(np.sum([1.0])))\n' },
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
    }
  ]
});
