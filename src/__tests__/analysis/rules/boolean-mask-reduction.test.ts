import { ruleTester } from '../rule-tester';

ruleTester('boolean-mask-reduction', {
  valid: [
    {
      name: 'boolean_mask at the top level (eager TensorFlow code), and one kept as a tensor',
      code: 'import tensorflow as tf\nvalues = tf.boolean_mask(tf.ones(3), [True, False, True])\ntotal = tf.reduce_sum(tf.boolean_mask(tf.ones(3), [True, False, True]))\ndef rows(x, m):\n    return tf.boolean_mask(x, m)\n'
    },
    {
      name: 'two different masks, a non-elementwise op, an axis, and a selection read again later',
      code: 'import tensorflow as tf\ndef f(a, b, m, n):\n    return tf.reduce_mean(tf.boolean_mask(a, m) + tf.boolean_mask(b, n))\ndef g(a, m):\n    return tf.reduce_mean(tf.nn.softmax(tf.boolean_mask(a, m)))\ndef h(a, m):\n    return tf.reduce_sum(tf.boolean_mask(a, m), axis=0)\ndef k(a, m):\n    sel = tf.boolean_mask(a, m)\n    total = tf.reduce_sum(sel)\n    return total / tf.size(sel)\n'
    }
  ],
  invalid: [
    {
      name: 'TF Transformer-tutorial style masked loss: selection assigned, then its mean returned',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\n\nloss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")\n\ndef masked_loss(y_true, y_pred):\n    mask = tf.math.logical_not(tf.math.equal(y_true, 0))\n    loss_ = loss_object(y_true, y_pred)\n    loss_ = tf.boolean_mask(loss_, mask)\n    return tf.reduce_mean(loss_)\n',
      errors: [{ line: 10, column: 12, message: 'masked reduction' }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nloss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")\n\ndef masked_loss(y_true, y_pred):\n    mask = tf.math.logical_not(tf.math.equal(y_true, 0))\n    loss_ = loss_object(y_true, y_pred)\n    loss_ = keras.ops.where(mask, loss_, 0)\n    return (keras.ops.sum(loss_) / keras.ops.sum(keras.ops.cast(mask, "float32")))\n'
    },
    {
      name: 'masked accuracy: equal of two selections by one mask, inline; a masked sum',
      code: 'import tensorflow as tf\n\ndef masked_accuracy(y_true, pred, mask):\n    return tf.reduce_mean(tf.cast(tf.equal(tf.boolean_mask(y_true, mask), tf.boolean_mask(pred, mask)), tf.float32))\n\ndef masked_total(x, mask):\n    return tf.math.reduce_sum(tf.boolean_mask(x, mask))\n',
      errors: [{ line: 4, column: 12 }, { line: 7, column: 12 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\n\ndef masked_accuracy(y_true, pred, mask):\n    return (keras.ops.sum(keras.ops.where(mask, tf.cast(tf.equal(y_true, pred), tf.float32), 0)) / keras.ops.sum(keras.ops.cast(mask, "float32")))\n\ndef masked_total(x, mask):\n    return keras.ops.sum(keras.ops.where(mask, x, 0))\n'
    },
    {
      name: 'NER masked accuracy: matches of two selections assigned, then averaged (keras.ops after the other fixes)',
      code: 'import keras\nimport tensorflow as tf\n\ndef masked_accuracy(y_true, y_pred):\n    pred = keras.ops.argmax(y_pred, axis=-1)\n    mask = keras.ops.not_equal(y_true, 0)\n    matches = keras.ops.cast(keras.ops.equal(tf.boolean_mask(y_true, mask), tf.boolean_mask(pred, mask)), "float32")\n    return keras.ops.mean(matches)\n',
      errors: [{ line: 8, column: 12 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow as tf\n\ndef masked_accuracy(y_true, y_pred):\n    pred = keras.ops.argmax(y_pred, axis=-1)\n    mask = keras.ops.not_equal(y_true, 0)\n    matches = keras.ops.where(mask, keras.ops.cast(keras.ops.equal(y_true, pred), "float32"), 0)\n    return (keras.ops.sum(matches) / keras.ops.sum(keras.ops.cast(mask, "float32")))\n'
    }
  ]
});
