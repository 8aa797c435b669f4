import { ruleTester } from '../rule-tester';

ruleTester('keras-backend-function', {
  valid: [
    { code: 'from keras import backend as K\nK.clear_session()\ne = K.epsilon()\n' }
  ],
  invalid: [
    {
      name: 'a removed function referenced, not called: the lookup raises (no rewrite: arguments differ)',
      code: 'import keras\nfrom keras import backend as K\nclass CTCLayer(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.loss_fn = keras.backend.ctc_batch_cost\n        self.norm = K.l2_normalize\nok = K.image_data_format()\n',
      errors: [
        { line: 6, column: 24, endColumn: 52, message: 'raises AttributeError' },
        { line: 7, column: 21, message: 'K.l2_normalize' }
      ]
    },
    {
      code: 'from tensorflow.keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(K.square(y_pred - y_true), axis=-1) + K.concatenate([y_true, y_pred])\n',
      errors: [{ line: 3, column: 12, endColumn: 18 }, { line: 3, column: 19 }, { line: 3, column: 57 }],
      // K.mean of integers truncates like tf.reduce_mean; K.concatenate without an axis joins on -1.
      output: 'from tensorflow.keras import backend as K\nimport keras\ndef loss(y_true, y_pred):\n    return K.mean(keras.ops.square(y_pred - y_true), axis=-1) + K.concatenate([y_true, y_pred])\n'
    },
    {
      name: 'a function the table lacks but keras.ops has under the same name is named; others say there is none',
      code: 'from keras import backend as K\ndef loss(y_true, y_pred):\n    return K.logsumexp(y_pred, axis=-1) + K.in_train_phase(y_true, y_pred)\n',
      errors: [
        { line: 3, column: 12, message: 'use `keras.ops.logsumexp` (check its arguments)' },
        { line: 3, column: 43, message: 'has no direct replacement' }
      ]
    },
    {
      name: 'K.sqrt keeps its clip at zero; nested rewrites compose',
      code: 'import keras\nfrom keras import backend as K\ndef rmse(y_true, y_pred):\n    return K.sqrt(K.sum(K.square(y_pred - y_true), axis=-1))\nd = K.sqrt(x, name="d")\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 19 }, { line: 4, column: 25 }, { line: 5, column: 5 }],
      output: 'import keras\nfrom keras import backend as K\ndef rmse(y_true, y_pred):\n    return keras.ops.sqrt(keras.ops.maximum(keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1), 0.0))\nd = keras.ops.sqrt(keras.ops.maximum(x, 0.0))\n'
    },
    {
      name: 'renamed arguments; K.expand_dims without axis stays a suggestion',
      code: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = K.pow(y_pred, 2) + K.clip(y_true, min_value=0, max_value=1)\n    return K.expand_dims(a)\n',
      errors: [{ line: 4, column: 9 }, { line: 4, column: 28 }, { line: 5, column: 12 }],
      output: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = keras.ops.power(y_pred, 2) + keras.ops.clip(y_true, x_min=0, x_max=1)\n    return K.expand_dims(a)\n'
    },
    {
      name: 'K.set_value on the learning rate becomes assign()',
      code: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        K.set_value(self.model.optimizer.learning_rate, 0.01 * 0.9 ** epoch)\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        self.model.optimizer.learning_rate.assign(0.01 * 0.9 ** epoch)\n'
    },
    {
      // Checked by running (python_kernel_hooks/tests/claims/tf_keras_backend_in_loss.py).
      name: 'through tf.keras.backend the Keras 2 function still exists: it blocks JAX and PyTorch only',
      code: 'from tensorflow.keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(K.square(y_true - y_pred), axis=-1)\n',
      errors: [{ line: 3, column: 12, message: "TensorFlow's `tf.keras.backend` still has it" }, { line: 3, column: 19 }],
      blocks: ['jax', 'torch'],
      output: 'from tensorflow.keras import backend as K\nimport keras\ndef loss(y_true, y_pred):\n    return K.mean(keras.ops.square(y_true - y_pred), axis=-1)\n'
    },
    {
      name: "Keras 3's own keras.backend lacks it on every backend",
      code: 'from keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(y_pred)\n',
      errors: [{ line: 3, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch']
    }
  ]
});
