import { ruleTester } from '../rule-tester';

ruleTester('unused-tensorflow-import', {
  valid: [
    { name: 'used in the same cell', code: 'import tensorflow as tf\nx = tf.constant(1)\n' },
    { name: 'used in a later cell', code: ['import tensorflow as tf\n', 'ds = tf.data.Dataset.range(3)\n'] },
    { name: 'used inside a function', code: 'import tensorflow as tf\ndef f(x):\n    return tf.square(x)\n' },
    { name: 'mentioned bare', code: 'import tensorflow as tf\nmodules = [tf]\n' },
    { name: 'mentioned in a comment (a name in doubt counts as used)', code: 'import tensorflow as tf\n# tf.data would be faster\nimport keras\n' },
    { name: 'imported with another module', code: 'import numpy as np, tensorflow as tf\nx = np.ones(3)\n' },
    { name: 'inside a function', code: 'def setup():\n    import tensorflow as tf\n' },
    { name: 'shares its line with another statement', code: 'import tensorflow as tf; import keras\n' },
    { name: 'a submodule import', code: 'import tensorflow.keras\n' },
    { name: 'the useInstead', code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n' }
  ],
  invalid: [
    {
      name: 'the doc example',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n',
      errors: [{ line: 1, column: 1, message: '`tf` (TensorFlow) is imported but nothing uses it' }],
      blocks: [],
      output: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n'
    },
    {
      name: 'import tensorflow, with a comment after it, in a notebook whose other cells do not use it',
      code: ['import numpy as np\nimport tensorflow  # for the model\nimport keras\n', 'model = keras.Sequential()\n', null, 'model.summary()\n'],
      errors: [{ cell: 0, line: 2, column: 1, message: '`tensorflow`' }],
      output: ['import numpy as np\nimport keras\n', 'model = keras.Sequential()\n', null, 'model.summary()\n']
    },
    {
      name: 'CRLF line endings',
      code: 'import keras\r\nimport tensorflow as tf\r\nx = keras.ops.ones(3)\r\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import keras\r\nx = keras.ops.ones(3)\r\n'
    },
    {
      name: 'the last line, without a line break',
      code: 'import keras\nimport tensorflow as tf',
      errors: [{ line: 2, column: 1 }],
      output: 'import keras\n'
    }
  ]
});
