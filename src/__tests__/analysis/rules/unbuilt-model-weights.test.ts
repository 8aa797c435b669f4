import { ruleTester } from '../rule-tester';

const NET = 'import numpy as np\nimport keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(5)\n    def call(self, x):\n        return self.dense(x)\n';

ruleTester('unbuilt-model-weights', {
  valid: [
    { name: 'called on a batch first', code: NET + 'net = Net()\nnet(np.ones((1, 3)))\nnet.load_weights("net.weights.h5")\n' },
    { name: 'trained first', code: NET + 'net = Net()\nnet.compile("adam", "mse")\nnet.fit(np.ones((4, 3)), np.ones((4, 5)))\nnet.save_weights("net.weights.h5")\n' },
    { name: 'built first', code: NET + 'net = Net()\nnet.build((None, 3))\nnet.load_weights("net.weights.h5")\n' },
    { name: 'handed to a function that may call it (TensorFlow basic-training-loops guide)', code: NET + 'def train(m, x):\n    return m(x)\nnet = Net()\ntrain(net, np.ones((1, 3)))\nnet.save_weights("net.weights.h5")\n' },
    { name: 'a Sequential with an Input', code: 'import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nm.load_weights("m.weights.h5")\n' },
    { name: 'a Sequential whose first layer gives input_shape', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\nm.load_weights("m.weights.h5")\n' },
    { name: 'a Sequential of names (not followed)', code: 'import keras\nfirst = keras.layers.InputLayer((3,))\nm = keras.Sequential([first, keras.layers.Dense(2)])\nm.load_weights("m.weights.h5")\n' },
    { name: 'a functional model', code: 'import keras\ni = keras.Input((3,))\nm = keras.Model(i, keras.layers.Dense(2)(i))\nm.load_weights("m.weights.h5")\n' },
    { name: 'made by a function of the notebook (not followed)', code: NET + 'def make():\n    return Net()\nnet = make()\nnet.load_weights("net.weights.h5")\n' },
    { name: 'made in another cell (may be built there)', code: [NET + 'net = Net()\n', 'net.load_weights("net.weights.h5")\n'] },
    { name: 'a class that marks itself built', code: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\n        self.built = True\n    def call(self, x):\n        return self.dense(x)\nnet = Net()\nnet.load_weights("net.weights.h5")\n' },
    { name: 'a subclass that builds a functional graph in __init__', code: 'import keras\nclass Net(keras.Model):\n    def __init__(self, **kwargs):\n        inputs = keras.Input((3,))\n        outputs = keras.layers.Dense(2)(inputs)\n        super().__init__(inputs=inputs, outputs=outputs, **kwargs)\nnet = Net()\nnet.load_weights("net.weights.h5")\n' },
    { name: 'a subclass that builds a functional graph in __init__ (positional)', code: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        inputs = keras.Input((3,))\n        super(Net, self).__init__(inputs, keras.layers.Dense(2)(inputs))\nnet = Net()\nnet.load_weights("net.weights.h5")\n' },
    { name: 'a subclass that calls itself in __init__', code: NET.replace('self.dense = keras.layers.Dense(5)', 'self.dense = keras.layers.Dense(5)\n        self(keras.ops.zeros((1, 3)))') + 'net = Net()\nnet.load_weights("net.weights.h5")\n' },
    { name: 'saved inside a function that makes it elsewhere', code: NET + 'net = Net()\ndef save():\n    net.save_weights("net.weights.h5")\n' },
    { name: 'save_weights of a model without call(): KM214\'s', code: 'import keras\nclass Pair(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n    def train_step(self, data):\n        return {}\npair = Pair()\npair.save_weights("pair.weights.h5")\n' }
  ],
  invalid: [
    {
      // TensorFlow checkpoint guide (og44d r1): `net = Net(); net.save_weights(...)` ran on Keras 2 (TF format);
      // after KM166's rename Keras 3.15 raised "You are saving a model that has not yet been built" on all three.
      name: 'a subclassed model saved right after it is made',
      code: NET + 'net = Net()\nnet.save_weights("net.weights.h5")\n',
      errors: [{ line: 10, column: 1, message: '`net` is not built here (an instance of the `keras.Model` subclass `Net`, not yet called on data, trained or built): Keras 3 raises "You are saving a model that has not yet been built" on every backend. Keras 2 saved its checkpoint without building it. Build it first: call it on a batch (`net(x[:1])`) (a subclass without its own `build()` gets no weights from `build(input_shape)` in Keras 3).' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'weights loaded into a compiled subclassed model before any call (Keras 2 restored them on the first call)',
      code: NET + 'net = Net()\nnet.compile("adam", "mse")\nnet.summary\nnet.load_weights("net.weights.h5")\nnet.predict(np.ones((1, 3)))\n',
      errors: [{ line: 12, column: 1, message: 'Keras 3 raises "You are loading weights into a model that has not yet been built" on every backend. Keras 2 restored a TensorFlow checkpoint into it when it was first called.' }]
    },
    {
      name: 'a Sequential without an input shape, inside a function',
      code: 'import keras\ndef restore(path):\n    m = keras.Sequential([keras.layers.Dense(2)])\n    m.load_weights(path)\n    return m\n',
      errors: [{ line: 4, column: 5, message: '(a `Sequential` given no input shape, not yet called on data, trained or built)' }]
    },
    {
      name: 'an empty Sequential with layers added later',
      code: 'import keras\nm = keras.models.Sequential()\nm.load_weights("m.weights.h5")\n',
      errors: [{ line: 3, column: 1, message: 'or start the `Sequential` with `keras.Input(shape)`' }]
    }
  ]
});
