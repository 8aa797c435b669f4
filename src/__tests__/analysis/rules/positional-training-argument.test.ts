import { ruleTester } from '../rule-tester';

ruleTester('positional-training-argument', {
  valid: [
    { name: 'a sub-model from a function of the cell that does not always build one (a bare return)', code: 'import keras\n\n\ndef get_net(flag):\n    if flag:\n        return\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, inputs)\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = get_net(False)\n\n    def call(self, x, training=None):\n        return self.net(x, training)\n' },
    { name: 'training by keyword', code: 'import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.drop = keras.layers.Dropout(0.1)\n    def call(self, x, training=None):\n        return self.drop(x, training=training)\n' },
    { name: 'a method of the class, not a layer', code: 'import keras\nclass B(keras.layers.Layer):\n    def split(self, x, training):\n        return x\n    def call(self, x, training=None):\n        return self.split(x, training)\n' },
    { name: 'a plain function', code: 'import keras\ndef helper(x, training):\n    return x\nclass B(keras.layers.Layer):\n    def call(self, x, training=None):\n        return helper(x, training)\n' },
    { name: 'a layer made and called with tensors only', code: 'import keras\ninputs = keras.Input((3,))\nx = keras.layers.Add()([inputs, inputs])\ny = keras.layers.Attention()([x, x], None)\n' },
    { name: 'tensors positionally', code: 'import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.att = keras.layers.MultiHeadAttention(2, 4)\n    def call(self, x, mask=None):\n        return self.att(x, x, x, mask)\n' }
  ],
  invalid: [
    {
      name: "keras.io GAN ADA: sub-models made by a model factory of the cell (`get_generator()` returning `keras.Model(...)`) and by keras.models.clone_model of one: the flag goes by keyword",
      code: 'import keras\n\n\ndef get_generator():\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, keras.layers.Dense(3)(inputs), name=\"generator\")\n\n\nclass GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.generator = get_generator()\n        self.ema_generator = keras.models.clone_model(self.generator)\n\n    def generate(self, noise, training):\n        if training:\n            return self.generator(noise, training)\n        return self.ema_generator(noise, training)\n',
      errors: [{ line: 17, column: 42 }, { line: 18, column: 42 }],
      output: 'import keras\n\n\ndef get_generator():\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, keras.layers.Dense(3)(inputs), name=\"generator\")\n\n\nclass GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.generator = get_generator()\n        self.ema_generator = keras.models.clone_model(self.generator)\n\n    def generate(self, noise, training):\n        if training:\n            return self.generator(noise, training=training)\n        return self.ema_generator(noise, training=training)\n'
    },
    {
      name: 'loop over a list comprehension of notebook layers whose call takes (x, training, mask)',
      code: 'import keras\nclass Enc(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.layers_ = [Enc() for _ in range(2)]\n    def call(self, x, training=False):\n        for layer in self.layers_:\n            x = layer(x, training, None)\n        return x\n',
      errors: [{ line: 11, column: 26, endColumn: 34, message: 'Only input tensors may be passed as positional arguments' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Enc(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.layers_ = [Enc() for _ in range(2)]\n    def call(self, x, training=False):\n        for layer in self.layers_:\n            x = layer(x, training=training, mask=None)\n        return x\n'
    },
    {
      name: 'a built-in Dropout held in self, a bool literal, and a subscripted list of layers',
      code: 'from tensorflow import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.drop = keras.layers.Dropout(0.1)\n        self.norms = [keras.layers.BatchNormalization(), keras.layers.BatchNormalization()]\n    def call(self, x, training=None):\n        x = self.drop(x, training)\n        x = self.norms[0](x, True)\n        return x\n',
      errors: [{ line: 8, column: 26 }, { line: 9, column: 30, message: '`True`' }],
      output: 'from tensorflow import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.drop = keras.layers.Dropout(0.1)\n        self.norms = [keras.layers.BatchNormalization(), keras.layers.BatchNormalization()]\n    def call(self, x, training=None):\n        x = self.drop(x, training=training)\n        x = self.norms[0](x, training=True)\n        return x\n'
    },
    {
      name: 'a model called with a bool at notebook level',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\ny = model(keras.ops.ones((1, 3)), False)\n',
      errors: [{ line: 3, column: 35 }],
      output: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\ny = model(keras.ops.ones((1, 3)), training=False)\n'
    },
    {
      name: 'the call signature is unknown (class from another cell): reported, no fix',
      code: ['import keras\nclass Enc(keras.layers.Layer):\n    def call(self, x, is_training=None):\n        return x\n', 'class M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.enc = Enc()\n    def call(self, x, training=False):\n        return self.enc(x, training)\n'],
      errors: [{ cell: 1, line: 6, column: 28 }]
    },
    {
      name: 'a layer constructed and called in one expression (Functional API)',
      code: 'import keras\ninputs = keras.Input((3,))\nx = keras.layers.Dropout(0.5)(inputs, True)\n',
      errors: [{ line: 3, column: 39, message: '`True`' }],
      // ValueError "Only input tensors may be passed as positional arguments ... True" (Keras 3.15, every backend).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\ninputs = keras.Input((3,))\nx = keras.layers.Dropout(0.5)(inputs, training=True)\n'
    }
  ]
});
