import { ruleTester } from '../rule-tester';

/** A normalizing-flow step: a coupling sub-model gives scale and shift, both masked before use. */
const FLOW =
  'import tensorflow as tf\nfrom tensorflow import keras\n' +
  'class Flow(keras.Model):\n    def __init__(self, blocks):\n        super().__init__()\n        self.blocks = blocks\n        self.mask = tf.constant([0.0, 1.0])\n\n' +
  '    def call(self, x):\n        for i in range(len(self.blocks)):\n            s, t = self.blocks[i](x * self.mask)\n            s *= 1 - self.mask\n            t *= 1 - self.mask\n            x = x * tf.exp(s) + t\n        return x\n';

ruleTester('inplace-update-of-layer-output', {
  valid: [
    { name: 'a name bound to a Python number', code: 'import keras\nclass M(keras.Model):\n    def call(self, x):\n        total = 0\n        total += keras.ops.sum(x)\n        return x\n' },
    { name: 'a name bound to an op result, not a layer call', code: 'import keras\nclass M(keras.Model):\n    def call(self, x):\n        h = keras.ops.tanh(x)\n        h *= 2.0\n        return h\n' },
    { name: 'outside Keras class methods', code: 'import keras\ndense = keras.layers.Dense(2)\ndef f(x):\n    h = dense(x)\n    h *= 2\n    return h\n' },
    { name: 'in a method other than call or a step', code: 'import keras\nclass M(keras.Model):\n    def build(self, shape):\n        self.d = keras.layers.Dense(2)\n    def helper(self, x):\n        h = self.d(x)\n        h += 1\n        return h\n' },
    { name: 'a name rebound by a loop before the update', code: 'import keras\nclass M(keras.Model):\n    def call(self, xs):\n        h = self.d(xs)\n        for h in xs:\n            h += 1\n        return h\n' },
    { name: 'an attribute target', code: 'import keras\nclass M(keras.Model):\n    def call(self, x):\n        self.h = self.d(x)\n        self.h *= 2\n        return x\n' },
    { name: 'not a Keras class', code: 'class M:\n    def call(self, x):\n        h = self.d(x)\n        h *= 2\n        return h\n' }
  ],
  invalid: [
    {
      name: 'masked scale and shift from a coupling sub-model in a list',
      code: FLOW,
      errors: [
        { line: 12, column: 13, message: '`s *= ...` changes `s` in place on PyTorch' },
        { line: 13, column: 13, message: '`t *= ...` changes `t` in place on PyTorch' }
      ],
      output: FLOW.replace('s *= 1 - self.mask', 's = s * (1 - self.mask)').replace('t *= 1 - self.mask', 't = t * (1 - self.mask)')
    },
    {
      name: 'a layer made and called at once, then added to',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x):\n        h = keras.layers.Dense(4, activation="sigmoid")(x)\n        h += x\n        return h\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x):\n        h = keras.layers.Dense(4, activation="sigmoid")(x)\n        h = h + x\n        return h\n'
    },
    {
      name: 'in a train_step',
      code: 'import keras\nclass M(keras.Model):\n    def train_step(self, data):\n        y = self.head(data)\n        y /= 2.0\n        return {}\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nclass M(keras.Model):\n    def train_step(self, data):\n        y = self.head(data)\n        y = y / 2.0\n        return {}\n'
    },
    {
      name: 'the rule\'s documented example',
      code: 'import keras\nclass Flow(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = keras.layers.Dense(2, activation="tanh")\n    def call(self, x):\n        s = self.scale(x)\n        s *= 0.5\n        return x * keras.ops.exp(s)\n',
      errors: [{ line: 8, column: 9 }],
      output: 'import keras\nclass Flow(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.scale = keras.layers.Dense(2, activation="tanh")\n    def call(self, x):\n        s = self.scale(x)\n        s = s * 0.5\n        return x * keras.ops.exp(s)\n'
    }
  ]
});
