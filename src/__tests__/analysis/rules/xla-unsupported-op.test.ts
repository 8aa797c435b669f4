import { ruleTester } from '../rule-tester';

const LAYER_HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('xla-unsupported-op', {
  valid: [
    { name: 'jit_compile=False elsewhere in the notebook', code: [LAYER_HEAD + 'class T(keras.layers.Layer):\n    def call(self, x):\n        return tf.strings.split(x)\n', 'model.compile(loss="mse", jit_compile=False)\n'] },
    { name: 'tf.strings in a tf.data pipeline', code: LAYER_HEAD + 'ds = ds.map(lambda s: tf.strings.split(s))\n' },
    { name: 'not a Keras class', code: LAYER_HEAD + 'class T:\n    def call(self, x):\n        return tf.strings.split(x)\n' }
  ],
  invalid: [
    {
      name: 'indirect subclass defined in an earlier cell',
      code: [LAYER_HEAD + 'class Base(keras.layers.Layer):\n    pass\n', 'class T(Base):\n    def call(self, x):\n        return tf.py_function(f, [x], tf.float32)\n'],
      errors: [{ line: 3, column: 16, endColumn: 30, message: 'XLA' }],
      // Keras 3's default compiles with XLA on a GPU only: on a CPU fit() runs on TensorFlow (checked by running).
      blocks: []
    },
    {
      name: 'jit_compile=True passed in a later cell: XLA compiles the step, TensorFlow fails (checked by running)',
      code: [LAYER_HEAD + 'class T(keras.layers.Layer):\n    def call(self, x):\n        return tf.strings.length(tf.strings.as_string(x))\n', 'model.compile(loss="mse", jit_compile=True)\n'],
      errors: [{ cell: 0, line: 5, column: 16 }, { cell: 0, line: 5, column: 34 }],
      blocks: ['tensorflow']
    },
    {
      code: LAYER_HEAD + '@tf.function(jit_compile=True)\ndef f(x):\n    return tf.io.decode_png(x)\n',
      errors: [{ line: 5, column: 12 }],
      blocks: ['tensorflow']
    }
  ]
});
