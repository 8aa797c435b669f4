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
    { name: 'num_batches in a class deriving from a cell class that is no Sequence', code: HEAD + 'class Base:\n    pass\nclass Gen(Base):\n    def __init__(self, n):\n        self.num_batches, self.size = n, 2\n' },
    { name: 'a local named num_batches', code: HEAD + 'class Gen(keras.utils.Sequence):\n    def __init__(self, n):\n        num_batches = n\n        self.n = num_batches\n' }
  ],
  invalid: [
    {
      // Measured on Keras 3.15 (TensorFlow, JAX, PyTorch): `Pairs(3)` raises "property 'num_batches' of 'Pairs' object has no setter";
      // renamed in both classes it trains (and tf_keras 2.21 ran it as written).
      name: 'one target of an unpacking assignment, in a class deriving from Sequence through a base class of the cell whose __len__ reads it: both classes renamed',
      code: HEAD + 'class BaseBatches(keras.utils.Sequence):\n    def __len__(self):\n        return self.num_batches\n\nclass Pairs(BaseBatches):\n    def __init__(self, n):\n        super().__init__()\n        self.num_batches, self.size = n, 2\n',
      errors: [{ line: 10, column: 9, message: 'read-only property' }],
      output: HEAD + 'class BaseBatches(keras.utils.Sequence):\n    def __len__(self):\n        return self._num_batches\n\nclass Pairs(BaseBatches):\n    def __init__(self, n):\n        super().__init__()\n        self._num_batches, self.size = n, 2\n'
    },
    {
      name: 'an augmented assignment (the property has no setter either)',
      code: HEAD + 'class Growing(keras.utils.Sequence):\n    def __init__(self):\n        self._count = 2\n    def on_epoch_end(self):\n        self.num_batches += 1\n    def __len__(self):\n        return self.num_batches\n',
      errors: [{ line: 7, column: 9 }],
      output: HEAD + 'class Growing(keras.utils.Sequence):\n    def __init__(self):\n        self._count = 2\n    def on_epoch_end(self):\n        self._num_batches += 1\n    def __len__(self):\n        return self._num_batches\n'
    },
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
