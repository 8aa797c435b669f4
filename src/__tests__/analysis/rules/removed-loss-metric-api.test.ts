import { ruleTester } from '../rule-tester';

const ADD_LOSS_CLASS =
  'class AddLoss(keras.layers.Layer):\n    """Adds a loss computed from the model\'s tensors (Keras 3 has no symbolic `model.add_loss`)."""\n\n    def call(self, outputs, loss):\n        self.add_loss(loss)\n        return outputs\n';
const ADD_METRIC_CLASS =
  'class AddMetric(keras.layers.Layer):\n    """Tracks the mean of a value computed from the model\'s tensors (Keras 3 has no `model.add_metric`)."""\n\n    def __init__(self, metric_name, **kwargs):\n        super().__init__(**kwargs)\n        # JAX cannot update a metric inside call(): there the model trains without it.\n        self.tracker = keras.metrics.Mean(name=metric_name) if keras.backend.backend() != "jax" else None\n\n    def call(self, outputs, value):\n        if keras.backend.backend() != "jax":\n            self.tracker.update_state(value)\n        return outputs\n';

ruleTester('removed-loss-metric-api', {
  valid: [
    { code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(keras.ops.mean(x))\n        return x\n' },
    // Losses computed on KerasTensors are KerasTensors: adding one to a Functional model is KM124.
    { name: 'graph-mode helpers are not KerasTensors', code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.keras.Input((4,))\nf = K.function([x], [x])\nmodel.add_loss(f)\n' },
    { name: 'a tensor inside call()', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(0.01 * keras.ops.sum(keras.ops.square(x)))\n        return x\n' },
    { name: 'the fixed functional form', code: `import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\n\n\n${ADD_LOSS_CLASS}\n\nmodel = keras.Model(model.inputs, AddLoss()(model.outputs, keras.ops.mean(out)), name=model.name)\n` }
  ],
  invalid: [
    {
      // claims/add_loss_symbolic.py; the fixed form ran on TensorFlow, JAX and PyTorch (examples/runnable/functional_add_loss_add_metric.py).
      name: 'symbolic model.add_loss: an AddLoss layer and the model rebuilt on it',
      code: 'import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\nmodel.add_loss(keras.ops.mean(out))\nmodel.compile("adam", "mse")\n',
      errors: [{ line: 5, column: 1, endColumn: 15, message: 'rebuild the model' }],
      fixOptions: { unsafe: true },
      output: `import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\n\n\n${ADD_LOSS_CLASS}\n\nmodel = keras.Model(model.inputs, AddLoss()(model.outputs, keras.ops.mean(out)), name=model.name)\nmodel.compile("adam", "mse")\n`
    },
    {
      name: 'the safe fixes leave a symbolic add_loss alone',
      code: 'import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\nmodel.add_loss(keras.ops.mean(out))\n',
      errors: [{ line: 5, column: 1 }]
    },
    {
      name: 'Keras 2 functional VAE: the KL term from a variable, twice in one file defines AddLoss once',
      code: 'import keras\nx = keras.Input((4,))\nz_mean = keras.layers.Dense(2)(x)\nvae = keras.Model(x, keras.layers.Dense(4)(z_mean))\nkl_loss = -0.5 * keras.ops.mean(keras.ops.square(z_mean))\nvae.add_loss(kl_loss)\nvae.add_loss(keras.ops.mean(z_mean))\n',
      errors: [{ line: 6, column: 1 }, { line: 7, column: 1 }],
      fixOptions: { unsafe: true },
      output: `import keras\nx = keras.Input((4,))\nz_mean = keras.layers.Dense(2)(x)\nvae = keras.Model(x, keras.layers.Dense(4)(z_mean))\nkl_loss = -0.5 * keras.ops.mean(keras.ops.square(z_mean))\n\n\n${ADD_LOSS_CLASS}\n\nvae = keras.Model(vae.inputs, AddLoss()(vae.outputs, kl_loss), name=vae.name)\nvae = keras.Model(vae.inputs, AddLoss()(vae.outputs, keras.ops.mean(z_mean)), name=vae.name)\n`
    },
    {
      name: 'inside a function: the class is indented with the statement',
      code: 'import keras\ndef build():\n    inp = keras.Input((3,))\n    model = keras.Model(inp, keras.layers.Dense(1)(inp))\n    model.add_loss(keras.ops.mean(inp))\n    return model\n',
      errors: [{ line: 5, column: 5 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\ndef build():\n    inp = keras.Input((3,))\n    model = keras.Model(inp, keras.layers.Dense(1)(inp))\n\n    class AddLoss(keras.layers.Layer):\n        """Adds a loss computed from the model\'s tensors (Keras 3 has no symbolic `model.add_loss`)."""\n\n        def call(self, outputs, loss):\n            self.add_loss(loss)\n            return outputs\n\n    model = keras.Model(model.inputs, AddLoss()(model.outputs, keras.ops.mean(inp)), name=model.name)\n    return model\n'
    },
    {
      name: 'Keras 2 VAE: reconstruction loss from keras.losses on the model tensors',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = keras.Input((784,))\noutputs = keras.layers.Dense(784)(inputs)\nvae = keras.Model(inputs, outputs)\nreconstruction_loss = 784 * keras.losses.binary_crossentropy(inputs, outputs)\nvae.add_loss(tf.reduce_mean(reconstruction_loss))\n',
      errors: [{ line: 7, column: 1 }]
    },
    {
      // NotImplementedError on every backend; the fixed form logs it on TensorFlow and PyTorch and trains without it on JAX (KM215).
      name: 'symbolic model.add_metric: an AddMetric layer with a Mean tracker',
      code: 'import keras\ninp = keras.Input((3,))\nhidden = keras.layers.Dense(4)(inp)\nmodel = keras.Model(inp, keras.layers.Dense(1)(hidden))\nmodel.add_metric(keras.ops.mean(hidden), name="mean_activation", aggregation="mean")\n',
      errors: [{ line: 5, column: 1, message: 'the model trains without the metric' }],
      fixOptions: { unsafe: true },
      output: `import keras\ninp = keras.Input((3,))\nhidden = keras.layers.Dense(4)(inp)\nmodel = keras.Model(inp, keras.layers.Dense(1)(hidden))\n\n\n${ADD_METRIC_CLASS}\n\nmodel = keras.Model(model.inputs, AddMetric("mean_activation")(model.outputs, keras.ops.mean(hidden)), name=model.name)\n`
    },
    {
      name: 'model.add_metric with another aggregation: no fix',
      code: 'import keras\ninp = keras.Input((3,))\nmodel = keras.Model(inp, keras.layers.Dense(1)(inp))\nmodel.add_metric(keras.ops.sum(inp), name="total", aggregation="sum")\n',
      errors: [{ line: 4, column: 1 }],
      fixOptions: { unsafe: true }
    },
    {
      // examples/runnable/endpoint_layer_add_metric.ipynb: NotImplementedError on every backend; the tracker is logged on TensorFlow and PyTorch, skipped on JAX.
      name: 'add_metric in a layer call: a Mean tracker created in __init__',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n\n    def call(self, targets, logits):\n        acc = keras.metrics.binary_accuracy(targets, logits)\n        self.add_metric(acc, name="accuracy")\n        return logits\n',
      errors: [{ line: 8, column: 9, message: 'JAX\'s stateless training step cannot update a metric' }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_tracker = keras.metrics.Mean(name="accuracy") if keras.backend.backend() != "jax" else None\n\n    def call(self, targets, logits):\n        acc = keras.metrics.binary_accuracy(targets, logits)\n        if keras.backend.backend() != "jax":  # JAX cannot update a metric inside call()\n            self.accuracy_tracker.update_state(acc)\n        return logits\n'
    },
    {
      // keras.io endpoint layer (examples/runnable/endpoint_layer_add_metric.ipynb): the metric object's call updates a metric too; with it under the test the program runs on JAX.
      name: 'add_metric of a metric object\'s result computed just before: that call joins the update under the backend test',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_fn = keras.metrics.BinaryAccuracy()\n\n    def call(self, targets, logits, sample_weights=None):\n        acc = self.accuracy_fn(targets, logits, sample_weights)\n        self.add_metric(acc, name="accuracy")\n        return logits\n',
      errors: [{ line: 9, column: 9 }],
      fixOptions: { unsafe: true, select: ['KM124'] },
      output:
        'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_tracker = keras.metrics.Mean(name="accuracy") if keras.backend.backend() != "jax" else None\n        self.accuracy_fn = keras.metrics.BinaryAccuracy()\n\n    def call(self, targets, logits, sample_weights=None):\n        if keras.backend.backend() != "jax":  # JAX cannot update a metric inside call()\n            acc = self.accuracy_fn(targets, logits, sample_weights)\n            self.accuracy_tracker.update_state(acc)\n        return logits\n'
    },
    {
      name: 'the metric result also used elsewhere: only the tracker goes under the test',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_fn = keras.metrics.BinaryAccuracy()\n\n    def call(self, targets, logits):\n        acc = self.accuracy_fn(targets, logits)\n        self.add_metric(acc, name="accuracy")\n        return logits * acc\n',
      errors: [{ line: 9, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_tracker = keras.metrics.Mean(name="accuracy") if keras.backend.backend() != "jax" else None\n        self.accuracy_fn = keras.metrics.BinaryAccuracy()\n\n    def call(self, targets, logits):\n        acc = self.accuracy_fn(targets, logits)\n        if keras.backend.backend() != "jax":  # JAX cannot update a metric inside call()\n            self.accuracy_tracker.update_state(acc)\n        return logits * acc\n'
    },
    {
      // keras.io's endpoint layer as first written (no name=): Keras 2 logged the called metric object itself;
      // the fixed form ran on TensorFlow and PyTorch (accuracy logged) and JAX (trained without it).
      name: 'add_metric of a held metric called in place, no name: the metric\'s own update_state under the backend test',
      code: 'import keras\nclass ScoreHead(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.hits = keras.metrics.BinaryAccuracy(name="hits")\n\n    def call(self, scores, labels=None, weights=None):\n        if labels is not None:\n            self.add_metric(self.hits(labels, scores, weights))\n        return keras.ops.sigmoid(scores)\n',
      errors: [{ line: 9, column: 13 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass ScoreHead(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.hits = keras.metrics.BinaryAccuracy(name="hits")\n\n    def call(self, scores, labels=None, weights=None):\n        if labels is not None:\n            if keras.backend.backend() != "jax":  # JAX cannot update a metric inside call()\n                self.hits.update_state(labels, scores, weights)\n        return keras.ops.sigmoid(scores)\n'
    },
    {
      name: 'a called held metric with a name= or a called function that is not a held metric: not this fix',
      code: 'import keras\nclass ScoreHead(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.hits = keras.metrics.BinaryAccuracy()\n        self.score = lambda a, b: keras.ops.mean(a * b)\n\n    def call(self, scores, labels):\n        self.add_metric(self.hits(labels, scores), aggregation="sum")\n        self.add_metric(self.score(labels, scores))\n        return scores\n',
      errors: [{ line: 9, column: 9 }, { line: 10, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'add_metric in a layer without __init__: one is added',
      code: 'import keras\nclass Probe(keras.layers.Layer):\n    def call(self, x):\n        self.add_metric(keras.ops.mean(x), name="activation mean")\n        return x\n',
      errors: [{ line: 4, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Probe(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.activation_mean_tracker = keras.metrics.Mean(name="activation mean") if keras.backend.backend() != "jax" else None\n\n    def call(self, x):\n        if keras.backend.backend() != "jax":  # JAX cannot update a metric inside call()\n            self.activation_mean_tracker.update_state(keras.ops.mean(x))\n        return x\n'
    },
    {
      name: 'add_metric without a literal name: no fix',
      code: 'import keras\nclass Probe(keras.layers.Layer):\n    def call(self, x):\n        self.add_metric(keras.ops.mean(x))\n        return x\n',
      errors: [{ line: 4, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'Keras 2 callable weight penalty',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([dense])\nmodel.add_loss(lambda: tf.reduce_mean(dense.kernel))\n',
      errors: [{ line: 3, column: 1, endColumn: 15, message: 'callable' }]
    }
  ]
});
