import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\n\n\nclass Coupling(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n';

ruleTester('numpy-attribute-in-call', {
  valid: [
    { name: 'a tensor already', code: `${HEAD}        self.mask = keras.ops.convert_to_tensor(np.array([1.0, 0.0], dtype="float32"))\n\n    def call(self, x):\n        return x * self.mask\n` },
    { name: 'not combined by an operator in call()', code: `${HEAD}        self.sizes = np.array([2, 3])\n\n    def call(self, x):\n        return keras.ops.reshape(x, (-1, int(self.sizes[0])))\n` },
    { name: 'not a Keras class', code: 'import numpy as np\n\n\nclass Plain:\n    def __init__(self):\n        self.mask = np.ones(2, dtype="float32")\n\n    def call(self, x):\n        return x * self.mask\n' },
    { name: 'made outside __init__', code: `${HEAD}        pass\n\n    def build(self, shape):\n        self.mask = np.ones(2, dtype="float32")\n\n    def call(self, x):\n        return x * self.mask\n` }
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
    }
  ]
});
