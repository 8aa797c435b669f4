import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('state-created-in-call', {
  valid: [
    {
      name: 'sublayers made in __init__ without build(): Keras 3 builds them on every backend',
      code: HEAD + 'class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n        self.ds = [keras.layers.Dense(3) for _ in range(2)]\n    def call(self, x):\n        for d in self.ds:\n            x = d(x)\n        return self.d(x)\n'
    },
    {
      name: 'weights made in build()',
      code: HEAD + 'class Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1],))\n    def call(self, x):\n        return x * self.w\n'
    },
    {
      name: 'a layer called (not stored) in call(), and functions defined in call()',
      code: HEAD + 'class M(keras.Model):\n    def call(self, x):\n        def make():\n            self.extra = keras.layers.Dense(2)\n        return keras.layers.Activation("relu")(x)\n'
    },
    { name: 'not a Keras class', code: HEAD + 'class Plain:\n    def call(self, x):\n        self.d = keras.layers.Dense(3)\n        return self.d(x)\n' }
  ],
  invalid: [
    {
      name: 'a sublayer and a weight created lazily in call()',
      code:
        HEAD +
        'class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = None\n    def call(self, x):\n        if self.d is None:\n            self.d = keras.layers.Dense(3)\n            self.w = self.add_weight(shape=(3,), initializer="ones")\n        return self.d(x) * self.w\n',
      errors: [
        { line: 9, column: 22, message: 'the sublayer `Dense`' },
        { line: 10, column: 22, message: '`self.add_weight`' }
      ],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a Model that makes its head on the first call',
      code: HEAD + 'class M(keras.Model):\n    def call(self, x):\n        if not hasattr(self, "head"):\n            self.head = keras.layers.Dense(1)\n        return self.head(x)\n',
      errors: [{ line: 6, column: 25, message: 'the sublayer `Dense`' }]
    }
  ]
});
