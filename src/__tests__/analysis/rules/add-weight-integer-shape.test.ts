import { ruleTester } from '../rule-tester';

ruleTester('add-weight-integer-shape', {
  valid: [
    { code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.b = self.add_weight(shape=(4,), initializer="zeros")\n' },
    {
      name: 'a shape attribute in parentheses',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.kernel_shape = (input_shape[-1], 4)\n        self.w = self.add_weight(shape=(self.kernel_shape))\n'
    },
    {
      name: 'an attribute assigned a tuple',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def __init__(self, dims):\n        super().__init__()\n        self.dims = (dims, 2)\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(self.dims))\n'
    },
    { name: 'an unparenthesised attribute: unknown', code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=self.units)\n' },
    {
      name: 'a sum without parentheses may join two shape tuples',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def make(self, batch_dims, feature_dims):\n        self.w = self.add_weight(shape=batch_dims + feature_dims)\n'
    },
    {
      name: 'a product with a literal may repeat a tuple',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def make(self, dims):\n        self.w = self.add_weight(shape=dims * 2)\n'
    },
    { name: 'not a Keras class', code: 'class Store:\n    def build(self):\n        self.w = self.add_weight(shape=(4))\n' },
    { name: 'Keras 3 positional shape', code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight((input_shape[-1], 4))\n' }
  ],
  invalid: [
    {
      name: 'a bare parameter whose default is an integer: a suggestion',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def make_bias(self, units=8):\n        self.b = self.add_weight(shape=units, initializer="zeros")\n',
      errors: [{ line: 4, column: 40, message: 'is a parameter whose default' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass L(keras.layers.Layer):\n    def make_bias(self, units=8):\n        self.b = self.add_weight(shape=(units,), initializer="zeros")\n'
    },
    {
      name: 'keras.io MPNN EdgeNetwork: product of attributes read from input_shape (a suggestion)',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import layers\nclass EdgeNetwork(layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[0][-1]\n        self.bias = self.add_weight(\n            shape=(self.atom_dim * self.atom_dim), initializer="zeros", name="bias",\n        )\n',
      errors: [{ line: 7, column: 19, message: 'not a tuple' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nfrom tensorflow.keras import layers\nclass EdgeNetwork(layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[0][-1]\n        self.bias = self.add_weight(\n            shape=(self.atom_dim * self.atom_dim,), initializer="zeros", name="bias",\n        )\n'
    },
    {
      name: 'the MPNN product once a formatter dropped the parentheses (a suggestion)',
      code: 'import keras\nclass EdgeNetwork(keras.layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[0][-1]\n        self.bias = self.add_weight(shape=self.atom_dim * self.atom_dim, initializer="zeros")\n',
      errors: [{ line: 5, column: 43, message: 'arithmetic of counts' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass EdgeNetwork(keras.layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[0][-1]\n        self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim,), initializer="zeros")\n'
    },
    {
      name: 'the suggestion is not a safe fix',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.units = units\n    def build(self, input_shape):\n        self.b = self.add_weight(shape=(self.units))\n',
      errors: [{ line: 7, column: 40 }]
    },
    {
      name: 'a module constant (safe)',
      code: 'import keras\nUNITS = 8\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.b = self.add_weight(shape=(UNITS), initializer="zeros")\n',
      errors: [{ line: 5, column: 40, message: 'is an integer' }],
      output: 'import keras\nUNITS = 8\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.b = self.add_weight(shape=(UNITS,), initializer="zeros")\n'
    },
    {
      name: 'Keras 2 positional name then an integer shape',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.b = self.add_weight("bias", 4)\n',
      errors: [{ line: 4, column: 42 }],
      output: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.b = self.add_weight("bias", (4,))\n'
    }
  ]
});
