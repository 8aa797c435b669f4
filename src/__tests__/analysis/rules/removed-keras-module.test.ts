import { ruleTester } from '../rule-tester';
import { PREMADE_CLASSES } from '../../../analysis/helpers/premade-models';

ruleTester('removed-keras-module', {
  valid: [
    { code: 'import keras\nr = keras.layers.Rescaling(1 / 255)\n' },
    { name: 'the premade models the fix defines', code: `import keras\n\n\n${PREMADE_CLASSES.LinearModel}\n\n\n${PREMADE_CLASSES.WideDeepModel}\n\n\nm = WideDeepModel(LinearModel(units=1), dnn)\n` },
    { name: 'Keras 3 homes of the moved names', code: 'import keras\nfrom keras.layers import Rescaling\nfrom keras.utils import to_categorical\ns = keras.optimizers.schedules.CosineDecay(0.1, 100)\n' },
    { name: 'a user module named like a Keras one', code: 'from mylib.layers.core import Dense\n' },
    { code: 'from tensorflow.keras import mixed_precision\nmixed_precision.set_global_policy("mixed_float16")\n' },
    { code: 'from tensorflow.keras.preprocessing.sequence import pad_sequences\nfrom tensorflow.keras.preprocessing.image import load_img, img_to_array\n' },
    { name: 'what Keras 3 keeps of imagenet_utils', code: 'from keras.applications import imagenet_utils\nx = imagenet_utils.preprocess_input(images)\n' }
  ],
  invalid: [
    {
      // /work/og47e repro_7 (Atienza's SSD data generator): the fixed import ran on all three.
      name: 'the private tensorflow.python.keras data_utils Sequence: keras.utils, as a suggestion',
      code: 'from tensorflow.python.keras.utils.data_utils import Sequence\nclass Gen(Sequence):\n    pass\n',
      errors: [{ line: 1, column: 1 }],
      fixOptions: { unsafe: true },
      output: 'from keras.utils import Sequence\nclass Gen(Sequence):\n    pass\n'
    },
    {
      name: 'the private module import is no safe fix',
      code: 'from tensorflow.python.keras.utils.data_utils import Sequence\n',
      errors: [{ line: 1, column: 1 }],
      output: 'from tensorflow.python.keras.utils.data_utils import Sequence\n'
    },
    {
      code: 'import keras\nfrom keras.layers.experimental.preprocessing import Rescaling\nfrom keras.layers.experimental import preprocessing\nopt = keras.optimizers.legacy.Adam()\n',
      errors: [{ line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 7, endColumn: 35 }],
      output: 'import keras\nfrom keras.layers import Rescaling\nfrom keras import layers as preprocessing\nopt = keras.optimizers.Adam()\n'
    },
    {
      name: 'tf.keras spellings get the same fix, with import keras',
      code: 'import tensorflow as tf\nn = tf.keras.layers.experimental.preprocessing.Normalization()\nopt = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 7 }],
      output: 'import tensorflow as tf\nimport keras\nn = keras.layers.Normalization()\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n'
    },
    {
      name: 'a chain from an imported layers submodule keeps that name (keras.io spelling)',
      code: 'from tensorflow.keras import layers\nflip = layers.experimental.preprocessing.RandomFlip("horizontal")\nfrom keras import optimizers\nopt = optimizers.legacy.Adam()\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 7 }],
      output: 'from tensorflow.keras import layers\nflip = layers.RandomFlip("horizontal")\nfrom keras import optimizers\nopt = optimizers.Adam()\n'
    },
    {
      name: 'from tensorflow.keras... imports of moved modules',
      code: 'from tensorflow.keras.layers.experimental.preprocessing import Rescaling, RandomFlip\nfrom tensorflow.keras.optimizers.experimental import AdamW\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }],
      output: 'from keras.layers import Rescaling, RandomFlip\nfrom keras.optimizers import AdamW\n'
    },
    {
      name: 'standalone Keras 2 layer submodules and utils modules',
      code: 'from keras.layers.core import Dense, Dropout\nfrom keras.layers.convolutional import Conv2D\nfrom keras.utils.np_utils import to_categorical\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }],
      output: 'from keras.layers import Dense, Dropout\nfrom keras.layers import Conv2D\nfrom keras.utils import to_categorical\n'
    },
    {
      name: 'keras.experimental: the schedules moved, the premade models are gone',
      code: 'import tensorflow as tf\ns = tf.keras.experimental.CosineDecay(0.1, 1000)\nm = tf.keras.experimental.WideDeepModel(a, b)\nl = tf.keras.experimental.LinearModel(units=1)\n',
      errors: [
        { line: 2, column: 5, message: 'keras.optimizers.schedules.CosineDecay' },
        { line: 3, column: 5, message: 'returned `activation(linear_model(x) + dnn_model(x))`; in Keras 3 build that as one functional model' },
        { line: 4, column: 5, message: '`keras.layers.Dense(units, kernel_initializer="zeros")`' }
      ],
      output: 'import tensorflow as tf\nimport keras\ns = keras.optimizers.schedules.CosineDecay(0.1, 1000)\nm = tf.keras.experimental.WideDeepModel(a, b)\nl = tf.keras.experimental.LinearModel(units=1)\n'
    },
    {
      name: 'premade models by attribute: the program defines Keras 2\'s classes once, before their first use (a suggestion)',
      code: 'import keras\nx = 1\nlin = keras.experimental.LinearModel(units=1)\nm = keras.experimental.WideDeepModel(lin, dnn, activation="sigmoid")\nr = keras.experimental.WideDeepModel(keras.models.clone_model(lin), dnn)\n',
      errors: [{ line: 3, column: 7 }, { line: 4, column: 5 }, { line: 5, column: 5 }],
      fixOptions: { unsafe: true },
      output: `import keras\nx = 1\n\n\n${PREMADE_CLASSES.LinearModel}\n\n\n${PREMADE_CLASSES.WideDeepModel}\n\n\nlin = LinearModel(units=1)\nm = WideDeepModel(lin, dnn, activation="sigmoid")\nr = WideDeepModel(keras.models.clone_model(lin), dnn)\n`
    },
    {
      name: 'premade model inside a function, keyword arguments, tf.keras spelling: the class goes before the function',
      code: 'from tensorflow import keras\n\n\ndef build(dnn):\n    return keras.experimental.WideDeepModel(linear_model=dnn, dnn_model=dnn)\n',
      errors: [{ line: 5, column: 12 }],
      fixOptions: { unsafe: true },
      output: `from tensorflow import keras\n\n\n${PREMADE_CLASSES.WideDeepModel}\n\n\ndef build(dnn):\n    return WideDeepModel(linear_model=dnn, dnn_model=dnn)\n`
    },
    {
      name: 'premade models imported by name: the import becomes the classes',
      code: 'import keras\nfrom tensorflow.keras.experimental import LinearModel, WideDeepModel\nimport numpy as np\n\nm = WideDeepModel(LinearModel(), dnn)\n',
      errors: [{ line: 2, column: 1 }],
      fixOptions: { unsafe: true },
      output: `import keras\nimport numpy as np\n\n\n${PREMADE_CLASSES.LinearModel}\n\n\n${PREMADE_CLASSES.WideDeepModel}\n\n\nm = WideDeepModel(LinearModel(), dnn)\n`
    },
    {
      name: 'premade models in two notebook cells: each cell defines the ones it calls',
      code: ['import keras\nlin = keras.experimental.LinearModel()\n', 'wd = keras.experimental.WideDeepModel(lin, dnn)\n'],
      errors: [{ cell: 0, line: 2, column: 7 }, { cell: 1, line: 1, column: 6 }],
      fixOptions: { unsafe: true },
      output: [`import keras\n\n\n${PREMADE_CLASSES.LinearModel}\n\n\nlin = LinearModel()\n`, `${PREMADE_CLASSES.WideDeepModel}\n\n\nwd = WideDeepModel(lin, dnn)\n`]
    },
    {
      name: 'no fix where the program binds the name to something else, or imports it renamed',
      code: 'import keras\nclass LinearModel:\n    pass\nl = keras.experimental.LinearModel(1)\nfrom tensorflow.keras.experimental import WideDeepModel as WD\n',
      errors: [{ line: 4, column: 5 }, { line: 5, column: 1 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the safe fixes leave the premade models alone',
      code: 'import keras\nl = keras.experimental.LinearModel(1)\n',
      errors: [{ line: 2, column: 5 }]
    },
    {
      name: 'Tokenizer: no replacement module; tf.keras keeps it, so it blocks no backend',
      code: 'from tensorflow.keras.preprocessing.text import Tokenizer\n',
      errors: [{ line: 1, column: 1, message: 'TextVectorization' }],
      blocks: []
    },
    {
      name: 'tf.keras.preprocessing.image.ImageDataGenerator runs on Keras 3 (tf.keras keeps it): it blocks no backend',
      code: 'import tensorflow as tf\ngen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255.0)\n',
      errors: [{ line: 2, column: 7, message: 'keeps this Keras 2 module' }],
      blocks: []
    },
    {
      name: 'the keras spelling of the preprocessing modules fails on every backend',
      code: 'from keras.preprocessing.text import Tokenizer\nfrom keras.preprocessing.image import ImageDataGenerator\n',
      errors: [{ line: 1, column: 1, message: 'does not exist in Keras 3' }, { line: 2, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'an alias of a moved module is reported at its import only',
      code: 'from tensorflow.keras.layers.experimental import preprocessing\nnorm = preprocessing.Normalization()\n',
      errors: [{ line: 1, column: 1 }],
      output: 'from keras import layers as preprocessing\nnorm = preprocessing.Normalization()\n'
    },
    {
      name: 'experimental mixed precision API',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.mixed_precision import experimental as mixed_precision\ntf.keras.mixed_precision.experimental.set_policy("mixed_float16")\n',
      errors: [{ line: 2, column: 1, message: 'set_global_policy' }, { line: 3, column: 1 }]
    },
    {
      name: 'helpers that went with ImageDataGenerator and the sequence utilities',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.preprocessing.sequence import TimeseriesGenerator\nfrom keras.utils import multi_gpu_model\nimg = tf.keras.preprocessing.image.random_rotation(x, 20)\n',
      errors: [{ line: 2, column: 1, message: 'timeseries_dataset_from_array' }, { line: 3, column: 1 }, { line: 4, column: 7, message: 'Random' }]
    },
    {
      name: 'experimental layers and callbacks that graduated',
      code: 'import tensorflow as tf\nd = tf.keras.layers.experimental.EinsumDense("ab,bc->ac", output_shape=4)\ncb = tf.keras.callbacks.experimental.BackupAndRestore(backup_dir="backup")\nbn = tf.keras.layers.experimental.SyncBatchNormalization()\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 6 }, { line: 4, column: 6, message: 'synchronized=True' }],
      output: 'import tensorflow as tf\nimport keras\nd = keras.layers.EinsumDense("ab,bc->ac", output_shape=4)\ncb = keras.callbacks.BackupAndRestore(backup_dir="backup")\nbn = tf.keras.layers.experimental.SyncBatchNormalization()\n'
    },
    {
      name: 'Keras 2 engine and utils spellings of names that still exist',
      code: 'from keras.engine.topology import Layer\nfrom keras.engine.input_spec import InputSpec\nfrom keras.utils.generic_utils import get_custom_objects\nfrom keras.engine import training\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 1, message: 'private Keras 2 API' }],
      output: 'from keras.layers import Layer\nfrom keras.layers import InputSpec\nfrom keras.utils import get_custom_objects\nfrom keras.engine import training\n'
    },
    {
      name: 'skipgrams and make_sampling_table (Node2Vec / word2vec): Keras 2\'s own code defined once in the cell, every use pointed at it',
      code:
        'from tensorflow import keras\n\ntable = keras.preprocessing.sequence.make_sampling_table(10)\npairs, labels = keras.preprocessing.sequence.skipgrams([1, 2, 3], 10, sampling_table=table)\nmore = keras.preprocessing.sequence.skipgrams([4, 5], 10)\n',
      errors: [{ line: 3, column: 9, message: 'keeps this Keras 2 module' }, { line: 4, column: 17 }, { line: 5, column: 8 }],
      blocks: [],
      output: 'from tensorflow import keras\n\ndef skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,\n              categorical=False, sampling_table=None, seed=None):\n    # Keras 2\'s keras.preprocessing.sequence.skipgrams (not in Keras 3), with the same random draws.\n    import random\n\n    couples = []\n    labels = []\n    for i, wi in enumerate(sequence):\n        if not wi:\n            continue\n        if sampling_table is not None:\n            if sampling_table[wi] < random.random():\n                continue\n        window_start = max(0, i - window_size)\n        window_end = min(len(sequence), i + window_size + 1)\n        for j in range(window_start, window_end):\n            if j != i:\n                wj = sequence[j]\n                if not wj:\n                    continue\n                couples.append([wi, wj])\n                labels.append([0, 1] if categorical else 1)\n    if negative_samples > 0:\n        num_negative_samples = int(len(labels) * negative_samples)\n        words = [c[0] for c in couples]\n        random.shuffle(words)\n        couples += [\n            [words[i % len(words)], random.randint(1, vocabulary_size - 1)]\n            for i in range(num_negative_samples)\n        ]\n        labels += [[1, 0] if categorical else 0] * num_negative_samples\n    if shuffle:\n        if seed is None:\n            seed = random.randint(0, 10e6)\n        random.seed(seed)\n        random.shuffle(couples)\n        random.seed(seed)\n        random.shuffle(labels)\n    return couples, labels\n\n\ndef make_sampling_table(size, sampling_factor=1e-5):\n    # Keras 2\'s keras.preprocessing.sequence.make_sampling_table (not in Keras 3), in NumPy.\n    import numpy\n\n    gamma = 0.577\n    rank = numpy.arange(size)\n    rank[0] = 1\n    inv_fq = rank * (numpy.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)\n    f = sampling_factor * inv_fq\n    return numpy.minimum(1.0, f / numpy.sqrt(f))\n\n\ntable = make_sampling_table(10)\npairs, labels = skipgrams([1, 2, 3], 10, sampling_table=table)\nmore = skipgrams([4, 5], 10)\n'
    },
    {
      name: 'skipgrams when the cell already binds the name: no fix',
      code: 'import keras\nskipgrams = None\npairs = keras.preprocessing.sequence.skipgrams([1, 2], 4)\n',
      errors: [{ line: 3, column: 9, message: 'keeps only `pad_sequences`' }]
    },
    {
      name: 'imagenet_utils.correct_pad (keras.io MobileViT): Keras\'s own padding arithmetic defined once, the call pointed at it',
      code: 'from keras.applications import imagenet_utils\nfrom tensorflow.keras import layers\n\n\ndef down(t):\n    t = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(t, 3))(t)\n    return layers.DepthwiseConv2D(3, strides=2)(t)\n',
      errors: [{ line: 6, column: 38, message: 'keeps only `decode_predictions` and `preprocess_input`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'from keras.applications import imagenet_utils\nfrom tensorflow.keras import layers\n\n\ndef correct_pad(inputs, kernel_size):\n    # Keras 2\'s keras.applications.imagenet_utils.correct_pad (not public in Keras 3), the same padding.\n    import keras\n\n    img_dim = 2 if keras.backend.image_data_format() == "channels_first" else 1\n    input_size = inputs.shape[img_dim : (img_dim + 2)]\n    if isinstance(kernel_size, int):\n        kernel_size = (kernel_size, kernel_size)\n    if input_size[0] is None:\n        adjust = (1, 1)\n    else:\n        adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)\n    correct = (kernel_size[0] // 2, kernel_size[1] // 2)\n    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))\n\n\ndef down(t):\n    t = layers.ZeroPadding2D(padding=correct_pad(t, 3))(t)\n    return layers.DepthwiseConv2D(3, strides=2)(t)\n'
    },
    {
      name: 'obtain_input_shape is gone too: claimed, no fix',
      code: 'from keras.applications import imagenet_utils\nshape = imagenet_utils.obtain_input_shape(None, 224, 32, "channels_last", True)\n',
      errors: [{ line: 2, column: 9, message: 'keeps only `decode_predictions`' }]
    },
    {
      name: 'Estimator bridge and premade models',
      code: 'import tensorflow as tf\nest = tf.keras.estimator.model_to_estimator(keras_model=model)\nfrom tensorflow.keras.premade import WideDeepModel\n',
      errors: [{ line: 2, column: 7, message: 'Estimator' }, { line: 3, column: 1 }]
    }
  ]
});
