import { ruleTester } from './rule-tester';

ruleTester('KM011', {
  valid: [
    { code: 'import keras\nfrom keras import layers\nimport tensorflow as tf\n' },
    { code: 'import tensorflow as tf\nds = tf.data.Dataset.range(3)\n' },
    { code: '# from tensorflow import keras\ns = "from tensorflow import keras"\n' },
    { code: '%pip install tensorflow\n!python -c "from tensorflow import keras"\n' },
    { code: 'from keras import backend as K\n' }
  ],
  invalid: [
    {
      code: 'from tensorflow import keras\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 29, message: 'import keras' }],
      output: 'import keras\n'
    },
    {
      code: 'from tensorflow import keras as k, nn\n',
      errors: [{ line: 1, column: 1 }],
      output: 'from tensorflow import nn\nimport keras as k\n'
    },
    {
      code: 'def f():\n    from tensorflow import keras, nn\n',
      errors: [{ line: 2, column: 5 }],
      output: 'def f():\n    from tensorflow import nn\n    import keras\n'
    },
    {
      code: 'from tensorflow.keras.layers import Dense, Conv2D\nfrom tensorflow.keras import backend as K\n',
      errors: [
        { line: 1, column: 1, endLine: 1, endColumn: 50 },
        { line: 2, column: 1 }
      ],
      output: 'from keras.layers import Dense, Conv2D\nfrom keras import backend as K\n'
    },
    {
      code: 'import tensorflow.keras as k\nimport tensorflow.keras.layers as L\n',
      errors: [
        { line: 1, column: 8, endLine: 1, endColumn: 29 },
        { line: 2, column: 8 }
      ],
      output: 'import keras as k\nimport keras.layers as L\n'
    },
    {
      name: 'keras = tf.keras in a later cell',
      code: ['import tensorflow as tf', null, 'keras = tf.keras\nL = tf.keras.layers\n'],
      errors: [
        { line: 1, column: 1, endLine: 1, endColumn: 17 },
        { line: 2, column: 1 }
      ],
      output: ['import tensorflow as tf', null, 'import keras\nfrom keras import layers as L\n']
    },
  ]
});

// Modules Keras 3 dropped are KM165's findings (with the module that replaced them): KM011 stays quiet.
ruleTester('KM011', {
  valid: [
    { name: 'removed module', code: 'from tensorflow.keras.layers.experimental import preprocessing\n' },
    { name: 'removed submodule', code: 'from tensorflow.keras.layers.experimental.preprocessing import Rescaling, RandomFlip\n' },
    { name: 'scikit-learn wrapper', code: 'from tensorflow.keras.wrappers.scikit_learn import KerasClassifier\n' }
  ],
  invalid: []
});

ruleTester('KM012', {
  valid: [
    { code: 'import keras\nx = keras.layers.Dense(3)\n' },
    { name: 'tf not imported', code: 'x = tf.keras.layers.Dense(3)\n' },
    { name: 'tf rebound', code: ['import tensorflow as tf', 'tf = object()\nx = tf.keras.layers.Dense(3)\n'] },
    { code: 'import tensorflow as tf\n# tf.keras.layers\ny = "tf.keras.layers.Dense"\n%time tf.keras.Model()\n' },
    { code: ['import tensorflow as tf', '%%bash\necho tf.keras.Model\n'] },
    { name: 'keras from tensorflow: the import is the finding', code: 'from tensorflow import keras\nm = keras.Model()\n' }
  ],
  invalid: [
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
      errors: [{ line: 1, column: 5 }],
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
      code: 'import keras\nimport tensorflow\nx = tensorflow.keras.losses.MSE\n',
      errors: [{ line: 3, column: 5, endColumn: 32 }],
      output: 'import keras\nimport tensorflow\nx = keras.losses.MSE\n'
    },
    {
      name: 'import tensorflow.keras keeps tensorflow bound',
      code: 'import tensorflow.keras\nm = tensorflow.keras.Model()\n',
      errors: [{ line: 2, column: 5 }],
      // Only KM012 runs here: the import line itself is KM011's.
      output: 'import tensorflow.keras\nimport keras\nm = keras.Model()\n'
    }
  ]
});

// TensorFlow's top-level aliases of Keras modules, and chains another rule owns.
ruleTester('KM012', {
  valid: [
    { name: 'TF1 losses are not Keras', code: 'import tensorflow as tf\nl = tf.compat.v1.losses.mean_squared_error(a, b)\n' },
    { name: 'removed backend function: KM132 reports it', code: 'import tensorflow as tf\ns = tf.keras.backend.get_session()\n' },
    { name: 'removed module: KM165 reports it', code: 'import tensorflow as tf\nn = tf.keras.layers.experimental.preprocessing.Normalization()\nopt = tf.keras.optimizers.legacy.Adam()\n' }
  ],
  invalid: [
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

ruleTester('KM013', {
  valid: [{ code: 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n' }, { code: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "0"\n' }],
  invalid: [
    {
      code: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tf_keras as keras\nfrom tf_keras.layers import Dense\n',
      errors: [{ line: 2, column: 1 }, { line: 3, column: 8, endColumn: 16 }, { line: 4, column: 6 }],
      fixOptions: { unsafe: true },
      output: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport keras\nfrom keras.layers import Dense\n'
    }
  ]
});
