import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])\nmodel.compile("adam", "binary_crossentropy", metrics=["accuracy", keras.metrics.AUC(name="auc")])\n';

ruleTester('metrics-names-of-compiled-model', {
  valid: [
    { name: 'evaluate(return_dict=True)', code: HEAD + 'results = model.evaluate(x, y, return_dict=True)\nfor name, value in results.items():\n    print(name, value)\n' },
    { name: 'a class of the program setting its own attribute of that name', code: 'class Report:\n    def __init__(self):\n        self.metrics_names = ["a"]\n' }
  ],
  invalid: [
    {
      // TensorFlow time-series tutorial (helper og42b): "'mean_absolute_error' is not in list" on tf/jax/torch.
      name: 'index() of a compiled metric\'s name claims every backend',
      code: "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=\"mse\", metrics=[keras.metrics.MeanAbsoluteError()])\nresults = model.evaluate(x, y, verbose=0)\nmetric_index = model.metrics_names.index(\"mean_absolute_error\")\n",
      errors: [{ line: 5, column: 16, message: "raises \"'mean_absolute_error' is not in list\" on every backend" }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=\"mse\", metrics=[keras.metrics.MeanAbsoluteError()])\nresults = model.evaluate(x, y, verbose=0)\nmetric_index = list(model.get_metrics_result()).index(\"mean_absolute_error\")\n"
    },
    {
      name: 'index("loss") is found in Keras 3 too: only the pairing warning, no backend',
      code: "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=\"mse\", metrics=[keras.metrics.MeanAbsoluteError()])\nresults = model.evaluate(x, y, verbose=0)\nloss_index = model.metrics_names.index(\"loss\")\n",
      errors: [{ line: 5, column: 14, message: 'paired with those results' }],
      blocks: []
    },
    {
      // examples/runnable/feature_engineering_string_layer.py (keras.io feature engineering): the pairs were ('loss', ...), ('compile_metrics', ...).
      name: 'keras.io feature engineering: evaluate() called inside the zip, in dict(): its return_dict items (safe)',
      code: HEAD + 'loaded = keras.models.load_model("m.keras")\nresults = dict(zip(loaded.metrics_names, loaded.evaluate(dataset, verbose=0)))\n',
      errors: [{ line: 5, column: 20 }],
      blocks: [],
      output: HEAD + 'loaded = keras.models.load_model("m.keras")\nresults = dict(loaded.evaluate(dataset, verbose=0, return_dict=True).items())\n'
    },
    {
      name: 'evaluate() of another model inside the zip, or already a dict: no fix',
      code: HEAD + 'other = keras.models.load_model("m.keras")\na = dict(zip(model.metrics_names, other.evaluate(ds)))\nb = dict(zip(model.metrics_names, model.evaluate(ds, return_dict=True)))\n',
      errors: [{ line: 5, column: 14 }, { line: 6, column: 14 }]
    },
    {
      // examples/runnable/imbalanced_data_tutorial.py: on Keras 3.15 (every backend) the pairs were ('loss', ...), ('compile_metrics', ...).
      name: 'the TF imbalanced-data tutorial: evaluate() results zipped with metrics_names, read nowhere else',
      code: HEAD + 'results = model.evaluate(x, y, batch_size=8, verbose=0)\nfor name, value in zip(model.metrics_names, results):\n    print(name, ": ", value)\n',
      errors: [{ line: 5, column: 24, message: "`['loss', 'compile_metrics']`" }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: HEAD + 'results = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)\nfor name, value in results.items():\n    print(name, ": ", value)\n'
    },
    {
      name: 'results read elsewhere, or changed before the zip: no fix',
      code: HEAD + 'scores = model.evaluate(x, y)\nprint(scores[0])\nprint(dict(zip(model.metrics_names, scores)))\nother = model.evaluate(x, y)\nprint(dict(zip(model.metrics_names, np.round(other, 3))))\n',
      errors: [
        { line: 6, column: 16 },
        { line: 8, column: 16 }
      ]
    }
  ]
});
