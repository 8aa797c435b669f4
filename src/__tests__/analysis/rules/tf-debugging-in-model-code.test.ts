import { ruleTester } from '../rule-tester';

ruleTester('tf-debugging-in-model-code', {
  valid: [
    { name: 'outside model code (eager TensorFlow on NumPy data)', code: 'import numpy as np\nimport tensorflow as tf\ntf.print("mean:", tf.reduce_mean(np.ones(3)))\ntf.debugging.assert_rank(np.ones((2, 3)), 2)\n' },
    { name: 'Python print and assert in a layer', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        assert len(keras.ops.shape(x)) == 2\n        print("shape:", keras.ops.shape(x))\n        return x\n' }
  ],
  invalid: [
    {
      // Checked by running a layer after a Dense under fit() on Keras 3.15: AttributeError on JAX, RuntimeError on PyTorch.
      name: 'assert_rank reads its tensor: fails on JAX and PyTorch; a Python assert on the static rank instead',
      code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        tf.debugging.assert_rank(x, 2, message="expects (batch, features)")\n        return x * 2\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), L()])\nmodel.compile("adam", "mse")\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 9, message: 'fails on JAX and PyTorch' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        assert len(keras.ops.shape(x)) == 2, "expects (batch, features)"\n        return x * 2\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), L()])\nmodel.compile("adam", "mse")\nmodel.fit(x, y)\n'
    },
    {
      // The same run: tf.print of a JAX tracer and of a torch tensor that requires grad, and assert_equal on sizes, ran on all three.
      name: 'tf.print and assert_equal on static sizes run on every backend while TensorFlow is installed: print and assert instead',
      code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        y = keras.ops.concatenate([x, -x], axis=-1)\n        tf.debugging.assert_equal(keras.ops.shape(y)[-1], 2 * keras.ops.shape(x)[-1])\n        tf.print("y.shape:", keras.ops.shape(y))\n        return y\n',
      errors: [
        { line: 6, column: 9, message: 'runs on every backend, but only while TensorFlow is installed' },
        { line: 7, column: 9, message: 'runs on every backend' }
      ],
      blocks: [],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        y = keras.ops.concatenate([x, -x], axis=-1)\n        assert keras.ops.shape(y)[-1] == 2 * keras.ops.shape(x)[-1]\n        print("y.shape:", keras.ops.shape(y))\n        return y\n'
    },
    {
      name: 'tf.print with a TF-only keyword, and assert_equal on tensor values: reported without a fix',
      code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        tf.print(x, summarize=-1)\n        tf.debugging.assert_equal(x, x)\n        return x\n',
      errors: [{ line: 5, column: 9 }, { line: 6, column: 9 }]
    }
  ]
});
