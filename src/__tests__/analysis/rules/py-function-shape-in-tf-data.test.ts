import { ruleTester } from '../rule-tester';

ruleTester('py-function-shape-in-tf-data', {
  valid: [
    {
      name: 'the mapped function gives the result its shape',
      code: 'import tensorflow as tf\nds = tf.data.Dataset.range(4).batch(2)\ndef aug(x):\n    y = tf.py_function(f, [x], tf.float32)\n    y.set_shape((None, 4))\n    return y\nds = ds.map(aug)\n'
    },
    {
      name: 'already wrapped in tf.ensure_shape',
      code: 'import tensorflow as tf\nds = tf.data.Dataset.range(4).batch(2)\nds = ds.map(lambda x: tf.ensure_shape(tf.numpy_function(f, [x], tf.float32), (None,)))\n'
    },
    { name: 'outside a mapped function', code: 'import tensorflow as tf\ny = tf.py_function(f, [x], tf.float32)\n' }
  ],
  invalid: [
    {
      name: 'keras.io RandAugment: imgaug through tf.py_function in a lambda, the output indexed [0]',
      code: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(8)\nds = ds.map(lambda x, y: (tf.py_function(augment, [x], [tf.float32])[0], y))\n',
      // Measured (examples/runnable/randaugment_robustness.py, claims/py_function_in_dataset_map.py): fit() fails on TensorFlow only.
      errors: [{ line: 3, column: 27, message: 'unknown shape' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(8)\nds = ds.map(lambda x, y: (tf.ensure_shape(tf.py_function(augment, [x], [tf.float32])[0], x.shape), y))\n'
    },
    {
      name: 'tf.numpy_function with one dtype, in a helper the mapped def calls',
      code: 'import tensorflow as tf\ndef load(path):\n    return tf.numpy_function(read, [path], tf.float32)\ndef process(path, label):\n    return load(path), label\nds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(process)\n',
      errors: [{ line: 3, column: 12 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\ndef load(path):\n    return tf.ensure_shape(tf.numpy_function(read, [path], tf.float32), path.shape)\ndef process(path, label):\n    return load(path), label\nds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(process)\n'
    },
    {
      name: 'two inputs: no fix (which shape?)',
      code: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((a, b)).map(lambda x, y: tf.py_function(f, [x, y], [tf.float32, tf.int64]))\n',
      errors: [{ line: 2, column: 66 }]
    }
  ]
});
