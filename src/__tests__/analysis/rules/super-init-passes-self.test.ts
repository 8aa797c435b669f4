import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\nclass MyModel(keras.Model):\n    def __init__(self, units):\n';
const TAIL = '        self.dense = keras.layers.Dense(units)\n';

ruleTester('super-init-passes-self', {
  valid: [
    { name: 'super().__init__() without arguments', code: MODEL + '        super().__init__()\n' + TAIL },
    { name: 'keyword arguments only', code: MODEL + '        super().__init__(name="m", **kwargs)\n' + TAIL },
    { name: 'a functional subclass passing inputs and outputs', code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        inputs = keras.Input((3,))\n        super().__init__(inputs, keras.layers.Dense(1)(inputs))\n' },
    { name: 'a class that is no Keras layer or model', code: 'class Base:\n    def __init__(self, owner=None):\n        self.owner = owner\nclass Thing(Base):\n    def __init__(self):\n        super().__init__(self)\n' },
    { name: 'another object passed first', code: MODEL + '        super().__init__(other)\n' + TAIL }
  ],
  invalid: [
    {
      name: 'the TF text-generation tutorial: super().__init__(self) in a subclassed model',
      code: MODEL + '        super().__init__(self)\n' + TAIL,
      errors: [{ line: 4, column: 26, message: 'takes 1 positional argument but 2 were given' }],
      output: MODEL + '        super().__init__()\n' + TAIL,
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'super(Cls, self) in a layer, with keyword arguments after self',
      code: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super(Block, self).__init__(self, name="block", **kwargs)\n',
      errors: [{ line: 4, column: 37 }],
      output: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super(Block, self).__init__(name="block", **kwargs)\n'
    },
    {
      name: 'a subclass of a notebook model class',
      code: MODEL + '        super().__init__()\n' + TAIL + 'class Custom(MyModel):\n    def __init__(me, units):\n        super().__init__(me, units)\n',
      errors: [{ line: 8, column: 26 }],
      output: MODEL + '        super().__init__()\n' + TAIL + 'class Custom(MyModel):\n    def __init__(me, units):\n        super().__init__(units)\n'
    }
  ]
});
