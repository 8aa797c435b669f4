import { ruleTester } from '../rule-tester';

ruleTester('random-crop-inference-size', {
  valid: [
    { name: 'a crop kept in a variable (applied in tf.data.map, where it crops)', code: 'import keras\nrandom_crop = keras.layers.RandomCrop(24, 24)\n' },
    { name: 'other preprocessing layers', code: 'import keras\naugment = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomZoom(0.1)])\n' },
    { name: 'not Keras', code: 'from mylib import RandomCrop\naugment = Sequential([RandomCrop(24, 24)])\n' },
    {
      name: 'keras.io ConvMixer: a Sequential applied only in dataset.map (training defaults to True there: it crops)',
      code: 'import keras\naugment = keras.Sequential([keras.layers.RandomCrop(24, 24), keras.layers.RandomFlip("horizontal")])\n\ndef make(dataset):\n    return dataset.map(lambda x, y: (augment(x), y))\n'
    },
    {
      name: 'already followed by a Resizing, past a comment',
      code: 'import keras\naugment = keras.Sequential([\n    keras.layers.RandomCrop(24, 24),\n    # inference size\n    keras.layers.Resizing(24, 24, crop_to_aspect_ratio=True),\n])\n'
    },
    { name: 'a list that is not a model', code: 'import keras\ncandidates = [keras.layers.RandomCrop(24, 24)]\n' }
  ],
  invalid: [
    {
      name: 'keras.io ShiftViT augmentation: one layer per line',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\naugment = keras.Sequential(\n    [\n        layers.Resizing(36, 36),\n        layers.RandomCrop(32, 32),\n        layers.RandomFlip("horizontal"),\n    ]\n)\n',
      errors: [{ line: 6, column: 9, message: 'Since Keras 3.8' }],
      blocks: [],
      output: 'from tensorflow import keras\nfrom tensorflow.keras import layers\naugment = keras.Sequential(\n    [\n        layers.Resizing(36, 36),\n        layers.RandomCrop(32, 32),\n        layers.Resizing(32, 32, crop_to_aspect_ratio=True),\n        layers.RandomFlip("horizontal"),\n    ]\n)\n'
    },
    {
      name: 'the same Sequential applied in dataset.map and in a model',
      code: 'import keras\naugment = keras.Sequential([keras.layers.RandomCrop(24, 24)])\nds = ds.map(lambda x, y: (augment(x), y))\nx = augment(inputs)\n',
      errors: [{ line: 2, column: 29 }],
      output: 'import keras\naugment = keras.Sequential([keras.layers.RandomCrop(24, 24), keras.layers.Resizing(24, 24, crop_to_aspect_ratio=True)])\nds = ds.map(lambda x, y: (augment(x), y))\nx = augment(inputs)\n'
    },
    {
      name: 'inline list, last element, keyword sizes',
      code: 'import keras\naugment = keras.Sequential([keras.layers.RandomFlip(), keras.layers.RandomCrop(height=24, width=20)])\n',
      errors: [{ line: 2, column: 56 }],
      output: 'import keras\naugment = keras.Sequential([keras.layers.RandomFlip(), keras.layers.RandomCrop(height=24, width=20), keras.layers.Resizing(24, 20, crop_to_aspect_ratio=True)])\n'
    },
    {
      name: 'the Keras 2 experimental spelling in a functional model',
      code: 'import tensorflow as tf\ninputs = tf.keras.Input((40, 40, 3))\nx = tf.keras.layers.experimental.preprocessing.RandomCrop(32, 32)(inputs)\n',
      errors: [{ line: 3, column: 5 }],
      output: 'import tensorflow as tf\ninputs = tf.keras.Input((40, 40, 3))\nx = tf.keras.layers.experimental.preprocessing.Resizing(32, 32, crop_to_aspect_ratio=True)(tf.keras.layers.experimental.preprocessing.RandomCrop(32, 32)(inputs))\n'
    }
  ]
});
