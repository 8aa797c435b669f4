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
      errors: [{ line: 3, column: 16, endColumn: 30, message: 'XLA' }]
    },
    {
      code: LAYER_HEAD + '@tf.function(jit_compile=True)\ndef f(x):\n    return tf.io.decode_png(x)\n',
      errors: [{ line: 5, column: 12 }]
    }
  ]
});
