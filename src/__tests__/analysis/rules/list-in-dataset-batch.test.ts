import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport keras\n';

ruleTester('list-in-dataset-batch', {
  valid: [
    {
      name: 'tuples, a whole batch as a list, and a list returned by a method that makes no batches',
      code:
        HEAD +
        'class Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        if i:\n            return [self.x, self.y]\n        return self.x, (self.a, self.b)\n    def pair(self):\n        return self.x, [self.a, self.b]\n'
    },
    { name: 'a generator no fit() reads', code: HEAD + 'def pairs():\n    yield 1, [2, 3]\nfor p in pairs():\n    print(p)\n' }
  ],
  invalid: [
    {
      // og47e repro_4 / repro_4b (Atienza's IIC and SSD): on TensorFlow "`output_signature` must contain objects that are
      // subclass of `tf.TypeSpec` but found <class 'list'>"; JAX and PyTorch trained; with a tuple all three trained.
      name: 'targets as a list display, as a name filled by append, inputs as a list; a generator handed to fit',
      code:
        HEAD +
        'class Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        y = []\n        for _ in range(2):\n            y.append(np.ones((4, 2)))\n        if i:\n            return [self.a, self.b], y\n        return self.x, [self.c, self.d]\n' +
        'def gen():\n    while True:\n        yield x, [y1, y2]\nmodel.fit(gen(), steps_per_epoch=2)\n',
      errors: [{ line: 11, column: 20 }, { line: 11, column: 38 }, { line: 12, column: 24 }, { line: 15, column: 18 }],
      blocks: ['tensorflow'],
      output:
        HEAD +
        'class Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        y = []\n        for _ in range(2):\n            y.append(np.ones((4, 2)))\n        if i:\n            return (self.a, self.b), tuple(y)\n        return self.x, (self.c, self.d)\n' +
        'def gen():\n    while True:\n        yield x, (y1, y2)\nmodel.fit(gen(), steps_per_epoch=2)\n'
    }
  ]
});
