import { ruleTester } from '../rule-tester';

ruleTester('reset-states', {
  valid: [
    { name: 'Keras 3 spelling', code: 'import keras\nm = keras.metrics.Mean()\nm.reset_state()\n' },
    { name: 'stateful recurrent layers keep reset_states', code: 'import keras\nlstm = keras.layers.LSTM(4, stateful=True)\nlstm.reset_states()\nmodel.layers[0].reset_states()\nself.rnn.reset_states()\n' },
    { name: 'a layer instance that may be recurrent', code: 'import keras\nenc = keras.layers.GRU(4, stateful=True)\nenc.reset_states()\n' },
    { name: 'reset_states of a non-metric class', code: 'class Tracker:\n    def reset_states(self):\n        pass\n' }
  ],
  invalid: [
    {
      name: 'a Sequential model in a loop: the layers with state reset, as Keras 2 did (safe)',
      code: 'import keras\nstateful = keras.Sequential([keras.layers.LSTM(8, stateful=True)])\nfor epoch in range(2):\n    stateful.fit(x, y)\n    stateful.reset_states()\n',
      errors: [{ line: 5, column: 14 }],
      output:
        'import keras\nstateful = keras.Sequential([keras.layers.LSTM(8, stateful=True)])\nfor epoch in range(2):\n    stateful.fit(x, y)\n    for layer in stateful.layers:\n        if getattr(layer, "stateful", False):\n            layer.reset_states()\n'
    },
    {
      name: 'TF custom-training loop: metrics made in another cell',
      code: [
        'import tensorflow as tf\nwith strategy.scope():\n  test_loss = tf.keras.metrics.Mean(name="test_loss")\n',
        'for epoch in range(3):\n  test_loss.reset_states()\n'
      ],
      errors: [{ line: 2, column: 13, endColumn: 25 }],
      fixOptions: { unsafe: true },
      output: ['import tensorflow as tf\nwith strategy.scope():\n  test_loss = tf.keras.metrics.Mean(name="test_loss")\n', 'for epoch in range(3):\n  test_loss.reset_state()\n']
    },
    {
      name: 'the cell shows a Keras metric: safe',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n    def on_epoch(self):\n        self.loss_tracker.reset_states()\n',
      errors: [{ line: 7, column: 27 }],
      output: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n    def on_epoch(self):\n        self.loss_tracker.reset_state()\n'
    },
    {
      name: 'custom metric overriding reset_states',
      code: 'import keras\nclass F1(keras.metrics.Metric):\n    def result(self):\n        return self.tp\n    def reset_states(self):\n        self.tp.assign(0.0)\n',
      errors: [{ line: 5, column: 9, endColumn: 21, message: 'never this `reset_states()` override' }],
      output: 'import keras\nclass F1(keras.metrics.Metric):\n    def result(self):\n        return self.tp\n    def reset_state(self):\n        self.tp.assign(0.0)\n'
    },
    {
      name: 'the override is also called directly: renaming it alone would break that call (suggestion only)',
      code: 'import keras\nclass F1(keras.metrics.Metric):\n    def reset_states(self):\n        self.tp.assign(0.0)\nf1 = F1()\nf1.reset_states()\n',
      errors: [{ line: 3, column: 9, message: 'rename those calls together' }, { line: 6, column: 4, message: 'It runs while the object is one of this program' }]
    },
    {
      name: 'seq2seq encoder and decoder models',
      code: 'encoder.reset_states()\ndecoder_model.reset_states()\n',
      errors: [{ line: 1, column: 9, message: 'models have no' }, { line: 2, column: 15, message: 'models have no' }]
    },
    {
      name: 'the model of a callback has none either',
      code: 'import keras\nclass Reset(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.model.reset_states()\n',
      errors: [{ line: 4, column: 20, message: 'models have no' }]
    },
    {
      name: 'a model has none',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.LSTM(4, stateful=True)])\nmodel.reset_states()\n',
      errors: [{ line: 3, column: 7, message: 'models have no' }],
      output: 'import keras\nmodel = keras.Sequential([keras.layers.LSTM(4, stateful=True)])\nfor layer in model.layers:\n    if getattr(layer, "stateful", False):\n        layer.reset_states()\n'
    },
    {
      name: 'a loop over model.metrics: safe',
      code: 'for m in model.metrics:\n    m.reset_states()\n',
      errors: [{ line: 2, column: 7 }],
      output: 'for m in model.metrics:\n    m.reset_state()\n'
    }
  ]
});
