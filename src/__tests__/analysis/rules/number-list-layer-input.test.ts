import { ruleTester } from '../rule-tester';

ruleTester('number-list-layer-input', {
  valid: [
    { name: 'a dict of arrays only', code: 'import keras\nimport numpy as np\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel({"x": np.ones((1, 2))})\n' },
    { name: 'numbers in a dict given to a method of the model, not a call of it', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit({"x": x, "w": 1.0})\n' },
    { name: 'already a tensor', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel(keras.ops.convert_to_tensor([[1.0, 2.0]]))\n' },
    { name: 'a list of inputs (arrays) for a multi-input model', code: 'import keras\nimport numpy as np\na = keras.Input((2,))\nb = keras.Input((2,))\nmodel = keras.Model([a, b], keras.layers.Add()([a, b]))\nmodel([np.ones((1, 2)), np.ones((1, 2))])\n' },
    { name: 'a list of numbers given to something that is no layer', code: 'import keras\nimport numpy as np\nprint(np.mean([1, 2, 3]))\n' },
    { name: 'predict() converts lists itself', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.predict([[1.0, 2.0]])\n' },
    // Ran (keras 3.15, the TensorFlow pandas-dataframe tutorial /work/og44c r6): these run on TensorFlow, JAX and PyTorch.
    {
      name: 'preprocessing layers that convert a list of numbers themselves',
      code: 'import tensorflow as tf\nlookup = tf.keras.layers.IntegerLookup(vocabulary=[1, 4, 7], output_mode="one_hot")\nprint(lookup([-1, 4, 1]))\nprint(tf.keras.layers.Hashing(num_bins=3)([1, 2, 3]))\nprint(tf.keras.layers.Discretization(bin_boundaries=[0.0, 1.0])([-1.0, 0.5, 2.0]))\n'
    }
  ],
  invalid: [
    {
      // Ran (keras 3.15): runs on TensorFlow; JAX and PyTorch raise AttributeError in the layer's call.
      name: 'an image preprocessing layer on a list: JAX and PyTorch only',
      code: 'import keras\nflip = keras.layers.RandomFlip()\nprint(flip([[[1.0], [2.0]], [[3.0], [4.0]]]))\n',
      errors: [{ line: 3, column: 12, message: 'converts a Python list on TensorFlow only' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nflip = keras.layers.RandomFlip()\nprint(flip(keras.ops.convert_to_tensor([[[1.0], [2.0]], [[3.0], [4.0]]])))\n'
    },
    {
      name: 'a subclassed model built on node indices (keras.io GNN example)',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nclass Classifier(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.emb = keras.layers.Embedding(200, 4)\n\n    def call(self, ids):\n        return self.emb(ids)\n\ngnn_model = Classifier()\nprint("GNN output shape:", gnn_model([1, 10, 100]))\n',
      errors: [{ line: 13, column: 38 }],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nclass Classifier(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.emb = keras.layers.Embedding(200, 4)\n\n    def call(self, ids):\n        return self.emb(ids)\n\ngnn_model = Classifier()\nprint("GNN output shape:", gnn_model(keras.ops.convert_to_tensor([1, 10, 100])))\n'
    },
    {
      // Ran (keras 3.15): as written "Only input tensors may be passed as positional arguments" on TensorFlow; fixed, runs on TensorFlow, JAX and PyTorch.
      name: 'a subclassed model called on a dict holding a Python number among arrays (keras.io StyleGAN generation options): the number becomes a tensor, as Keras 2 made it',
      code: "import keras\nimport numpy as np\nclass Gen(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(3)\n    def call(self, inputs):\n        return self.dense(inputs[\"x\"]) * inputs[\"scale\"]\ngen = Gen()\nout = gen({\"x\": np.ones((2, 4), \"float32\"), \"scale\": 2.0})\nprint(out.shape)\n",
      errors: [{ line: 10, column: 54, message: 'refuses the Python number `2.0`' }],
      output: "import keras\nimport numpy as np\nclass Gen(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(3)\n    def call(self, inputs):\n        return self.dense(inputs[\"x\"]) * inputs[\"scale\"]\ngen = Gen()\nout = gen({\"x\": np.ones((2, 4), \"float32\"), \"scale\": keras.ops.convert_to_tensor(2.0)})\nprint(out.shape)\n"
    },
    {
      name: 'numbers nested in a list with an array, a negative one and one in an inner dict: each wrapped',
      code: "import keras\nimport numpy as np\nlayer = keras.layers.Add()\nx = np.ones((2, 3))\ny = layer([x, -1.5, {\"b\": 2}])\n",
      errors: [{ line: 5, column: 15 }],
      output: "import keras\nimport numpy as np\nlayer = keras.layers.Add()\nx = np.ones((2, 3))\ny = layer([x, keras.ops.convert_to_tensor(-1.5), {\"b\": keras.ops.convert_to_tensor(2)}])\n"
    },
    {
      name: 'a layer on a nested list of floats, negative numbers included',
      code: 'import keras\nlayer = keras.layers.Dense(2)\ny = layer([[0.5, -1.0], [2.0, 3.0]])\n',
      errors: [{ line: 3, column: 11 }],
      output: 'import keras\nlayer = keras.layers.Dense(2)\ny = layer(keras.ops.convert_to_tensor([[0.5, -1.0], [2.0, 3.0]]))\n'
    }
  ]
});
