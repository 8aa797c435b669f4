import { ruleTester } from '../rule-tester';

ruleTester('deeply-nested-model-inputs', {
  valid: [
    { code: 'import keras\nm = keras.Model({"a": a, "b": b}, out)\nm2 = keras.Model([a, b], [o1, o2])\n' },
    { name: 'Keras 3.4 accepts nesting', code: 'import keras\nm = keras.Model({"a": {"x": a}}, out)\n', options: { kerasVersion: '3.4' } }
  ],
  invalid: [
    {
      name: 'nested structure held in a variable',
      code: ['import keras\na = keras.Input((1,))\nb = keras.Input((2,))\nnested = {"a": {"x": a, "y": b}}\n', 'm = keras.Model(nested, a)\n'],
      errors: [{ line: 1, column: 17, endColumn: 23 }],
      options: { kerasVersion: '3.3' }
    },
    {
      code: 'import keras\nm = keras.Model(inputs={"a": {"x": a, "y": b}}, outputs=out)\n',
      errors: [{ line: 2, column: 24, endColumn: 47 }],
      options: { kerasVersion: '3.3' }
    }
  ]
});
