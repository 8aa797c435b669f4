import { ruleTester } from '../rule-tester';

ruleTester('tf-keras-attribute', {
  valid: [
    { name: 'a name only tf.keras keeps is KM224\'s (keras.losses.MSE would not exist)', code: 'import tensorflow as tf\nx = tf.keras.losses.MSE\nf = tf.keras.backend.int_shape\n' },
    { code: 'import keras\nx = keras.layers.Dense(3)\n' },
    { name: 'tf not imported', code: 'x = tf.keras.layers.Dense(3)\n' },
    { name: 'tf rebound', code: ['import tensorflow as tf', 'tf = object()\nx = tf.keras.layers.Dense(3)\n'] },
    { code: 'import tensorflow as tf\n# tf.keras.layers\ny = "tf.keras.layers.Dense"\n%time tf.keras.Model()\n' },
    { code: ['import tensorflow as tf', '%%bash\necho tf.keras.Model\n'] },
    { name: 'keras from tensorflow: the import is the finding', code: 'from tensorflow import keras\nm = keras.Model()\n' },
    // TensorFlow's top-level aliases of Keras modules, and chains another rule owns.
    { name: 'TF1 losses are not Keras', code: 'import tensorflow as tf\nl = tf.compat.v1.losses.mean_squared_error(a, b)\n' },
    { name: 'removed backend function: KM132 reports it', code: 'import tensorflow as tf\ns = tf.keras.backend.get_session()\n' },
    { name: 'removed layer: KM122 reports it (keras.layers.DenseFeatures would not exist)', code: 'import tensorflow as tf\nf = tf.keras.layers.DenseFeatures([])\nl = tf.keras.layers.CuDNNLSTM(4)\n' },
    { name: 'removed module: KM165 reports it', code: 'import tensorflow as tf\nn = tf.keras.layers.experimental.preprocessing.Normalization()\nopt = tf.keras.optimizers.legacy.Adam()\n' }
  ],
  invalid: [
    {
      name: 'a .py file whose import keras comes after the first use: the import goes before it',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential()\nimport keras\n',
      errors: [{ line: 2, column: 9 }],
      output: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential()\nimport keras\n'
    },
    {
      name: 'keras imported in a later cell only: imported where TensorFlow is',
      code: ['import tensorflow as tf\n', 'm = tf.keras.Sequential()\n', 'import keras\n'],
      errors: [{ cell: 1, line: 1, column: 5 }],
      output: ['import tensorflow as tf\nimport keras\n', 'm = keras.Sequential()\n', 'import keras\n']
    },
    {
      name: 'keras imported in an earlier cell: nothing added',
      code: ['import tensorflow as tf\nimport keras\n', 'm = tf.keras.Sequential()\n'],
      errors: [{ cell: 1, line: 1, column: 5 }],
      output: ['import tensorflow as tf\nimport keras\n', 'm = keras.Sequential()\n']
    },
    {
      name: 'CR-only line endings are kept, the import on its own line',
      code: 'import tensorflow as tf\rmodel = tf.keras.Sequential()\r',
      errors: [{ line: 2, column: 9 }],
      output: 'import tensorflow as tf\rimport keras\rmodel = keras.Sequential()\r'
    },
    {
      name: 'import in an earlier cell, every occurrence',
      code: ['import tensorflow as tf\nimport numpy as np\n', '# model', null, 'm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n'],
      errors: [
        { line: 1, column: 5, endLine: 1, endColumn: 24, message: 'keras.Sequential' },
        { line: 1, column: 26, endLine: 1, endColumn: 47 }
      ],
      output: [
        'import tensorflow as tf\nimport numpy as np\nimport keras\n',
        '# model',
        null,
        'm = keras.Sequential([keras.layers.Dense(1)])\n'
      ]
    },
    {
      name: 'import placed after a %%time line, not in a %%bash cell',
      code: ['%%bash\necho hi\n', '%%time\nimport tensorflow as tf\n', 'm = tf.keras.Model()\n'],
      errors: [{ line: 1, column: 5, message: 'needs TensorFlow installed' }],
      // tf.keras is Keras 3 on the configured backend while TensorFlow is installed: ran on TF, JAX, PyTorch.
      blocks: [],
      output: ['%%bash\necho hi\n', '%%time\nimport tensorflow as tf\nimport keras\n', 'm = keras.Model()\n']
    },
    {
      name: 'no top-level TensorFlow import: after the %%time line of the first code cell',
      code: ['%%time\ntry:\n    import tensorflow as tf\nexcept ImportError:\n    pass\n', 'm = tf.keras.Model()\n'],
      errors: [{ line: 1, column: 5 }],
      output: ['%%time\nimport keras\ntry:\n    import tensorflow as tf\nexcept ImportError:\n    pass\n', 'm = keras.Model()\n']
    },
    {
      name: 'py file without trailing newline',
      code: '"""Doc."""\nimport tensorflow as tf\nx = tf.keras.Input((3,))',
      errors: [{ line: 3, column: 5 }],
      output: '"""Doc."""\nimport tensorflow as tf\nimport keras\nx = keras.Input((3,))'
    },
    {
      name: 'tf.compat spellings',
      code: 'import keras\nimport tensorflow as tf\na = tf.compat.v2.keras.layers.Dense(1)\nb = tf.compat.v1.keras.layers.Dense(1)\n',
      errors: [{ line: 3, column: 5, endColumn: 36 }, { line: 4, column: 5 }],
      output: 'import keras\nimport tensorflow as tf\na = keras.layers.Dense(1)\nb = tf.compat.v1.keras.layers.Dense(1)\n'
    },
    {
      name: 'import keras already present',
      code: 'import keras\nimport tensorflow\nx = tensorflow.keras.losses.Huber\n',
      errors: [{ line: 3, column: 5, endColumn: 34 }],
      output: 'import keras\nimport tensorflow\nx = keras.losses.Huber\n'
    },
    {
      name: 'import tensorflow.keras keeps tensorflow bound',
      code: 'import tensorflow.keras\nm = tensorflow.keras.Model()\n',
      errors: [{ line: 2, column: 5 }],
      // Only KM012 runs here: the import line itself is KM011's.
      output: 'import tensorflow.keras\nimport keras\nm = keras.Model()\n'
    },
    {
      name: 'tf.initializers, tf.losses, tf.metrics and tf.optimizers are Keras',
      code: [
        'import tensorflow as tf\n',
        'd = tf.keras.layers.Dense(4, kernel_initializer=tf.initializers.zeros())\nmodel.compile(optimizer=tf.optimizers.Adam(1e-3), loss=tf.losses.MeanSquaredError(), metrics=[tf.metrics.MeanAbsoluteError()])\n'
      ],
      errors: [
        { line: 1, column: 5 },
        { line: 1, column: 49, endColumn: 70, message: 'alias of `tf.keras.initializers`' },
        { line: 2, column: 25, endColumn: 43 },
        { line: 2, column: 56, endColumn: 82 },
        { line: 2, column: 95, endColumn: 123 }
      ],
      output: [
        'import tensorflow as tf\nimport keras\n',
        'd = keras.layers.Dense(4, kernel_initializer=keras.initializers.zeros())\nmodel.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.MeanSquaredError(), metrics=[keras.metrics.MeanAbsoluteError()])\n'
      ]
    }
  ]
});
