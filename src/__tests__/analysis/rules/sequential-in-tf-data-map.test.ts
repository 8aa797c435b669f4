import { ruleTester } from '../rule-tester';

const AUG = 'aug = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\n';

ruleTester('sequential-in-tf-data-map', {
  valid: [
    {
      // helper oe40e (TF data-augmentation tutorial): ran on tf, jax and torch; before, KM179 claimed jax and torch.
      name: 'the name rebound to a plain function by a def before the map',
      code: 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras import layers\nresize_and_rescale = tf.keras.Sequential([layers.Resizing(8, 8), layers.Rescaling(1./255)])\nprint(resize_and_rescale(tf.zeros((1, 16, 16, 3))).shape)\ndef resize_and_rescale(image, label):\n  return tf.image.resize(image, [8, 8]) / 255.0, label\ndef augment(image, label):\n  image, label = resize_and_rescale(image, label)\n  return image, label\nds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 16, 16, 3)), np.zeros(4))).map(augment)\n'
    },
    {
      name: 'a name one of whose branches holds a single preprocessing layer: not every value is a Sequential',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'flip = keras.layers.RandomFlip("horizontal")\ndef prepare(ds, training):\n    if training:\n        fn = aug\n    else:\n        fn = flip\n    return ds.map(lambda a, b: (fn(a), b))\n'
    },
    { name: 'single preprocessing layers run in tf.data on every backend', code: 'import keras\nimport tensorflow as tf\nflip = keras.layers.RandomFlip("horizontal")\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: flip(a))\n' },
    { name: 'a Pipeline', code: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal")])\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: aug(a))\n' },
    { name: 'a Sequential used in the model, not in tf.data', code: 'import keras\n' + AUG + 'inp = keras.Input((16, 16, 3))\nout = keras.layers.Dense(2)(keras.layers.Flatten()(aug(inp)))\n' },
    { name: 'map of something that is not a dataset', code: 'import keras\n' + AUG + 'frames = df.map(lambda a: aug(a))\nout = list(map(aug, xs))\n' },
    { name: 'a parameter given single preprocessing layers only', code: 'import keras\nimport tensorflow as tf\ndef prepare(ds, aug):\n    return ds.map(lambda a, b: (aug(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), keras.layers.RandomFlip("horizontal"))\n' },
    { name: 'a parameter of a function the cell never calls', code: 'import keras\nimport tensorflow as tf\ndef prepare(ds, aug):\n    return ds.map(lambda a, b: (aug(a), b))\n' },
    {
      name: 'a factory whose returned function does not call the Sequential',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def preprocess(flag):\n    def _pp(a, b):\n        return a / 255.0, b\n    return _pp\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(preprocess(True))\nz = aug(inputs)\n'
    },
    {
      name: 'a factory returning something else than one of its functions',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def _pp(a, b):\n    return aug(a), b\ndef preprocess(flag):\n    return lookup[flag]\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(preprocess(True))\n'
    }
  ],
  invalid: [
    {
      name: 'a local set in if/else branches to top-level names holding factory Sequentials: a suggestion',
      code: 'import keras\nimport tensorflow as tf\ndef make_train_aug():\n    seq = keras.Sequential([keras.layers.RandomFlip("horizontal")])\n    return seq\ndef make_eval_aug():\n    return keras.Sequential([keras.layers.Rescaling(1 / 255.0)])\n' + 'train_aug = make_train_aug()\neval_aug = make_eval_aug()\ndef to_dataset(x, y, training=True):\n    if training:\n        fn = train_aug\n    else:\n        fn = eval_aug\n    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8).map(lambda a, b: (fn(a), b))\n',
      errors: [{ line: 15, column: 82, message: 'keras.layers.Pipeline' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\ndef make_train_aug():\n    seq = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal")])\n    return seq\ndef make_eval_aug():\n    return keras.layers.Pipeline([keras.layers.Rescaling(1 / 255.0)])\n' + 'train_aug = make_train_aug()\neval_aug = make_eval_aug()\ndef to_dataset(x, y, training=True):\n    if training:\n        fn = train_aug\n    else:\n        fn = eval_aug\n    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8).map(lambda a, b: (fn(a), b))\n'
    },
    {
      name: 'a conditional expression of an attribute of a model that was handed the Sequential (keras.io MAE): a suggestion, no safe fix',
      code: 'import keras\nimport tensorflow as tf\ndef make_train_aug():\n    seq = keras.Sequential([keras.layers.RandomFlip("horizontal")])\n    return seq\ndef make_eval_aug():\n    return keras.Sequential([keras.layers.Rescaling(1 / 255.0)])\n' + 'class Trainer(keras.Model):\n    def __init__(self, train_aug, **kw):\n        super().__init__(**kw)\n        self.train_aug = train_aug\ntrainer = Trainer(train_aug=make_train_aug())\ntrain_aug = trainer.train_aug\ndef to_dataset(x, y, training=True):\n    fn = train_aug if training else make_eval_aug()\n    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8).map(lambda a, b: (fn(a), b))\n',
      errors: [{ line: 16, column: 82 }],
      output: 'import keras\nimport tensorflow as tf\ndef make_train_aug():\n    seq = keras.Sequential([keras.layers.RandomFlip("horizontal")])\n    return seq\ndef make_eval_aug():\n    return keras.Sequential([keras.layers.Rescaling(1 / 255.0)])\n' + 'class Trainer(keras.Model):\n    def __init__(self, train_aug, **kw):\n        super().__init__(**kw)\n        self.train_aug = train_aug\ntrainer = Trainer(train_aug=make_train_aug())\ntrain_aug = trainer.train_aug\ndef to_dataset(x, y, training=True):\n    fn = train_aug if training else make_eval_aug()\n    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8).map(lambda a, b: (fn(a), b))\n'
    },
    {
      name: 'the function a top-level factory returns (keras.io DeiT: dataset.map(preprocess_dataset(is_training)) with a nested def): Pipeline, safe',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ndata_augmentation = keras.Sequential([layers.RandomCrop(8, 8), layers.RandomFlip("horizontal")], name="data_augmentation")\ndef preprocess_dataset(is_training=True):\n    def _pp(image, label):\n        if is_training:\n            image = data_augmentation(image, training=True)\n        return image, tf.one_hot(label, depth=5)\n    return _pp\ndef prepare_dataset(x, y, is_training=True):\n    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)\n    return dataset.map(preprocess_dataset(is_training), num_parallel_calls=tf.data.AUTOTUNE)\n',
      errors: [{ line: 8, column: 21, message: 'keras.layers.Pipeline' }],
      blocks: ['jax', 'torch'],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ndata_augmentation = keras.layers.Pipeline([layers.RandomCrop(8, 8), layers.RandomFlip("horizontal")], name="data_augmentation")\ndef preprocess_dataset(is_training=True):\n    def _pp(image, label):\n        if is_training:\n            image = data_augmentation(image, training=True)\n        return image, tf.one_hot(label, depth=5)\n    return _pp\ndef prepare_dataset(x, y, is_training=True):\n    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)\n    return dataset.map(preprocess_dataset(is_training), num_parallel_calls=tf.data.AUTOTUNE)\n'
    },
    {
      name: 'a lambda a top-level factory returns',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def make_fn():\n    return lambda a, b: (aug(a), b)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(make_fn())\n',
      errors: [{ line: 5, column: 26 }],
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\ndef make_fn():\n    return lambda a, b: (aug(a), b)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(make_fn())\n'
    },
    {
      name: 'a parameter of the function holding the map, given Sequentials that cell functions return (keras.io PatchConvNet): Pipelines, safe',
      code: 'import keras\nimport tensorflow as tf\nfrom keras import layers\ndef get_augmenter():\n    model = keras.Sequential([layers.Rescaling(1 / 255.0), layers.RandomFlip("horizontal")], name="augment")\n    return model\ndef get_preprocessing():\n    return keras.Sequential([layers.Rescaling(1 / 255.0)])\ndef prepare(images, labels, augmentation_model):\n    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)\n    return ds.map(lambda a, b: (augmentation_model(a), b))\ntrain_ds = prepare(x, y, get_augmenter())\nval_ds = prepare(x, y, augmentation_model=get_preprocessing())\n',
      errors: [{ line: 11, column: 33, message: 'keras.layers.Pipeline' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport tensorflow as tf\nfrom keras import layers\ndef get_augmenter():\n    model = keras.layers.Pipeline([layers.Rescaling(1 / 255.0), layers.RandomFlip("horizontal")], name="augment")\n    return model\ndef get_preprocessing():\n    return keras.layers.Pipeline([layers.Rescaling(1 / 255.0)])\ndef prepare(images, labels, augmentation_model):\n    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)\n    return ds.map(lambda a, b: (augmentation_model(a), b))\ntrain_ds = prepare(x, y, get_augmenter())\nval_ds = prepare(x, y, augmentation_model=get_preprocessing())\n'
    },
    {
      name: 'a parameter given a top-level Sequential also called in the model: a suggestion',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), aug)\nz = aug(inputs)\n',
      errors: [{ line: 5, column: 33 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\ndef prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), aug)\nz = aug(inputs)\n'
    },
    {
      name: 'a parameter given a top-level Sequential used nowhere else: safe',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), aug)\n',
      errors: [{ line: 5, column: 33 }],
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\ndef prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), aug)\n'
    },
    {
      name: 'the factory Sequential also summarised inside it: a suggestion',
      code: 'import keras\nimport tensorflow as tf\ndef get_augmenter():\n    model = keras.Sequential([keras.layers.RandomFlip("horizontal")])\n    model.summary()\n    return model\ndef prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), get_augmenter())\n',
      errors: [{ line: 8, column: 33 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\ndef get_augmenter():\n    model = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal")])\n    model.summary()\n    return model\ndef prepare(ds, augmenter):\n    return ds.map(lambda a, b: (augmenter(a), b))\ntrain = prepare(tf.data.Dataset.from_tensor_slices((x, y)), get_augmenter())\n'
    },
    {
      name: 'a lambda over a tf.data chain: Pipeline, safe (the Sequential is used nowhere else)',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (aug(a, training=True), b))\n',
      errors: [{ line: 4, column: 76, message: 'keras.layers.Pipeline' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (aug(a, training=True), b))\n'
    },
    {
      name: 'a def given to map of a dataset held in a name; the Sequential also called in the model: a suggestion',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers, Sequential\ndata_augmentation = Sequential([layers.RandomZoom(0.1), layers.Rescaling(1.0 / 255)])\ntrain_ds = tf.keras.utils.image_dataset_from_directory("imgs")\ndef prep(images, labels):\n    return data_augmentation(images), labels\ntrain_ds = train_ds.map(prep, num_parallel_calls=tf.data.AUTOTUNE)\nx = data_augmentation(inputs)\n',
      errors: [{ line: 6, column: 12 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers, Sequential\nimport keras\ndata_augmentation = keras.layers.Pipeline([layers.RandomZoom(0.1), layers.Rescaling(1.0 / 255)])\ntrain_ds = tf.keras.utils.image_dataset_from_directory("imgs")\ndef prep(images, labels):\n    return data_augmentation(images), labels\ntrain_ds = train_ds.map(prep, num_parallel_calls=tf.data.AUTOTUNE)\nx = data_augmentation(inputs)\n'
    },
    {
      name: 'mapped inside a helper function, the Sequential made at the top of the cell',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\n' + AUG + 'def prepare(ds, augment=False):\n    ds = ds.map(lambda x, y: (x / 255.0, y))\n    if augment:\n        ds = ds.map(lambda x, y: (aug(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)\n    return ds\n',
      errors: [{ line: 7, column: 35 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\ndef prepare(ds, augment=False):\n    ds = ds.map(lambda x, y: (x / 255.0, y))\n    if augment:\n        ds = ds.map(lambda x, y: (aug(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)\n    return ds\n'
    },
    {
      name: 'called in a function of the cell that the mapped function calls: Pipeline, safe',
      code: 'import keras\nimport tensorflow as tf\n' + AUG + 'def augment(img):\n    return aug(img, training=True)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (augment(a), b))\n',
      errors: [{ line: 5, column: 12 }],
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\ndef augment(img):\n    return aug(img, training=True)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (augment(a), b))\n'
    },
    {
      name: 'name= carries over to the Pipeline (keras.layers.Pipeline(layers, name=None)): safe',
      code: 'import keras\nimport tensorflow as tf\nfrom keras import layers\ndata_augmentation = keras.Sequential(\n    [layers.RandomCrop(32, 32), layers.RandomFlip("horizontal"),],\n    name="data_augmentation",\n)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (data_augmentation(a), b))\n',
      errors: [{ line: 8, column: 67 }],
      output: 'import keras\nimport tensorflow as tf\nfrom keras import layers\ndata_augmentation = keras.layers.Pipeline(\n    [layers.RandomCrop(32, 32), layers.RandomFlip("horizontal"),],\n    name="data_augmentation",\n)\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (data_augmentation(a), b))\n'
    },
    {
      name: 'layers= and name= given by keyword: Pipeline',
      code: 'import keras\nimport tensorflow as tf\naug = keras.Sequential(name="aug", layers=[keras.layers.RandomFlip("horizontal")])\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: aug(a))\n',
      errors: [{ line: 4, column: 58 }],
      output: 'import keras\nimport tensorflow as tf\naug = keras.layers.Pipeline(name="aug", layers=[keras.layers.RandomFlip("horizontal")])\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: aug(a))\n'
    },
    {
      name: 'trainable= (no Pipeline keyword): flagged, no fix',
      code: 'import keras\nimport tensorflow as tf\naug = keras.Sequential([keras.layers.RandomFlip("horizontal")], trainable=False)\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: aug(a))\n',
      errors: [{ line: 4, column: 58 }]
    },
    {
      name: 'a Sequential with other layers: flagged, no fix',
      code: 'import keras\nimport tensorflow as tf\nproj = keras.Sequential([keras.layers.Dense(4)])\nds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: proj(a))\n',
      errors: [{ line: 4, column: 58 }]
    },
    {
      name: 'the Sequential made in an earlier cell: flagged where it is mapped, no fix',
      code: ['import keras\nimport tensorflow as tf\n' + AUG, 'train_ds = train_ds.map(lambda a, b: (aug(a), b))\n'],
      errors: [{ cell: 1, line: 1, column: 39 }]
    }
  ]
});
