import { ruleTester } from '../rule-tester';

// Measured on Keras 3.15 (NumPy 2.4): float()/int() of a (1, 1) initializer value fails on TensorFlow and JAX, runs on PyTorch;
// float(keras.ops.convert_to_numpy(t).item()) runs on all three (python_kernel_hooks/tests/claims/float_of_nonscalar_tensor.py).
ruleTester('float-of-nonscalar-tensor', {
  valid: [
    { name: 'a scalar variable (add_weight with shape=(), tf.Variable(0))', code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight(shape=(), initializer="ones")\n        self.step = tf.Variable(0)\n\n    def get_config(self):\n        return {"w": float(self.w), "step": int(self.step)}\n' },
    { name: 'a variable with more than one element, and one assigned twice in the class', code: 'import keras\nimport tensorflow as tf\nv = tf.Variable(tf.ones((2, 1)))\nx = float(v)\nclass L(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight(shape=(1, 1))\n        self.w = self.add_weight(shape=())\n\n    def call(self, x):\n        print(float(self.w))\n        return x\n' },
    { name: 'a scalar shape', code: 'import keras\nw = float(keras.initializers.RandomNormal(seed=1)(shape=()))\n' },
    { name: 'already an element', code: 'import keras\nw = float(keras.ops.convert_to_numpy(keras.ops.ones((1, 1))).item())\n' },
    { name: 'more than one element (fails in Keras 2 too) and a shape from a name', code: 'import keras\nn = 1\na = float(keras.ops.ones((2, 1)))\nb = float(keras.ops.ones((n,)))\n' },
    { name: 'indexed to a scalar', code: 'import keras\nt = keras.random.normal((1, 1), seed=1)\nw = float(t[0, 0])\n' },
    { name: 'a NumPy array', code: 'import keras\nimport numpy as np\na = np.ones((1, 1))\nx = float(a)\n' },
    {
      name: 'a loop over classes that are not all Keras initializers, and a loop variable called outside its loop',
      code: 'import keras\nfor make in [keras.initializers.HeNormal, make_other]:\n    a = float(make(seed=1)(shape=(1, 1)))\n\n\ndef f(initializer):\n    return float(initializer(seed=1)(shape=(1, 1)))\n'
    }
  ],
  invalid: [
    {
      // Measured on Keras 3.15 (NumPy 2.4): fails on all three backends; the fix runs on all three
      // (python_kernel_hooks/tests/claims/float_of_one_element_variable.py).
      name: 'float()/int() of (1, 1) variables: add_weight (self.attr), tf.Variable and keras.Variable (names)',
      code:
        'import keras\nimport numpy as np\nimport tensorflow as tf\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.alpha = self.add_weight(name="alpha", shape=(1, 1), initializer="ones")\n\n    def get_config(self):\n        return {"alpha": float(self.alpha)}\n' +
        'v = tf.Variable(tf.zeros((1, 1)))\nk = keras.Variable(np.ones((1, 1), "float32"))\nc = tf.Variable([[3]])\nprint(float(v), float(k), int(c))\n',
      errors: [
        { line: 9, column: 26, message: '`float()` of `self.alpha`, a variable with dimensions: every backend refuses it' },
        { line: 13, column: 7 },
        { line: 13, column: 17 },
        { line: 13, column: 27 }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nimport numpy as np\nimport tensorflow as tf\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.alpha = self.add_weight(name="alpha", shape=(1, 1), initializer="ones")\n\n    def get_config(self):\n        return {"alpha": float(keras.ops.convert_to_numpy(self.alpha).item())}\n' +
        'v = tf.Variable(tf.zeros((1, 1)))\nk = keras.Variable(np.ones((1, 1), "float32"))\nc = tf.Variable([[3]])\nprint(float(keras.ops.convert_to_numpy(v).item()), float(keras.ops.convert_to_numpy(k).item()), int(keras.ops.convert_to_numpy(c).item()))\n'
    },
    {
      name: 'keras.io reproducibility recipe: a loop over a list of initializer classes, each instantiated with a seed and called on (1, 1)',
      code: 'from tensorflow.keras import initializers\ninitializers_list = [\n    initializers.RandomNormal,\n    initializers.Orthogonal,\n]\nfor initializer in initializers_list:\n    for iteration in range(2):\n        result = float(initializer(seed=42)(shape=(1, 1)))\n',
      errors: [{ line: 8, column: 18, message: '`float()` of `initializer(seed=42)(shape=(1, 1))`' }],
      blocks: ['tensorflow', 'jax'],
      output: 'from tensorflow.keras import initializers\nimport keras\ninitializers_list = [\n    initializers.RandomNormal,\n    initializers.Orthogonal,\n]\nfor initializer in initializers_list:\n    for iteration in range(2):\n        result = float(keras.ops.convert_to_numpy(initializer(seed=42)(shape=(1, 1))).item())\n'
    },
    {
      name: 'float() of an initializer value, an instance held in a name, int() of keras.ops / keras.random values',
      code:
        'import keras\na = float(keras.initializers.RandomNormal(stddev=0.02, seed=42)(shape=(1, 1)))\ninit = keras.initializers.GlorotUniform(seed=1)\nb = float(init(shape=[1]))\nt = keras.ops.ones(shape=(1, 1, 1), dtype="int32")\nc = int(t)\nd = float(keras.random.uniform((1,), seed=3))\n',
      errors: [
        { line: 2, column: 5, message: 'Only scalar arrays' },
        { line: 4, column: 5 },
        { line: 6, column: 5, message: '`int()` of `t`' },
        { line: 7, column: 5 }
      ],
      blocks: ['tensorflow', 'jax'],
      output:
        'import keras\na = float(keras.ops.convert_to_numpy(keras.initializers.RandomNormal(stddev=0.02, seed=42)(shape=(1, 1))).item())\ninit = keras.initializers.GlorotUniform(seed=1)\nb = float(keras.ops.convert_to_numpy(init(shape=[1])).item())\nt = keras.ops.ones(shape=(1, 1, 1), dtype="int32")\nc = int(keras.ops.convert_to_numpy(t).item())\nd = float(keras.ops.convert_to_numpy(keras.random.uniform((1,), seed=3)).item())\n'
    },
    {
      name: 'tf.keras initializers, keras imported by the fix',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import initializers\nw = float(initializers.HeNormal(seed=0)(shape=(1, 1)))\n',
      errors: [{ line: 3, column: 5 }],
      output: 'from tensorflow import keras\nfrom tensorflow.keras import initializers\nw = float(keras.ops.convert_to_numpy(initializers.HeNormal(seed=0)(shape=(1, 1))).item())\n'
    }
  ]
});
