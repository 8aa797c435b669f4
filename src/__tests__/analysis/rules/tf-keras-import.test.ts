import { ruleTester } from '../rule-tester';

ruleTester('tf-keras-import', {
  valid: [
    { code: 'import keras\nfrom keras import layers\nimport tensorflow as tf\n' },
    { code: 'import tensorflow as tf\nds = tf.data.Dataset.range(3)\n' },
    { code: '# from tensorflow import keras\ns = "from tensorflow import keras"\n' },
    { code: '%pip install tensorflow\n!python -c "from tensorflow import keras"\n' },
    { code: 'from keras import backend as K\n' },
    // Modules Keras 3 dropped are KM165's findings (with the module that replaced them): KM011 stays quiet.
    { name: 'removed module', code: 'from tensorflow.keras.layers.experimental import preprocessing\n' },
    { name: 'removed submodule', code: 'from tensorflow.keras.layers.experimental.preprocessing import Rescaling, RandomFlip\n' },
    { name: 'scikit-learn wrapper', code: 'from tensorflow.keras.wrappers.scikit_learn import KerasClassifier\n' }
  ],
  invalid: [
    {
      name: 'a name only tf.keras keeps, used through the import: the rewrite is a suggestion',
      code: ['from tensorflow import keras', 'loss = keras.losses.mae'],
      errors: [{ cell: 0, line: 1, column: 1, message: 'change those uses first' }]
    },
    {
      name: 'the suggestion, applied',
      code: ['from tensorflow import keras', 'loss = keras.losses.mae'],
      errors: [{ cell: 0, line: 1, column: 1 }],
      fixOptions: { unsafe: true },
      output: ['import keras', 'loss = keras.losses.mae']
    },
    {
      name: 'the same name through another module binding leaves this import safe',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import losses\nloss = losses.mae\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1, message: 'change those uses first' }],
      output: 'import keras\nfrom tensorflow.keras import losses\nloss = losses.mae\n'
    },
    {
      name: 'backend functions Keras 3 keeps only in tf.keras.backend still called through the import: a suggestion only (the safe rewrite broke K.dot on TensorFlow)',
      code: 'import numpy as np\nfrom tensorflow.keras import backend as K\nx = K.dot(np.ones((2, 2)), np.ones((2, 2)))\nprint(K.floatx())\n',
      errors: [{ line: 2, column: 1, message: 'move those calls to `keras.ops` first' }]
    },
    {
      name: 'the same through `from tensorflow import keras`, with the call in a later cell',
      code: ['from tensorflow import keras\n', 'y = keras.backend.constant([1.0, 2.0])\n'],
      errors: [{ cell: 0, line: 1, column: 1, message: 'Keras 2 backend functions' }],
      fixOptions: { unsafe: true },
      output: ['import keras\n', 'y = keras.backend.constant([1.0, 2.0])\n']
    },
    {
      name: 'a Keras 2 preprocessing API only tf.keras keeps, used through the rebound name: a suggestion only (keras.preprocessing.text has no Tokenizer)',
      code: 'from tensorflow import keras\ntok = keras.preprocessing.text.Tokenizer(num_words=10)\n',
      errors: [{ line: 1, column: 1, message: 'change those uses first' }],
      output: 'from tensorflow import keras\ntok = keras.preprocessing.text.Tokenizer(num_words=10)\n'
    },
    {
      name: 'the same API spelled through tf: rewriting `from tensorflow import keras` does not touch it, the fix stays safe',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ntok = tf.keras.preprocessing.text.Tokenizer(num_words=10)\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import tensorflow as tf\nimport keras\ntok = tf.keras.preprocessing.text.Tokenizer(num_words=10)\n'
    },
    {
      name: 'skipgrams through the rebound name: its own safe fix defines it in the notebook, so the import fix stays safe',
      code: 'from tensorflow import keras\npairs, labels = keras.preprocessing.sequence.skipgrams([1, 2, 3], vocabulary_size=4)\n',
      errors: [{ line: 1, column: 1 }],
      output: 'import keras\npairs, labels = keras.preprocessing.sequence.skipgrams([1, 2, 3], vocabulary_size=4)\n'
    },
    {
      name: 'only functions Keras 3 keeps in keras.backend: the rewrite stays safe',
      code: 'from tensorflow.keras import backend as K\nK.clear_session()\nprint(K.floatx())\n',
      errors: [{ line: 1, column: 1 }],
      output: 'from keras import backend as K\nK.clear_session()\nprint(K.floatx())\n'
    },
    {
      code: 'from tensorflow import keras\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 29, message: 'import keras' }],
      blocks: [],
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
    }
  ]
});
