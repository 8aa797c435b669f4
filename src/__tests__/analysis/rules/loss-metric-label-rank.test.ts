import { ruleTester } from '../rule-tester';

ruleTester('loss-metric-label-rank', {
  valid: [
    { name: 'the loss (Keras 3 losses match the ranks)', code: 'import keras\nloss = keras.losses.BinaryCrossentropy()\n' },
    { name: 'other metrics', code: 'import keras\nmetrics = [keras.metrics.AUC(name="prc", curve="PR"), keras.metrics.BinaryAccuracy()]\n' },
    {
      name: 'already wrapped',
      code: 'import keras\nm = keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(reduction=None), name="binary_crossentropy")\n'
    }
  ],
  invalid: [
    {
      name: 'TensorFlow imbalanced-data tutorial METRICS list (tf.keras spelling)',
      code:
        'from tensorflow import keras\n\nMETRICS = [\n    keras.metrics.BinaryCrossentropy(name="cross entropy"),  # same as model\'s loss\n    keras.metrics.AUC(name="prc", curve="PR"),\n]\n',
      errors: [{ line: 4, column: 5, message: 'must have the same rank' }],
      fixOptions: { unsafe: true },
      output:
        'from tensorflow import keras\n\nMETRICS = [\n    keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(reduction=None), name="cross entropy"),  # same as model\'s loss\n    keras.metrics.AUC(name="prc", curve="PR"),\n]\n'
    },
    {
      name: 'Loss arguments go to the Loss, name and dtype stay the metric\'s; the default name kept; keras imported',
      code:
        'import tensorflow as tf\n\nmodel.compile(optimizer="adam", loss="mse", metrics=[tf.keras.metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, dtype="float32")])\n',
      errors: [{ line: 3, column: 54 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\n\nmodel.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, reduction=None), name="binary_crossentropy", dtype="float32")])\n'
    },
    {
      name: 'a positional name: no fix',
      code: 'import keras\nm = keras.metrics.BinaryCrossentropy("bce")\n',
      errors: [{ line: 2, column: 5 }],
      fixOptions: { unsafe: true }
    }
  ]
});
