import { ruleTester } from '../rule-tester';

// Our own small programs: a notebook's custom layers handed Python numbers positionally.
const STAGES =
  'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\nclass Mixer(layers.Layer):\n    def call(self, tokens, rows, cols):\n        return tf.reshape(tokens, (-1, rows * cols, 8))\n\n\nclass Stage(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mixers = [Mixer() for _ in range(2)]\n\n    def call(self, tokens, rows, cols):\n        for mixer in self.mixers:\n            tokens = mixer(tokens, rows, cols)\n        return tokens, rows, cols\n\n\nclass Grid(layers.Layer):\n    def call(self, images):\n        rows = tf.shape(images)[1]\n        cols = tf.shape(images)[2]\n        return tf.reshape(images, (-1, rows * cols, 8)), rows, cols\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.grid = Grid()\n        self.stages = list()\n        for _ in range(2):\n            stage = Stage()\n            self.stages.append(stage)\n\n    def call(self, images):\n        tokens, rows, cols = self.grid(images)\n        for i, stage in enumerate(self.stages):\n            tokens, rows, cols = stage(tokens, rows, cols)\n        return tokens\n';

ruleTester('non-tensor-positional-layer-argument', {
  valid: [
    { name: 'tensors positionally to a custom layer', code: 'import keras\nclass Attend(keras.layers.Layer):\n    def call(self, query, key, value):\n        return query + key + value\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.attend = Attend()\n    def call(self, q, k):\n        return self.attend(q, k, k * 2)\n' },
    { name: 'the batch entry of a shape (None or a tensor in a traced call) is not claimed', code: 'import keras\nclass Pack(keras.layers.Layer):\n    def call(self, x, n):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.pack = Pack()\n    def call(self, x):\n        return self.pack(x, keras.ops.shape(x)[0])\n' },
    { name: 'numbers by keyword', code: 'import keras\nclass Pack(keras.layers.Layer):\n    def call(self, x, rows, cols):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.pack = Pack()\n    def call(self, x):\n        return self.pack(x, rows=x.shape[1], cols=4)\n' },
    { name: 'a bool flag is positional-training-argument\'s', code: 'import keras\nclass Pack(keras.layers.Layer):\n    def call(self, x, rows, training=None):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.pack = Pack()\n    def call(self, x):\n        return self.pack(x, 3, True)\n' },
    { name: 'a plain class with a call method, not a layer', code: 'import keras\nclass Helper:\n    def call(self, x, rows):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.helper = Helper()\n    def call(self, x):\n        return self.helper(x, 3)\n' },
    { name: 'a built-in layer (its call signature is not the cell\'s)', code: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.att = keras.layers.MultiHeadAttention(2, 4)\n    def call(self, x):\n        return self.att(x, x)\n' }
  ],
  invalid: [
    {
      name: 'a layer constructed and called in one expression, in a Functional model',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nclass Block(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n    def call(self, inputs, scale):\n        return self.d(inputs) * scale\ninp = keras.Input((3,))\nout = Block()(inp, 2.0)\n',
      errors: [{ line: 10, column: 20, message: '`2.0`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nclass Block(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n    def call(self, inputs, scale):\n        return self.d(inputs) * scale\ninp = keras.Input((3,))\nout = Block()(inp, scale=2.0)\n'
    },
    {
      name: 'the doc example: static shape entries of a Keras 3 tensor are ints',
      code: 'import keras\nclass Tokens(keras.layers.Layer):\n    def call(self, x, height, width):\n        return keras.ops.reshape(x, (-1, height * width, x.shape[-1]))\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.tokens = Tokens()\n    def call(self, x):\n        return self.tokens(x, x.shape[1], x.shape[2])',
      errors: [{ line: 10, column: 31, message: 'Only input tensors may be passed as positional arguments' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Tokens(keras.layers.Layer):\n    def call(self, x, height, width):\n        return keras.ops.reshape(x, (-1, height * width, x.shape[-1]))\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.tokens = Tokens()\n    def call(self, x):\n        return self.tokens(x, height=x.shape[1], width=x.shape[2])'
    },
    {
      name: 'a number and a string literal after a tensor: every positional argument from the first one on goes by keyword',
      code: 'import keras\nclass Route(keras.layers.Layer):\n    def call(self, x, extra, times, mode):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.route = Route()\n    def call(self, x):\n        return self.route(x, x, 2, "fast")\n',
      errors: [{ line: 10, column: 33, message: '`2`, `"fast"`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Route(keras.layers.Layer):\n    def call(self, x, extra, times, mode):\n        return x\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.route = Route()\n    def call(self, x):\n        return self.route(x, x, times=2, mode="fast")\n'
    },
    {
      name: 'tf.shape entries returned by one layer, passed through a list of appended stages and on to their sub-layers (a tensor on TensorFlow as written; ints on JAX/PyTorch and once converted)',
      code: STAGES,
      errors: [
        { line: 18, column: 36, message: '`rows`, `cols` are passed positionally to `Mixer`' },
        { line: 41, column: 48, message: '`Stage`' }
      ],
      blocks: ['jax', 'torch'],
      output: STAGES.replace('mixer(tokens, rows, cols)', 'mixer(tokens, rows=rows, cols=cols)').replace('stage(tokens, rows, cols)', 'stage(tokens, rows=rows, cols=cols)')
    },
    {
      name: 'a name holding an int from len() in a Functional-style helper model',
      code: 'import keras\nclass Repeat(keras.layers.Layer):\n    def call(self, x, count):\n        return keras.ops.repeat(x, count, axis=1)\nclass Net(keras.Model):\n    def __init__(self, names):\n        super().__init__()\n        self.names = names\n        self.repeat = Repeat()\n    def call(self, x):\n        count = len(self.names) + 1\n        return self.repeat(x, count)\n',
      errors: [{ line: 12, column: 31, message: '`count`' }],
      output: 'import keras\nclass Repeat(keras.layers.Layer):\n    def call(self, x, count):\n        return keras.ops.repeat(x, count, axis=1)\nclass Net(keras.Model):\n    def __init__(self, names):\n        super().__init__()\n        self.names = names\n        self.repeat = Repeat()\n    def call(self, x):\n        count = len(self.names) + 1\n        return self.repeat(x, count=count)\n'
    }
  ]
});
