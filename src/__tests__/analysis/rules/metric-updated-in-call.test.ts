import { ruleTester } from '../rule-tester';

ruleTester('metric-updated-in-call', {
  valid: [
    {
      name: 'an update that JAX never runs (KM124\'s fixed tracker, created and updated off JAX)',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.acc_tracker = keras.metrics.Mean(name="acc") if keras.backend.backend() != "jax" else None\n    def call(self, targets, logits):\n        if keras.backend.backend() != "jax":\n            self.acc_tracker.update_state(keras.ops.mean(logits))\n        return logits\n'
    },
    {
      name: 'a metric updated in train_step (the Keras 3 way)',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n    def train_step(self, data):\n        self.loss_tracker.update_state(1.0)\n        return {"loss": self.loss_tracker.result()}\n'
    },
    {
      name: 'a loss object called in call()',
      code: 'import keras\nclass E(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.loss_fn = keras.losses.BinaryCrossentropy()\n    def call(self, t, x):\n        self.add_loss(self.loss_fn(t, x))\n        return x\n'
    },
    {
      name: 'a metric outside any layer',
      code: 'import keras\nacc = keras.metrics.BinaryAccuracy()\nacc.update_state([1], [1])\n'
    }
  ],
  invalid: [
    {
      name: 'an update under a backend test that JAX passes',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.accuracy = keras.metrics.BinaryAccuracy()\n    def call(self, targets, logits):\n        if keras.backend.backend() != "torch":\n            self.accuracy.update_state(targets, logits)\n        return logits\n',
      errors: [{ line: 8, column: 13 }]
    },
    {
      // claims/metric_updated_in_call.py: fit() runs on TensorFlow and PyTorch, fails on JAX.
      name: 'update_state on a metric attribute in call()',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.accuracy = keras.metrics.BinaryAccuracy()\n    def call(self, targets, logits):\n        self.accuracy.update_state(targets, logits)\n        return logits\n',
      errors: [{ line: 7, column: 9, message: 'JAX runs `call()` statelessly' }],
      blocks: ['jax']
    },
    {
      // examples/runnable/endpoint_layer_add_metric.ipynb: calling the metric updates it.
      name: 'calling the metric in call() (tf.keras spelling)',
      code: 'from tensorflow import keras\nclass Endpoint(keras.layers.Layer):\n    def __init__(self, name=None):\n        super().__init__(name=name)\n        self.accuracy_fn = keras.metrics.BinaryAccuracy()\n    def call(self, targets, logits, sample_weights=None):\n        acc = self.accuracy_fn(targets, logits, sample_weights)\n        return logits\n',
      errors: [{ line: 7, column: 15 }],
      blocks: ['jax']
    },
    {
      name: 'in a Model subclass call()',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.mean = keras.metrics.Mean(name="mean_out")\n    def call(self, x):\n        y = self.dense(x)\n        self.mean.update_state(y)\n        return y\n',
      errors: [{ line: 9, column: 9 }]
    }
  ]
});
