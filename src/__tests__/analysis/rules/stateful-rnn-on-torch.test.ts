import { ruleTester } from '../rule-tester';

ruleTester('stateful-rnn-on-torch', {
  valid: [
    { name: 'not stateful', code: 'import keras\nlayer = keras.layers.LSTM(8, stateful=False, return_sequences=True)\n' },
    { name: 'a stateful SimpleRNN trains on PyTorch', code: 'import keras\nlayer = keras.layers.SimpleRNN(8, stateful=True)\n' },
    { name: 'not a recurrent layer', code: 'import keras\nlayer = keras.layers.Dense(8)\n' },
    {
      // keras.io "Working with RNNs" (tf.keras era): the stateful LSTMs are only called on NumPy data, their states read and reset; the program (which fits other models) ran on PyTorch with Keras 3.15 (examples/runnable/converted/rnn_guide_states_nested.py).
      name: 'the guide: stateful layers only called directly on data, states read and reset, the name rebound',
      code: 'import keras\nfrom keras import layers\nmodel.fit(x, y)\nlstm_layer = layers.LSTM(64, stateful=True)\noutput = lstm_layer(paragraph1)\noutput = lstm_layer(paragraph2)\nlstm_layer.reset_states()\nlstm_layer = layers.LSTM(64, stateful=True)\noutput = lstm_layer(paragraph1)\nexisting_state = lstm_layer.states\n'
    }
  ],
  invalid: [
    {
      // og47b repro_2 (Géron's char-RNN): with recurrent_dropout=0.2 or use_cudnn=False the stateful GRU trained on
      // PyTorch; without, "modified by an inplace operation". The suggested use_cudnn=False trained (/tmp/ck47 st.py).
      name: 'the fused step only: use_cudnn=False suggested; recurrent dropout or use_cudnn=False already: no finding',
      code: 'import keras\na = keras.layers.GRU(8, stateful=True)\nb = keras.layers.GRU(8, stateful=True, recurrent_dropout=0.2)\nc = keras.layers.LSTM(8, stateful=True, use_cudnn=False)\nmodel.fit(x, y)\n',
      errors: [{ line: 2, column: 34 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: 'import keras\na = keras.layers.GRU(8, stateful=True, use_cudnn=False)\nb = keras.layers.GRU(8, stateful=True, recurrent_dropout=0.2)\nc = keras.layers.LSTM(8, stateful=True, use_cudnn=False)\nmodel.fit(x, y)\n'
    },
    {
      name: 'called on data and also put in a trained model',
      code: 'import keras\nfrom keras import layers\nlstm_layer = layers.LSTM(8, stateful=True)\nout = lstm_layer(data)\nmodel = keras.Sequential([lstm_layer])\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 38 }],
      blocks: ['torch']
    },
    {
      name: 'called in a step function',
      code: 'import keras\nfrom keras import layers\nlstm_layer = layers.LSTM(8, stateful=True)\ndef step(x):\n    return lstm_layer(x)\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 38 }],
      blocks: ['torch']
    },
    {
      name: 'a stateful LSTM (tf.keras spelling), trained in a later cell',
      code: ['import tensorflow as tf\nlstm = tf.keras.layers.LSTM(8, stateful=True, batch_input_shape=(4, 10, 1))\n', 'model.fit(x, y, batch_size=4)\n'],
      errors: [{ cell: 0, line: 2, column: 41 }],
      blocks: ['torch']
    },
    {
      name: 'a stateful LSTM only predicted with: runs on PyTorch, blocks nothing',
      code: 'import keras\nlstm = keras.layers.LSTM(2, stateful=True)\nmodel = keras.Sequential([keras.Input((4, 3), batch_size=2), lstm])\nmodel.predict(x)\nlstm.reset_states()\n',
      errors: [{ line: 2, column: 38 }],
      blocks: []
    },
    {
      name: 'a stateful GRU from keras.layers',
      code: 'from keras import layers\ngru = layers.GRU(4, stateful=True)\n',
      errors: [{ line: 2, column: 30 }]
    }
  ]
});
