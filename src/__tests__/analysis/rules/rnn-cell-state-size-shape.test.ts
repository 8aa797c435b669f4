import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, chunk_size, dims, **kwargs):\n        super().__init__(**kwargs)\n';

ruleTester('rnn-cell-state-size-shape', {
  valid: [
    { name: 'an integer state size', code: HEAD + '        self.state_size = chunk_size * dims\n' },
    { name: 'a list of integers', code: HEAD + '        self.state_size = [dims, dims]\n' },
    { name: 'a TensorShape that is no state size', code: HEAD + '        self.shape_hint = tf.TensorShape([chunk_size, dims])\n' },
    { name: 'a state_size of another object', code: HEAD + '        other.state_size = tf.TensorShape([dims])\n' }
  ],
  invalid: [
    {
      name: 'keras.io Temporal Latent Bottleneck: a (chunk_size, dims) state: flagged, no fix',
      code: HEAD + '        self.state_size = tf.TensorShape([chunk_size, dims])\n        self.output_size = tf.TensorShape([chunk_size, dims])\nrnn = keras.layers.RNN(Cell(4, 16))\n',
      errors: [{ line: 6, column: 27, message: 'flattened' }],
      blocks: ['tensorflow', 'jax', 'torch']
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
