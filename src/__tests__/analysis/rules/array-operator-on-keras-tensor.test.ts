import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport tensorflow as tf\nimport keras\n\ninputs = keras.Input(shape=(4,))\n';

ruleTester('array-operator-on-keras-tensor', {
  valid: [
    { name: 'the KerasTensor on the left', code: HEAD + 'w = np.ones((4,), "float32")\ny = inputs * w\nz = inputs > keras.ops.ones((4,))\n' },
    { name: 'a Python number on the left', code: HEAD + 'y = 1.0 - inputs\nz = 2 * inputs\n' },
    { name: 'arithmetic with a TF tensor on the left (TensorFlow dispatches it to the KerasTensor)', code: HEAD + 't = tf.ones((4,))\ny = t + inputs\n' },
    { name: 'eager values on both sides', code: HEAD + 'c = keras.ops.ones((4,))\nw = np.ones((4,))\ny = c * c\nz = w + c\n' },
    {
      name: 'inside a layer call, on real tensors',
      code: 'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        w = keras.ops.ones((4,))\n        return w * x\n\ninputs = keras.Input(shape=(4,))\noutputs = Scale()(inputs)\n'
    },
    { name: 'a shape read from a KerasTensor is a Python value, not a tensor', code: HEAD + 'n = keras.ops.shape(inputs)[1]\nm = keras.ops.ones((n, n))\ny = inputs @ m\n' },
    { name: 'a comparison chain', code: HEAD + 'c = keras.ops.ones((4,))\ny = c < inputs < c\n' }
  ],
  invalid: [
    {
      // claims/array_operator_on_keras_tensor.py: fails on JAX only (Keras 3.15), the fixed program runs on all three.
      name: 'the doc example: a keras.ops mask of constants & a KerasTensor mask (JAX)',
      code: 'import keras\n\ntokens = keras.Input(shape=(6,), dtype="int32")\nn = keras.ops.shape(tokens)[1]\ncausal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))\npad_mask = keras.ops.not_equal(tokens, 0)[:, None]\nmask = causal_mask & pad_mask\n',
      errors: [{ line: 7, column: 8, message: 'JAX function' }],
      blocks: ['jax'],
      output: 'import keras\n\ntokens = keras.Input(shape=(6,), dtype="int32")\nn = keras.ops.shape(tokens)[1]\ncausal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))\npad_mask = keras.ops.not_equal(tokens, 0)[:, None]\nmask = keras.ops.logical_and(causal_mask, pad_mask)\n'
    },
    {
      // claims/numpy_operator_on_keras_tensor.py: "You cannot convert it to a NumPy array" on all three.
      name: 'a NumPy array on the left: every backend',
      code: HEAD + 'w = np.linspace(0.5, 1.5, 4).astype("float32")\ny = w * inputs\n',
      errors: [{ line: 7, column: 5, message: 'NumPy array' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 'w = np.linspace(0.5, 1.5, 4).astype("float32")\ny = keras.ops.multiply(w, inputs)\n'
    },
    {
      // og49d probe: `tf_tensor > x` raises "cannot be used as input to a TensorFlow function" on all three.
      name: 'a comparison with a TF tensor on the left: every backend',
      code: HEAD + 't = tf.ones((4,))\ny = t > inputs\n',
      errors: [{ line: 7, column: 5, message: 'TensorFlow function' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 't = tf.ones((4,))\ny = keras.ops.greater(t, inputs)\n'
    },
    {
      name: 'a comparison with a keras.ops value on the left: TensorFlow and JAX',
      code: HEAD + 'c = keras.ops.zeros((4,))\ny = c <= inputs\n',
      errors: [{ line: 7, column: 5 }],
      blocks: ['tensorflow', 'jax'],
      output: HEAD + 'c = keras.ops.zeros((4,))\ny = keras.ops.less_equal(c, inputs)\n'
    },
    {
      name: 'inside a keyword argument of a layer call; `import keras` added to the cell of the imports',
      code: ['import numpy as np\nfrom keras import layers, Input\n\nx = Input(shape=(3,))\n', 'bias = np.zeros(3)\ny = layers.Dense(3)(bias + x)\n'],
      errors: [{ cell: 1, line: 2, column: 21 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: ['import keras\nimport numpy as np\nfrom keras import layers, Input\n\nx = Input(shape=(3,))\n', 'bias = np.zeros(3)\ny = layers.Dense(3)(keras.ops.add(bias, x))\n']
    }
  ]
});
