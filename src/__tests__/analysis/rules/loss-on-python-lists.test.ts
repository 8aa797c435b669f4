import { ruleTester } from '../rule-tester';

ruleTester('loss-on-python-lists', {
  valid: [
    {
      // /work/og48c repro_1 (Chollet's DLwP ch. 7: a metric demo's module-level lists, then a test step): the loss got the
      // step's own tensors and ran on all three (loss 1.0986).
      name: 'a parameter or a function local named like a module-level list',
      code:
        'import numpy as np\nimport keras\ntargets = [0, 1, 2]\npredictions = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\nloss_fn = keras.losses.SparseCategoricalCrossentropy()\n' +
        'def test_step(inputs, targets):\n    predictions = model(inputs)\n    return loss_fn(targets, predictions)\n' +
        'def train_step(data):\n    inputs, targets = data\n    predictions = model(inputs)\n    return loss_fn(targets, predictions)\n'
    },
    {
      name: 'a list comprehension against a list literal (same nesting possible), or against another comprehension',
      code: 'import keras\nimport numpy as np\nmse = keras.losses.MeanSquaredError()\nmean_acc = [np.mean(i) for i in runs]\na = mse([0.8, 0.9], mean_acc)\nb = mse([v * 2 for v in mean_acc], mean_acc)\n'
    },
    { name: 'lists of the same nesting pair up', code: 'import keras\nbce = keras.losses.BinaryCrossentropy()\nprint(bce([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]))\n' },
    { name: 'tensors already', code: 'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\nprint(scce(keras.ops.convert_to_tensor([1, 2]), keras.ops.convert_to_tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])))\n' },
    { name: 'a loss function that converts lists itself', code: 'import keras\nprint(keras.losses.mean_absolute_error([0.0, 1.0], [1.0, 1.0]))\n' },
    { name: 'names of unknown values', code: 'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\n\ndef f(y, p):\n    return scce(y, p)\n' },
    { name: 'not a loss', code: 'import keras\nacc = keras.metrics.SparseCategoricalAccuracy()\nacc.update_state([0, 1], [[0.9, 0.1], [0.2, 0.8]])\nprint(acc([0, 1], [[0.9, 0.1], [0.2, 0.8]]))\n' },
    { name: 'two list comprehensions (nesting unknown)', code: 'import keras\nimport numpy as np\nmse = keras.losses.MeanSquaredError()\nruns = [[0.8, 0.9], [0.7, 0.75]]\nmean_acc = [np.mean(r) for r in runs]\nbest = [np.max(r) for r in runs]\nprint(mse(mean_acc, best))\n' },
    { name: 'a list comprehension against a list literal (nesting unknown)', code: 'import keras\nimport numpy as np\nmse = keras.losses.MeanSquaredError()\nmean_acc = [np.mean(r) for r in [[0.8, 0.9], [0.7, 0.75]]]\nprint(mse(mean_acc, [0.8, 0.7]))\n' },
    { name: 'a list comprehension inside a call is no list', code: 'import keras\nimport numpy as np\nmse = keras.losses.MeanSquaredError()\nmean_acc = np.array([np.mean(r) for r in [[0.8, 0.9], [0.7, 0.75]]])\nprint(mse(mean_acc, np.ones(2)))\n' },
    { name: 'a name rebound to an array before the call', code: 'import keras\nimport numpy as np\nscce = keras.losses.SparseCategoricalCrossentropy()\nlabel = [0, 0]\nlabel = np.array(label)\nprediction = np.array([[-3.0, 0.0], [-3.0, 0.0]])\nprint(scce(label, prediction))\n' }
  ],
  invalid: [
    {
      // examples/runnable/sample_size_learning_curve.py: "Structures don't have the same nested structure" on TF and JAX, "'list' object has no attribute 'shape'" on PyTorch.
      name: 'keras.io sample-size estimate: a list comprehension of mean accuracies against a fitted curve (a call), in a function',
      code: 'import keras\nimport numpy as np\n\n\ndef fit_and_predict(train_acc, x):\n    mean_acc = [np.mean(i) for i in train_acc]\n    mse = keras.losses.MeanSquaredError()\n    y_pred = exp_func(x, a, b)\n    cost = mse(y_pred, mean_acc)\n    mae = keras.losses.MeanAbsoluteError()\n    return mae(mean_acc, exp_func(x, a, b))\n',
      errors: [{ line: 9, column: 12 }, { line: 11, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nimport numpy as np\n\n\ndef fit_and_predict(train_acc, x):\n    mean_acc = [np.mean(i) for i in train_acc]\n    mse = keras.losses.MeanSquaredError()\n    y_pred = exp_func(x, a, b)\n    cost = mse(y_pred, keras.ops.convert_to_tensor(mean_acc))\n    mae = keras.losses.MeanAbsoluteError()\n    return mae(keras.ops.convert_to_tensor(mean_acc), exp_func(x, a, b))\n'
    },
    {
      name: 'the TF image-segmentation tutorial: names bound to lists, a sample weight list',
      code:
        'import tensorflow as tf\nlabel = [0, 0]\nprediction = [[-3., 0], [-3, 0]]\nsample_weight = [1, 10]\n\nloss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True,\n                                                     reduction=tf.keras.losses.Reduction.NONE)\nprint(loss(label, prediction).numpy(), loss(label, prediction, sample_weight).numpy())\n',
      errors: [{ line: 8, column: 7 }, { line: 8, column: 40 }],
      output:
        'import tensorflow as tf\nimport keras\nlabel = [0, 0]\nprediction = [[-3., 0], [-3, 0]]\nsample_weight = [1, 10]\n\nloss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True,\n                                                     reduction=tf.keras.losses.Reduction.NONE)\nprint(loss(keras.ops.convert_to_tensor(label), keras.ops.convert_to_tensor(prediction)).numpy(), loss(keras.ops.convert_to_tensor(label), keras.ops.convert_to_tensor(prediction), sample_weight).numpy())\n'
    },
    {
      name: 'the docstring example, literals in the call, keyword arguments',
      code: 'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\nprint(scce(y_true=[1, 2], y_pred=[[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))\n',
      errors: [{ line: 3, column: 7 }],
      output: 'import keras\nscce = keras.losses.SparseCategoricalCrossentropy()\nprint(scce(y_true=keras.ops.convert_to_tensor([1, 2]), y_pred=keras.ops.convert_to_tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])))\n'
    },
    {
      name: 'a label list against a model prediction, in a function reading a module-level loss',
      code: 'import keras\nimport numpy as np\nbce = keras.losses.BinaryCrossentropy()\nmodel = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])\n\ndef score(x):\n    pred = model(x)\n    return bce([1.0, 0.0], pred)\n',
      errors: [{ line: 8, column: 12 }],
      output: 'import keras\nimport numpy as np\nbce = keras.losses.BinaryCrossentropy()\nmodel = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])\n\ndef score(x):\n    pred = model(x)\n    return bce(keras.ops.convert_to_tensor([1.0, 0.0]), pred)\n'
    },
    {
      name: 'keras.io learning-curve fit: a list comprehension of mean accuracies against a curve function result, under a tape',
      code:
        'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\noverall_accuracy = [[0.82, 0.75], [0.86, 0.88]]\nx = [165, 330]\nmean_acc = [np.mean(i) for i in overall_accuracy]\nmse = keras.losses.MeanSquaredError()\n\ndef exp_func(x, a, b):\n    return a * x ** b\n\na = tf.Variable(0.6)\nb = tf.Variable(0.05)\nfor epoch in range(10):\n    with tf.GradientTape() as tape:\n        y_pred = exp_func(x, a, b)\n        cost_function = mse(y_pred, mean_acc)\n    gradients = tape.gradient(cost_function, [a, b])\n    a.assign_sub(gradients[0] * 0.01)\nmae = keras.losses.MeanAbsoluteError()\nprint(mae(mean_acc, exp_func(x, a, b)).numpy())\n',
      errors: [{ line: 17, column: 25 }, { line: 21, column: 7 }],
      output:
        'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\noverall_accuracy = [[0.82, 0.75], [0.86, 0.88]]\nx = [165, 330]\nmean_acc = [np.mean(i) for i in overall_accuracy]\nmse = keras.losses.MeanSquaredError()\n\ndef exp_func(x, a, b):\n    return a * x ** b\n\na = tf.Variable(0.6)\nb = tf.Variable(0.05)\nfor epoch in range(10):\n    with tf.GradientTape() as tape:\n        y_pred = exp_func(x, a, b)\n        cost_function = mse(y_pred, keras.ops.convert_to_tensor(mean_acc))\n    gradients = tape.gradient(cost_function, [a, b])\n    a.assign_sub(gradients[0] * 0.01)\nmae = keras.losses.MeanAbsoluteError()\nprint(mae(keras.ops.convert_to_tensor(mean_acc), exp_func(x, a, b)).numpy())\n'
    },
    {
      name: 'sparse_categorical_crossentropy as a function reads .shape',
      code: 'from tensorflow import keras\nprint(keras.losses.sparse_categorical_crossentropy([0, 0], [[-3.0, 0.0], [-3.0, 0.0]], from_logits=True))\n',
      errors: [{ line: 2, column: 7 }],
      output: 'from tensorflow import keras\nprint(keras.losses.sparse_categorical_crossentropy(keras.ops.convert_to_tensor([0, 0]), keras.ops.convert_to_tensor([[-3.0, 0.0], [-3.0, 0.0]]), from_logits=True))\n'
    }
  ]
});
