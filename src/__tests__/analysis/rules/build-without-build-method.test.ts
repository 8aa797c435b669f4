import { ruleTester } from '../rule-tester';

const NET =
  'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\n';

ruleTester('build-without-build-method', {
  valid: [
    { name: 'the model called on a batch', code: NET + 'net = Net()\nnet(keras.ops.zeros((1, 3)))\nnet.load_weights("w.weights.h5")\n' },
    {
      name: 'a subclass with its own build(), and a Sequential',
      code:
        'import keras\nclass Net(keras.Model):\n    def build(self, shape):\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet.build((None, 3))\n' +
        'seq = keras.Sequential([keras.layers.Dense(2)])\nseq.build((None, 3))\n'
    }
  ],
  invalid: [
    {
      // og47c repro_3 (dragen1860's ResNet / Pix2Pix): after net.build((None, 3)) Keras 3 had 0 variables and load_weights
      // restored nothing, silently, on all three; net(keras.ops.zeros((1, 3))) restored the weights on all three.
      name: 'build of a subclass without build(), then load_weights: every backend; a call on zeros (safe)',
      code: NET + 'net = Net()\nnet.build((None, 3))\nnet.load_weights("w.weights.h5")\n',
      errors: [{ line: 9, column: 1, message: 'restores nothing' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: NET + 'net = Net()\nnet(keras.ops.zeros((1, 3)))\nnet.load_weights("w.weights.h5")\n'
    },
    {
      name: 'a list of shapes, and a shape held by a name (a suggestion); no weight read after: no claim',
      code: NET + 'a = Net()\na.build([(None, 4, 4, 3), (None, 2)])\nshape = (None, 3)\nb = Net()\nb.build(input_shape=shape)\n',
      errors: [{ line: 9, column: 1 }, { line: 12, column: 1 }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: NET + 'a = Net()\na([keras.ops.zeros((1, 4, 4, 3)), keras.ops.zeros((1, 2))])\nshape = (None, 3)\nb = Net()\nb(keras.ops.zeros((1,) + tuple(shape)[1:]))\n'
    }
  ]
});
