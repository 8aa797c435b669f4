import { ruleTester } from '../rule-tester';

ruleTester('input-integer-shape', {
  valid: [
    { code: 'import keras\nx = keras.Input(shape=(3,))\n' },
    { name: 'a tuple variable in parentheses', code: 'import keras\nshape = (28, 28)\nx = keras.Input(shape=(shape))\n' },
    { name: 'self.attr set from a parameter some construction passes a tuple', code: 'import keras\nclass M(keras.Model):\n    def __init__(self, dim):\n        super().__init__()\n        self.dim = dim\n\n    def make(self):\n        return keras.Input(shape=self.dim)\n\na = M(16)\nb = M((4, 4))\n' },
    { name: 'self.attr assigned twice in the class', code: 'import keras\nclass M(keras.Model):\n    def __init__(self, dim):\n        super().__init__()\n        self.dim = dim\n\n    def grow(self):\n        self.dim = (self.dim, 2)\n        return keras.Input(shape=self.dim)\n\na = M(16)\n' },
    { name: 'self.attr of a class never constructed here', code: 'import keras\nclass M(keras.Model):\n    def __init__(self, dim):\n        super().__init__()\n        self.dim = dim\n\n    def make(self):\n        return keras.Input(shape=self.dim)\n' },
    { name: 'a name a loop rebinds is not a known int', code: 'import keras\nN = 3\nfor N in [(2, 2)]:\n    pass\ninputs = keras.Input(shape=(N))\n' },
    { name: 'a nested helper\'s default read from main(), where main() binds it to a tuple', code: 'import keras\ndef main():\n    DIM = (4, 4)\n    def build(dim=DIM):\n        return keras.Input(shape=dim)\n    build()\nmain()\n' },
    { name: 'a parameter without parentheses: unknown', code: 'import keras\ndef build(n):\n    return keras.Input(shape=n)\n' },
    { name: 'a parameter named like a shape', code: 'import keras\ndef build(input_shape):\n    return keras.Input(shape=(input_shape))\n' },
    { name: 'a parameter with a tuple default', code: 'import keras\ndef build(dims=(3, 4)):\n    return keras.Input(shape=(dims))\n' },
    { name: 'a name of unknown value', code: 'import keras\nfrom config import n\nx = keras.Input(shape=(n))\n' },
    { name: 'a name rebound by a loop', code: 'import keras\nn = 3\nfor n in [(3,), (4,)]:\n    x = keras.Input(shape=n)\n' },
    { name: 'a local shadowing an int module constant', code: 'import keras\nn = 3\ndef build():\n    n = (3, 2)\n    return keras.Input(shape=(n))\n' },
    { name: 'batch_shape is not a Keras 2 habit here', code: 'import keras\nx = keras.Input(batch_shape=(8, 3))\n' },
    { name: 'not Keras', code: 'from mylib import Input\nx = Input(shape=3)\n' },
    { name: 'a parameter with a tuple default, bare', code: 'import keras\ndef build(dims=(3, 4)):\n    return keras.Input(shape=dims)\n' },
    { name: 'a parameter with an int default rebound in the body', code: 'import keras\ndef build(n=3):\n    n = (n, n)\n    return keras.Input(shape=n)\n' },
    { name: 'parentheses around a parameter named like a shape whose default is a name', code: 'import keras\nN = 8\ndef build(latent_shape=N):\n    return keras.Input(shape=(latent_shape))\n' },
    { name: 'parentheses around a parameter named like a shape whose default is a tuple', code: 'import keras\ndef build(input_shape=(8, 8)):\n    return keras.Input(shape=(input_shape))\n' },
    { name: 'an int-defaulted parameter named like a shape', code: 'import keras\ndef build(latent_shape=8):\n    return keras.Input(shape=latent_shape)\n' },
    { name: 'an int-defaulted parameter named like a shape that one call passes a tuple', code: 'import keras\ndef build(latent_shape=8):\n    return keras.Input(shape=latent_shape)\na = build()\nb = build((4, 4))\n' },
    { name: 'a parameter named like a shape without a default, every call an integer', code: 'import keras\ndef build(input_shape):\n    return keras.Input(shape=input_shape)\na = build(4)\n' },
    { name: 'a shape-named parameter also used as Dense units, one call passing a tuple', code: 'import keras\ndef block(in_shape):\n    x = keras.Input(shape=in_shape)\n    return keras.layers.Dense(in_shape)(x)\na = block(4)\nb = block((4, 2))\n' },
    { name: 'a shape-named parameter also used as Dense units, never called here', code: 'import keras\ndef block(in_shape):\n    x = keras.Input(shape=in_shape)\n    return keras.layers.Dense(in_shape)(x)\n' },
    { name: 'a shape-named parameter whose Dense use is in a nested function', code: 'import keras\ndef block(in_shape):\n    def head(in_shape):\n        return keras.layers.Dense(in_shape)\n    return keras.Input(shape=in_shape)\na = block(4)\n' },
    { name: 'a bare parameter one call passes a tuple', code: 'import keras\ndef build(n):\n    return keras.Input(shape=n)\na = build(3)\nb = build((3, 4))\n' },
    { name: 'a bare parameter of a function never called here', code: 'import keras\ndef build(n):\n    return keras.Input(shape=n)\n' },
    { name: 'a float is not a shape in Keras 2 either', code: 'import keras\nx = keras.Input(shape=3.0)\n' }
  ],
  invalid: [
    {
      // keras.io sequential-model guide style (helper probe): Keras 3 raises "Cannot convert '784' to a shape." on every backend.
      name: 'a name assigned a parenthesised integer, in a statement without a Keras word',
      code: 'from tensorflow import keras\nn_features = ((784))\ninp = keras.Input(shape=n_features)\n',
      errors: [{ line: 3, column: 25 }],
      output: 'from tensorflow import keras\nn_features = ((784))\ninp = keras.Input(shape=(n_features,))\n'
    },
    {
      // A flow model's coupling block: the parameter named like a shape is also the width of the last Dense layer, so it is a count.
      name: 'a shape-named parameter without a default that the function also passes as Dense units',
      code: 'from tensorflow import keras\ndef coupling(in_shape):\n    inp = keras.layers.Input(shape=in_shape)\n    out = keras.layers.Dense(units=in_shape)(inp)\n    return keras.Model(inp, out)\nblocks = [coupling(3) for _ in range(2)]\n',
      errors: [{ line: 3, column: 36, message: 'is a parameter whose default, or every call' }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\ndef coupling(in_shape):\n    inp = keras.layers.Input(shape=(in_shape,))\n    out = keras.layers.Dense(units=in_shape)(inp)\n    return keras.Model(inp, out)\nblocks = [coupling(3) for _ in range(2)]\n'
    },
    {
      // keras.io StyleGAN's mapping network with the parentheses of `(input_shape)` gone (as ast.unparse writes it).
      name: 'a bare parameter named like a shape, its default an integer literal that every call leaves: a suggestion',
      code: 'from tensorflow.keras.layers import Input\ndef Mapping(num_layers=2, input_shape=16):\n    z = Input(shape=input_shape)\n    return z\nm = Mapping()\nn = Mapping(3, input_shape=8)\n',
      errors: [{ line: 3, column: 21, message: 'is a parameter whose default' }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow.keras.layers import Input\ndef Mapping(num_layers=2, input_shape=16):\n    z = Input(shape=(input_shape,))\n    return z\nm = Mapping()\nn = Mapping(3, input_shape=8)\n'
    },
    {
      // keras.io StyleGAN's mapping network: `def Mapping(num_stages, input_shape=512)` read as `layers.Input(shape=(input_shape))`; Keras 3 raised "Cannot convert '512' to a shape." on every backend.
      name: 'parentheses around a parameter named like a shape whose default is an integer literal: a suggestion',
      code: 'from tensorflow.keras import layers\ndef Mapping(num_stages, input_shape=512):\n    z = layers.Input(shape=(input_shape))\n    return z\nm = Mapping(num_stages=3)\n',
      errors: [{ line: 3, column: 28, message: 'is a parameter whose default' }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow.keras import layers\ndef Mapping(num_stages, input_shape=512):\n    z = layers.Input(shape=(input_shape,))\n    return z\nm = Mapping(num_stages=3)\n'
    },
    {
      name: 'a product of two function parameters without parentheses (a suggestion)',
      code: 'import keras\ndef make(rows, cols):\n    return keras.Input(shape=rows * cols)\n',
      errors: [{ line: 3, column: 30, message: 'arithmetic of counts' }],
      fixOptions: { unsafe: true },
      output: 'import keras\ndef make(rows, cols):\n    return keras.Input(shape=(rows * cols,))\n'
    },
    {
      name: 'a bare parameter every call passes an integer (keras.io MPNN, parentheses dropped): a suggestion',
      code: 'import numpy as np\nfrom tensorflow.keras import layers\nx = np.zeros((4, 8))\ndef MPNNModel(atom_dim, units=4):\n    atoms = layers.Input(atom_dim, dtype="float32")\n    return atoms\nmodel = MPNNModel(atom_dim=x.shape[-1])\nother = MPNNModel(3, units=2)\n',
      errors: [{ line: 5, column: 26, message: 'every call' }],
      fixOptions: { unsafe: true },
      output: 'import numpy as np\nfrom tensorflow.keras import layers\nx = np.zeros((4, 8))\ndef MPNNModel(atom_dim, units=4):\n    atoms = layers.Input((atom_dim,), dtype="float32")\n    return atoms\nmodel = MPNNModel(atom_dim=x.shape[-1])\nother = MPNNModel(3, units=2)\n'
    },
    {
      name: 'a bare parameter whose default is an int module constant (GauGAN generator): a suggestion',
      code: 'import tensorflow as tf\nLATENT_DIM = 16\ndef build_generator(mask_shape, latent_dim=LATENT_DIM):\n    latent = tf.keras.Input(shape=latent_dim)\n    return latent\n',
      errors: [{ line: 4, column: 35, message: 'is a parameter whose default' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nLATENT_DIM = 16\ndef build_generator(mask_shape, latent_dim=LATENT_DIM):\n    latent = tf.keras.Input(shape=(latent_dim,))\n    return latent\n'
    },
    {
      // GauGAN with its script code in `def main():` (bench:variants' main style); the loop reads the constant.
      name: 'a bare parameter of a helper nested in main() whose default is main()\'s int constant, read by a later loop: a suggestion',
      code: 'import tensorflow as tf\ndef main():\n    LATENT_DIM = 16\n    def build_generator(mask_shape, latent_dim=LATENT_DIM):\n        latent = tf.keras.Input(shape=latent_dim)\n        return latent\n    for _ in range(2):\n        z = tf.random.normal((4, LATENT_DIM))\nmain()\n',
      errors: [{ line: 5, column: 39, message: 'is a parameter whose default' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\ndef main():\n    LATENT_DIM = 16\n    def build_generator(mask_shape, latent_dim=LATENT_DIM):\n        latent = tf.keras.Input(shape=(latent_dim,))\n        return latent\n    for _ in range(2):\n        z = tf.random.normal((4, LATENT_DIM))\nmain()\n'
    },
    {
      name: 'an int module constant that a loop reads (not rebinds)',
      code: 'import keras\nN = 3\nfor epoch in range(N):\n    print(epoch, N)\ninputs = keras.Input(shape=(N))\n',
      errors: [{ line: 5, column: 28 }],
      output: 'import keras\nN = 3\nfor epoch in range(N):\n    print(epoch, N)\ninputs = keras.Input(shape=(N,))\n'
    },
    {
      // keras.io GauGAN once `(self.latent_dim)` lost its parentheses: "Cannot convert '16' to a shape." on every backend; fixed, it ran on JAX and PyTorch.
      name: 'self.attr that __init__ sets from a parameter every construction passes an int: a suggestion',
      code: 'import keras\nclass GauGAN(keras.Model):\n    def __init__(self, image_size, latent_dim, **kwargs):\n        super().__init__(**kwargs)\n        self.latent_dim = latent_dim\n\n    def build_combined(self):\n        return keras.Input(shape=self.latent_dim, name="latent")\n\nLATENT_DIM = 16\ngaugan = GauGAN(64, LATENT_DIM)\n',
      errors: [{ line: 8, column: 34, message: 'every call' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass GauGAN(keras.Model):\n    def __init__(self, image_size, latent_dim, **kwargs):\n        super().__init__(**kwargs)\n        self.latent_dim = latent_dim\n\n    def build_combined(self):\n        return keras.Input(shape=(self.latent_dim,), name="latent")\n\nLATENT_DIM = 16\ngaugan = GauGAN(64, LATENT_DIM)\n'
    },
    {
      name: 'a parenthesised parameter (keras.io MPNN): a suggestion',
      code: 'from tensorflow.keras import layers\ndef MPNNModel(atom_dim, bond_dim):\n    atoms = layers.Input((atom_dim), dtype="float32")\n    bonds = layers.Input(shape=(bond_dim * 2))\n    return atoms, bonds\n',
      errors: [{ line: 3, column: 26, message: 'not a tuple' }, { line: 4, column: 32 }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow.keras import layers\ndef MPNNModel(atom_dim, bond_dim):\n    atoms = layers.Input((atom_dim,), dtype="float32")\n    bonds = layers.Input(shape=(bond_dim * 2,))\n    return atoms, bonds\n'
    },
    {
      name: 'module constant in parentheses, read inside a function (keras.io DDPG)',
      code: 'from tensorflow.keras import layers\nnum_states = 3\n\ndef get_critic():\n    state_input = layers.Input(shape=(num_states))\n    return state_input\n',
      errors: [{ line: 5, column: 38, message: 'to a shape' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow.keras import layers\nnum_states = 3\n\ndef get_critic():\n    state_input = layers.Input(shape=(num_states,))\n    return state_input\n'
    },
    {
      name: 'integer literal, positional',
      code: 'import tensorflow as tf\nx = tf.keras.Input(10)\n',
      errors: [{ line: 2, column: 20 }],
      output: 'import tensorflow as tf\nx = tf.keras.Input((10,))\n'
    },
    {
      name: 'array shape and arithmetic',
      code: 'import numpy as np\nfrom tensorflow import keras\nx_train = np.zeros((4, 7))\ninputs = keras.Input(shape=x_train.shape[-1] * 2)\n',
      errors: [{ line: 4, column: 28 }],
      output: 'import numpy as np\nfrom tensorflow import keras\nx_train = np.zeros((4, 7))\ninputs = keras.Input(shape=(x_train.shape[-1] * 2,))\n'
    },
    {
      name: 'InputLayer(input_shape=) with len()',
      code: 'from tensorflow import keras\nchars = "abc"\nlayer = keras.layers.InputLayer(input_shape=len(chars))\n',
      errors: [{ line: 3, column: 45 }],
      output: 'from tensorflow import keras\nchars = "abc"\nlayer = keras.layers.InputLayer(input_shape=(len(chars),))\n'
    },
    {
      name: 'local int in a function',
      code: 'import keras\ndef build():\n    units = 4 // 2\n    return keras.layers.Input(shape=units, name="x")\n',
      errors: [{ line: 4, column: 37 }],
      output: 'import keras\ndef build():\n    units = 4 // 2\n    return keras.layers.Input(shape=(units,), name="x")\n'
    }
  ]
});
