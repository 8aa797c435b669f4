import { ruleTester } from '../rule-tester';

ruleTester('tf-op-reference', {
  valid: [
    { name: 'a call is KM131', code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return tf.reduce_sum(x)\n' },
    { name: 'an activation argument is KM133', code: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(4, activation=tf.nn.relu)\n' },
    { name: 'an activation argument in a conditional expression is KM133 too', code: 'import keras\nimport tensorflow as tf\ndef mlp(x, units):\n    for idx, u in enumerate(units):\n        x = keras.layers.Dense(u, activation=tf.nn.gelu if idx == 0 else None)(x)\n    return x\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, mlp(inputs, [4, 2]))\n' },
    { name: 'not model code: a tf.data helper table', code: 'import tensorflow as tf\nAUGMENT = {"flip": tf.image.flip_left_right}\n' },
    { name: 'outside model code: a name for a tf.data helper', code: 'import tensorflow as tf\nfn = tf.identity\n' },
    { name: 'keras.ops already', code: 'import keras\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.pool = keras.ops.copy\n' },
    { name: 'dtypes and tf.newaxis kept in build() are no ops', code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dt = tf.float32\n        self.ax = tf.newaxis\n' },
    { name: 'a dtype, not an op', code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        dtype = tf.float32\n        return x\n' }
  ],
  invalid: [
    {
      name: 'keras.io traffic forecasting: aggregation functions chosen by a setting (in a method call() runs)',
      code:
        'import keras\nimport tensorflow as tf\nclass GraphConv(keras.layers.Layer):\n    def aggregate(self, h):\n        aggregation_func = {\n            "sum": tf.math.unsorted_segment_sum,\n            "mean": tf.math.unsorted_segment_mean,\n        }.get(self.aggregation_type)\n        return aggregation_func(h, self.edges[0], num_segments=self.num_nodes)\n    def call(self, h):\n        return self.aggregate(h)\n',
      errors: [{ line: 6, column: 20 }, { line: 7, column: 21 }],
      // Measured on Keras 3.15 (examples/runnable/traffic_forecasting_lstmgc.py): runs on TF, fails on JAX; ran on PyTorch (input without grad).
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow as tf\nclass GraphConv(keras.layers.Layer):\n    def aggregate(self, h):\n        aggregation_func = {\n            "sum": (lambda data, segment_ids, num_segments, name=None: keras.ops.segment_sum(data, keras.ops.convert_to_tensor(segment_ids), num_segments=num_segments)),\n            "mean": (lambda data, segment_ids, num_segments, name=None: keras.ops.segment_sum(data, keras.ops.convert_to_tensor(segment_ids), num_segments=num_segments) / keras.ops.maximum(keras.ops.segment_sum(keras.ops.ones_like(data), keras.ops.convert_to_tensor(segment_ids), num_segments=num_segments), 1)),\n        }.get(self.aggregation_type)\n        return aggregation_func(h, self.edges[0], num_segments=self.num_nodes)\n    def call(self, h):\n        return self.aggregate(h)\n'
    },
    {
      name: 'an op with the same parameters in keras.ops is held directly; one without gets no fix',
      code:
        'import keras\nimport tensorflow as tf\nclass Act(keras.layers.Layer):\n    def call(self, x):\n        f = tf.math.erf if self.exact else tf.clip_by_value\n        return f(x)\n',
      errors: [{ line: 5, column: 13 }, { line: 5, column: 44 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow as tf\nclass Act(keras.layers.Layer):\n    def call(self, x):\n        f = keras.ops.erf if self.exact else tf.clip_by_value\n        return f(x)\n'
    },
    {
      // examples/runnable/involution_layer.py: `tf.identity` kept in build() failed on JAX (a tracer given to a TF op).
      name: 'tf.identity kept in build() as the alternative of a pooling layer: the first parameter is renamed, the function is held',
      code: 'import keras\nimport tensorflow as tf\nclass Inv(keras.layers.Layer):\n    def build(self, input_shape):\n        self.stride_layer = keras.layers.AveragePooling2D() if self.stride > 1 else tf.identity\n\n    def call(self, x):\n        return self.stride_layer(x)\n',
      errors: [{ line: 5, column: 85, endColumn: 96, message: 'fails on JAX' }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow as tf\nclass Inv(keras.layers.Layer):\n    def build(self, input_shape):\n        self.stride_layer = keras.layers.AveragePooling2D() if self.stride > 1 else keras.ops.copy\n\n    def call(self, x):\n        return self.stride_layer(x)\n'
    },
    {
      name: 'an op kept in a local name of call(): a suggestion, never safe',
      code: 'import keras\nimport tensorflow as tf\nclass L(keras.layers.Layer):\n    def call(self, x):\n        fn = tf.square\n        return fn(x)\n',
      errors: [{ line: 5, column: 14 }]
    }
  ]
});
