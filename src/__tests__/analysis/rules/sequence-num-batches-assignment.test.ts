import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nfrom tensorflow import keras\n';

ruleTester('sequence-num-batches-assignment', {
  valid: [
    { name: 'another attribute of a Sequence', code: HEAD + 'class Gen(keras.utils.Sequence):\n    def __init__(self, steps):\n        self.steps = steps\n    def __len__(self):\n        return self.steps\n' },
    { name: 'num_batches in a class that is no Sequence', code: HEAD + 'class Gen:\n    def __init__(self, n):\n        self.num_batches = n\n' },
    {
      name: 'a Sequence defining num_batches itself',
      code: HEAD + 'class Gen(keras.utils.Sequence):\n    def __init__(self, n):\n        self.num_batches = n\n    @property\n    def num_batches(self):\n        return self._n\n    @num_batches.setter\n    def num_batches(self, v):\n        self._n = v\n'
    },
    { name: 'a local named num_batches', code: HEAD + 'class Gen(keras.utils.Sequence):\n    def __init__(self, n):\n        num_batches = n\n        self.n = num_batches\n' }
  ],
  invalid: [
    {
      name: 'the doc example',
      code: 'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self.num_batches = num_batches\n\n    def __len__(self):\n        return self.num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n',
      errors: [{ line: 4, column: 9, message: 'read-only property' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self._num_batches = num_batches\n\n    def __len__(self):\n        return self._num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n'
    },
    {
      name: 'tf.keras Sequence read in several methods and reassigned: one finding, every use renamed',
      code: HEAD + 'class Batches(keras.utils.Sequence):\n    def __init__(self, count):\n        self.num_batches = count\n    def on_epoch_end(self):\n        self.num_batches = max(1, self.num_batches - 1)\n    def __len__(self):\n        return self.num_batches\n    def __getitem__(self, i):\n        return np.zeros((2, 3)), np.zeros((2,))\n',
      errors: [{ line: 5, column: 9 }],
      output: HEAD + 'class Batches(keras.utils.Sequence):\n    def __init__(self, count):\n        self._num_batches = count\n    def on_epoch_end(self):\n        self._num_batches = max(1, self._num_batches - 1)\n    def __len__(self):\n        return self._num_batches\n    def __getitem__(self, i):\n        return np.zeros((2, 3)), np.zeros((2,))\n'
    },
    {
      name: 'no __len__: the rename is a suggestion only',
      code: 'import keras\nclass Stream(keras.utils.PyDataset):\n    def __init__(self, n, **kw):\n        super().__init__(**kw)\n        self.num_batches = n\n',
      errors: [{ line: 5, column: 9 }],
    },
    {
      name: 'no __len__: the suggested rename',
      code: 'import keras\nclass Stream(keras.utils.PyDataset):\n    def __init__(self, n, **kw):\n        super().__init__(**kw)\n        self.num_batches = n\n',
      errors: [{ line: 5, column: 9 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass Stream(keras.utils.PyDataset):\n    def __init__(self, n, **kw):\n        super().__init__(**kw)\n        self._num_batches = n\n'
    },
    {
      name: 'the class already has _num_batches: no fix',
      code: 'import keras\nclass Gen(keras.utils.Sequence):\n    def __init__(self, n):\n        self.num_batches = n\n        self._num_batches = 2 * n\n    def __len__(self):\n        return self.num_batches\n',
      errors: [{ line: 4, column: 9 }],
      fixOptions: { unsafe: true },
    }
  ]
});
