import { ruleTester } from '../rule-tester';

const MODEL = (body: string): string => 'import keras\nclass M(keras.Model):\n' + body;

ruleTester('compiled-metrics-attribute', {
  valid: [
    { name: 'the shim update_state() (KM141 flags it in a step)', code: MODEL('    def f(self, y, p):\n        self.compiled_metrics.update_state(y, p)\n') },
    { name: 'calling compiled_loss (KM141 flags it in a step)', code: MODEL('    def f(self, y, p):\n        return self.compiled_loss(y, p)\n') },
    { name: 'not a Keras model', code: 'class M:\n    @property\n    def metrics(self):\n        return self.compiled_metrics.metrics\n' },
    { name: 'another object\'s attribute', code: MODEL('    def f(self, other):\n        return other.compiled_metrics.metrics\n') }
  ],
  invalid: [
    {
      name: 'fix: the override lists only trackers set to Keras metrics: deleted, the shim update becomes compute_metrics()',
      code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, p, sample_weight=None)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 11, column: 38 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compute_metrics(None, y, p, sample_weight=None)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n'
    },
    {
      name: 'no fix: a tracker set to something else than a Keras metric',
      code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = MyMean()\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, p, sample_weight=None)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 11, column: 38 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'no fix: the class has its own compute_metrics()',
      code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, p, sample_weight=None)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return {}\n',
      errors: [{ line: 11, column: 38 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'fix: a compute_metrics() of its own and no shim update left (a step rewritten into compute_loss()/compute_metrics()): the override is deleted',
      code: 'import keras\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return super().compute_metrics(x, y, y_pred[0])\n',
      errors: [{ line: 10, column: 38 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return super().compute_metrics(x, y, y_pred[0])\n'
    },
    {
      name: 'no fix: the override does more than list trackers',
      code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + super().metrics + self.compiled_metrics.metrics\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, p, sample_weight=None)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 11, column: 56 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'no fix: update_state with y_true=/y_pred= keywords',
      code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n' + '    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n\n    def train_step(self, data):\n        (x, y), extra = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + keras.ops.mean(self.net(extra))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y_true=y, y_pred=p)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 11, column: 38 }],
      fixOptions: { unsafe: true }
    },
    {
      // Checked by running Keras 3.15 on TensorFlow: "AttributeError: 'DeprecatedCompiledMetric' object has no attribute 'metrics'".
      name: 'keras.io AdaMatch-style metrics property adding self.compiled_metrics.metrics',
      code: MODEL('    @property\n    def metrics(self):\n        return [self.loss_tracker] + self.compiled_metrics.metrics\n'),
      errors: [{ line: 5, column: 38, message: "'DeprecatedCompiledMetric' object has no attribute 'metrics'" }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'reset_state() on the shim and compiled_loss.metrics',
      code: MODEL('    def reset(self):\n        self.compiled_metrics.reset_state()\n        return self.compiled_loss.metrics\n'),
      errors: [{ line: 4, column: 9 }, { line: 5, column: 16 }]
    }
  ]
});
