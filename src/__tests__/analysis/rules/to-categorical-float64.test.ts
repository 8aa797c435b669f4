import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';
const STEP_DATA = 'y = keras.utils.to_categorical(labels, 3)\nds = tf.data.Dataset.from_tensor_slices((x, y))\nds = ds.shuffle(16).batch(4)\n';
const stepModel = (body: string): string =>
  'class CondGAN(keras.Model):\n    def train_step(self, data):\n        images, one_hot = data\n' + body + '        return {}\n' + 'gan = CondGAN()\ngan.compile()\ngan.fit(ds, epochs=1)\n';

ruleTester('to-categorical-float64', {
  valid: [
    { name: 'given to fit (Keras casts)', code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\nmodel.fit(x, y, epochs=1)\n' },
    { name: 'a dataset whose map leaves the labels alone, then fit', code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (a / 255.0, b))\nmodel.fit(ds)\n' },
    { name: 'a TF op on the labels alone', code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\nclasses = tf.argmax(y, axis=1)\n' },
    { name: 'already cast', code: HEAD + 'y = keras.utils.to_categorical(labels, 3).astype("float32")\nz = tf.matmul(y, w)\n' },
    { name: 'reassigned before the TF op', code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\ny = tf.constant(labels)\nz = tf.concat([x, y], 1)\n' },
    { name: 'a train_step that only reshapes the labels', code: HEAD + STEP_DATA + stepModel('        labels = tf.reshape(one_hot, (-1, 3))\n') },
    { name: 'a train_step that mixes the other element', code: HEAD + STEP_DATA + stepModel('        x = tf.concat([images, noise], 1)\n') },
    { name: 'the zipped dataset assigned, mapped later by a function that leaves the elements alone', code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\none = (\n    tf.data.Dataset.from_tensor_slices((x, y))\n    .shuffle(64)\n)\npairs = tf.data.Dataset.zip((one, one))\nds = pairs.shuffle(64).map(lambda a, b: (a[0], b[1]))\n' },
    { name: 'the dtype argument is KM181s', code: HEAD + 'z = tf.matmul(keras.utils.to_categorical(labels, 3, dtype="float32"), w)\n' },
    // Ran on JAX and PyTorch: the module's `y` is the float32 array a `global` declaration binds.
    { name: 'a to_categorical local to a function, and a TF op on the module name another function binds under `global`', code: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef step_1():\n    y = keras.utils.to_categorical(np.array([0, 1, 2]), 3)\n    return y.sum()\nstep_1()\ndef step_2():\n    global y\n    y = np.ones((3, 3), dtype=\"float32\")\nstep_2()\nscores = tf.matmul(y, tf.ones((3, 2)))\nprint(scores.shape)\n" },
  ],
  invalid: [
    {
      // Ran: "cannot compute MatMul as input #1(zero-based) was expected to be a double tensor" on every backend; the fix runs.
      name: 'assigned in a function that declares the name `global`, given to a TF op in another (the wrapped style)',
      code: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef step_1():\n    global y\n    y = keras.utils.to_categorical(np.array([0, 1, 2]), 3)\nstep_1()\ndef step_2():\n    global scores\n    scores = tf.matmul(y, tf.ones((3, 2)))\nstep_2()\nprint(scores.shape)\n",
      errors: [{ line: 6, column: 9 }],
      output: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef step_1():\n    global y\n    y = keras.utils.to_categorical(np.array([0, 1, 2]), 3).astype(\"float32\")\nstep_1()\ndef step_2():\n    global scores\n    scores = tf.matmul(y, tf.ones((3, 2)))\nstep_2()\nprint(scores.shape)\n"
    },
    {
      // claims/to_categorical_through_fit_into_train_step.py: TensorFlow raises the ConcatV2 dtype mismatch.
      name: 'through tf.data and fit() into a train_step that concatenates the labels',
      code: HEAD + STEP_DATA + stepModel('        expanded = one_hot[:, :, None]\n        z = tf.concat([noise, expanded], axis=1)\n'),
      errors: [{ line: 3, column: 5, message: '`tf.concat` in `CondGAN.train_step` (through `fit()`' }],
      blocks: ['tensorflow'],
      output: HEAD + STEP_DATA.replace('to_categorical(labels, 3)', 'to_categorical(labels, 3).astype("float32")') + stepModel('        expanded = one_hot[:, :, None]\n        z = tf.concat([noise, expanded], axis=1)\n')
    },
    {
      name: 'in tf.matmul directly',
      code: HEAD + 'z = tf.matmul(keras.utils.to_categorical(labels, 3), w)\n',
      errors: [{ line: 3, column: 15, message: '`tf.matmul`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 'z = tf.matmul(keras.utils.to_categorical(labels, 3).astype("float32"), w)\n'
    },
    {
      name: 'through a name into tf.concat',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.utils import to_categorical\ny_train = to_categorical(y_train)\nfeatures = tf.concat([x_train, y_train], axis=1)\n',
      errors: [{ line: 3, column: 11, message: '`tf.concat`' }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.utils import to_categorical\ny_train = to_categorical(y_train).astype("float32")\nfeatures = tf.concat([x_train, y_train], axis=1)\n'
    },
    {
      name: 'label smoothing in a tf.data map',
      code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (a, b * 0.9 + 0.1 / 3 * tf.ones(3)))\n',
      errors: [{ line: 3, column: 5, message: 'arithmetic in the mapped function' }],
      output: HEAD + 'y = keras.utils.to_categorical(labels, 3).astype("float32")\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (a, b * 0.9 + 0.1 / 3 * tf.ones(3)))\n'
    },
    {
      name: 'a parenthesized dataset chain zipped into a name that a later chain maps (keras.io CutMix)',
      code: HEAD + 'def prep(image, label):\n    return image / 255.0, label\n' + 'y = keras.utils.to_categorical(labels, 3)\none = (\n    tf.data.Dataset.from_tensor_slices((x, y))\n    .shuffle(64)\n    .map(prep)\n)\npairs = tf.data.Dataset.zip((one, one))\n@tf.function\ndef cutmix(a, b):\n    (x1, y1), (x2, y2) = a, b\n    lam = tf.random.uniform(())\n    return x1, lam * y1 + (1 - lam) * y2\nds = (\n    pairs.shuffle(64)\n    .map(cutmix)\n    .batch(8)\n)\n',
      errors: [{ line: 5, column: 5, message: 'zipped dataset' }],
      output: HEAD + 'def prep(image, label):\n    return image / 255.0, label\n' + 'y = keras.utils.to_categorical(labels, 3).astype(\"float32\")\none = (\n    tf.data.Dataset.from_tensor_slices((x, y))\n    .shuffle(64)\n    .map(prep)\n)\npairs = tf.data.Dataset.zip((one, one))\n@tf.function\ndef cutmix(a, b):\n    (x1, y1), (x2, y2) = a, b\n    lam = tf.random.uniform(())\n    return x1, lam * y1 + (1 - lam) * y2\nds = (\n    pairs.shuffle(64)\n    .map(cutmix)\n    .batch(8)\n)\n'
    },
    {
      name: 'mixup over two zipped copies of the dataset, in a helper the mapped lambda calls',
      code: HEAD + 'y = keras.utils.to_categorical(labels, 3)\none = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(16)\ndef mix(a, b):\n    (xa, ya), (xb, yb) = a, b\n    lam = tf.random.uniform(())\n    return xa * lam + xb * (1 - lam), ya * lam + yb * (1 - lam)\nds = tf.data.Dataset.zip((one, one)).map(lambda a, b: mix(a, b))\n',
      errors: [{ line: 3, column: 5, message: 'zipped dataset' }],
      output: HEAD + 'y = keras.utils.to_categorical(labels, 3).astype("float32")\none = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(16)\ndef mix(a, b):\n    (xa, ya), (xb, yb) = a, b\n    lam = tf.random.uniform(())\n    return xa * lam + xb * (1 - lam), ya * lam + yb * (1 - lam)\nds = tf.data.Dataset.zip((one, one)).map(lambda a, b: mix(a, b))\n'
    },
    {
      name: 'assigned in an earlier cell: the use is cast',
      code: [HEAD + 'y_onehot = keras.utils.to_categorical(labels, 3)\n', 'scores = tf.matmul(y_onehot, w)\n'],
      errors: [{ cell: 1, line: 1, column: 20 }],
      output: [HEAD + 'y_onehot = keras.utils.to_categorical(labels, 3)\n', 'scores = tf.matmul(y_onehot.astype("float32"), w)\n']
    }
  ]
});
