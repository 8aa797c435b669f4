import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('python-loop-over-tensor', {
  valid: [
    {
      // AutoGraph runs it on TensorFlow under @tf.function, and JAX iterates a range of static bounds.
      name: 'static bounds under @tf.function (also the TensorFlow-only decorator)',
      code: HEAD + 'class Repeat(keras.layers.Layer):\n    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def call(self, x):\n        for _ in tf.range(2):\n            x = x * 2\n        return x\n'
    },
    { name: 'Python range in call()', code: HEAD + 'class Repeat(keras.layers.Layer):\n    def call(self, x):\n        for _ in range(2):\n            x = x * 2\n        return x\n' },
    { name: 'a tf.range loop in data code (a tf.data map function) and at module level', code: HEAD + 'for i in tf.range(3):\n    print(i)\ndef prep(x):\n    return x\nds = tf.data.Dataset.range(4).map(prep)\n' },
    {
      name: 'a tf.range loop in an eager method Keras never runs (called from a callback)',
      code: HEAD + 'class GAN(keras.Model):\n    def call(self, x):\n        return x\n    def plot_images(self, n):\n        for i in tf.range(n):\n            print(i)\n'
    }
  ],
  invalid: [
    {
      // og50b (handson-ml3 MyRNN): under @tf.function the original ran on Keras 3's TensorFlow; JAX cannot iterate traced bounds.
      name: 'traced bounds under @tf.function: JAX only',
      code: HEAD + 'class MyRNN(keras.layers.Layer):\n    @tf.function\n    def call(self, x):\n        for step in tf.range(tf.size(x)):\n            x = x * 2\n        return x\n',
      errors: [{ line: 6, column: 21, message: 'under `@tf.function`' }],
      blocks: ['jax'],
      output: HEAD + 'class MyRNN(keras.layers.Layer):\n    @tf.function\n    def call(self, x):\n        for step in tf.range(tf.size(x)):\n            x = x * 2\n        return x\n'
    },
    {
      // /work/og46b repro_10 (a TensorFlow issue's `for _ in tf.range(2)` in a model's call()): Keras 2 ran it through
      // AutoGraph; Keras 3 on TensorFlow "Iterating over a symbolic `tf.Tensor` is not allowed", also after KM131's
      // keras.ops.arange; range(2) runs on all three.
      name: 'a loop over tf.range of Python integers in call(): range (safe)',
      code: HEAD + 'class Net(keras.Model):\n    def __init__(self, times=3):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.times = times\n    def call(self, x):\n        for _ in tf.range(2):\n            x = self.dense(x)\n        for i in keras.ops.arange(1, self.times):\n            x = self.dense(x)\n        return x\n',
      errors: [{ line: 9, column: 18, message: 'Iterating over a symbolic' }, { line: 11, column: 18 }],
      blocks: ['tensorflow'],
      output: HEAD + 'class Net(keras.Model):\n    def __init__(self, times=3):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.times = times\n    def call(self, x):\n        for _ in range(2):\n            x = self.dense(x)\n        for i in range(1, self.times):\n            x = self.dense(x)\n        return x\n'
    },
    {
      // /work/og46b repro_9: a compile() loss looping over tf.range of a static dimension.
      name: 'a loss function looping over tf.range of a shape dimension: range is a suggestion',
      code: HEAD + 'def seq_loss(y_true, y_pred):\n    total = 0.0\n    for t in tf.range(y_pred.shape[1]):\n        total += keras.ops.mean(keras.ops.square(y_true[:, t] - y_pred[:, t]))\n    return total\n',
      errors: [{ line: 5, column: 14 }],
      blocks: ['tensorflow'],
      fixOptions: { unsafe: true },
      output: HEAD + 'def seq_loss(y_true, y_pred):\n    total = 0.0\n    for t in range(y_pred.shape[1]):\n        total += keras.ops.mean(keras.ops.square(y_true[:, t] - y_pred[:, t]))\n    return total\n'
    },
    {
      // /work/og46b repro_9 (`for i in tf.range(tf.shape(y_pred)[1])` in a loss): range(keras.ops.shape(y_pred)[1]) ran on all three.
      name: 'a loop over tf.range of a non-batch dimension of tf.shape: range of keras.ops.shape (a suggestion)',
      code: HEAD + 'def seq_loss(y_true, y_pred):\n    total = 0.0\n    for t in tf.range(tf.shape(y_pred)[1]):\n        total += keras.ops.mean(y_pred[:, t])\n    return total\n',
      errors: [{ line: 5, column: 14 }],
      blocks: ['tensorflow'],
      fixOptions: { unsafe: true },
      output: HEAD + 'def seq_loss(y_true, y_pred):\n    total = 0.0\n    for t in range(keras.ops.shape(y_pred)[1]):\n        total += keras.ops.mean(y_pred[:, t])\n    return total\n'
    },
    {
      name: 'bounds read from a tensor: no fix, JAX too',
      code: HEAD + 'class Scan(keras.layers.Layer):\n    def call(self, x):\n        for t in tf.range(tf.shape(x)[0]):\n            x = x + 1.0\n        return x\n',
      errors: [{ line: 5, column: 18, message: 'keras.ops.fori_loop' }],
      blocks: ['tensorflow', 'jax']
    }
  ]
});
