import { ruleTester } from '../rule-tester';

ruleTester('removed-layer-attribute', {
  valid: [
    { name: 'models keep output_shape', code: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nassert model.output_shape == (None, 2)\nprint(model.input_shape)\n' },
    { name: 'Keras 3 spelling', code: 'for layer in model.layers:\n    print(layer.output.shape)\n' },
    {
      name: 'a tf.Module\'s own submodules and name_scope, and generic names on values not known to be Keras',
      code: 'import tensorflow as tf\nclass Block(tf.Module):\n    def __call__(self, x):\n        with self.name_scope:\n            return x\nblock = Block()\nprint(len(block.submodules), tf.Module.submodules)\nprint(state.updates, thing.input_mask)\n'
    },
    {
      name: 'an attribute the program assigns itself',
      code: 'import keras\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.updates = []\n'
    }
  ],
  invalid: [
    {
      // og47b ch17 (Géron's DenseTranspose): self.dense.input_shape[-1] of the Dense the class is given raised AttributeError
      // on all three; .input.shape ran. A parameter only ever given a number is not read as a layer.
      name: 'input_shape of the layer a class is given and keeps in self',
      code: 'import keras\nclass DenseTranspose(keras.layers.Layer):\n    def __init__(self, dense, **kwargs):\n        super().__init__(**kwargs)\n        self.dense = dense\n    def build(self, shape):\n        self.b = self.add_weight(shape=[self.dense.input_shape[-1]])\nclass Other(keras.layers.Layer):\n    def __init__(self, size, **kwargs):\n        super().__init__(**kwargs)\n        self.size = size\n    def build(self, shape):\n        print(self.size.input_shape)\ndense = keras.layers.Dense(4)\nt = DenseTranspose(dense)\no = Other(3)\n',
      errors: [{ line: 7, column: 52 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass DenseTranspose(keras.layers.Layer):\n    def __init__(self, dense, **kwargs):\n        super().__init__(**kwargs)\n        self.dense = dense\n    def build(self, shape):\n        self.b = self.add_weight(shape=[self.dense.input.shape[-1]])\nclass Other(keras.layers.Layer):\n    def __init__(self, size, **kwargs):\n        super().__init__(**kwargs)\n        self.size = size\n    def build(self, shape):\n        print(self.size.input_shape)\ndense = keras.layers.Dense(4)\nt = DenseTranspose(dense)\no = Other(3)\n'
    },
    {
      // og47b repro_7 (Géron's handson-ml2 ch. 17): `dense.input_shape[-1]` raised AttributeError on all three; dense.input.shape ran.
      name: 'input_shape of a name holding a built-in layer; a model keeps it',
      code: 'import keras\ndense = keras.layers.Dense(4)\nmodel = keras.models.Sequential([keras.layers.Flatten(input_shape=[3, 2]), dense])\nprint(dense.input_shape[-1], model.output_shape)\n',
      errors: [{ line: 4, column: 13 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ndense = keras.layers.Dense(4)\nmodel = keras.models.Sequential([keras.layers.Flatten(input_shape=[3, 2]), dense])\nprint(dense.input.shape[-1], model.output_shape)\n'
    },
    {
      // TensorFlow CSV tutorial (helper og42a r2): "'StringLookup' object has no attribute 'vocab_size'" on tf/jax/torch.
      name: 'vocab_size() of a lookup layer becomes vocabulary_size(); a tokenizer\'s own vocab_size() is left alone',
      code: "import numpy as np\nfrom tensorflow.keras.layers.experimental import preprocessing\nlookup = preprocessing.StringLookup(vocabulary=np.array([\"a\", \"b\", \"c\"]))\none_hot = preprocessing.CategoryEncoding(num_tokens=lookup.vocab_size())\nsize = tokenizer.vocab_size()\n",
      errors: [{ line: 4, column: 60, message: "Use `vocabulary_size()`" }],
      output: "import numpy as np\nfrom tensorflow.keras.layers.experimental import preprocessing\nlookup = preprocessing.StringLookup(vocabulary=np.array([\"a\", \"b\", \"c\"]))\none_hot = preprocessing.CategoryEncoding(num_tokens=lookup.vocabulary_size())\nsize = tokenizer.vocab_size()\n"
    },
    {
      name: 'layer summaries and a BatchNorm-style update',
      code: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output_shape)\nshape = model.get_layer("conv").output_shape\nfirst = model.layers[0].input_shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n',
      errors: [{ line: 3, column: 29 }, { line: 4, column: 33 }, { line: 5, column: 25 }, { line: 8, column: 9, message: 'add_update' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output.shape)\nshape = model.get_layer("conv").output.shape\nfirst = model.layers[0].input.shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n'
    },
    {
      // Real Keras 2 code: inference models cut at a layer's first node, layer summaries by node.
      // "'Dense' object has no attribute 'get_output_at'" on TF, JAX and PyTorch (claims/removed_layer_members.py).
      name: 'first-node accessors become .output / .input (safe); other nodes and masks get no fix',
      code: 'import keras\nbase = keras.models.load_model("m.keras")\nencoder = keras.Model(base.get_input_at(0), base.layers[3].get_output_at(0))\nfor layer in base.layers:\n    print(layer.get_output_shape_at(node_index=0), layer.get_input_shape_at(0))\nsecond = base.layers[2].get_output_at(1)\nmask = base.layers[1].get_output_mask_at(0)\n',
      errors: [
        { line: 3, column: 28, message: 'no `get_input_at`' },
        { line: 3, column: 60 },
        { line: 5, column: 17 },
        { line: 5, column: 58 },
        { line: 6, column: 25, message: '`base.layers[2].get_output_at(1)` raises AttributeError on every backend; use `.output` for the first call; Keras 3 keeps later calls\' nodes private (`layer._inbound_nodes[i].output_tensors`)' },
        { line: 7, column: 23, message: 'compute_mask' }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nbase = keras.models.load_model("m.keras")\nencoder = keras.Model(base.input, base.layers[3].output)\nfor layer in base.layers:\n    print(layer.output.shape, layer.input.shape)\nsecond = base.layers[2].get_output_at(1)\nmask = base.layers[1].get_output_mask_at(0)\n'
    },
    {
      // TensorFlow's guides: `model.submodules` (Keras 2 layers were tf.Modules), `get_weight_paths()`.
      name: 'tf.Module members and graph members of Keras layers and models (no fix)',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(2)])\nprint(len(model.submodules), model.get_weight_paths())\nclass Block(tf.keras.layers.Layer):\n    def call(self, x):\n        with self.name_scope:\n            return x\nfor layer in model.layers:\n    print(layer.inbound_nodes, layer.updates)\nloaded = tf.keras.models.load_model("saved")\nprint(loaded.state_updates)\n',
      errors: [
        { line: 3, column: 17, message: '`tf.Module`s' },
        { line: 3, column: 36, message: '{v.path: v for v in model.weights}' },
        { line: 6, column: 19, message: 'keras.name_scope' },
        { line: 9, column: 17 },
        { line: 9, column: 38 },
        { line: 11, column: 14 }
      ]
    },
    {
      // TensorFlow's intro-to-modules guide (og46e repro_3): `model.submodules` raised AttributeError on all three;
      // Keras 3's _flatten_layers(include_self=False) lists the same layers in the same order.
      name: 'submodules of a model becomes the tuple of its nested layers (a suggestion)',
      code: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nprint("Submodules:", model.submodules)\n',
      errors: [{ line: 3, column: 28 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nprint("Submodules:", tuple(model._flatten_layers(include_self=False)))\n'
    }
  ]
});
