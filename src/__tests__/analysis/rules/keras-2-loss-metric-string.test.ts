import { ruleTester } from '../rule-tester';

ruleTester('keras-2-loss-metric-string', {
  valid: [
    { name: 'names Keras 3 knows', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="mse", metrics=["mae", "accuracy", "kl_divergence"])\n' },
    { name: 'a string that is not an argument of compile', code: 'import keras\nname = "logcosh"\nprint({"loss": "kld"})\n' },
    { name: 'a dict key is an output name, not a metric', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss={"kld": "mse"})\n' }
  ],
  invalid: [
    {
      name: 'loss and metrics, keyword and nested',
      code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="logcosh", metrics=["kld", \'logcosh\'])\n',
      errors: [{ line: 3, column: 34, message: 'Could not interpret loss identifier: logcosh' }, { line: 3, column: 54 }, { line: 3, column: 61 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="log_cosh", metrics=["kl_divergence", \'log_cosh_error\'])\n'
    },
    {
      name: 'positional loss, per-output dict of metrics, weighted metrics',
      code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile("adam", "kullback_leibler_divergence", metrics={"out": ["KLD"]}, weighted_metrics=["kld"])\n',
      errors: [{ line: 3, column: 19 }, { line: 3, column: 67 }, { line: 3, column: 94 }],
      output: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile("adam", "kl_divergence", metrics={"out": ["kl_divergence"]}, weighted_metrics=["kl_divergence"])\n'
    },
    {
      name: 'no Keras 3 string: no fix',
      code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="mse", metrics=["binary_focal_crossentropy"])\n',
      errors: [{ line: 3, column: 50, message: 'pass the function itself' }]
    }
  ]
});
