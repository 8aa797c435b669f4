import { ruleTester } from '../rule-tester';

ruleTester('tf-tensor-to-on-batch', {
  valid: [
    { name: 'NumPy data', code: 'import numpy as np\nimport keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.predict_on_batch(np.expand_dims(np.ones(3), 0))\n' },
    { name: 'predict() converts TF tensors', code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.predict(tf.ones((1, 3)))\n' },
    { name: 'keras.ops data', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.predict_on_batch(keras.ops.ones((1, 3)))\n' },
    { name: 'a name assigned NumPy and TF values', code: 'import numpy as np\nimport tensorflow as tf\nx = np.ones((1, 3))\nif flag:\n    x = tf.ones((1, 3))\nm.train_on_batch(x, y)\n' }
  ],
  invalid: [
    {
      // keras.io "Working with RNNs" (tf.keras era): predict_on_batch(tf.expand_dims(sample, 0)) raised "Error interpreting argument to ... predict_step ... as an abstract array" on JAX with Keras 3.15; TensorFlow and PyTorch ran it, and the NumPy conversion ran on all three (examples/runnable/rnn_guide_states_nested.py).
      name: 'the guide: predict_on_batch(tf.expand_dims(sample, 0))',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nwith tf.device("CPU:0"):\n    result = tf.argmax(cpu_model.predict_on_batch(tf.expand_dims(sample, 0)), axis=1)\n',
      errors: [{ line: 4, column: 51, message: 'abstract array' }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nwith tf.device("CPU:0"):\n    result = tf.argmax(cpu_model.predict_on_batch(keras.ops.convert_to_numpy(tf.expand_dims(sample, 0))), axis=1)\n'
    },
    {
      name: 'train_on_batch of names assigned TF values, keyword y',
      code: 'import tensorflow as tf\nimport keras\nx = tf.random.normal((4, 3))\ny = tf.zeros((4, 1))\nloss = model.train_on_batch(x, y=y)\n',
      errors: [{ line: 5, column: 29 }],
      output: 'import tensorflow as tf\nimport keras\nx = tf.random.normal((4, 3))\ny = tf.zeros((4, 1))\nloss = model.train_on_batch(keras.ops.convert_to_numpy(x), y=keras.ops.convert_to_numpy(y))\n'
    }
  ]
});
