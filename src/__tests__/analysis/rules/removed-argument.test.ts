import { ruleTester } from '../rule-tester';

ruleTester('removed-argument', {
  valid: [
    { code: 'import keras\nr = keras.layers.LSTM(3, return_sequences=True)\n' },
    {
      name: 'a layer class of the notebook that takes dynamic= itself',
      code: 'import keras\nclass Gate(keras.layers.Layer):\n    def __init__(self, dynamic=False, **kwargs):\n        super().__init__(**kwargs)\n        self.dynamic_gate = dynamic\ng = Gate(dynamic=True)\n'
    }
  ],
  invalid: [
    {
      // og47a repro_6 (Géron's handson-ml2 ch. 12): MyModel(dynamic=True) with **kwargs handed to keras.Model failed on
      // all three ("Unrecognized keyword arguments"); without it the model trained on all three.
      name: 'dynamic= given to a model class of the notebook that hands its kwargs on to Keras',
      code: 'import keras\nclass MyModel(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.out = keras.layers.Dense(1)\n    def call(self, x):\n        return self.out(x)\nmodel = MyModel(dynamic=True)\n',
      errors: [{ line: 8, column: 17, message: 'run_eagerly' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass MyModel(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.out = keras.layers.Dense(1)\n    def call(self, x):\n        return self.out(x)\nmodel = MyModel()\n'
    },
    {
      // og47b ch16b (Géron's MultiHeadAttention): the Attention kept in self.attention; Keras 3 "Unrecognized keyword
      // arguments passed to Attention: {'causal': False}". A parameter of __init__ is not readable in call(): no fix there.
      name: 'Attention(causal=self.causal) kept in self: use_causal_mask= at each call of it in the class (safe)',
      code: 'import keras\nclass MHA(keras.layers.Layer):\n    def __init__(self, causal=False, **kwargs):\n        super().__init__(**kwargs)\n        self.causal = causal\n        self.attention = keras.layers.Attention(causal=self.causal, use_scale=True)\n        self.other = keras.layers.Attention(causal=causal)\n    def call(self, inputs):\n        q, v = inputs\n        return self.attention([q, v]) + self.other([q, v])\n',
      errors: [{ line: 6, column: 49 }, { line: 7, column: 45 }],
      output: 'import keras\nclass MHA(keras.layers.Layer):\n    def __init__(self, causal=False, **kwargs):\n        super().__init__(**kwargs)\n        self.causal = causal\n        self.attention = keras.layers.Attention(use_scale=True)\n        self.other = keras.layers.Attention(causal=causal)\n    def call(self, inputs):\n        q, v = inputs\n        return self.attention([q, v], use_causal_mask=self.causal) + self.other([q, v])\n'
    },
    {
      // og47b repro_5 (Géron's handson-ml2 ch. 16): Attention(causal=True) failed on all three; use_causal_mask=True at the call ran.
      name: 'Attention(causal=True) called in place: use_causal_mask=True at the call (safe); stored: no fix',
      code: 'import keras\nq = keras.Input((4, 8))\nz = keras.layers.Attention(causal=True)([q, q])\natt = keras.layers.Attention(causal=True)\n',
      errors: [{ line: 3, column: 28, message: 'use_causal_mask=True' }, { line: 4, column: 30 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nq = keras.Input((4, 8))\nz = keras.layers.Attention()([q, q], use_causal_mask=True)\natt = keras.layers.Attention(causal=True)\n'
    },
    {
      code: 'import keras\nr = keras.layers.LSTM(3, time_major=True)\nmodel.train_on_batch(x, y, reset_metrics=False)\n',
      errors: [{ line: 2, column: 26 }, { line: 3, column: 28 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nr = keras.layers.LSTM(3)\nmodel.train_on_batch(x, y)\n'
    }
  ]
});
