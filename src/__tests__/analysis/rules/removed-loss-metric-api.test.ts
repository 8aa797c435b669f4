import { ruleTester } from '../rule-tester';

ruleTester('removed-loss-metric-api', {
  valid: [
    { code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(keras.ops.mean(x))\n        return x\n' },
    // Losses computed on KerasTensors are KerasTensors: adding one to a Functional model is KM124.
    { name: 'graph-mode helpers are not KerasTensors', code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.keras.Input((4,))\nf = K.function([x], [x])\nmodel.add_loss(f)\n' },
    { name: 'a tensor inside call()', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(0.01 * keras.ops.sum(keras.ops.square(x)))\n        return x\n' }
  ],
  invalid: [
    {
      code: 'import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\nmodel.add_loss(keras.ops.mean(out))\n',
      errors: [{ line: 5, column: 1, endColumn: 15 }]
    },
    {
      name: 'Keras 2 VAE: reconstruction loss from keras.losses on the model tensors',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = keras.Input((784,))\noutputs = keras.layers.Dense(784)(inputs)\nvae = keras.Model(inputs, outputs)\nreconstruction_loss = 784 * keras.losses.binary_crossentropy(inputs, outputs)\nvae.add_loss(tf.reduce_mean(reconstruction_loss))\n',
      errors: [{ line: 7, column: 1 }]
    },
    {
      // examples/runnable/endpoint_layer_add_metric.ipynb: NotImplementedError on every backend; no fix (a tracker updated in call() fails on JAX).
      name: 'add_metric in a layer call: the message names compile(metrics=) and why a tracker is not multi-backend',
      code: 'import keras\nclass Endpoint(keras.layers.Layer):\n    def call(self, targets, logits):\n        acc = keras.metrics.binary_accuracy(targets, logits)\n        self.add_metric(acc, name="accuracy")\n        return logits\n',
      errors: [{ line: 5, column: 9, message: 'fails on JAX, whose training step is stateless' }]
    },
    {
      name: 'Keras 2 callable weight penalty',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([dense])\nmodel.add_loss(lambda: tf.reduce_mean(dense.kernel))\n',
      errors: [{ line: 3, column: 1, endColumn: 15, message: 'callable' }]
    }
  ]
});
