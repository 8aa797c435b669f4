import { ruleTester } from '../rule-tester';

ruleTester('layer-weight-property-assignment', {
  valid: [
    { name: 'bias is a plain attribute', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(4)])\nm.layers[0].bias = keras.ops.zeros((4,))\n' },
    { name: 'a custom layer making its kernel', code: 'import keras\nclass Lin(keras.layers.Layer):\n    def build(self, shape):\n        self.kernel = self.add_weight(shape=(shape[-1], 3))\n' },
    { name: 'a Conv2DTranspose kernel is a plain attribute', code: 'import keras\nm = keras.Sequential([keras.layers.Conv2DTranspose(4, 3)])\nm.layers[0].kernel = None\n' },
    { name: 'a layer of unknown type', code: 'import keras\ndef f(model, w):\n    model.layers[0].kernel = w\n' },
    { name: 'a layer list element that is a custom layer', code: 'import keras\nclass Lin(keras.layers.Layer):\n    pass\nm = keras.Sequential([keras.layers.Dense(3), Lin()])\nm.layers[1].kernel = 1\n' },
    { name: 'assign() on the kernel', code: 'import keras\nd = keras.layers.Dense(3)\nd.build((None, 2))\nd.kernel.assign(keras.ops.ones((2, 3)))\n' },
    { name: 'a Dense subclass defining kernel itself', code: 'import keras\nclass D(keras.layers.Dense):\n    @property\n    def kernel(self):\n        return self._k\n\n    @kernel.setter\n    def kernel(self, v):\n        self._k = v\n\n    def build(self, shape):\n        self.kernel = self.add_weight(shape=(shape[-1], self.units))\n' }
  ],
  invalid: [
    {
      // keras.io "Introduction to Keras for Researchers" hypernetwork (tf.keras era): Keras 3.15 raised "property 'kernel' of 'Dense' object has no setter" on TensorFlow, JAX and PyTorch (examples/runnable/researchers_hypernetwork.py).
      name: 'the hypernetwork: layers[i].kernel of a Sequential of Dense layers',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nmain_network = keras.Sequential([keras.layers.Dense(64, activation=tf.nn.relu), keras.layers.Dense(10)])\n\n@tf.function\ndef train_step(x, w0, b0, w1, b1):\n    main_network.layers[0].kernel = w0\n    main_network.layers[0].bias = b0\n    main_network.layers[1].kernel = w1\n    main_network.layers[1].bias = b1\n    return main_network(x)\n',
      errors: [
        { line: 7, column: 5, message: "property 'kernel' of 'Dense' object has no setter" },
        { line: 9, column: 5 }
      ],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a loop over the layers, an Input first, layers[-1]',
      code: 'import keras\nnet = keras.Sequential([keras.Input((3,)), keras.layers.Conv1D(2, 1), keras.layers.Embedding(5, 2)])\nfor layer in net.layers:\n    layer.kernel = None\nnet.layers[-1].embeddings = None\nnet.layers[0].kernel = None\n',
      errors: [
        { line: 4, column: 5 },
        { line: 5, column: 1, message: 'Embedding.embeddings' },
        { line: 6, column: 1, message: 'Conv1D.kernel' }
      ]
    },
    {
      name: 'a name bound to a Dense',
      code: 'from tensorflow.keras.layers import Dense\ndense = Dense(3)\ndense.kernel = None\n',
      errors: [{ line: 3, column: 1 }]
    },
    {
      name: 'a Dense subclass building its own kernel',
      code: 'import keras\nclass TiedDense(keras.layers.Dense):\n    def build(self, input_shape):\n        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units))\n        self.bias = None\n        self.built = True\n',
      errors: [{ line: 4, column: 9, message: 'self._kernel' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass TiedDense(keras.layers.Dense):\n    def build(self, input_shape):\n        self._kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units))\n        self.bias = None\n        self.built = True\n'
    },
    {
      name: 'a Conv2D subclass tying its kernel to a tensor: no fix',
      code: 'import keras\nclass Tied(keras.layers.Conv2D):\n    def build(self, input_shape):\n        self.kernel = keras.ops.transpose(self.source.kernel)\n',
      errors: [{ line: 4, column: 9 }],
      fixOptions: { unsafe: true }
    }
  ]
});
