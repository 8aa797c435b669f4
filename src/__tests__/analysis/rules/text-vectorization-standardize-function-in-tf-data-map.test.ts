import { ruleTester } from '../rule-tester';

const STD = 'def custom_standardization(s):\n    return tf.strings.lower(s)\n';
const HEAD = 'import keras\nimport tensorflow as tf\n' + STD;

ruleTester('text-vectorization-standardize-function-in-tf-data-map', {
  valid: [
    { name: 'a factory whose layer has a built-in standardize', code: HEAD + 'def make(n):\n    return keras.layers.TextVectorization(max_tokens=n)\ntv = make(5)\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(a))\n' },
    { name: 'a parameter given a layer with a built-in standardize', code: HEAD + 'def prep(ds, v):\n    return ds.map(lambda a: v(a))\nds = prep(tf.data.Dataset.from_tensor_slices(x), keras.layers.TextVectorization())\n' },
    { name: 'a built-in standardize string', code: HEAD + 'tv = keras.layers.TextVectorization(standardize="lower")\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(a))\n' },
    { name: 'standardize=None, the function applied in the pipeline', code: HEAD + 'tv = keras.layers.TextVectorization(standardize=None)\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(custom_standardization(a)))\n' },
    { name: 'a standardize function, the layer called eagerly only', code: HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\ntv.adapt(texts)\ntokens = tv(["a text"])\n' },
    { name: 'a built-in standardize, the layer mapped itself', code: HEAD + 'tv = keras.layers.TextVectorization()\nds = tf.data.Dataset.from_tensor_slices(x).map(tv)\n' },
    { name: 'not a dataset map', code: HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\nout = list(map(lambda a: tv(a), texts))\n' },
    {
      name: 'Keras 3.14 ran it on every backend',
      code: HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(a))\n',
      options: { kerasVersion: '3.14' }
    }
  ],
  invalid: [
    {
      // keras.io masked language modeling's get_vectorize_layer, mapped in a tf.data pipeline (og45b): after
      // fix --unsafe `check` said ready, and JAX and PyTorch failed ("Cannot convert a symbolic tf.Tensor to a numpy array").
      name: 'a layer made by a function of the cell: no fix',
      code: HEAD + 'def get_vectorize_layer(texts, n):\n    v = keras.layers.TextVectorization(max_tokens=n, standardize=custom_standardization)\n    v.adapt(texts)\n    return v\nvectorize_layer = get_vectorize_layer(texts, 50)\nds = tf.data.Dataset.from_tensor_slices(texts).batch(16).map(lambda x: vectorize_layer(x))\n',
      errors: [{ line: 10, column: 72, message: '`vectorize_layer` is a `TextVectorization` with a Python `standardize` function (`custom_standardization`), called inside `tf.data.Dataset.map()`' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a layer handed to the function that maps it, and mapped itself: no fix',
      code: HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\ntv.adapt(texts)\ndef make_dataset(texts, vectorizer):\n    ds = tf.data.Dataset.from_tensor_slices(texts).batch(16)\n    return ds.map(lambda x: vectorizer(x)), ds.map(vectorizer)\nds = make_dataset(texts, tv)\n',
      errors: [{ line: 9, column: 29, message: '`vectorizer` is a `TextVectorization`' }, { line: 9, column: 52, message: '`vectorizer` is a `TextVectorization`' }]
    },
    {
      // TensorFlow text-loading tutorial (/work/og43c tx, after fix --unsafe): the dataset passes through the
      // cell's `configure_dataset()` (cache, prefetch) before the map; before, the map was not seen as tf.data.
      name: 'a dataset returned by a cell function chaining on its parameter (configure_dataset)',
      code: 'import tensorflow as tf\nimport keras\ndef configure_dataset(dataset):\n    return dataset.cache().prefetch(buffer_size=tf.data.AUTOTUNE)\nlayer = keras.layers.TextVectorization(max_tokens=10, standardize=tf.strings.lower)\nraw = tf.data.Dataset.from_tensor_slices((["a b"], [0])).batch(1)\ntest_ds = configure_dataset(raw)\nout = test_ds.map(lambda x, y: (layer(x), y))\n',
      errors: [{ line: 8, column: 33 }],
      blocks: ['jax', 'torch']
    },
    {
      // The same tutorial: the dataset is an item of a list of datasets concatenated in a loop, named `test_ds`.
      name: 'a dataset named like one whose origin is an item of a list',
      code: 'import tensorflow as tf\nimport keras\nlayer = keras.layers.TextVectorization(max_tokens=10, standardize=tf.strings.lower)\nall_labeled_data = labeled_data_sets[0]\nfor labeled_dataset in labeled_data_sets[1:]:\n    all_labeled_data = all_labeled_data.concatenate(labeled_dataset)\ntest_ds = all_labeled_data.take(2).batch(2)\nout = test_ds.map(lambda x, y: (layer(x), y))\n',
      errors: [{ line: 8, column: 33 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'made in a script function (def main():), a local name: the same fix inside the function',
      code: 'import tensorflow as tf\nfrom keras import layers\ndef clean(s):\n    return tf.strings.lower(s)\ndef main():\n    texts = tf.data.Dataset.from_tensor_slices((["a"], [0]))\n    tv = layers.TextVectorization(200, standardize=clean)\n    tv.adapt(texts.map(lambda x, y: x))\n    return texts.map(lambda x, y: (tv(x), y))\n',
      errors: [{ line: 9, column: 36 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nfrom keras import layers\ndef clean(s):\n    return tf.strings.lower(s)\ndef main():\n    texts = tf.data.Dataset.from_tensor_slices((["a"], [0]))\n    tv = layers.TextVectorization(200, standardize=None)\n    tv.adapt(texts.map(lambda x, y: x).map(clean))\n    return texts.map(lambda x, y: (tv(clean(x)), y))\n'
    },
    {
      name: 'TensorFlow word2vec tutorial: the layer itself is the mapped function',
      code: HEAD + 'vectorize_layer = keras.layers.TextVectorization(standardize=custom_standardization, max_tokens=10)\nvectorize_layer.adapt(text_ds.batch(32))\ntext_vector_ds = text_ds.batch(32).prefetch(tf.data.AUTOTUNE).map(vectorize_layer).unbatch()\n',
      errors: [{ line: 7, column: 67, message: '`vectorize_layer` is a `TextVectorization` with a Python `standardize` function (`custom_standardization`)' }],
      blocks: ['jax', 'torch'],
      // examples/runnable/word2vec_negative_sampling.py fixed this way ran on TensorFlow, JAX and PyTorch.
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'vectorize_layer = keras.layers.TextVectorization(standardize=None, max_tokens=10)\nvectorize_layer.adapt(text_ds.batch(32).map(custom_standardization))\ntext_vector_ds = text_ds.batch(32).prefetch(tf.data.AUTOTUNE).map(lambda text: vectorize_layer(custom_standardization(text))).unbatch()\n'
    },
    {
      name: 'the keras.io vectorize_text helper given to map',
      code:
        HEAD +
        'vectorize_layer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4, standardize=custom_standardization)\n' +
        'def vectorize_text(text, label):\n    text = tf.expand_dims(text, -1)\n    return vectorize_layer(text), label\n' +
        'train_ds = raw_train_ds.map(vectorize_text)\n',
      errors: [{ line: 8, column: 12, message: 'custom_standardization' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'the positional standardize argument, a tf.keras import, a lambda map with a helper call',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras.layers import TextVectorization\n' + STD +
        'spa = TextVectorization(1000, custom_standardization)\ndef fmt(eng, es):\n    return {"in": spa(es)[:, :-1]}, spa(es)[:, 1:]\n' +
        'ds = tf.data.Dataset.from_tensor_slices((a, b)).batch(2)\nds = ds.map(lambda e, s: fmt(e, s))\n',
      errors: [{ line: 7, column: 19 }, { line: 7, column: 37 }]
    },
    {
      name: 'unsafe fix: standardize=None, the function applied before the mapped call, the eager call and adapt (a dataset mapped, an array wrapped)',
      code:
        HEAD +
        'vectorize_layer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4, standardize=custom_standardization)\n' +
        'vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x))\nvectorize_layer.adapt(texts)\nprint(vectorize_layer.get_vocabulary()[:3])\n' +
        'def vectorize_text(text, label):\n    return vectorize_layer(text), label\n' +
        'train_ds = raw_train_ds.map(vectorize_text)\nprint(vectorize_layer(["a text"]))\n',
      errors: [{ line: 10, column: 12, message: 'Suggested fix: `standardize=None`' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'vectorize_layer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4, standardize=None)\n' +
        'vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x).map(custom_standardization))\nvectorize_layer.adapt(custom_standardization(texts))\nprint(vectorize_layer.get_vocabulary()[:3])\n' +
        'def vectorize_text(text, label):\n    return vectorize_layer(custom_standardization(text)), label\n' +
        'train_ds = raw_train_ds.map(vectorize_text)\nprint(vectorize_layer(custom_standardization(["a text"])))\n'
    },
    {
      name: 'no fix where the layer is also applied to a model input (the function cannot run on a KerasTensor)',
      code:
        HEAD +
        'tv = keras.layers.TextVectorization(standardize=custom_standardization)\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(a))\n' +
        'inputs = keras.Input(shape=(1,), dtype="string")\nmodel = keras.Model(inputs, tv(inputs))\n',
      errors: [{ line: 6, column: 58 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a lambda as the standardize function',
      code: 'import keras\nimport tensorflow as tf\ntv = keras.layers.TextVectorization(standardize=lambda s: tf.strings.lower(s))\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tv(a))\n',
      errors: [{ line: 4, column: 58 }]
    },
    {
      name: 'the layer made in an earlier cell',
      code: [HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\n', 'train_ds = train_ds.map(lambda a, b: (tv(a), b))\n'],
      errors: [
        { cell: 0, line: 5, column: 49, message: 'a later cell calls inside' },
        { cell: 1, line: 1, column: 39 }
      ],
      fixOptions: { unsafe: true },
      output: [
        HEAD + 'tv = keras.layers.TextVectorization(standardize=None)\ntv_standardize = custom_standardization  # applied before `tv` where it is used (Keras 3.15 cannot run it inside tf.data on JAX and PyTorch)\n',
        'train_ds = train_ds.map(lambda a, b: (tv(tv_standardize(a)), b))\n'
      ]
    },
    {
      name: 'definition, adapt and map in three cells (keras.io text classification), an eager call in the first',
      code: [
        HEAD + 'vectorize_layer = keras.layers.TextVectorization(max_tokens=100, standardize=custom_standardization)\nprint(vectorize_layer(["A text"]))\n',
        'text_ds = raw_train_ds.map(lambda x, y: x)\nvectorize_layer.adapt(text_ds)\n',
        'def vectorize_text(text, label):\n    text = tf.expand_dims(text, -1)\n    return vectorize_layer(text), label\n\ntrain_ds = raw_train_ds.map(vectorize_text)\nval_ds = raw_val_ds.map(vectorize_text)\n'
      ],
      errors: [
        { cell: 0, line: 5, column: 78 },
        { cell: 1, line: 2, column: 1, message: 'part of that fix' },
        { cell: 2, line: 3, column: 12 }
      ],
      fixOptions: { unsafe: true },
      output: [
        HEAD + 'vectorize_layer = keras.layers.TextVectorization(max_tokens=100, standardize=None)\nvectorize_layer_standardize = custom_standardization  # applied before `vectorize_layer` where it is used (Keras 3.15 cannot run it inside tf.data on JAX and PyTorch)\nprint(vectorize_layer(custom_standardization(["A text"])))\n',
        'text_ds = raw_train_ds.map(lambda x, y: x)\nvectorize_layer.adapt(text_ds.map(vectorize_layer_standardize))\n',
        'def vectorize_text(text, label):\n    text = tf.expand_dims(text, -1)\n    return vectorize_layer(vectorize_layer_standardize(text)), label\n\ntrain_ds = raw_train_ds.map(vectorize_text)\nval_ds = raw_val_ds.map(vectorize_text)\n'
      ]
    },
    {
      name: 'no fix where a later cell applies the layer to a model input (the end-to-end string model)',
      code: [
        HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\n',
        'train_ds = train_ds.map(lambda a, b: (tv(a), b))\n',
        'inputs = keras.Input(shape=(1,), dtype="string")\nend_to_end = keras.Model(inputs, tv(inputs))\n'
      ],
      errors: [{ cell: 1, line: 1, column: 39 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'one finding for a helper two map calls run, the layer from an earlier cell also given to a model (no fix)',
      code: [
        HEAD + 'tv = keras.layers.TextVectorization(standardize=custom_standardization)\n',
        'def vectorize_text(text, label):\n    return tv(text), label\n\ntrain_ds = raw_train_ds.map(vectorize_text)\nval_ds = raw_val_ds.map(vectorize_text)\n',
        'inputs = keras.Input(shape=(1,), dtype="string")\nend_to_end = keras.Model(inputs, tv(inputs))\n'
      ],
      errors: [{ cell: 1, line: 2, column: 12 }],
      fixOptions: { unsafe: true }
    }
  ]
});
