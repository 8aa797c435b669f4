import { ruleTester } from '../rule-tester';

// aymericdamien's save_restore_model: a Model whose forward pass is `__call__` (og49b repro_3).
const NET = 'import numpy as np\nimport keras\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.fc = keras.layers.Dense(3)\n\n    def __call__(self, x, is_training=False):\n        return self.fc(x)\n\nnet = Net()\nx = np.ones((2, 5), "float32")\n';
const RENAMED = NET.replace('def __call__(', 'def call(');

ruleTester('dunder-call-override', {
  valid: [
    { name: 'call(), the Keras 3 way', code: RENAMED + 'net(x)\nnet.save_weights("n.weights.h5")\n' },
    {
      name: 'the override calls the base __call__',
      code: 'import keras\n\nclass Net(keras.Model):\n    def call(self, x):\n        return x\n\n    def __call__(self, *args, **kwargs):\n        return super().__call__(*args, **kwargs)\n'
    },
    {
      name: 'super(Net, self).__call__ in a model without call() of its own',
      code: 'import tensorflow as tf\n\nclass Net(tf.keras.Model):\n    def __call__(self, x, training=None):\n        print("calling")\n        return super(Net, self).__call__(x, training=training)\n'
    },
    {
      name: 'a Keras loss or metric class overrides __call__ by design',
      code: 'import keras\n\nclass MyLoss(keras.losses.Loss):\n    def __call__(self, y_true, y_pred, sample_weight=None):\n        return keras.ops.mean(y_pred - y_true)\n'
    },
    { name: 'a plain class', code: 'class Scaler:\n    def __call__(self, x):\n        return 2 * x\n\nScaler()(3)\n' },
    {
      name: 'a __call__ of a nested helper class inside a method',
      code: 'import keras\n\nclass Net(keras.Model):\n    def call(self, x):\n        class Helper:\n            def __call__(self, y):\n                return y\n        return Helper()(x)\n'
    }
  ],
  invalid: [
    {
      // claims/dunder_call_override.py: save_weights raises on all three (Keras 3.15); renamed, it ran on all three and on tf_keras.
      name: 'the doc example: save_weights after a call',
      code: NET + 'net(x)\nnet.save_weights("n.weights.h5")\n',
      errors: [{ line: 9, column: 9, message: 'every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: RENAMED + 'net(x)\nnet.save_weights("n.weights.h5")\n'
    },
    {
      name: 'count_params in a later cell (tf.keras spelling)',
      code: [NET.replace('import keras\n', 'import tensorflow as tf\nkeras = tf.keras\n').replace('keras.Model', 'tf.keras.Model'), 'net(x)\nprint(net.count_params())\n'],
      errors: [{ cell: 0, line: 10, column: 9 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: [RENAMED.replace('import keras\n', 'import tensorflow as tf\nkeras = tf.keras\n').replace('keras.Model', 'tf.keras.Model'), 'net(x)\nprint(net.count_params())\n']
    },
    {
      // probe.py: fit/evaluate raise "Unable to automatically build the model" on JAX and PyTorch; TensorFlow runs them.
      name: 'fit: JAX and PyTorch',
      code: NET + 'net.compile(optimizer="adam", loss="mse")\nnet.fit(x, np.ones((2, 3)), epochs=1)\n',
      errors: [{ line: 9, column: 9 }],
      blocks: ['jax', 'torch'],
      output: RENAMED + 'net.compile(optimizer="adam", loss="mse")\nnet.fit(x, np.ones((2, 3)), epochs=1)\n'
    },
    {
      // probe.py: predict raises on JAX only ("To call stateless_call, Net must be built").
      name: 'predict: JAX',
      code: NET + 'net(x)\nprint(net.predict(x))\n',
      errors: [{ line: 9, column: 9 }],
      blocks: ['jax'],
      output: RENAMED + 'net(x)\nprint(net.predict(x))\n'
    },
    {
      // aymericdamien build_custom_layers: a tape loop over trainable_variables runs (og49b p1: orig ran on TensorFlow).
      name: 'only called and trained with a tape: a note, blocking nothing',
      code: 'import tensorflow as tf\n' + NET + 'opt = tf.optimizers.Adam()\nwith tf.GradientTape() as g:\n    loss = tf.reduce_mean(net(x, is_training=True))\ngrads = g.gradient(loss, net.trainable_variables)\nopt.apply_gradients(zip(grads, net.trainable_variables))\n',
      errors: [{ line: 10, column: 9, message: 'nothing fails yet' }],
      blocks: [],
      output: 'import tensorflow as tf\n' + RENAMED + 'opt = tf.optimizers.Adam()\nwith tf.GradientTape() as g:\n    loss = tf.reduce_mean(net(x, is_training=True))\ngrads = g.gradient(loss, net.trainable_variables)\nopt.apply_gradients(zip(grads, net.trainable_variables))\n'
    },
    {
      // probe2.py: `net(x, True)` on the renamed model raises "Only input tensors may be passed as positional arguments".
      name: 'a Python value given positionally after the inputs: the rename is unsafe',
      code: NET + 'net(x, True)\nnet.save_weights("n.weights.h5")\n',
      errors: [{ line: 9, column: 9, message: 'pass it by keyword' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'the same, fixed with --unsafe',
      code: NET + 'net(x, True)\n',
      errors: [{ line: 9, column: 9, message: 'nothing fails yet' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: RENAMED + 'net(x, True)\n'
    },
    {
      // probe3.py: add_weight in call() of a built layer raises; in __call__ it ran.
      name: 'a layer that makes its weights in __call__: unsafe',
      code: 'import keras\n\nclass Lazy(keras.layers.Layer):\n    def __call__(self, x):\n        if not hasattr(self, "w"):\n            self.w = self.add_weight(shape=(x.shape[-1], 2))\n        return keras.ops.matmul(x, self.w)\n\nlayer = Lazy()\nlayer.count_params()\n',
      errors: [{ line: 4, column: 9, message: 'sets state' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // probe2.py: a call() without inputs raises IndexError: no fix.
      name: 'no input: no fix',
      code: 'import keras\n\nclass Scale(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = self.add_weight(shape=(2,))\n\n    def __call__(self):\n        return self.w * 2\n',
      errors: [{ line: 8, column: 9, message: 'takes no input' }],
      blocks: []
    },
    {
      // probe3.py: @tf.function on the renamed call() trained nothing on TensorFlow ("No gradients provided").
      name: 'a decorated __call__: unsafe',
      code: 'import tensorflow as tf\n' + NET.replace('    def __call__', '    @tf.function\n    def __call__') + 'net.save_weights("n.weights.h5")\n',
      errors: [{ line: 11, column: 9, message: 'decorated' }],
      blocks: ['tensorflow', 'jax', 'torch']
    }
  ]
});
