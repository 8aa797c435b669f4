import { ruleTester } from '../rule-tester';

ruleTester('call-training-without-default', {
  valid: [
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\n' },
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training: bool = False):\n        return x\n' },
    { name: 'not a Keras class', code: 'import keras\nclass B:\n    def call(self, x, training):\n        return x\n' },
    { name: 'another method', code: 'import keras\nclass B(keras.layers.Layer):\n    def step(self, x, training):\n        return x\n' },
    { name: 'a nested function named call', code: 'import keras\nclass B(keras.layers.Layer):\n    def build(self, shape):\n        def call(x, training):\n            return x\n' }
  ],
  invalid: [
    {
      name: 'tf.keras layer, training last, never instantiated',
      code: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def call(self, inputs, training):\n        return inputs\n',
      errors: [{ line: 3, column: 28 }],
      // never called: nothing fails
      blocks: [],
      output: 'import tensorflow as tf\nclass Block(tf.keras.layers.Layer):\n    def call(self, inputs, training=None):\n        return inputs\n'
    },
    {
      name: 'a model, typed, before a defaulted parameter',
      code: 'import keras\nclass M(keras.Model):\n    def call(self, x, training: bool, mask=None):\n        return x\n',
      errors: [{ line: 3, column: 23 }],
      output: 'import keras\nclass M(keras.Model):\n    def call(self, x, training: bool = None, mask=None):\n        return x\n'
    },
    {
      name: 'called on a KerasTensor without training in a later cell: blocks every backend',
      code: ['import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\n', 'inputs = keras.Input((4,))\nx = Block()(inputs, mask=None)\n'],
      errors: [{ cell: 0, line: 3, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'kept in self.<attr> of another layer and only called there with training: blocks nothing',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\nclass Stack(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [Block() for _ in range(2)]\n        self.first = Block()\n    def call(self, x, training=None):\n        x = self.first(x, training=training, mask=None)\n        for block in self.blocks:\n            x = block(x, training, None)\n        return x\n',
      errors: [{ line: 3, column: 23 }],
      blocks: []
    },
    {
      // keras.io GAN-ADA (og45a): `self.augmenter.trainable = False`, `self.augmenter.probability` read in the model;
      // ran on TF, JAX and PyTorch as written, and KM187 claimed all three.
      name: 'kept in self.<attr>, called there with training, its attributes read and its methods called: blocks nothing',
      code: 'import keras\nclass Aug(keras.layers.Layer):\n    def call(self, x, training):\n        return x\n    def update(self, v):\n        self.p = v\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.augmenter = Aug()\n        self.augmenter.trainable = False\n    def call(self, x, training=None):\n        self.augmenter.update(self.augmenter.trainable)\n        return self.augmenter(x, training=training)\nmodel = Net()\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 23 }],
      blocks: [],
      output: 'import keras\nclass Aug(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\n    def update(self, v):\n        self.p = v\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.augmenter = Aug()\n        self.augmenter.trainable = False\n    def call(self, x, training=None):\n        self.augmenter.update(self.augmenter.trainable)\n        return self.augmenter(x, training=training)\nmodel = Net()\nmodel.fit(x, y)\n'
    },
    {
      // examples/runnable/image_captioning_transformer.py ran on TF as written (KM187 claimed it failed).
      name: 'made at the top, handed to a model keeping it in self.<attr>, every .<attr> called with training: blocks nothing',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nprint(model.encoder(1, training=False))\n',
      errors: [{ line: 3, column: 23 }],
      blocks: [],
      output: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nprint(model.encoder(1, training=False))\n'
    },
    {
      name: 'made at the top and handed on, but one .<attr> call without training: blocks',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nprint(model.encoder(1))\n',
      errors: [{ line: 3, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nprint(model.encoder(1))\n'
    },
    {
      name: 'made at the top and used another way (a list): blocks',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nblocks = [encoder]\n',
      errors: [{ line: 3, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training=None):\n        return x\nclass Captioner(keras.Model):\n    def __init__(self, cnn, encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.encoder = encoder\n    def call(self, x, training=False):\n        print(self.encoder.trainable_variables)\n        return self.encoder(x, training=training)\nencoder = Block()\nmodel = Captioner(None, encoder=encoder)\nblocks = [encoder]\n'
    },
    {
      name: 'kept in self.<attr> but also called without training there: blocks',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\nclass Stack(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.first = Block()\n    def call(self, x, training=None):\n        return self.first(x, mask=None)\n',
      errors: [{ line: 3, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a later parameter without a default: reported, no fix',
      code: 'import keras\nclass B(keras.layers.Layer):\n    def call(self, x, training, mask):\n        return x\n',
      errors: [{ line: 3, column: 23 }]
    },
    {
      name: 'a model the program only compiles, fits, evaluates and predicts with: Keras passes training, blocks nothing',
      code: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x, training):\n        return self.d(x)\nmodel = Net()\nmodel.compile("sgd", "mse")\nmodel.fit(x, y)\nmodel.evaluate(x, y)\nmodel.predict(x)\nmodel.summary()\n',
      errors: [{ line: 6, column: 23 }],
      blocks: [],
      output: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x, training=None):\n        return self.d(x)\nmodel = Net()\nmodel.compile("sgd", "mse")\nmodel.fit(x, y)\nmodel.evaluate(x, y)\nmodel.predict(x)\nmodel.summary()\n'
    },
    {
      name: 'a model called directly to build it, or handed to other code: blocks every backend',
      code: 'import keras\nclass Net(keras.Model):\n    def call(self, x, training):\n        return x\nmodel = Net()\nmodel(x)\nother = Net()\nwrapped = keras.Sequential([other])\n',
      errors: [{ line: 3, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Net(keras.Model):\n    def call(self, x, training=None):\n        return x\nmodel = Net()\nmodel(x)\nother = Net()\nwrapped = keras.Sequential([other])\n'
    },
    {
      name: 'a model only trained in its cell but called directly in a later cell: blocks every backend',
      code: ['import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x, training):\n        return self.d(x)\nmodel = Net()\nmodel.compile("sgd", "mse")\n', 'out = model(x)\n'],
      errors: [{ cell: 0, line: 6, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: ['import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x, training=None):\n        return self.d(x)\nmodel = Net()\nmodel.compile("sgd", "mse")\n', 'out = model(x)\n']
    }
  ]
});
