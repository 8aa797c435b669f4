import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport tensorflow as tf\n';

/** A depth-map loader in the keras.io style: a helper fills float64 batches that __getitem__ returns. */
const LOADER =
  HEAD +
  'class DepthBatches(tf.keras.utils.Sequence):\n    def __init__(self, n, dim):\n        self.n = n\n        self.dim = dim\n\n    def __len__(self):\n        return 3\n\n' +
  '    def __getitem__(self, index):\n        return self.make(index)\n\n' +
  '    def make(self, index):\n        x = np.empty((self.n, *self.dim, 3))\n        y = np.zeros((self.n, *self.dim, 1))\n        for i in range(self.n):\n            x[i] = np.random.rand(*self.dim, 3)\n            y[i] = np.random.rand(*self.dim, 1)\n        return x, y\n';

ruleTester('sequence-float64-batches', {
  valid: [
    { name: 'a dtype given', code: 'import numpy as np\nimport keras\nclass B(keras.utils.Sequence):\n    def __getitem__(self, i):\n        x = np.empty((4, 2), dtype="float32")\n        y = np.zeros((4, 1), np.float32)\n        return x, y\n' },
    { name: 'not a Keras dataset class', code: 'import numpy as np\nclass B:\n    def __getitem__(self, i):\n        x = np.empty((4, 2))\n        return x\n' },
    { name: 'an array that is not returned (a work buffer)', code: 'import numpy as np\nimport keras\nclass B(keras.utils.PyDataset):\n    def __getitem__(self, i):\n        buf = np.zeros((4, 2))\n        return buf.astype("float32"), np.ones((4, 1), dtype="float32")\n' },
    { name: 'made at module level', code: 'import numpy as np\nimport keras\nx = np.empty((4, 2))\n' }
  ],
  invalid: [
    {
      // Ran on Keras 3.15 (keras.io's depth estimation, its loss on tf ops): TensorFlow failed with
      // "Input 'y' of 'Mul' Op has type float64"; with float32 batches it trained on all three backends.
      name: 'float64 batches made by a helper that returns them (np.empty, np.zeros)',
      code: LOADER,
      errors: [
        { line: 15, column: 13, message: '`np.empty(...)` makes float64 arrays, and `x` is a batch this dataset returns' },
        { line: 16, column: 13, message: '`np.zeros(...)` makes float64 arrays, and `y` is a batch' }
      ],
      output: LOADER.replace('np.empty((self.n, *self.dim, 3))', 'np.empty((self.n, *self.dim, 3), dtype="float32")').replace('np.zeros((self.n, *self.dim, 1))', 'np.zeros((self.n, *self.dim, 1), dtype="float32")')
    },
    {
      name: 'the rule\'s documented example: keras.utils.Sequence, __getitem__ returning x, y',
      code: 'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3))\n        y = np.empty((8, 32, 32, 1))\n        return x, y\n',
      errors: [{ line: 7, column: 13 }, { line: 8, column: 13 }],
      output: 'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3), dtype="float32")\n        y = np.empty((8, 32, 32, 1), dtype="float32")\n        return x, y\n'
    },
    {
      name: 'a PyDataset returning a single array (np.ones)',
      code: 'import numpy as np\nfrom keras.utils import PyDataset\nclass Ones(PyDataset):\n    def __getitem__(self, i):\n        batch = np.ones((2, 3))\n        return batch\n',
      errors: [{ line: 5, column: 17 }],
      output: 'import numpy as np\nfrom keras.utils import PyDataset\nclass Ones(PyDataset):\n    def __getitem__(self, i):\n        batch = np.ones((2, 3), dtype="float32")\n        return batch\n'
    }
  ]
});
