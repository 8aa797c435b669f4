import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tensor-as-shape', {
  valid: [
    { name: 'a shape element that is a Python int on JAX', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, y):\n        n = keras.ops.shape(y)[0]\n        return keras.ops.ones(shape=(n, 1), dtype="int64")\n' },
    { name: 'outside model code (eager, concrete values)', code: HEAD + 'n = keras.ops.cast(4, "int32")\nones = keras.ops.ones((n, 1))\n' },
    { name: 'a cast value that is not a shape', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, y):\n        n = keras.ops.cast(keras.ops.shape(y)[1], "float32")\n        return keras.ops.ones((2, 1)) * n\n' }
  ],
  invalid: [
    {
      name: 'the keras.io CTC layer after its TF ops became keras.ops',
      code:
        HEAD +
        'class CTCLayer(keras.layers.Layer):\n    def call(self, y_true, y_pred):\n        batch_len = keras.ops.cast(keras.ops.shape(y_true)[0], dtype="int64")\n' +
        '        input_length = keras.ops.cast(keras.ops.shape(y_pred)[1], dtype="int64")\n        return input_length * keras.ops.ones(shape=(batch_len, 1), dtype="int64")\n',
      errors: [{ line: 7, column: 53, endColumn: 62, message: '`batch_len` is a tensor (`keras.ops.cast(...)`) used as a shape in `keras.ops.ones`' }],
      output:
        HEAD +
        'class CTCLayer(keras.layers.Layer):\n    def call(self, y_true, y_pred):\n        batch_len = keras.ops.cast(keras.ops.shape(y_true)[0], dtype="int64")\n' +
        '        input_length = keras.ops.cast(keras.ops.shape(y_pred)[1], dtype="int64")\n        return input_length * keras.ops.ones(shape=(keras.ops.shape(y_true)[0], 1), dtype="int64")\n'
    },
    {
      // Ran (keras 3.15, a functional model building the layer): JAX fails ("Shapes must be 1D sequences of concrete values"); TensorFlow runs.
      name: 'a group size from keras.ops.minimum over a dimension (keras.io StyleGAN minibatch std) given to reshape and tile: no fix',
      code:
        HEAD +
        'class MinibatchStd(keras.layers.Layer):\n    def call(self, x):\n        shape = keras.ops.shape(x)\n        n, h, w, c = shape[0], shape[1], shape[2], shape[3]\n' +
        '        group = keras.ops.minimum(4, n)\n        grouped = keras.ops.reshape(x, [group, -1, h, w, c])\n        std = keras.ops.mean(keras.ops.std(grouped, axis=0), axis=[1, 2, 3], keepdims=True)\n' +
        '        return keras.ops.concatenate([x, keras.ops.tile(std, [group, h, w, 1])], axis=-1)\n',
      errors: [
        { line: 8, column: 41, message: '`group` is a tensor (`keras.ops.minimum(...)`) used as a shape in `keras.ops.reshape`' },
        { line: 10, column: 63 }
      ]
    },
    {
      name: 'the dimension of a tensor assigned again before the shape: no fix (another value)',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, y):\n        n = keras.ops.cast(y.shape[0], "int64")\n        y = keras.ops.concatenate([y, y])\n        return keras.ops.ones(shape=(n, 1))\n',
      errors: [{ line: 7, column: 38 }]
    },
    {
      name: 'a cast of something else than a dimension: no fix',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, y):\n        n = keras.ops.cast(keras.ops.sum(y), "int32")\n        return keras.ops.ones(shape=(n, 1))\n',
      errors: [{ line: 6, column: 38 }]
    },
    {
      name: 'tf.cast into keras.ops.reshape in a model call()',
      code: HEAD + 'class M(keras.Model):\n    def call(self, x):\n        n = tf.cast(tf.shape(x)[0], tf.int32)\n        return keras.ops.reshape(x, [n, -1])\n',
      errors: [{ line: 6, column: 38 }],
      output: HEAD + 'class M(keras.Model):\n    def call(self, x):\n        n = tf.cast(tf.shape(x)[0], tf.int32)\n        return keras.ops.reshape(x, [tf.shape(x)[0], -1])\n'
    }
  ]
});
