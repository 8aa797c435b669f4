import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n\nROWS = 4 * 3\n';
/** A layer folding its batch into ROWS rows and back; the fixed reshape is on line 10. */
const FOLD =
  'class Fold(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.width = 2\n\n' +
  '    def call(self, x):\n        n = keras.ops.shape(x)[0]\n        rows = keras.ops.reshape(x, [ROWS, self.width])\n        return keras.ops.reshape(rows, [n, -1, self.width])\n';
const FOLD_FIXED = FOLD.replace('[ROWS, self.width]', '[-1, self.width]');
const FUNCTIONAL = '\ninputs = keras.Input((3, 2))\nmodel = keras.Model(inputs, Fold()(inputs))\n';

ruleTester('fixed-batch-reshape-of-layer-input', {
  valid: [
    { name: 'the first size is -1', code: HEAD + FOLD_FIXED + FUNCTIONAL },
    { name: 'the batch size read from the input', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.shape(x)[0]\n        return keras.ops.reshape(x, [n * 3, 2])\n' },
    { name: 'the sizes read from x.shape', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.reshape(x, [x.shape[0], 6])\n' },
    {
      name: 'the layer says its output shape (Keras does not run call() to infer it)',
      code: HEAD + FOLD + '\n    def compute_output_shape(self, input_shape):\n        return input_shape\n' + FUNCTIONAL
    },
    { name: 'a fixed reshape of another tensor than the input (weights, an intermediate)', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        y = x * 2\n        return keras.ops.reshape(y, [ROWS, 2])\n' },
    { name: 'the input assigned again before the reshape', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        x = keras.ops.sum(x, axis=0)\n        return keras.ops.reshape(x, [3, 2])\n' },
    {
      // Ran (examples/runnable/converted/switch_transformer_moe.py): with the batch size fixed at the Input, PyTorch builds on it.
      name: 'the model input has a fixed batch size (Input(batch_size=))',
      code: HEAD + FOLD + FUNCTIONAL.replace('keras.Input((3, 2))', 'keras.Input((3, 2), batch_size=4)')
    },
    { name: 'outside a layer call()', code: HEAD + 'def f(x):\n    return keras.ops.reshape(x, [ROWS, 2])\n' },
    { name: 'a shape held in a variable (not followed)', code: HEAD + 'SHAPE = [ROWS, 2]\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.reshape(x, SHAPE)\n' }
  ],
  invalid: [
    {
      // Ran (keras 3.15, python_kernel_hooks/tests/claims/fixed_batch_reshape_of_layer_input.py): PyTorch fails
      // ("shape '[12, 2]' is invalid for input of size 498": call() run on a stand-in batch of 83); TensorFlow and JAX run it.
      name: 'a layer called on KerasTensors in a functional model folds its batch to a module constant: PyTorch, -1 as the fix',
      code: HEAD + FOLD + FUNCTIONAL,
      errors: [{ line: 12, column: 38, endColumn: 42, message: 'stand-in batches of 83 and 89 samples' }],
      blocks: ['torch'],
      output: HEAD + FOLD_FIXED + FUNCTIONAL,
      fixOptions: { unsafe: true }
    },
    {
      name: 'the safe fixes leave it (the fix is not safe: the static size becomes unknown on TensorFlow)',
      code: HEAD + FOLD + FUNCTIONAL,
      errors: [{ line: 12, column: 38 }],
      blocks: ['torch']
    },
    {
      // keras.io's Switch Transformer (before its conversion): tf.reshape to [num_tokens_per_batch, embed_dim]; the layer is
      // handed to another layer's constructor, so whether Keras builds it on KerasTensors is not followed: no claim, the fix stays.
      name: 'tf.reshape of the input to a product of module constants and an attribute, the layer built inside another layer',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nbatch_size = 50\nnum_tokens_per_example = 200\nnum_tokens_per_batch = batch_size * num_tokens_per_example\n\n' +
        'class Switch(keras.layers.Layer):\n    def __init__(self, embed_dim):\n        super().__init__()\n        self.embed_dim = embed_dim\n\n' +
        '    def call(self, inputs):\n        batch_size = tf.shape(inputs)[0]\n        inputs = tf.reshape(inputs, [num_tokens_per_batch, self.embed_dim])\n        return tf.reshape(inputs, [batch_size, -1, self.embed_dim])\n',
      errors: [{ line: 15, column: 38, message: '`tf.reshape(inputs, [num_tokens_per_batch, self.embed_dim])`' }],
      blocks: [],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nbatch_size = 50\nnum_tokens_per_example = 200\nnum_tokens_per_batch = batch_size * num_tokens_per_example\n\n' +
        'class Switch(keras.layers.Layer):\n    def __init__(self, embed_dim):\n        super().__init__()\n        self.embed_dim = embed_dim\n\n' +
        '    def call(self, inputs):\n        batch_size = tf.shape(inputs)[0]\n        inputs = tf.reshape(inputs, [-1, self.embed_dim])\n        return tf.reshape(inputs, [batch_size, -1, self.embed_dim])\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'a sublayer of a layer called on KerasTensors (built inside its symbolic call): PyTorch',
      code:
        HEAD +
        FOLD +
        '\nclass Outer(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.fold = Fold()\n\n    def call(self, x):\n        return self.fold(x)\n\n' +
        '\ninputs = keras.Input((3, 2))\nmodel = keras.Model(inputs, Outer()(inputs))\n',
      errors: [{ line: 12, column: 38 }],
      blocks: ['torch']
    },
    {
      name: 'the sizes literal integers, given as a tuple by keyword',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.reshape(x, newshape=(12, 2))\n' + FUNCTIONAL.replace('Fold', 'L'),
      errors: [{ line: 7, column: 47 }],
      blocks: ['torch']
    }
  ]
});
