import { ruleTester } from '../rule-tester';

ruleTester('compile-metrics-not-a-list', {
  valid: [
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=["mae"])\n' },
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=("mae", keras.metrics.AUC()))\n' },
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics={"out": "mae"})\n' },
    { name: 'a variable may hold a list', code: 'import keras\nm = keras.Sequential()\nms = ["mae"]\nm.compile(loss="mse", metrics=ms)\n' },
    { name: 'an unknown call may return a list', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=make_metrics())\n' },
    { name: 'not a compile call', code: 'import keras\nreport(metrics="mae")\n' },
    { name: 'no metrics at all', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=None)\n' }
  ],
  invalid: [
    {
      // examples/runnable/text_vectorization.py (TensorFlow's text classification tutorial) fails so on TensorFlow as written.
      name: 'a metric object spelled through tf.metrics (TensorFlow\'s alias of tf.keras.metrics)',
      code: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=tf.metrics.BinaryAccuracy(threshold=0.0))\n',
      errors: [{ line: 3, column: 31 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)])\n'
    },
    {
      name: 'a metric object, tf.keras spelling',
      code: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=tf.keras.metrics.BinaryAccuracy())\n',
      errors: [{ line: 3, column: 31 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=[tf.keras.metrics.BinaryAccuracy()])\n'
    },
    {
      name: 'a string, on a model the analysis cannot type',
      code: 'model = build()\nmodel.compile("adam", "mse", metrics="mae")\n',
      errors: [{ line: 2, column: 38 }],
      output: 'model = build()\nmodel.compile("adam", "mse", metrics=["mae"])\n'
    },
    {
      name: 'a metric function, and weighted_metrics',
      code: 'from tensorflow import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=keras.metrics.mean_absolute_error, weighted_metrics="mse")\n',
      errors: [{ line: 3, column: 31 }, { line: 3, column: 83 }],
      output: 'from tensorflow import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=[keras.metrics.mean_absolute_error], weighted_metrics=["mse"])\n'
    }
  ]
});
