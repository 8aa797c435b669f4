import { ruleTester } from '../rule-tester';

/** The helpers the CTC fix defines (Keras 2's functions on keras.ops). */
const CTC_BATCH_COST = [
  'def ctc_batch_cost(y_true, y_pred, input_length, label_length):',
  "    # Keras 2's keras.backend.ctc_batch_cost on keras.ops: y_pred holds probabilities (their log",
  '    # goes in as logits), the blank is the last class, lengths and result have shape (batch, 1).',
  '    # A label ends at its first value that is no class (the blank or above: padding such as 99),',
  "    # as in Keras 2; PyTorch's CTC would read that padding as a class.",
  '    blank = keras.ops.shape(y_pred)[-1] - 1',
  '    labels = keras.ops.cast(y_true, "int32")',
  '    position = keras.ops.expand_dims(keras.ops.arange(keras.ops.shape(labels)[1]), 0)',
  '    kept = keras.ops.cumprod(keras.ops.cast(labels < blank, "int32"), axis=1)',
  '    kept = kept * keras.ops.cast(position < keras.ops.cast(label_length, "int32"), "int32")',
  '    loss = keras.ops.ctc_loss(',
  '        labels * kept,',
  '        keras.ops.log(y_pred + keras.backend.epsilon()),',
  '        keras.ops.sum(kept, axis=1),',
  '        keras.ops.squeeze(input_length, -1),',
  '        mask_index=blank,',
  '    )',
  '    return keras.ops.expand_dims(loss, 1)\n'
].join('\n');
const CTC_DECODE = [
  'def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):',
  "    # Keras 2's keras.backend.ctc_decode on keras.ops: y_pred holds probabilities, the blank is",
  '    # the last class, the result is a list of decoded paths and their log probabilities.',
  '    decoded, log_prob = keras.ops.ctc_decode(',
  '        keras.ops.log(y_pred + keras.backend.epsilon()),',
  '        input_length,',
  '        strategy="greedy" if greedy else "beam_search",',
  '        beam_width=beam_width,',
  '        top_paths=top_paths,',
  '        mask_index=keras.ops.shape(y_pred)[-1] - 1,',
  '    )',
  '    return [decoded[i] for i in range(top_paths)], log_prob\n'
].join('\n');

ruleTester('keras-backend-function', {
  valid: [
    { code: 'from keras import backend as K\nK.clear_session()\ne = K.epsilon()\n' }
  ],
  invalid: [
    {
      name: "tf.keras.backend functions in a callback and in a notebook function that is no model code run eagerly: no backend",
      code: "import keras\nfrom tensorflow.keras import backend as K\nclass HalveLR(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        print(K.get_value(self.model.optimizer.learning_rate))\ndef show(model):\n    print(K.get_value(model.optimizer.learning_rate))\n",
      errors: [{ line: 5, column: 15 }, { line: 7, column: 11 }],
      blocks: []
    },
    {
      name: "in a notebook function model code calls (a Lambda function): JAX and PyTorch",
      code: "import keras\nfrom tensorflow.keras import backend as K\ndef rms(t):\n    return K.sqrt(K.mean(K.square(t)))\nlayer = keras.layers.Lambda(lambda t: rms(t))\n",
      errors: [{ line: 4, column: 12 }, { line: 4, column: 19 }, { line: 4, column: 26 }],
      blocks: ['jax', 'torch'],
      output: "import keras\nfrom tensorflow.keras import backend as K\ndef rms(t):\n    return keras.ops.sqrt(keras.ops.maximum(K.mean(keras.ops.square(t)), 0.0))\nlayer = keras.layers.Lambda(lambda t: rms(t))\n"
    },
    {
      name: 'a removed function referenced, not called: the lookup raises (no rewrite: arguments differ), except CTC, which gets its Keras 2 helper',
      code: 'import keras\nfrom keras import backend as K\nclass CTCLayer(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.loss_fn = keras.backend.ctc_batch_cost\n        self.norm = K.l2_normalize\nok = K.image_data_format()\n',
      errors: [
        { line: 6, column: 24, endColumn: 52, message: 'raises AttributeError on every backend; `keras.ops.ctc_loss` replaces it with other conventions' },
        { line: 7, column: 21, message: 'K.l2_normalize' }
      ],
      output:
        'import keras\nfrom keras import backend as K\n\n\n' +
        CTC_BATCH_COST +
        '\n\nclass CTCLayer(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.loss_fn = ctc_batch_cost\n        self.norm = K.l2_normalize\nok = K.image_data_format()\n'
    },
    {
      name: 'CTC calls: ctc_batch_cost and greedy ctc_decode are exact (safe); beam search decodes differently (a suggestion)',
      code:
        '"""OCR."""\nfrom tensorflow.keras import backend as K\n\nx = 1\n\n\ndef loss(y, p, n, m):\n    return K.ctc_batch_cost(y, p, n, m)\n\n\n' +
        'best = K.ctc_decode(p, n)[0][0]\nbeam = K.ctc_decode(p, n, greedy=False, beam_width=10)\n',
      errors: [
        { line: 8, column: 12, endColumn: 28, message: '`keras.ops.ctc_loss` replaces it with other conventions (blank at index 0 by default, logits in, lengths and loss of shape (batch,), labels before outputs)' },
        { line: 11, column: 8, message: '`keras.ops.ctc_decode` replaces it' },
        { line: 12, column: 8 }
      ],
      output:
        '"""OCR."""\nfrom tensorflow.keras import backend as K\nimport keras\n\n' +
        CTC_DECODE +
        '\n\n' +
        CTC_BATCH_COST +
        '\n\nx = 1\n\n\ndef loss(y, p, n, m):\n    return ctc_batch_cost(y, p, n, m)\n\n\n' +
        'best = ctc_decode(p, n)[0][0]\nbeam = K.ctc_decode(p, n, greedy=False, beam_width=10)\n'
    },
    {
      code: 'from tensorflow.keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(K.square(y_pred - y_true), axis=-1) + K.concatenate([y_true, y_pred])\n',
      errors: [{ line: 3, column: 12, endColumn: 18 }, { line: 3, column: 19 }, { line: 3, column: 57 }],
      // K.mean of integers truncates like tf.reduce_mean; K.concatenate without an axis joins on -1, written out.
      output: 'from tensorflow.keras import backend as K\nimport keras\ndef loss(y_true, y_pred):\n    return K.mean(keras.ops.square(y_pred - y_true), axis=-1) + keras.ops.concatenate([y_true, y_pred], axis=-1)\n'
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
      name: 'renamed arguments; K.expand_dims without axis gets its default axis=-1 written out',
      code: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = K.pow(y_pred, 2) + K.clip(y_true, min_value=0, max_value=1)\n    return K.expand_dims(a)\n',
      errors: [{ line: 4, column: 9 }, { line: 4, column: 28 }, { line: 5, column: 12 }],
      output: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = keras.ops.power(y_pred, 2) + keras.ops.clip(y_true, x_min=0, x_max=1)\n    return keras.ops.expand_dims(a, axis=-1)\n'
    },
    {
      name: 'K.concatenate / K.expand_dims with the axis passed by position get no second axis',
      code: 'import keras\nfrom keras import backend as K\ndef f(a, b):\n    return K.concatenate([a, b], 1) + K.expand_dims(a, 0)\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 39 }],
      output: 'import keras\nfrom keras import backend as K\ndef f(a, b):\n    return keras.ops.concatenate([a, b], 1) + keras.ops.expand_dims(a, 0)\n'
    },
    {
      // og47e repro_3 / repro_8 (Atienza's IIC): K.repeat once became keras.ops.repeat(t, 3), which flattened (2, 4) to
      // (24,) silently; K.batch_flatten and K.batch_dot became calls that failed on every backend. The rewrites
      // below gave tf_keras's values on all three (/tmp/kb47); batch_flatten and batch_dot get no rewrite.
      name: 'K.repeat, K.repeat_elements, K.cumsum, K.l2_normalize: their Keras 2 semantics written out; K.batch_flatten / K.batch_dot no rewrite',
      code:
        'import keras\nfrom keras import backend as K\ndef f(t):\n    return K.repeat(t, 3), K.repeat_elements(t, 2, axis=1), K.cumsum(t), K.l2_normalize(t)\n' +
        'def g(t):\n    return K.batch_flatten(t), K.batch_dot(t, t, axes=1)\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 28 }, { line: 4, column: 61 }, { line: 4, column: 74 }, { line: 6, column: 12 }, { line: 6, column: 32 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nfrom keras import backend as K\ndef f(t):\n    return keras.ops.repeat(keras.ops.expand_dims(t, 1), 3, axis=1), keras.ops.repeat(t, 2, axis=1), keras.ops.cumsum(t, axis=0), keras.ops.normalize(t, axis=None)\n' +
        'def g(t):\n    return K.batch_flatten(t), K.batch_dot(t, t, axes=1)\n'
    },
    {
      // og47b (Géron's handson-ml2 ch. 16 multi-head attention): K.permute_dimensions had no rewrite. These gave
      // tf_keras's values on all three backends (/tmp/kb47 k3b.py).
      name: 'K.permute_dimensions, K.cos, K.sin, K.softsign, K.elu, K.cumprod, K.gather, K.reverse (safe)',
      code: 'from keras import backend as K\ndef f(x, ids):\n    a = K.permute_dimensions(x, (0, 2, 1)) + K.cos(x) + K.sin(x) + K.softsign(x) + K.elu(x, 0.5)\n    return a, K.cumprod(x), K.gather(x, ids), K.reverse(x, [1, 2])\n',
      errors: [{ line: 3, column: 9 }, { line: 3, column: 46 }, { line: 3, column: 57 }, { line: 3, column: 68 }, { line: 3, column: 84 }, { line: 4, column: 15 }, { line: 4, column: 29 }, { line: 4, column: 47 }],
      output: 'import keras\nfrom keras import backend as K\ndef f(x, ids):\n    a = keras.ops.transpose(x, (0, 2, 1)) + keras.ops.cos(x) + keras.ops.sin(x) + keras.ops.softsign(x) + keras.ops.elu(x, 0.5)\n    return a, keras.ops.cumprod(x, axis=0), keras.ops.take(x, ids, axis=0), keras.ops.flip(x, [1, 2])\n'
    },
    {
      // /work/og47b ch16b repro_6 (Géron's multi-head attention): keras.ops.concatenate of keras.ops.shape (a tuple)
      // failed on TensorFlow ("'tuple' object has no attribute 'dtype'") and PyTorch's reshape refused the tensor
      // shape; the tuple ran on all three, in a functional model with a None axis too (/tmp/r6_f.py).
      name: 'K.concatenate of a K.shape slice and scalars: the shape vector becomes a tuple',
      code: 'import keras\nfrom keras import backend as K\nclass SplitHeads(keras.layers.Layer):\n    def call(self, inputs):\n        shape = K.concatenate([K.shape(inputs)[:-1], [2, -1]])\n        return K.reshape(inputs, shape)\n',
      errors: [{ line: 5, column: 17, message: 'build the shape as a tuple' }, { line: 5, column: 32 }, { line: 6, column: 16 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfrom keras import backend as K\nclass SplitHeads(keras.layers.Layer):\n    def call(self, inputs):\n        shape = (*keras.ops.shape(inputs)[:-1], 2, -1)\n        return keras.ops.reshape(inputs, shape)\n'
    },
    {
      name: 'K.concatenate of tensors (no shape in it) keeps the keras.ops.concatenate rewrite',
      code: 'import keras\nfrom keras import backend as K\ndef f(a, b):\n    return K.concatenate([a[:-1], [2, -1]])\n',
      errors: [{ line: 4, column: 12, message: 'use `keras.ops.concatenate`' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfrom keras import backend as K\ndef f(a, b):\n    return keras.ops.concatenate([a[:-1], [2, -1]], axis=-1)\n'
    },
    {
      name: 'segmentation helpers: K.flatten, K.int_shape, K.dtype, K.tile over K.stack of scalars (checked by running: examples/runnable/backend_k_metrics_dice.py)',
      code:
        'import keras\nfrom keras import backend as K\ndef dice(y_true, y_pred):\n    return K.sum(K.flatten(y_true) * K.flatten(y_pred))\n' +
        'class AddCoords(keras.layers.Layer):\n    def call(self, x):\n        b = K.shape(x)[0]\n        _, h, w, c = K.int_shape(x)\n        r = K.tile(K.ones((1, h, w, 1)), K.stack([b, 1, 1, 1]))\n        return K.cast(r, K.dtype(x))\n',
      errors: [
        { line: 4, column: 12 },
        { line: 4, column: 18 },
        { line: 4, column: 38 },
        { line: 7, column: 13 },
        { line: 8, column: 22, message: 'use `tuple(x.shape)`' },
        { line: 9, column: 13 },
        { line: 9, column: 20 },
        { line: 9, column: 42 },
        { line: 10, column: 16 },
        { line: 10, column: 26 }
      ],
      // K.shape(x)[0] and K.ones stay suggestions; K.tile takes the scalars as a tuple (a tensor fails in TF graphs).
      output:
        'import keras\nfrom keras import backend as K\ndef dice(y_true, y_pred):\n    return keras.ops.sum(keras.ops.reshape(y_true, newshape=(-1,)) * keras.ops.reshape(y_pred, newshape=(-1,)))\n' +
        'class AddCoords(keras.layers.Layer):\n    def call(self, x):\n        b = K.shape(x)[0]\n        _, h, w, c = tuple(x.shape)\n        r = keras.ops.tile(K.ones((1, h, w, 1)), (b, 1, 1, 1))\n        return keras.ops.cast(r, keras.ops.dtype(x))\n'
    },
    {
      name: 'K.binary_crossentropy is element-wise like keras.ops.binary_crossentropy (a suggestion: epsilon clipping may differ)',
      code: 'import keras\nfrom keras import backend as K\ndef bce(y_true, y_pred):\n    return K.mean(K.binary_crossentropy(y_true, y_pred), axis=-1)\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 19, message: 'use `keras.ops.binary_crossentropy`' }]
    },
    {
      name: 'K.set_value on the learning rate becomes assign()',
      code: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        K.set_value(self.model.optimizer.learning_rate, 0.01 * 0.9 ** epoch)\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        self.model.optimizer.learning_rate.assign(0.01 * 0.9 ** epoch)\n'
    },
    {
      // Checked by running (python_kernel_hooks/tests/claims/tf_keras_set_value_learning_rate.py).
      name: "tf.keras.backend.set_value on an optimizer's learning rate fails on every backend, TensorFlow included",
      code: 'from tensorflow.keras import backend as K\ndef decay(model, epoch):\n    K.set_value(model.optimizer.learning_rate, 0.01 * 0.9 ** epoch)\n',
      errors: [{ line: 3, column: 5, message: "is not in Keras 3's keras.backend; use" }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow.keras import backend as K\ndef decay(model, epoch):\n    model.optimizer.learning_rate.assign(0.01 * 0.9 ** epoch)\n'
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
    },
    {
      // keras.io "Training & evaluation with the built-in methods" (tf.keras era): `model.add_metric(keras.backend.std(x1))`
      // on a functional model's tensor. tf.keras's legacy function is a TF op: "A KerasTensor cannot be used as input to a
      // TensorFlow function" / "'str' object has no attribute 'base_dtype'" on every backend (/work/og46d repro_1).
      name: 'a tf.keras backend function on a symbolic Keras tensor fails on every backend',
      code: 'from tensorflow import keras\ninputs = keras.Input(shape=(8,))\nx1 = keras.layers.Dense(4)(inputs)\nspread = keras.backend.std(x1)\n',
      errors: [{ line: 4, column: 10, message: 'symbolic Keras tensor' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow import keras\ninputs = keras.Input(shape=(8,))\nx1 = keras.layers.Dense(4)(inputs)\nspread = keras.ops.std(x1)\n'
    }
  ]
});
