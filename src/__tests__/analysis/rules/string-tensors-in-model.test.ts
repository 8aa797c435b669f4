import { ruleTester } from '../rule-tester';

ruleTester('string-tensors-in-model', {
  valid: [
    { name: 'a numeric input', code: 'import keras\ninputs = keras.Input(shape=(3,), dtype="float32")\n' },
    {
      name: 'string preprocessing in tf.data, not in the model',
      code: 'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=10)\nds = raw.map(lambda x, y: (vectorize(x), y))\nmodel = keras.Sequential([keras.layers.Embedding(11, 4)])\n'
    },
    { name: 'a lookup layer that is not first', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(4), keras.layers.StringLookup()])\n' }
  ],
  invalid: [
    {
      name: 'a dict of NumPy columns, one indexed from a unicode array, fed to fit: TensorFlow fails too (claims/string_input_numpy_dict.py)',
      code: 'import numpy as np\nimport keras\nimport tensorflow as tf\ncolors = np.array(["red", "green"])\ndata = {"color": colors[np.random.randint(0, 2, 8)], "price": prices}\ninp = keras.Input(shape=(), dtype=tf.string, name="color")\nmodel.fit(data, y)\n',
      errors: [{ line: 6, column: 35 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a string Input (tf.keras spelling, tf.string)',
      code: 'import tensorflow as tf\nthal = tf.keras.Input(shape=(1,), name="thal", dtype=tf.string)\nmodel.fit(train_ds)\n',
      errors: [{ line: 2, column: 54 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a string Input of a model that is built and compiled but never run on data: runs on every backend',
      code: 'import keras\ninp = keras.Input(shape=(1,), dtype="string")\nx = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")(inp)\nmodel = keras.Model(inp, keras.layers.Dense(1)(x))\nmodel.compile("adam", "mse")\nmodel.summary()\n',
      errors: [{ line: 2, column: 37, message: 'only running it on data fails' }],
      blocks: []
    },
    {
      name: 'a string Sequential built but never fed, while another model is trained: no claim',
      code: 'import keras\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nmodel = keras.Sequential([keras.layers.Embedding(21, 4), keras.layers.Dense(1)])\nmodel.fit(train_ds)\nexport_model = keras.Sequential([vectorize, model])\nexport_model.summary()\n',
      errors: [{ line: 5, column: 34 }],
      blocks: []
    },
    {
      name: 'a string Sequential called directly on data',
      code: 'import keras, tensorflow as tf\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nexport_model = keras.Sequential([vectorize, keras.layers.Embedding(21, 4)])\nprint(export_model(tf.constant(["a good movie"])))\n',
      errors: [{ line: 3, column: 34 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'TextVectorization first in a Sequential, through a name (after an Input)',
      code: 'import keras\nfrom keras.layers import TextVectorization\nvectorize_layer = TextVectorization(max_tokens=50)\nexport_model = keras.Sequential([keras.Input((1,), dtype="string"), vectorize_layer, model])\n',
      errors: [{ line: 4, column: 69 }, { line: 4, column: 58 }]
    },
    {
      name: 'a string model fed a list of strings, or a unicode NumPy array of them: TensorFlow fails too',
      code: 'import numpy as np, keras\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(21, 4)])\nexamples = [\n    "a good movie",\n    "a bad movie",\n]\nmodel.predict(examples)\n',
      errors: [{ line: 3, column: 27, message: 'on TensorFlow too' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a string model fed tf.constant, an object array or a dataset: TensorFlow runs it',
      code: 'import numpy as np, keras, tensorflow as tf\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(21, 4)])\nmodel.predict(tf.constant(["a good movie"]))\nmodel.fit(np.array(["good", "bad"], dtype=object), labels)\nmodel.evaluate(ds)\n',
      errors: [{ line: 3, column: 27 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a unicode NumPy array of strings passed directly',
      code: 'import numpy as np, keras\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(21, 4)])\nmodel.fit(np.array(["good", "bad"]), labels)\n',
      errors: [{ line: 3, column: 27 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a name last assigned something else than a list of strings',
      code: 'import numpy as np, keras\nvectorize = keras.layers.TextVectorization(max_tokens=20)\nmodel = keras.Sequential([vectorize, keras.layers.Embedding(21, 4)])\nexamples = ["a"]\nexamples = load_texts()\nmodel.predict(examples)\n',
      errors: [{ line: 3, column: 27 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'lookups applied to a dict of string Inputs in model-building functions, a dataset given to fit: the suggested fix moves them to the data',
      code: "import keras\nVOCAB = {\"color\": [\"red\", \"blue\"]}\n\n\ndef make_inputs():\n    inputs = {}\n    for name in [\"color\", \"price\"]:\n        if name in VOCAB:\n            inputs[name] = keras.Input(name=name, shape=(), dtype=\"string\")\n        else:\n            inputs[name] = keras.Input(name=name, shape=(), dtype=\"float32\")\n    return inputs\n\n\ndef encode(inputs):\n    features = []\n    for name in inputs:\n        if name in VOCAB:\n            lookup = keras.layers.StringLookup(vocabulary=VOCAB[name], num_oov_indices=0)\n            features.append(keras.layers.Embedding(2, 4)(lookup(inputs[name])))\n    return features\n\n\ninputs = make_inputs()\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.concatenate(encode(inputs))))\nmodel.fit(train_ds, validation_data=val_ds)\n",
      errors: [
        { line: 9, column: 67, message: 'Suggested fix: the input takes' },
        { line: 20, column: 58, message: 'register the layer in `string_lookups`' },
        { line: 26, column: 11, message: 'lookup_strings_in' }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nVOCAB = {\"color\": [\"red\", \"blue\"]}\n\n\ndef make_inputs():\n    inputs = {}\n    for name in [\"color\", \"price\"]:\n        if name in VOCAB:\n            inputs[name] = keras.Input(name=name, shape=(), dtype=\"int64\")\n        else:\n            inputs[name] = keras.Input(name=name, shape=(), dtype=\"float32\")\n    return inputs\n\n\n# String lookups run on the data, outside the model (Keras 3 on JAX and PyTorch has no string\n# tensors): the model-building code registers each lookup layer under its input's key, and the\n# model takes the integer indices.\nstring_lookups = {}\n\n\ndef lookup_strings(features, *rest):\n    if isinstance(features, dict):\n        features = {name: string_lookups[name](value) if name in string_lookups else value for name, value in features.items()}\n        # In sorted key order: Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs.\n        features = {name: features[name] for name in sorted(features)}\n    return (features, *rest) if rest else features\n\n\ndef lookup_strings_in(data):\n    # A tf.data dataset is mapped; a dict of arrays (or an (x, y) tuple of them) is converted now.\n    if hasattr(data, \"element_spec\"):\n        return data.map(lookup_strings)\n    if isinstance(data, tuple):\n        return (lookup_strings(data[0]),) + tuple(data[1:])\n    return lookup_strings(data)\n\n\ndef encode(inputs):\n    features = []\n    for name in inputs:\n        if name in VOCAB:\n            lookup = keras.layers.StringLookup(vocabulary=VOCAB[name], num_oov_indices=0)\n            string_lookups[name] = lookup  # applied to the data by lookup_strings()\n            features.append(keras.layers.Embedding(2, 4)(inputs[name]))\n    return features\n\n\ninputs = make_inputs()\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.concatenate(encode(inputs))))\nmodel.fit(lookup_strings_in(train_ds), validation_data=lookup_strings_in(val_ds))\n"
    },
    {
      name: 'the same across notebook cells: the data of fit in another cell is wrapped too',
      code: ['import keras\nVOCAB = {"color": ["red", "blue"]}\n', 'def train(model, ds):\n    model.fit(ds)\n    return model.evaluate(ds)\n', "def make_inputs():\n    inputs = {}\n    inputs[\"color\"] = keras.Input(name=\"color\", shape=(), dtype=\"string\")\n    inputs[\"size\"] = keras.Input(name=\"size\", shape=(), dtype=\"int64\")\n    return inputs\n\n\ndef encode(inputs):\n    lookup = keras.layers.StringLookup(vocabulary=VOCAB[\"color\"])\n    color = lookup(inputs[\"color\"])\n    return keras.layers.concatenate([keras.layers.Embedding(3, 4)(color), keras.layers.Embedding(9, 4)(inputs[\"size\"])])\n\n\ninputs = make_inputs()\nmodel = keras.Model(inputs, keras.layers.Dense(1)(encode(inputs)))\n", 'train(model, ds)\n'],
      errors: [
        { cell: 1, line: 2, column: 15 },
        { cell: 1, line: 3, column: 27 },
        { cell: 2, line: 3, column: 65, message: 'Suggested fix' },
        { cell: 2, line: 10, column: 13 }
      ],
      fixOptions: { unsafe: true },
      output: ["import keras\nVOCAB = {\"color\": [\"red\", \"blue\"]}\n", "def train(model, ds):\n    model.fit(lookup_strings_in(ds))\n    return model.evaluate(lookup_strings_in(ds))\n", "def make_inputs():\n    inputs = {}\n    inputs[\"color\"] = keras.Input(name=\"color\", shape=(), dtype=\"int64\")\n    inputs[\"size\"] = keras.Input(name=\"size\", shape=(), dtype=\"int64\")\n    return inputs\n\n\n# String lookups run on the data, outside the model (Keras 3 on JAX and PyTorch has no string\n# tensors): the model-building code registers each lookup layer under its input's key, and the\n# model takes the integer indices.\nstring_lookups = {}\n\n\ndef lookup_strings(features, *rest):\n    if isinstance(features, dict):\n        features = {name: string_lookups[name](value) if name in string_lookups else value for name, value in features.items()}\n        # In sorted key order: Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs.\n        features = {name: features[name] for name in sorted(features)}\n    return (features, *rest) if rest else features\n\n\ndef lookup_strings_in(data):\n    # A tf.data dataset is mapped; a dict of arrays (or an (x, y) tuple of them) is converted now.\n    if hasattr(data, \"element_spec\"):\n        return data.map(lookup_strings)\n    if isinstance(data, tuple):\n        return (lookup_strings(data[0]),) + tuple(data[1:])\n    return lookup_strings(data)\n\n\ndef encode(inputs):\n    lookup = keras.layers.StringLookup(vocabulary=VOCAB[\"color\"])\n    string_lookups[\"color\"] = lookup  # applied to the data by lookup_strings()\n    color = inputs[\"color\"]\n    return keras.layers.concatenate([keras.layers.Embedding(3, 4)(color), keras.layers.Embedding(9, 4)(inputs[\"size\"])])\n\n\ninputs = make_inputs()\nmodel = keras.Model(inputs, keras.layers.Dense(1)(encode(inputs)))\n", "train(model, ds)\n"]
    },
    {
      name: 'a StringLookup first in a Sequential applied to a string Input: no fix, the message says what to do',
      code: 'import keras\nuser = keras.Input(name="user_id", shape=(), dtype="string")\nencoder = keras.Sequential([keras.layers.StringLookup(vocabulary=["a", "b"]), keras.layers.Embedding(3, 4)])\nmodel = keras.Model(user, encoder(user))\nmodel.fit(ds)\n',
      errors: [
        { line: 2, column: 52, message: 'No automatic fix here (a string `Input` that is not stored in a dict of inputs' },
        { line: 3, column: 29 }
      ]
    },
    {
      name: 'a lookup layer inside a layer class: no fix',
      code: 'import keras\nclass Ids(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.lookup = keras.layers.StringLookup(vocabulary=["a"])\n    def call(self, x):\n        return self.lookup(x)\ninputs = {}\ninputs["user"] = keras.Input(name="user", shape=(), dtype="string")\nmodel = keras.Model(inputs, Ids()(inputs["user"]))\nmodel.fit(ds)\n',
      errors: [{ line: 9, column: 59, message: 'No automatic fix here (a lookup layer used other than' }]
    },
    {
      name: 'a multi-hot lookup (keras.io Wide & Deep): its output is no index, no fix',
      code: "import keras\nimport tensorflow as tf\n\n\ndef encode(inputs):\n    out = []\n    for name in inputs:\n        lookup = keras.layers.StringLookup(vocabulary=VOCAB[name], output_mode=\"binary\")\n        out.append(lookup(tf.expand_dims(inputs[name], -1)))\n    return out\n\n\ninputs = {}\ninputs[\"color\"] = keras.Input(name=\"color\", shape=(), dtype=\"string\")\nmodel = keras.Model(inputs, keras.layers.concatenate(encode(inputs)))\nmodel.fit(ds)\n",
      errors: [{ line: 14, column: 61, message: 'No automatic fix here (a `StringLookup` whose `output_mode` is not "int"' }]
    },
    {
      name: 'an int lookup applied to tf.expand_dims(inputs[name], -1): no fix',
      code: "import keras\nimport tensorflow as tf\n\n\ndef encode(inputs):\n    out = []\n    for name in inputs:\n        lookup = keras.layers.StringLookup(vocabulary=VOCAB[name])\n        out.append(lookup(tf.expand_dims(inputs[name], -1)))\n    return out\n\n\ninputs = {}\ninputs[\"color\"] = keras.Input(name=\"color\", shape=(), dtype=\"string\")\nmodel = keras.Model(inputs, keras.layers.concatenate(encode(inputs)))\nmodel.fit(ds)\n",
      errors: [{ line: 14, column: 61, message: 'No automatic fix here (a lookup layer applied to something else than `inputs[key]`' }]
    },
    {
      name: 'module level: a dict literal of Inputs, a lookup applied to one, a dict of arrays given to fit (claims/string_input_numpy_dict.py)',
      code: "import keras\ninputs = {\"color\": keras.Input(shape=(), dtype=\"string\", name=\"color\"), \"price\": keras.Input(shape=(), name=\"price\")}\nlookup = keras.layers.StringLookup(vocabulary=[\"red\", \"green\"])\nx = keras.layers.concatenate([keras.layers.Embedding(3, 2)(lookup(inputs[\"color\"])), keras.layers.Reshape((1,))(inputs[\"price\"])])\nmodel = keras.Model(inputs, keras.layers.Dense(1)(x))\nmodel.fit(data, labels)\n",
      errors: [{ line: 2, column: 48 }, { line: 4, column: 60 }, { line: 6, column: 11 }],
      fixOptions: { unsafe: true },
      output: "import keras\ninputs = {\"color\": keras.Input(shape=(), dtype=\"int64\", name=\"color\"), \"price\": keras.Input(shape=(), name=\"price\")}\nlookup = keras.layers.StringLookup(vocabulary=[\"red\", \"green\"])\n# String lookups run on the data, outside the model (Keras 3 on JAX and PyTorch has no string\n# tensors): the model-building code registers each lookup layer under its input's key, and the\n# model takes the integer indices.\nstring_lookups = {}\n\n\ndef lookup_strings(features, *rest):\n    if isinstance(features, dict):\n        features = {name: string_lookups[name](value) if name in string_lookups else value for name, value in features.items()}\n        # In sorted key order: Keras 3 on PyTorch matched a dict batch in another order to the wrong inputs.\n        features = {name: features[name] for name in sorted(features)}\n    return (features, *rest) if rest else features\n\n\ndef lookup_strings_in(data):\n    # A tf.data dataset is mapped; a dict of arrays (or an (x, y) tuple of them) is converted now.\n    if hasattr(data, \"element_spec\"):\n        return data.map(lookup_strings)\n    if isinstance(data, tuple):\n        return (lookup_strings(data[0]),) + tuple(data[1:])\n    return lookup_strings(data)\n\n\nstring_lookups[\"color\"] = lookup  # applied to the data by lookup_strings()\nx = keras.layers.concatenate([keras.layers.Embedding(3, 2)(inputs[\"color\"]), keras.layers.Reshape((1,))(inputs[\"price\"])])\nmodel = keras.Model(inputs, keras.layers.Dense(1)(x))\nmodel.fit(lookup_strings_in(data), labels)\n"
    }
  ]
});
