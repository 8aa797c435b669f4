import { ruleTester } from '../rule-tester';

const SQUEEZE =
  "    # Keras 2 squeezed a (batch, 1) prediction to rank-1 labels' rank before calling a metric function; Keras 3 does not.\n" +
  '    if len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1:\n' +
  '        y_pred = keras.ops.squeeze(y_pred, -1)\n';

ruleTester('custom-metric-function-label-rank', {
  valid: [
    {
      name: 'built-in metrics only (Keras 3 matches their ranks: measured)',
      code: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss="mse", metrics=["mae", keras.metrics.RootMeanSquaredError()])\n'
    },
    {
      name: 'the function is a loss (Keras 3 loss wrapper matches the ranks: measured)',
      code: 'import keras\ndef my_loss(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_pred - y_true))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=my_loss)\n'
    },
    {
      name: 'no Dense(1) output (a classifier with 10 classes)',
      code: 'import keras\ndef acc(y_true, y_pred):\n    return keras.ops.mean(keras.ops.equal(y_true, keras.ops.argmax(y_pred, -1)))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(10)])\nmodel.compile("adam", loss="sparse_categorical_crossentropy", metrics=[acc])\n'
    },
    {
      name: 'the function flattens both sides first (dice coefficient)',
      code: 'import keras\nfrom keras import backend as K\ndef dice(y_true, y_pred):\n    y_true_f = K.flatten(y_true)\n    y_pred_f = K.flatten(y_pred)\n    return 2 * K.sum(y_true_f * y_pred_f) / (K.sum(y_true_f) + K.sum(y_pred_f))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss="mse", metrics=[dice])\n'
    },
    {
      name: 'labels of shape (n, 1), or not visibly of rank 1 (measured: the ranks match, no broadcast)',
      code: 'import numpy as np\nimport keras\ndef rmse(y_true, y_pred):\n    return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_pred - y_true)))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss="mse", metrics=[rmse])\ny = np.random.rand(100, 1)\nmodel.fit(x, y)\nmodel.fit(x, df[["price"]])\nmodel.fit(x, y_other)\nmodel.fit(x, data[:, 3:])\n'
    },
    {
      name: 'a helper matches the ranks first (the hand conversion of regression_rmse_r2_metrics.py)',
      code: 'import keras\nfrom keras import ops\ndef match_ranks(y_true, y_pred):\n    if len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1:\n        y_pred = ops.squeeze(y_pred, -1)\n    return ops.cast(y_true, y_pred.dtype), y_pred\ndef rmse(y_true, y_pred):\n    y_true, y_pred = match_ranks(y_true, y_pred)\n    return ops.sqrt(ops.mean(ops.square(y_pred - y_true)))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss="mse", metrics=[rmse])\nmodel.fit(data[:, :3], data[:, -1])\n'
    },
    {
      name: 'the function uses only the predictions',
      code: 'import keras\ndef mean_pred(y_true, y_pred):\n    return keras.ops.mean(y_pred)\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss="mse", metrics=[mean_pred])\n'
    }
  ],
  invalid: [
    {
      name: 'RMSE metric function of a regression (tf.keras backend), docstring kept first',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\n\ndef rmse(y_true, y_pred):\n    """Root mean squared error."""\n    y_true = K.cast(y_true, "float32")\n    return K.sqrt(K.mean(K.square(y_pred - y_true)))\n\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae", rmse])\nmodel.fit(data[:, :3], data[:, -1], epochs=3)\n',
      errors: [{ line: 4, column: 5, message: 'broadcast to `(batch, batch)`' }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nimport keras\n\ndef rmse(y_true, y_pred):\n    """Root mean squared error."""\n' +
        SQUEEZE +
        '    y_true = K.cast(y_true, "float32")\n    return K.sqrt(K.mean(K.square(y_pred - y_true)))\n\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae", rmse])\nmodel.fit(data[:, :3], data[:, -1], epochs=3)\n'
    },
    {
      name: 'R² metric across notebook cells, element-wise op call, units= keyword, other parameter names',
      code: [
        'import keras\n\ndef r_square(y, yhat):\n    ss_res = keras.ops.sum(keras.ops.square(keras.ops.subtract(y, yhat)))\n    ss_tot = keras.ops.sum(keras.ops.square(y - keras.ops.mean(y)))\n    return 1 - ss_res / ss_tot\n',
        'inputs = keras.Input((3,))\noutputs = keras.layers.Dense(units=1)(inputs)\nmodel = keras.Model(inputs, outputs)\n',
        'X = df.drop(columns=["price"])\ny = df["price"].values\nX_train, X_test, y_train, y_test = train_test_split(X, y)\nmodel.compile("adam", "mse", [r_square])\nmodel.fit(X_train, y_train)\n'
      ],
      errors: [{ cell: 0, line: 3, column: 5 }],
      fixOptions: { unsafe: true },
      output: [
        "import keras\n\ndef r_square(y, yhat):\n    # Keras 2 squeezed a (batch, 1) prediction to rank-1 labels' rank before calling a metric function; Keras 3 does not.\n    if len(yhat.shape) == len(y.shape) + 1 and yhat.shape[-1] == 1:\n        yhat = keras.ops.squeeze(yhat, -1)\n    ss_res = keras.ops.sum(keras.ops.square(keras.ops.subtract(y, yhat)))\n    ss_tot = keras.ops.sum(keras.ops.square(y - keras.ops.mean(y)))\n    return 1 - ss_res / ss_tot\n",
        'inputs = keras.Input((3,))\noutputs = keras.layers.Dense(units=1)(inputs)\nmodel = keras.Model(inputs, outputs)\n',
        'X = df.drop(columns=["price"])\ny = df["price"].values\nX_train, X_test, y_train, y_test = train_test_split(X, y)\nmodel.compile("adam", "mse", [r_square])\nmodel.fit(X_train, y_train)\n'
      ]
    }
  ]
});
