import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';
const DS = 'ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)\n';

ruleTester('keras-layer-in-tf-data-map', {
  valid: [
    { name: 'a single preprocessing layer runs in tf.data on every backend', code: HEAD + 'flip = keras.layers.RandomFlip("horizontal")\n' + DS + 'ds = ds.map(lambda a, b: (flip(a, training=True), b))\n' },
    { name: 'preprocessing layers called from a helper', code: HEAD + 'flip = keras.layers.RandomFlip("horizontal")\nrot = keras.layers.RandomRotation(0.1)\ndef augment(img):\n    return rot(flip(img, training=True), training=True)\n' + DS + 'ds = ds.map(lambda a, b: (augment(a), b))\n' },
    { name: 'a Pipeline and a Normalization', code: HEAD + 'aug = keras.layers.Pipeline([keras.layers.RandomFlip()])\nnorm = keras.layers.Normalization()\n' + DS + 'ds = ds.map(lambda a, b: (norm(aug(a)), b))\n' },
    { name: 'a Sequential is KM179s', code: HEAD + 'proj = keras.Sequential([keras.layers.Dense(4)])\n' + DS + 'ds = ds.map(lambda a, b: (proj(a), b))\n' },
    { name: 'TF ops in the map', code: HEAD + DS + 'ds = ds.map(lambda a, b: (tf.image.flip_left_right(a), tf.one_hot(b, 3)))\n' },
    {
      name: 'preprocess_input of applications that scale with Python operators or pass the input through runs in tf.data on every backend',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.applications.mobilenet_v2 import preprocess_input\nfrom tensorflow import keras\n' + DS + 'ds = ds.map(lambda a, b: (preprocess_input(a), keras.applications.efficientnet.preprocess_input(b)))\n'
    },
    { name: 'a Dense layer used in the model, not in tf.data', code: HEAD + 'dense = keras.layers.Dense(4)\nout = dense(keras.Input((3,)))\nres = list(map(dense, xs))\n' }
  ],
  invalid: [
    {
      name: 'a functional model of preprocessing layers in a lambda',
      code: HEAD + 'inp = keras.Input((16, 16, 3))\naug = keras.Model(inp, keras.layers.RandomFlip("horizontal")(inp))\n' + DS + 'ds = ds.map(lambda a, b: (aug(a, training=True), b))\n',
      errors: [{ line: 6, column: 27, message: 'Keras model (`Model`)' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a Dense layer in a mapped def; a custom layer and keras.ops in a helper it calls',
      code:
        HEAD +
        'class Scale(keras.layers.Layer):\n    def call(self, t):\n        return t * 2.0\nproj = keras.layers.Dense(4)\nscale = Scale()\ndef helper(img):\n    return keras.ops.clip(scale(img), 0, 1)\ndef prep(img, label):\n    return proj(helper(img)), label\n' +
        DS +
        'ds = ds.map(prep)\n',
      errors: [
        { line: 11, column: 12, message: 'Keras layer (`Dense`)' },
        { line: 9, column: 12, message: '`keras.ops.clip` is a Keras function' },
        { line: 9, column: 27, message: 'Keras layer (`Scale`)' }
      ]
    },
    {
      name: 'preprocess_input of keras.applications imported by name',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.applications.resnet50 import preprocess_input\n' + DS + 'ds = ds.map(lambda a, b: (preprocess_input(a), b))\n',
      errors: [{ line: 4, column: 27, message: 'preprocess_input' }]
    },
    {
      name: 'a functional model chaining preprocessing layers from its Input, only called: a Pipeline of the same layers (a suggestion)',
      code:
        HEAD +
        'from keras import layers\naug_in = keras.Input(shape=(32, 32, 3))\naug_out = layers.RandomFlip("horizontal")(aug_in)\naug_out = layers.RandomTranslation(0.1, 0.1)(aug_out)\naugmenter = keras.Model(aug_in, aug_out, name="augmenter")\n\n\ndef augment(image, label):\n    return augmenter(image, training=True), label\n\n\n' +
        DS +
        'ds = ds.map(augment)\n',
      errors: [{ line: 11, column: 12, message: 'Keras model (`Model`)' }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'from keras import layers\naugmenter = keras.layers.Pipeline([layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)], name="augmenter")\n\n\ndef augment(image, label):\n    return augmenter(image, training=True), label\n\n\n' +
        DS +
        'ds = ds.map(augment)\n'
    },
    {
      name: 'no Pipeline when the model is used as a model too (summary) or its tensors elsewhere',
      code:
        HEAD +
        'inp = keras.Input((8, 8, 3))\nout = keras.layers.RandomFlip()(inp)\naug = keras.Model(inp, out)\naug.summary()\nmid = keras.Input((8, 8, 3))\nflipped = keras.layers.RandomFlip()(mid)\naug2 = keras.Model(mid, flipped)\nhead = keras.layers.Dense(2)(flipped)\n' +
        DS +
        'ds = ds.map(lambda a, b: (aug(a), aug2(b)))\n',
      errors: [{ line: 12, column: 27 }, { line: 12, column: 35 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the layer made in an earlier cell',
      code: [HEAD + 'proj = keras.layers.Dense(4)\n', 'train_ds = train_ds.map(lambda a, b: (proj(a), b))\n'],
      errors: [{ cell: 1, line: 1, column: 39 }]
    },
    {
      name: 'a custom layer of preprocessing layers given to map() itself (TF image-segmentation tutorial): map its call method',
      code:
        'import tensorflow as tf\n\nclass Augment(tf.keras.layers.Layer):\n    def __init__(self, seed=42):\n        super().__init__()\n        self.augment_inputs = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)\n        self.augment_labels = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)\n\n    def call(self, inputs, labels):\n        inputs = self.augment_inputs(inputs)\n        labels = self.augment_labels(labels)\n        return inputs, labels\n\ntrain_batches = train_dataset.batch(16).repeat().map(Augment()).prefetch(buffer_size=tf.data.AUTOTUNE)\n',
      errors: [{ line: 14, column: 54, message: 'map its `call` method' }],
      output:
        'import tensorflow as tf\n\nclass Augment(tf.keras.layers.Layer):\n    def __init__(self, seed=42):\n        super().__init__()\n        self.augment_inputs = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)\n        self.augment_labels = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)\n\n    def call(self, inputs, labels):\n        inputs = self.augment_inputs(inputs)\n        labels = self.augment_labels(labels)\n        return inputs, labels\n\ntrain_batches = train_dataset.batch(16).repeat().map(Augment().call).prefetch(buffer_size=tf.data.AUTOTUNE)\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'a custom layer with weights given to map() itself: no fix',
      code:
        'import tensorflow as tf\n\nclass Proj(tf.keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = tf.keras.layers.Dense(4)\n\n    def call(self, x, y):\n        return self.dense(x), y\n\nproj = Proj()\nds = train_dataset.map(proj)\n',
      errors: [{ line: 12, column: 24 }]
    },
    {
      name: 'caffe preprocess_input of one image in a mapped def (keras.io FCN): TensorFlow ops in its dtype (a suggestion)',
      code:
        HEAD +
        'def preprocess_data(image, mask):\n    image = keras.applications.vgg19.preprocess_input(image)\n    return image, mask\n' +
        DS +
        'ds = ds.map(preprocess_data)\n',
      errors: [{ line: 4, column: 13, message: 'written with TensorFlow ops' }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'def preprocess_data(image, mask):\n    image = tf.reverse(image, axis=[-1]) - tf.constant([103.939, 116.779, 123.68], image.dtype)\n    return image, mask\n' +
        DS +
        'ds = ds.map(preprocess_data)\n'
    },
    {
      name: 'caffe preprocess_input of an expression inside a larger one: parenthesized, the means as a list',
      code: HEAD + 'from keras.applications.resnet50 import preprocess_input\n' + DS + 'ds = ds.map(lambda a, b: (preprocess_input(tf.cast(a, "float32")) * 0.5, b))\n',
      errors: [{ line: 5, column: 27 }],
      fixOptions: { unsafe: true },
      output: HEAD + 'from keras.applications.resnet50 import preprocess_input\n' + DS + 'ds = ds.map(lambda a, b: ((tf.reverse(tf.cast(a, "float32"), axis=[-1]) - [103.939, 116.779, 123.68]) * 0.5, b))\n'
    },
    {
      name: 'caffe preprocess_input with a data_format or mode: no fix',
      code: HEAD + DS + 'ds = ds.map(lambda a, b: (keras.applications.vgg16.preprocess_input(a, data_format="channels_first"), keras.applications.imagenet_utils.preprocess_input(b, mode="caffe")))\n',
      errors: [{ line: 4, column: 27 }, { line: 4, column: 103 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'caffe preprocess_input without TensorFlow bound in the cell: no fix',
      code: 'import keras\nfrom tensorflow import data\nds = data.Dataset.from_tensor_slices((x, y)).batch(4)\nds = ds.map(lambda a, b: (keras.applications.vgg19.preprocess_input(a), b))\n',
      errors: [{ line: 4, column: 27 }],
      fixOptions: { unsafe: true }
    }
  ]
});
