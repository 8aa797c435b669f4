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
    }
  ]
});
