import { ruleTester } from '../rule-tester';

ruleTester('csv-dataset-ordered-dict', {
  valid: [
    {
      name: 'already mapped to plain dicts',
      code: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y").map(lambda f, y: (dict(f), y))\n'
    },
    {
      // examples/runnable/converted/structured_grn_vsn.py: the hand conversion's process() makes the dict.
      name: 'the mapped function of the cell converts the features itself',
      code: 'import tensorflow as tf\ndef process(features, target):\n    features = dict(features)\n    weights = features.pop("w")\n    return features, target, weights\n\ndef get_dataset(path):\n    return tf.data.experimental.make_csv_dataset(path, batch_size=8, label_name="y").map(process)\n'
    },
    {
      name: 'a dict comprehension over the features in a later map on the assigned name',
      code: 'import tensorflow as tf\ndef to_plain(features, label):\n    return {k: v for k, v in features.items()}, label\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y")\nds = ds.shuffle(4)\nds = ds.map(to_plain)\n'
    },
    {
      name: 'a dict lambda later in the method chain, and .map(dict) without label',
      code: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y").shuffle(4).map(lambda f, y: (dict(f), y))\nfs = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8).map(dict)\n'
    },
    { name: 'another CSV reader', code: 'import tensorflow as tf\nds = tf.data.experimental.CsvDataset("t.csv", [0.0, 0.0])\n' }
  ],
  invalid: [
    {
      name: 'keras.io structured data: label_name and a mapped process()',
      code:
        'import tensorflow as tf\ndef get_dataset(path):\n    return tf.data.experimental.make_csv_dataset(\n        path, batch_size=32, column_names=["age", "job", "y"], label_name="y", num_epochs=1, header=False\n    ).map(process)\n',
      errors: [{ line: 3, column: 12, message: "a column the model does not take as an input (an ignored CSV column, a weight column) still shifts the others" }],
      // No claim: measured on Keras 3.15, numeric columns before categorical ones fail on TF, JAX and torch; sorted columns run.
      blocks: [],
      output:
        'import tensorflow as tf\ndef get_dataset(path):\n    return tf.data.experimental.make_csv_dataset(\n        path, batch_size=32, column_names=["age", "job", "y"], label_name="y", num_epochs=1, header=False\n    ).map(lambda features, label: (dict(features), label)).map(process)\n'
    },
    {
      name: 'a mapped function of the cell that does not make a dict: still flagged',
      code: 'import tensorflow as tf\ndef process(features, target):\n    features["age"] = tf.cast(features["age"], tf.float32)\n    return features, target\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y").map(process)\n',
      errors: [{ line: 5, column: 6 }],
      output: 'import tensorflow as tf\ndef process(features, target):\n    features["age"] = tf.cast(features["age"], tf.float32)\n    return features, target\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y").map(lambda features, label: (dict(features), label)).map(process)\n'
    },
    {
      // The CSV column `batch_id` is not a model input and sorts before `city` and `height`: Keras 3 would shift them.
      name: 'a dict of Inputs over constants and a CSV with a column the model does not take: the map keeps the inputs',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label")\n',
      errors: [{ line: 9, column: 6, message: "Here the model's dict of Inputs does not take `batch_id`, which sorts before some of its inputs" }],
      blocks: [],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label").map(lambda features, label: ({name: features[name] for name in FEATURES}, label))\n'
    },
    {
      name: 'the extra column is popped in a map (a weight column): only the plain-dict conversion',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label")\nds = ds.map(lambda f, y: (f, y, f.pop("batch_id")))\n',
      errors: [{ line: 9, column: 6 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label").map(lambda features, label: (dict(features), label))\nds = ds.map(lambda f, y: (f, y, f.pop("batch_id")))\n'
    },
    {
      name: 'a Functional model on a list of named Inputs (Keras 3 picks those by name): only the conversion',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(list(inputs.values()), keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label")\n',
      errors: [{ line: 9, column: 6 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "batch_id", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(list(inputs.values()), keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label").map(lambda features, label: (dict(features), label))\n'
    },
    {
      name: 'the extra column sorts after every input (it lands past them): only the conversion',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "zone", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label")\n',
      errors: [{ line: 9, column: 6 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nCOLUMNS = ["height", "zone", "weight", "city", "label"]\nNUMERIC = ["height", "weight"]\nVOCAB = {"city": ["a", "b"]}\nFEATURES = NUMERIC + list(VOCAB.keys())\ninputs = {name: keras.Input(name=name, shape=(), dtype="float32") if name in NUMERIC else keras.Input(name=name, shape=(), dtype="string") for name in FEATURES}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(inputs[n], -1) for n in NUMERIC])))\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=COLUMNS, label_name="label").map(lambda features, label: (dict(features), label))\n'
    },
    {
      name: 'no label and Inputs built in a loop: a one-argument map over a literal of the keys',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = {}\nfor name in ["x", "z"]:\n    inputs[name] = keras.Input(name=name, shape=())\nmodel = keras.Model(inputs=inputs, outputs=keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(v, -1) for v in inputs.values()])))\nds = tf.data.experimental.make_csv_dataset("t.csv", 8, ["x", "y", "z"])\n',
      errors: [{ line: 7, column: 6 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = {}\nfor name in ["x", "z"]:\n    inputs[name] = keras.Input(name=name, shape=())\nmodel = keras.Model(inputs=inputs, outputs=keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(v, -1) for v in inputs.values()])))\nds = tf.data.experimental.make_csv_dataset("t.csv", 8, ["x", "y", "z"]).map(lambda features: {name: features[name] for name in ["x", "z"]})\n'
    },
    {
      name: 'constants set up in a function that declares them global, the dataset made at module level',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ndef setup():\n    global COLUMNS, KEEP\n    COLUMNS = ["b", "a", "c"]\n    KEEP = ["c", "b"]\nsetup()\ninputs = {k: keras.Input(name=k, shape=()) for k in KEEP}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(v, -1) for v in inputs.values()])))\nds = tf.data.experimental.make_csv_dataset("t.csv", 8, column_names=COLUMNS)\n',
      errors: [{ line: 10, column: 6, message: 'does not take `a`' }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\ndef setup():\n    global COLUMNS, KEEP\n    COLUMNS = ["b", "a", "c"]\n    KEEP = ["c", "b"]\nsetup()\ninputs = {k: keras.Input(name=k, shape=()) for k in KEEP}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([keras.ops.expand_dims(v, -1) for v in inputs.values()])))\nds = tf.data.experimental.make_csv_dataset("t.csv", 8, column_names=COLUMNS).map(lambda features: {name: features[name] for name in ["c", "b"]})\n'
    },
    {
      name: 'no label: the features alone',
      code: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8)\n',
      errors: [{ line: 2, column: 6 }],
      output: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8).map(dict)\n'
    }
  ]
});
