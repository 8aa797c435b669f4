import { ruleTester } from '../rule-tester';

ruleTester('rnn-nested-inputs', {
  valid: [
    { name: 'one sequence', code: 'import keras\nx = keras.Input((None, 3))\ny = keras.layers.RNN(keras.layers.LSTMCell(4))(x)\n' },
    { name: 'initial_state given by keyword', code: 'import keras\nx = keras.Input((None, 3))\nrnn = keras.layers.RNN(keras.layers.LSTMCell(4))\ny = rnn(x, initial_state=[h, c])\n' },
    { name: 'a list given to another layer', code: 'import keras\na = keras.Input((3,))\nb = keras.Input((3,))\ny = keras.layers.Concatenate()([a, b])\n' },
    { name: 'a name bound to something else', code: 'import keras\nrnn = make_rnn()\ny = rnn((a, b))\n' }
  ],
  invalid: [
    {
      // keras.io "Working with RNNs" NestedCell (tf.keras era): Keras 3.15 raised "tuple index out of range" in the cell's build on TensorFlow, JAX and PyTorch (examples/runnable/rnn_guide_states_nested.py).
      name: 'the guide: rnn = keras.layers.RNN(cell); rnn((input_1, input_2))',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ncell = NestedCell(10, 20, 30)\nrnn = keras.layers.RNN(cell)\ninput_1 = keras.Input((None, 32))\ninput_2 = keras.Input((None, 64, 32))\noutputs = rnn((input_1, input_2))\n',
      errors: [{ line: 7, column: 15, message: 'one input sequence' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'made in place, a list of inputs',
      code: 'from tensorflow.keras import layers\ny = layers.RNN(cell)([x1, x2])\n',
      errors: [{ line: 2, column: 22 }]
    }
  ]
});
