import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';
/** A layer splitting its batch into groups (a progressive GAN's minibatch standard deviation); its reshape is on line 11. */
const GROUP_STD =
  'class GroupStd(keras.layers.Layer):\n    def __init__(self, group_size=4, **kwargs):\n        super().__init__(**kwargs)\n        self.group_size = group_size\n\n' +
  '    def call(self, x):\n        n, h, w, c = keras.ops.shape(x)\n        group = keras.ops.minimum(self.group_size, n)\n        grouped = keras.ops.reshape(x, [group, -1, h, w, c])\n' +
  '        return x + keras.ops.mean(keras.ops.std(grouped, axis=0))\n';
const FUNCTIONAL = '\ninputs = keras.Input((4, 4, 2))\nmodel = keras.Model(inputs, GroupStd()(inputs))\n';

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
      // Ran (keras 3.15, python_kernel_hooks/tests/claims/batch_groups_reshape_functional.py): JAX fails (traced shape), PyTorch fails
      // ("shape '[4, -1, 4, 4, 2]' is invalid for input of size 2656": call() run on a stand-in batch of 83), TensorFlow runs.
      name: 'batch split into groups of keras.ops.minimum(4, n) by a layer called on KerasTensors, no compute_output_shape: JAX and PyTorch',
      code: HEAD + GROUP_STD + FUNCTIONAL,
      errors: [{ line: 11, column: 41, message: 'stand-in batches of 83 and 89 samples' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'the group size a literal, the dimensions read from shape[i] of keras.ops.shape(inputs): JAX and PyTorch',
      code:
        HEAD +
        'class GroupStd(keras.layers.Layer):\n    def call(self, inputs):\n        shape = keras.ops.shape(inputs)\n        n, h, w, c = shape[0], shape[1], shape[2], shape[3]\n' +
        '        group = keras.ops.minimum(4, n)\n        return keras.ops.reshape(inputs, [group, -1, h, w, c])\n' +
        FUNCTIONAL,
      errors: [{ line: 8, column: 43 }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran: PyTorch runs once the layer says its output shape (Keras does not run call() to infer it).
      name: 'the same layer with compute_output_shape(): JAX only',
      code: HEAD + GROUP_STD + '\n    def compute_output_shape(self, input_shape):\n        return input_shape\n' + FUNCTIONAL,
      errors: [{ line: 11, column: 41 }],
      blocks: ['jax']
    },
    {
      // Ran: on PyTorch a subclassed model calls the layer on real batches only.
      name: 'the same layer called only by a subclassed model: JAX only',
      code:
        HEAD +
        GROUP_STD +
        '\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.g = GroupStd()\n\n    def call(self, x):\n        return self.g(x)\n\n\nmodel = M()\n',
      errors: [{ line: 11, column: 41 }],
      blocks: ['jax']
    },
    {
      name: 'the layer constructed with another group size: JAX only (not followed)',
      code: HEAD + GROUP_STD + FUNCTIONAL.replace('GroupStd()', 'GroupStd(group_size=1)'),
      errors: [{ line: 11, column: 41 }],
      blocks: ['jax']
    },
    {
      name: 'a reshape with an element not a dimension of the input: JAX only (not followed)',
      code:
        HEAD +
        'class L(keras.layers.Layer):\n    def call(self, x):\n        n, d = keras.ops.shape(x)\n        group = keras.ops.minimum(4, n)\n        return keras.ops.reshape(x, [group, 2, -1])\n' +
        FUNCTIONAL.replace('GroupStd', 'L'),
      errors: [{ line: 7, column: 38 }],
      blocks: ['jax']
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
