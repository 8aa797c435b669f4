import { ruleTester } from '../rule-tester';

ruleTester('per-output-evaluate-losses', {
  valid: [
    { code: 'loss, acc = model.evaluate(x, y)\nresults = model.evaluate(x, y, return_dict=True)\n' },
    { name: 'single-output model', code: 'import keras\ni = keras.Input((2,))\nm = keras.Model(i, keras.layers.Dense(1)(i))\na, b, c = m.evaluate(x, y)\n', options: { kerasVersion: '3.0' } }
  ],
  invalid: [
    {
      name: 'known multi-output model, names not about losses',
      code: ['import keras\ni = keras.Input((2,))\nm = keras.Model(i, outputs=[keras.layers.Dense(1)(i), keras.layers.Dense(1)(i)])\n', 'total, first, second = m.evaluate(x, [y1, y2])\n'],
      errors: [{ line: 1, column: 1, endColumn: 21, message: 'total, first, second' }],
      options: { kerasVersion: '3.0' }
    },
    {
      code: 'loss, a_loss, b_loss = model.evaluate(x, [ya, yb])\n',
      errors: [{ line: 1, column: 1, endColumn: 21 }],
      options: { kerasVersion: '3.4' }
    }
  ]
});
