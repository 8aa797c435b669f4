import { ruleTester } from '../rule-tester';

ruleTester('tensor-get-shape', {
  valid: [
    { name: 'a tf.Tensor in TensorFlow code', code: 'import tensorflow as tf\nt = tf.constant([1, 2])\nn = t.get_shape()[0]\n' },
    { name: 'a name later rebound to a TF tensor', code: 'import keras\nimport tensorflow as tf\nk = model.layers[0].kernel\nk = tf.constant([1])\nn = k.get_shape()\n' },
    { name: 'already .shape', code: 'import keras\nx = keras.Input(shape=(3,))\nn = x.shape[-1]\n' },
    { name: 'a get_shape that takes arguments is not the tensor method', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return self.grid.get_shape(x)\n' },
    { name: 'TensorShape reads on a tf.Tensor in TensorFlow code', code: 'import tensorflow as tf\nt = tf.constant([[1, 2]])\nr = t.shape.rank\nd = t.shape.ndims\nl = t.shape.as_list()\n' },
    { name: 'as_list with arguments, and a rank read on something other than .shape', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x.shape.as_list(0), self.spec.rank, x.dims.ndims\n' }
  ],
  invalid: [
    {
      // keras.io's Swin Transformer DropPath (tf.keras era): `x.shape.rank` raised AttributeError on JAX and PyTorch (the shape is a tuple / torch.Size); len(x.shape) ran on TensorFlow, JAX and PyTorch (Keras 3.15).
      name: 'TensorShape reads (.rank, .ndims, .as_list()) on a tensor in call(): a suggestion of len()/list()',
      code: 'import keras\nclass DropPath(keras.layers.Layer):\n    def call(self, x):\n        rank = x.shape.rank\n        n = x.shape.ndims\n        dims = x.shape.as_list()\n        return x, rank, n, dims\n',
      errors: [
        { line: 4, column: 16, message: '`x.shape.rank` is a TensorShape read' },
        { line: 5, column: 13, message: 'JAX/PyTorch' },
        { line: 6, column: 16, message: '`x.shape.as_list()`' }
      ],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass DropPath(keras.layers.Layer):\n    def call(self, x):\n        rank = len(x.shape)\n        n = len(x.shape)\n        dims = list(x.shape)\n        return x, rank, n, dims\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'TensorShape reads on a KerasTensor and a layer variable: AttributeError on every backend, safe',
      code: 'import keras\ninputs = keras.Input(shape=(3,))\nd = keras.layers.Dense(2)\nd.build((None, 3))\ndims = inputs.shape.as_list()\nrank = d.kernel.shape.rank\n',
      errors: [{ line: 5, column: 8, message: 'every backend' }, { line: 6, column: 8 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\ninputs = keras.Input(shape=(3,))\nd = keras.layers.Dense(2)\nd.build((None, 3))\ndims = list(inputs.shape)\nrank = len(d.kernel.shape)\n'
    },
    {
      // examples/runnable/pixelcnn_masked_conv.py (keras.io PixelCNN) fails so on TensorFlow as written.
      name: 'the kernel of a sub-layer the class makes in __init__: AttributeError on every backend, safe',
      code: 'from tensorflow.keras import layers\nclass PixelConv(layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__()\n        self.conv = layers.Conv2D(**kwargs)\n    def build(self, input_shape):\n        self.conv.build(input_shape)\n        kernel_shape = self.conv.kernel.get_shape()\n',
      errors: [{ line: 8, column: 24, message: 'AttributeError on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow.keras import layers\nclass PixelConv(layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__()\n        self.conv = layers.Conv2D(**kwargs)\n    def build(self, input_shape):\n        self.conv.build(input_shape)\n        kernel_shape = self.conv.kernel.shape\n'
    },
    {
      name: 'a variable read from a layer of the model, through a name',
      code: 'import keras\nmodel = build()\nkernel = model.layers[0].kernel\nprint(kernel.get_shape())\n',
      errors: [{ line: 4, column: 7 }],
      output: 'import keras\nmodel = build()\nkernel = model.layers[0].kernel\nprint(kernel.shape)\n'
    },
    {
      name: 'KerasTensor and layer variable: safe',
      code: 'import keras\ninputs = keras.Input(shape=(3,))\nd = keras.layers.Dense(2)\nd.build((None, 3))\nunits = inputs.get_shape()[-1]\nrows = d.kernel.get_shape()[0]\n',
      errors: [{ line: 5, column: 9, message: 'every backend' }, { line: 6, column: 8 }],
      // AttributeError on TensorFlow too ('Variable' object has no attribute 'get_shape': checked by running).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\ninputs = keras.Input(shape=(3,))\nd = keras.layers.Dense(2)\nd.build((None, 3))\nunits = inputs.shape[-1]\nrows = d.kernel.shape[0]\n'
    },
    {
      name: 'a tensor in call(): a suggestion (still a TF tensor on the TensorFlow backend)',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        n = x.get_shape()[-1]\n        return x * n\n',
      errors: [{ line: 4, column: 13, message: 'JAX/PyTorch' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        n = x.shape[-1]\n        return x * n\n',
      fixOptions: { unsafe: true }
    },
    {
      // claims/variable_get_shape_in_build.py: AttributeError on TensorFlow, JAX and PyTorch; `.shape` runs on all three.
      name: 'a weight the class makes with add_weight, read in build(): every backend, safe',
      code: 'import keras\nclass W(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n        n = self.w.get_shape()\n    def call(self, x):\n        return x @ self.w\n',
      errors: [{ line: 5, column: 13, message: 'every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass W(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n        n = self.w.shape\n    def call(self, x):\n        return x @ self.w\n'
    },
    {
      name: 'a self attribute also assigned something else: a suggestion as before',
      code: 'import keras\nclass W(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n    def call(self, x):\n        self.w = x\n        return self.w.get_shape()\n',
      errors: [{ line: 7, column: 16, message: 'JAX/PyTorch' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass W(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1], 2))\n    def call(self, x):\n        self.w = x\n        return self.w.shape\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'get_shape().as_list() becomes list(x.shape): Keras 3 shapes are tuples without as_list',
      code: 'import keras\nclass PatchMerging(keras.layers.Layer):\n    def call(self, x):\n        _, _, c = x.get_shape().as_list()\n        return x * c\n',
      errors: [{ line: 4, column: 19 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass PatchMerging(keras.layers.Layer):\n    def call(self, x):\n        _, _, c = list(x.shape)\n        return x * c\n',
      fixOptions: { unsafe: true }
    }
  ]
});
