import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tf-op-reference-in-model-code', {
  valid: [
    { name: 'a call (KM131)', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.identity(x)\n' },
    { name: 'an activation argument (KM133)', code: HEAD + 'class L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.d = keras.layers.Dense(2, activation=tf.nn.relu)\n' },
    { name: 'outside model code (a tf.data helper)', code: HEAD + 'fn = tf.identity\nds = None\n' },
    { name: 'dtypes and tf.newaxis are no ops', code: HEAD + 'class L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dt = tf.float32\n        self.ax = tf.newaxis\n' },
    { name: 'keras.ops already', code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.pool = keras.ops.copy\n' }
  ],
  invalid: [
    {
      // examples/runnable/involution_layer.py: `tf.identity` kept in build() failed on JAX (tracer given to a TF op).
      name: 'tf.identity kept in build() as the alternative of a pooling layer',
      code: HEAD + 'class Inv(keras.layers.Layer):\n    def build(self, input_shape):\n        self.stride_layer = keras.layers.AveragePooling2D() if self.stride > 1 else tf.identity\n\n    def call(self, x):\n        return self.stride_layer(x)\n',
      errors: [{ line: 5, column: 85, endColumn: 96, message: 'fails on JAX' }],
      blocks: ['jax'],
      output: HEAD + 'class Inv(keras.layers.Layer):\n    def build(self, input_shape):\n        self.stride_layer = keras.layers.AveragePooling2D() if self.stride > 1 else keras.ops.copy\n\n    def call(self, x):\n        return self.stride_layer(x)\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'an op kept in a local name of call(): no safe fix',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        fn = tf.square\n        return fn(x)\n',
      errors: [{ line: 5, column: 14 }]
    }
  ]
});
