import { ruleTester } from '../rule-tester';

const HEAD =
  'import keras\nclass CharModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.gru = keras.layers.GRU(32, return_sequences=True, return_state=True)\n        self.dense = keras.layers.Dense(4)\n    def call(self, x, states=None):\n';

ruleTester('rnn-initial-state-from-inputs', {
  valid: [
    { name: 'a batch size from the shape', code: HEAD + '        states = self.gru.get_initial_state(keras.ops.shape(x)[0])\n' },
    { name: 'a batch_size name', code: HEAD + '        states = self.gru.get_initial_state(batch_size)\n' },
    { name: 'an integer', code: HEAD + '        states = self.gru.get_initial_state(16)\n' },
    { name: 'get_initial_state of a layer that is not recurrent', code: HEAD + '        states = self.dense.get_initial_state(x)\n' },
    { name: 'an unknown receiver', code: 'def f(layer, x):\n    return layer.get_initial_state(x)\n' }
  ],
  invalid: [
    {
      name: 'the TF text-generation tutorial: self.gru.get_initial_state(x) in call()',
      code: HEAD + '        if states is None:\n            states = self.gru.get_initial_state(x)\n        x, states = self.gru(x, initial_state=states)\n        return x\n',
      errors: [{ line: 9, column: 49, message: 'takes the batch size' }],
      output: HEAD + '        if states is None:\n            states = self.gru.get_initial_state(keras.ops.shape(x)[0])\n        x, states = self.gru(x, initial_state=states)\n        return x\n',
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'an LSTM made at notebook level through tf.keras, and a cell with inputs=',
      code: 'import tensorflow as tf\nlstm = tf.keras.layers.LSTM(8)\ncell = tf.keras.layers.GRUCell(8)\ndef start(inputs):\n    return lstm.get_initial_state(inputs), cell.get_initial_state(inputs=inputs)\n',
      errors: [{ line: 5, column: 35 }, { line: 5, column: 74 }],
      output: 'import tensorflow as tf\nimport keras\nlstm = tf.keras.layers.LSTM(8)\ncell = tf.keras.layers.GRUCell(8)\ndef start(inputs):\n    return lstm.get_initial_state(keras.ops.shape(inputs)[0]), cell.get_initial_state(batch_size=keras.ops.shape(inputs)[0])\n'
    }
  ]
});
