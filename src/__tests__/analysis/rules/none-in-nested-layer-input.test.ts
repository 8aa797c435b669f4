import { ruleTester } from '../rule-tester';

ruleTester('none-in-nested-layer-input', {
  valid: [
    { code: 'import keras\nblock = keras.layers.Dense(3)\ny = block([x, x])\n' }
  ],
  invalid: [
    {
      code: 'import keras\nblock = keras.layers.Concatenate()\ny = block([x, None])\nz = keras.layers.Add()({"a": x, "b": None})\n',
      errors: [
        { line: 3, column: 15, endColumn: 19 },
        { line: 4, column: 38 }
      ],
      options: { kerasVersion: '3.0' }
    }
  ]
});
