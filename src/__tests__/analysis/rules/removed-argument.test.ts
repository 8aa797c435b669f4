import { ruleTester } from '../rule-tester';

ruleTester('removed-argument', {
  valid: [
    { code: 'import keras\nr = keras.layers.LSTM(3, return_sequences=True)\n' }
  ],
  invalid: [
    {
      code: 'import keras\nr = keras.layers.LSTM(3, time_major=True)\nmodel.train_on_batch(x, y, reset_metrics=False)\n',
      errors: [{ line: 2, column: 26 }, { line: 3, column: 28 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nr = keras.layers.LSTM(3)\nmodel.train_on_batch(x, y)\n'
    }
  ]
});
