import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, chunk_size, dims, **kwargs):\n        super().__init__(**kwargs)\n';

const CELL = 'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, chunk, dims, **kwargs):\n        super().__init__(**kwargs)\n';

// keras.io Temporal Latent Bottleneck's shape: the cell keeps values on itself in call(), the model made the RNN.
const TLB =
  CELL +
  '        self.chunk = chunk\n        self.scores = []\n' +
  '        self.state_size = tf.TensorShape([chunk, dims])\n        self.output_size = tf.TensorShape([chunk, dims])\n' +
  '    def call(self, inputs, states):\n        """One chunk."""\n        slow = states[0]\n        self.scores.append(slow)\n        return inputs + slow, [slow]\n' +
  'class Trainer(keras.Model):\n    def __init__(self, cell, **kwargs):\n        super().__init__(**kwargs)\n        self.rnn = keras.layers.RNN(cell, return_sequences=True)\n' +
  '    def call(self, x):\n        x = self.rnn(x)\n        return x\n' +
  'model = Trainer(Cell(4, 16))\n';

const TLB_FIXED =
  CELL +
  '        self.chunk = chunk\n        self.scores = []\n' +
  '        self.state_shape = (chunk, dims)\n        self.state_size = chunk * dims\n        self.output_shape = (chunk, dims)\n        self.output_size = chunk * dims\n' +
  '    def call(self, inputs, states):\n        """One chunk."""\n        states = [keras.ops.reshape(states[0], (-1, *self.state_shape))]\n        slow = states[0]\n        self.scores.append(slow)\n' +
  '        return keras.ops.reshape(inputs + slow, (-1, self.output_size)), [keras.ops.reshape(slow, (-1, self.state_size))]\n' +
  'class Trainer(keras.Model):\n    def __init__(self, cell, **kwargs):\n        super().__init__(**kwargs)\n        self.rnn = keras.layers.RNN(cell, return_sequences=True, unroll=True)\n' +
  '    def call(self, x):\n        x = self.rnn(x)\n        x = keras.ops.reshape(x, (-1, keras.ops.shape(x)[1], *self.rnn.cell.output_shape))\n        return x\n' +
  'model = Trainer(Cell(4, 16))\n';

const FUNCTIONAL =
  CELL +
  '        self.state_size = tf.TensorShape([chunk, dims + 1])\n        self.output_size = tf.TensorShape([chunk, dims + 1])\n' +
  '    def call(self, inputs, states):\n        h = inputs + states[0]\n        return h * 2.0, [h]\n' +
  'inputs = keras.Input((5, 3, 4))\ncell = Cell(3, 3)\nx = keras.layers.RNN(cell, return_sequences=True)(inputs)\n';

const FUNCTIONAL_FIXED =
  CELL +
  '        self.state_shape = (chunk, dims + 1)\n        self.state_size = chunk * (dims + 1)\n        self.output_shape = (chunk, dims + 1)\n        self.output_size = chunk * (dims + 1)\n' +
  '    def call(self, inputs, states):\n        states = [keras.ops.reshape(states[0], (-1, *self.state_shape))]\n        h = inputs + states[0]\n' +
  '        return keras.ops.reshape(h * 2.0, (-1, self.output_size)), [keras.ops.reshape(h, (-1, self.state_size))]\n' +
  'inputs = keras.Input((5, 3, 4))\ncell = Cell(3, 3)\nx = keras.layers.RNN(cell, return_sequences=True)(inputs)\n' +
  'x = keras.ops.reshape(x, (-1, keras.ops.shape(x)[1], *cell.output_shape))\n';

const STATE_ONLY =
  CELL +
  '        self.state_size = tf.TensorShape([chunk, dims])\n        self.output_size = dims\n' +
  '    def call(self, inputs, states):\n        h = inputs[:, None, :] + states[0]\n        return keras.ops.mean(h, axis=1), (h,)\n' +
  'model = keras.Sequential([keras.Input((5, 4)), keras.layers.RNN(Cell(3, 4))])\n';

const STATE_ONLY_FIXED =
  CELL +
  '        self.state_shape = (chunk, dims)\n        self.state_size = chunk * dims\n        self.output_size = dims\n' +
  '    def call(self, inputs, states):\n        states = [keras.ops.reshape(states[0], (-1, *self.state_shape))]\n        h = inputs[:, None, :] + states[0]\n' +
  '        return keras.ops.mean(h, axis=1), (keras.ops.reshape(h, (-1, self.state_size)),)\n' +
  'model = keras.Sequential([keras.Input((5, 4)), keras.layers.RNN(Cell(3, 4))])\n';

ruleTester('rnn-cell-state-size-shape', {
  valid: [
    { name: 'an integer state size', code: HEAD + '        self.state_size = chunk_size * dims\n' },
    { name: 'a list of integers', code: HEAD + '        self.state_size = [dims, dims]\n' },
    { name: 'a TensorShape that is no state size', code: HEAD + '        self.shape_hint = tf.TensorShape([chunk_size, dims])\n' },
    { name: 'a state_size of another object', code: HEAD + '        other.state_size = tf.TensorShape([dims])\n' }
  ],
  invalid: [
    {
      name: 'keras.io Temporal Latent Bottleneck: the cell keeps its (chunk, dims) state and output flattened, the model reshapes the RNN output back, unroll=True for the values kept on the cell (a suggestion)',
      code: TLB,
      errors: [{ line: 8, column: 27, message: 'flattened' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: TLB_FIXED,
      fixOptions: { unsafe: true }
    },
    { name: 'several dimensions: no safe fix', code: TLB, errors: [{ line: 8, column: 27 }] },
    {
      name: 'functional: x = RNN(cell, return_sequences=True)(x) is reshaped back after the call; no unroll (the cell keeps nothing)',
      code: FUNCTIONAL,
      errors: [{ line: 6, column: 27 }],
      output: FUNCTIONAL_FIXED,
      fixOptions: { unsafe: true }
    },
    {
      name: 'return (output, [state]) in parentheses',
      code: FUNCTIONAL.replace('return h * 2.0, [h]', 'return (h * 2.0, [h])'),
      errors: [{ line: 6, column: 27 }],
      output: FUNCTIONAL_FIXED.replace('return keras.ops.reshape(h * 2.0, (-1, self.output_size)), [keras.ops.reshape(h, (-1, self.state_size))]', 'return (keras.ops.reshape(h * 2.0, (-1, self.output_size)), [keras.ops.reshape(h, (-1, self.state_size))])'),
      fixOptions: { unsafe: true }
    },
    {
      name: 'an integer output_size: only the state is flattened in the cell, the RNN is left as it is',
      code: STATE_ONLY,
      errors: [{ line: 6, column: 27 }],
      output: STATE_ONLY_FIXED,
      fixOptions: { unsafe: true }
    },
    {
      name: 'return_state=True would return the flattened state: no fix',
      code: FUNCTIONAL.replace('return_sequences=True)', 'return_sequences=True, return_state=True)'),
      errors: [{ line: 6, column: 27 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'an initial state given to the RNN would keep its (chunk, dims) shape: no fix',
      code: FUNCTIONAL.replace('(inputs)\n', '(inputs, initial_state=[state])\n'),
      errors: [{ line: 6, column: 27 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the RNN output returned directly (return self.rnn(x)): no fix',
      code: TLB.replace('        x = self.rnn(x)\n        return x\n', '        return self.rnn(x)\n'),
      errors: [{ line: 8, column: 27 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the states returned as a variable (not a list display): no fix',
      code: FUNCTIONAL.replace('return h * 2.0, [h]', 'new_states = [h]\n        return h * 2.0, new_states'),
      errors: [{ line: 6, column: 27 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the cell made by another class: no fix (its RNN is not found)',
      code: FUNCTIONAL.replace('cell = Cell(3, 3)', 'cell = keras.layers.GRUCell(3)'),
      errors: [{ line: 6, column: 27 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'no call() method: flagged, no fix',
      code: HEAD + '        self.state_size = tf.TensorShape([chunk_size, dims])\n        self.output_size = tf.TensorShape([chunk_size, dims])\nrnn = keras.layers.RNN(Cell(4, 16))\n',
      errors: [{ line: 6, column: 27, message: 'flattened' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a one-dimensional shape becomes its size: safe',
      code: HEAD + '        self.state_size = tf.TensorShape([dims])\n',
      errors: [{ line: 6, column: 27, message: 'Write `dims`' }],
      output: HEAD + '        self.state_size = dims\n'
    },
    {
      name: 'inside a list, and returned by a state_size property',
      code: HEAD + '        self.state_size = [tf.TensorShape([dims]), dims]\n    @property\n    def state_size(self):\n        return tf.TensorShape((self.units,))\n',
      errors: [{ line: 6, column: 28 }, { line: 9, column: 16 }],
      output: HEAD + '        self.state_size = [dims, dims]\n    @property\n    def state_size(self):\n        return self.units\n'
    },
    {
      name: 'a TensorShape from a name (not a list display): flagged, no fix',
      code: HEAD + '        shape = [chunk_size, dims]\n        self.state_size = tf.TensorShape(shape)\n',
      errors: [{ line: 7, column: 27, message: 'flattened' }]
    }
  ]
});
