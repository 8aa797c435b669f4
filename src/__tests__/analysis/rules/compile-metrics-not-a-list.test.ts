import { ruleTester } from '../rule-tester';

const FF = 'import keras\nimport numpy as np\n\n\nclass FF(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {\"FinalLoss\": loss}\n\n\nmodel = FF()\n';

ruleTester('compile-metrics-not-a-list', {
  valid: [
    { name: 'a train_step ignoring the compiled metrics, in a class with a metrics property (it hides them)', code: 'import keras\nimport numpy as np\n\n\nclass FF(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {\"FinalLoss\": loss}\n\n    @property\n    def metrics(self):\n        return []\n\n\nmodel = FF()\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[keras.metrics.Mean()])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n' },
    { name: "a train_step dispatching on the backend (KM141's per-backend rewrite) whose TensorFlow step updates the compiled metrics", code: "import keras\nimport numpy as np\n\n\nclass M(keras.Model):\n    def train_step(self, *args, **kwargs):\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _tensorflow_train_step(self, data):\n        x, y = data\n        self.compiled_metrics.update_state(y, self(x))\n        return {m.name: m.result() for m in self.metrics}\n\n\nmodel = M(inputs, outputs)\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[\"mae\"])\nmodel.fit(np.zeros((4, 2)), np.zeros((4, 2)))\n" },
    { name: 'a train_step that updates the compiled metrics', code: 'import keras\nimport numpy as np\n\n\nclass FF(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        self.compiled_metrics.update_state(y, x)\n        return {\"FinalLoss\": loss}\n\n\nmodel = FF()\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[keras.metrics.Mean()])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n' },
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=["mae"])\n' },
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=("mae", keras.metrics.AUC()))\n' },
    { code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics={"out": "mae"})\n' },
    { name: 'a variable may hold a list', code: 'import keras\nm = keras.Sequential()\nms = ["mae"]\nm.compile(loss="mse", metrics=ms)\n' },
    { name: 'a name bound to a list of metric objects', code: 'import keras\nm = keras.Sequential()\nms = [keras.metrics.AUC()]\nm.compile(loss="mse", metrics=ms)\n' },
    { name: 'a name rebound to a list before compile()', code: 'import keras\nm = keras.Sequential()\nauc = keras.metrics.AUC()\nauc = [auc, "mae"]\nm.compile(loss="mse", metrics=auc)\n' },
    { name: "a function's parameter (what its callers hand it is not followed)", code: 'import keras\n\n\ndef build(metrics):\n    m = keras.Sequential()\n    m.compile(loss="mse", metrics=metrics)\n    return m\n' },
    { name: 'a parameter one call hands a list', code: 'import keras\n\n\ndef build(metrics):\n    m = keras.Sequential()\n    m.compile(loss="mse", metrics=metrics)\n    return m\n\n\nbuild(keras.metrics.AUC())\nbuild([keras.metrics.AUC()])\n' },
    { name: 'a parameter with a default a call may leave', code: 'import keras\n\n\ndef build(metrics=["mae"]):\n    m = keras.Sequential()\n    m.compile(loss="mse", metrics=metrics)\n    return m\n\n\nbuild(keras.metrics.AUC())\nbuild()\n' },
    { name: 'an earlier cell bound the name to a list', code: ['import keras\nms = [keras.metrics.AUC()]\n', 'm = keras.Sequential()\nm.compile(loss="mse", metrics=ms)\n'] },
    { name: 'an earlier cell bound another name to one metric', code: ['import keras\nauc = keras.metrics.AUC()\n', 'm = keras.Sequential()\nm.compile(loss="mse", metrics=ms)\n'] },
    { name: 'an unknown call may return a list', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=make_metrics())\n' },
    { name: 'not a compile call', code: 'import keras\nreport(metrics="mae")\n' },
    { name: 'no metrics at all', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", metrics=None)\n' },
    { name: 'a compile() override that keeps the metrics from Keras', code: 'import keras\nimport numpy as np\n\n\nclass Distiller(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    @property\n    def metrics(self):\n        metrics = super().metrics\n        return metrics\n\n    def compile(self, optimizer, metrics, temperature=3):\n        super().compile(optimizer=optimizer)\n        self.temperature = temperature\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {"loss": loss}\n\n\nmodel = Distiller()\nmodel.compile(optimizer="adam", metrics=[keras.metrics.Mean()])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n' },
  ],
  invalid: [
    {
      // keras.io's TFRecord recipe (melanoma): fails on TF/JAX/PyTorch with "Expected `metrics` argument to be a list, tuple, or dict. Received instead: metrics=<AUC name=auc>" (run, Keras 3.15); tf_keras ran it.
      name: 'a name the cell binds to one metric object',
      code: 'from tensorflow import keras\nauc = keras.metrics.AUC(name="auc")\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="binary_crossentropy", metrics=auc)\n',
      errors: [{ line: 4, column: 65, message: 'takes a list, tuple or dict' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'from tensorflow import keras\nauc = keras.metrics.AUC(name="auc")\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(optimizer="adam", loss="binary_crossentropy", metrics=[auc])\n'
    },
    {
      name: 'a name the cell binds to a metric string',
      code: 'import keras\nmetric = "accuracy"\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(loss="mse", metrics=metric)\n',
      errors: [{ line: 4, column: 31 }],
      output: 'import keras\nmetric = "accuracy"\nm = keras.Sequential([keras.layers.Dense(1)])\nm.compile(loss="mse", metrics=[metric])\n'
    },
    {
      name: "a module-level name a script's function reads at its one call",
      code: 'import keras\nAUC = keras.metrics.AUC()\n\n\ndef build():\n    m = keras.Sequential([keras.layers.Dense(1)])\n    m.compile(loss="mse", metrics=AUC)\n    return m\n\n\nbuild()\n',
      errors: [{ line: 7, column: 35 }],
      output: 'import keras\nAUC = keras.metrics.AUC()\n\n\ndef build():\n    m = keras.Sequential([keras.layers.Dense(1)])\n    m.compile(loss="mse", metrics=[AUC])\n    return m\n\n\nbuild()\n'
    },
    {
      // helper oe39a's probe: fails on TF/JAX/PyTorch with "Expected `metrics` argument to be a list, tuple, or dict" (run).
      name: 'a parameter every call of the function hands one metric (through a module-level name)',
      code: 'import keras\nMETRIC = keras.metrics.AUC()\n\n\ndef make_model(metrics):\n    m = keras.Sequential([keras.layers.Dense(1)])\n    m.compile(loss="mse", metrics=metrics)\n    return m\n\n\nmodel = make_model(METRIC)\n',
      errors: [{ line: 7, column: 35 }],
      output: 'import keras\nMETRIC = keras.metrics.AUC()\n\n\ndef make_model(metrics):\n    m = keras.Sequential([keras.layers.Dense(1)])\n    m.compile(loss="mse", metrics=[metrics])\n    return m\n\n\nmodel = make_model(METRIC)\n'
    },
    {
      name: 'a name an earlier cell bound to one metric object',
      code: ['import tensorflow as tf\nauc = tf.keras.metrics.AUC(name="auc")\n', 'm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.compile(loss="mse", weighted_metrics=auc)\n'],
      errors: [{ cell: 1, line: 2, column: 40 }],
      output: ['import tensorflow as tf\nauc = tf.keras.metrics.AUC(name="auc")\n', 'm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.compile(loss="mse", weighted_metrics=[auc])\n']
    },
    {
      // examples/runnable/text_vectorization.py (TensorFlow's text classification tutorial) fails so on TensorFlow as written.
      name: 'a metric object spelled through tf.metrics (TensorFlow\'s alias of tf.keras.metrics)',
      code: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=tf.metrics.BinaryAccuracy(threshold=0.0))\n',
      errors: [{ line: 3, column: 31 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nm = tf.keras.Sequential()\nm.compile(loss="bce", metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)])\n'
    },
    {
      // claims/compiled_metrics_updated_in_test_step_only.py: "Cannot get result() since the metric has not yet been built" on TensorFlow.
      name: 'keras.io distillation: a metrics property extending super().metrics and a compile() override handing metrics= on',
      code: 'import keras\nimport numpy as np\n\n\nclass Distiller(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    @property\n    def metrics(self):\n        metrics = super().metrics\n        return metrics\n\n    def compile(self, optimizer, metrics, temperature=3):\n        super().compile(optimizer=optimizer, metrics=metrics)\n        self.temperature = temperature\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {"loss": loss}\n\n\nmodel = Distiller()\nmodel.compile(optimizer="adam", metrics=[keras.metrics.Mean()])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n',
      errors: [{ line: 26, column: 41, message: 'never updates the compiled metrics' }],
      blocks: ['tensorflow']
    },
    {
      name: "keras.io Forward-Forward: compile(metrics=[...]) on a model whose train_step never updates them: fails on TensorFlow only (fit() builds them on JAX and PyTorch); the safe fix drops them",
      code: 'import keras\nimport numpy as np\n\n\nclass FF(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {\"FinalLoss\": loss}\n\n\nmodel = FF()\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[keras.metrics.Mean()])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n',
      errors: [{ line: 17, column: 53, message: 'Cannot get result() since the metric has not yet been built' }],
      blocks: ['tensorflow'],
      output: 'import keras\nimport numpy as np\n\n\nclass FF(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n\n    def train_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(self.dense(x))\n        return {\"FinalLoss\": loss}\n\n\nmodel = FF()\nmodel.compile(optimizer=\"adam\", loss=\"mse\")\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n'
    },
    {
      name: "Forward-Forward in a script's main(): the model class defined there is found (the safe fix drops the metrics)",
      code: 'import keras\nimport numpy as np\n\n\ndef main():\n    class FF(keras.Model):\n        def train_step(self, data):\n            x, y = data\n            return {"loss": keras.ops.mean(x)}\n\n    model = FF()\n    model.compile(loss="mse", metrics=[keras.metrics.Mean()])\n    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n\n\nmain()\n',
      errors: [{ line: 12, column: 39, message: 'never updates the compiled metrics' }],
      blocks: ['tensorflow'],
      output: 'import keras\nimport numpy as np\n\n\ndef main():\n    class FF(keras.Model):\n        def train_step(self, data):\n            x, y = data\n            return {"loss": keras.ops.mean(x)}\n\n    model = FF()\n    model.compile(loss="mse")\n    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n\n\nmain()\n'
    },
    {
      name: 'Forward-Forward with the compile() arguments one per line: the metrics line goes',
      code: FF + 'model.compile(\n    optimizer="adam",\n    metrics=[keras.metrics.Mean()],  # reported\n    loss="mse",\n)\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n',
      errors: [{ line: 19, column: 13 }],
      output: FF + 'model.compile(\n    optimizer="adam",\n    loss="mse",\n)\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\n'
    },
    {
      name: "evaluate() runs Keras's test_step, which reports them: the fix is unsafe",
      code: FF + 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\nprint(model.evaluate(np.ones((4, 3)), np.ones((4, 2))))\n',
      errors: [{ line: 17, column: 53, message: 'as the fix does' }],
      output: FF + 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\nprint(model.evaluate(np.ones((4, 3)), np.ones((4, 2))))\n',
    },
    {
      name: 'unsafe fix with evaluate(): metrics dropped',
      code: FF + 'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\nprint(model.evaluate(np.ones((4, 3)), np.ones((4, 2))))\n',
      errors: [{ line: 17, column: 53 }],
      fixOptions: { unsafe: true },
      output: FF + 'model.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)\nprint(model.evaluate(np.ones((4, 3)), np.ones((4, 2))))\n'
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
