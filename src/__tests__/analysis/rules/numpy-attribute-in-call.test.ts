import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\n\n\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n';

ruleTester('numpy-attribute-in-call', {
  valid: [
    { name: 'a tensor already', code: `${HEAD}        self.mask = keras.ops.convert_to_tensor(np.array([1.0, 0.0], dtype="float32"))\n\n    def call(self, x):\n        return x * self.mask\n` },
    { name: 'not combined by an operator in call()', code: `${HEAD}        self.sizes = np.array([2, 3])\n\n    def call(self, x):\n        return keras.ops.reshape(x, (-1, int(self.sizes[0])))\n` },
    { name: 'not a Keras class', code: 'import numpy as np\n\n\nclass Plain:\n    def __init__(self):\n        self.mask = np.ones(2, dtype="float32")\n\n    def call(self, x):\n        return x * self.mask\n' },
    { name: 'a NumPy scalar in a Lambda', code: 'import keras\nimport numpy as np\n\nscale = np.float64(2)\nlayer = keras.layers.Lambda(lambda x: x * scale)\n' },
    { name: 'an array met by a shape element in a Lambda', code: 'import keras\nimport numpy as np\n\nw = np.array([1.0, 2.0])\nlayer = keras.layers.Lambda(lambda x: x.shape[-1] * w)\n' },
    { name: 'NumPy arithmetic in a notebook helper called from __init__', code: 'import keras\nimport numpy as np\n\n\ndef positional_encoding(length, depth):\n    positions = np.arange(length)[:, np.newaxis]\n    depths = np.arange(depth)[np.newaxis, :] / depth\n    return positions * (1 / (10000 ** depths))\n\n\nclass Embed(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.pe = keras.ops.convert_to_tensor(positional_encoding(4, 2), dtype="float32")\n\n    def call(self, x):\n        return x + self.pe\n' },
    { name: 'an own method only __init__ calls', code: 'import keras\nimport numpy as np\n\n\nclass Embed(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.angles = keras.ops.convert_to_tensor(self.get_angles(np.arange(4)[:, None], 8))\n\n    def get_angles(self, pos, d_model):\n        rates = 1 / np.power(10000, np.arange(d_model) / np.float32(d_model))\n        return pos * rates\n\n    def call(self, x):\n        return x + self.angles\n' },
    { name: 'an attribute a construction sets to a number', code: 'import keras\nimport numpy as np\n\n\nclass Actor(keras.Model):\n    def __init__(self, bound):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n        self.bound = bound\n\n    def call(self, x):\n        return self.dense(x) * self.bound\n\n\na = Actor(np.array([1.0, 2.0]))\nb = Actor(2.0)\n' },
    { name: 'not model code', code: 'import keras\nimport numpy as np\n\nw = np.array([1.0, 2.0])\nmodel = keras.Sequential([keras.layers.Dense(2)])\nscaled = w * 3\n' }
  ],
  invalid: [
    {
      name: 'keras.io Real NVP: float32 masks indexed in call(), the NumPy array on the left (a suggestion)',
      code: `${HEAD}        self.masks = np.array([[0, 1], [1, 0]], dtype="float32")\n\n    def call(self, x):\n        reversed_mask = 1 - self.masks[0]\n        return reversed_mask * x\n`,
      errors: [{ line: 8, column: 22, message: 'PyTorch refuses that' }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: `${HEAD}        self.masks = keras.ops.convert_to_tensor(np.array([[0, 1], [1, 0]], dtype="float32"))\n\n    def call(self, x):\n        reversed_mask = 1 - self.masks[0]\n        return reversed_mask * x\n`
    },
    {
      name: 'np.float32 dtype, the array on the right, in a model',
      code: 'import numpy as np\nfrom tensorflow import keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = np.ones((2,), dtype=np.float32)\n\n    def call(self, x):\n        return x * self.scale\n',
      errors: [{ line: 8, column: 22 }],
      fixOptions: { unsafe: true },
      output: 'import numpy as np\nfrom tensorflow import keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = keras.ops.convert_to_tensor(np.ones((2,), dtype=np.float32))\n\n    def call(self, x):\n        return x * self.scale\n'
    },
    {
      name: 'no float32 dtype: reported, no fix',
      code: `${HEAD}        self.offsets = np.arange(4)\n\n    def call(self, x):\n        return x + self.offsets\n`,
      errors: [{ line: 8, column: 24, message: 'float dtype' }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'made in build(), not __init__: reported at the operator (claims/tf_op_numpy_array_in_eager_methods.py fails on PyTorch)',
      code: `${HEAD}        pass\n\n    def build(self, shape):\n        self.mask = np.ones(2, dtype="float32")\n\n    def call(self, x):\n        return x * self.mask\n`,
      errors: [{ line: 14, column: 16 }],
      blocks: [],
      output: `${HEAD}        pass\n\n    def build(self, shape):\n        self.mask = np.ones(2, dtype="float32")\n\n    def call(self, x):\n        return x * keras.ops.convert_to_tensor(self.mask, dtype=keras.ops.dtype(x))\n`
    },
    {
      name: 'TF2 RL Cookbook PPO: a module-level array on the right in a Lambda, trained (safe fix: the tensor\'s dtype)',
      code: 'import keras\nimport numpy as np\n\naction_bound = np.array([160, 210])\ninp = keras.Input((4,))\nout = keras.layers.Lambda(lambda x: keras.ops.clip(x * action_bound, 1e-9, 300.0))(keras.layers.Dense(2)(inp))\nmodel = keras.Model(inp, out)\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 4)), np.ones((8, 2)))\n',
      errors: [{ line: 6, column: 52, message: "Can't call numpy() on Tensor that requires grad" }],
      blocks: ['torch'],
      output: 'import keras\nimport numpy as np\n\naction_bound = np.array([160, 210])\ninp = keras.Input((4,))\nout = keras.layers.Lambda(lambda x: keras.ops.clip(x * keras.ops.convert_to_tensor(action_bound, dtype=keras.ops.dtype(x)), 1e-9, 300.0))(keras.layers.Dense(2)(inp))\nmodel = keras.Model(inp, out)\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 4)), np.ones((8, 2)))\n'
    },
    {
      name: 'the same Lambda in a model that only predicts: reported, no backend claimed',
      code: 'import keras\nimport numpy as np\n\naction_bound = np.array([160, 210])\ninp = keras.Input((4,))\nout = keras.layers.Lambda(lambda x: x * action_bound)(keras.layers.Dense(2)(inp))\nmodel = keras.Model(inp, out)\nmodel.predict(np.ones((8, 4)))\n',
      errors: [{ line: 6, column: 37 }],
      blocks: [],
      output: 'import keras\nimport numpy as np\n\naction_bound = np.array([160, 210])\ninp = keras.Input((4,))\nout = keras.layers.Lambda(lambda x: x * keras.ops.convert_to_tensor(action_bound, dtype=keras.ops.dtype(x)))(keras.layers.Dense(2)(inp))\nmodel = keras.Model(inp, out)\nmodel.predict(np.ones((8, 4)))\n'
    },
    {
      name: 'an array on the left in a loss function: fails wherever it runs (a suggestion: the other operand is an expression)',
      code: 'import keras\nimport numpy as np\n\nW = np.array([1.0, 2.0])\n\n\ndef weighted_mse(y_true, y_pred):\n    return keras.ops.mean(W * keras.ops.square(y_true - y_pred))\n\n\nmodel = keras.Sequential([keras.layers.Dense(2)])\nmodel.compile("adam", loss=weighted_mse)\n',
      errors: [{ line: 8, column: 27, message: "unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'" }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport numpy as np\n\nW = np.array([1.0, 2.0])\n\n\ndef weighted_mse(y_true, y_pred):\n    return keras.ops.mean(keras.ops.convert_to_tensor(W, dtype=keras.ops.dtype(keras.ops.square(y_true - y_pred))) * keras.ops.square(y_true - y_pred))\n\n\nmodel = keras.Sequential([keras.layers.Dense(2)])\nmodel.compile("adam", loss=weighted_mse)\n'
    },
    {
      name: 'a positional encoding a notebook function returns as NumPy, sliced and added in call()',
      code: 'import keras\nimport numpy as np\n\n\ndef positional_encoding(length, depth):\n    return np.concatenate([np.sin(np.arange(length)[:, None] / depth), np.cos(np.arange(length)[:, None] / depth)], axis=-1)\n\n\nclass Embed(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.pos_encoding = positional_encoding(8, 2)\n\n    def call(self, x):\n        n = keras.ops.shape(x)[1]\n        return x + self.pos_encoding[np.newaxis, :n, :]\n',
      errors: [{ line: 16, column: 16 }],
      output: 'import keras\nimport numpy as np\n\n\ndef positional_encoding(length, depth):\n    return np.concatenate([np.sin(np.arange(length)[:, None] / depth), np.cos(np.arange(length)[:, None] / depth)], axis=-1)\n\n\nclass Embed(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.pos_encoding = positional_encoding(8, 2)\n\n    def call(self, x):\n        n = keras.ops.shape(x)[1]\n        return x + keras.ops.convert_to_tensor(self.pos_encoding[np.newaxis, :n, :], dtype=keras.ops.dtype(x))\n'
    },
    {
      name: 'SAC: an attribute set from a constructor argument every construction passes an array',
      code: 'import keras\nimport numpy as np\n\n\nclass Actor(keras.Model):\n    def __init__(self, action_bound, action_shift=0.0):\n        super().__init__()\n        self.dense = keras.layers.Dense(2, activation="tanh")\n        self.action_bound = action_bound\n        self.action_shift = action_shift\n\n    def call(self, x):\n        actions = self.dense(x)\n        return actions * self.action_bound + self.action_shift\n\n\nactor = Actor(np.array([160.0, 210.0]))\n',
      errors: [{ line: 14, column: 16 }],
      output: 'import keras\nimport numpy as np\n\n\nclass Actor(keras.Model):\n    def __init__(self, action_bound, action_shift=0.0):\n        super().__init__()\n        self.dense = keras.layers.Dense(2, activation="tanh")\n        self.action_bound = action_bound\n        self.action_shift = action_shift\n\n    def call(self, x):\n        actions = self.dense(x)\n        return actions * keras.ops.convert_to_tensor(self.action_bound, dtype=keras.ops.dtype(actions)) + self.action_shift\n\n\nactor = Actor(np.array([160.0, 210.0]))\n'
    }
  ]
});
