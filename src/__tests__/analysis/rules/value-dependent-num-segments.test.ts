import { ruleTester } from '../rule-tester';

ruleTester('value-dependent-num-segments', {
  valid: [
    {
      name: 'a number of segments known without the data (a dimension, a constant, an attribute)',
      code: 'import keras\nclass Pool(keras.layers.Layer):\n    def call(self, x, ids, nodes):\n        a = keras.ops.segment_sum(x, ids, num_segments=keras.ops.shape(nodes)[0])\n        b = keras.ops.segment_max(x, ids, 8)\n        return a + b + keras.ops.segment_sum(x, ids, num_segments=self.count)\n'
    },
    {
      name: 'outside model code: eager NumPy-side preparation',
      code: 'import keras\nids = keras.ops.convert_to_tensor([0, 1, 1])\ntotals = keras.ops.segment_sum(keras.ops.ones((3,)), ids, num_segments=keras.ops.max(ids) + 1)\n'
    },
    {
      name: 'in __init__, run once eagerly',
      code: 'import keras\nclass Graph(keras.Model):\n    def __init__(self, w, ids):\n        super().__init__()\n        self.deg = keras.ops.segment_sum(w, ids, num_segments=keras.ops.max(ids) + 1)\n'
    }
  ],
  invalid: [
    {
      // keras.io graph convolution (gnn_citations), made runnable on synthetic data: after its TF ops
      // were converted, fit() failed on JAX (ConcretizationTypeError, then "Unable to automatically build the model").
      name: 'a graph layer counts its nodes with tf.math.reduce_max in a helper method, then sums by segment',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nclass GraphConv(layers.Layer):\n    def aggregate(self, node_indices, messages):\n        num_nodes = tf.math.reduce_max(node_indices) + 1\n        return tf.math.unsorted_segment_sum(messages, node_indices, num_segments=num_nodes)\n\n    def call(self, inputs):\n        x, edges = inputs\n        return self.aggregate(edges[0], tf.gather(x, edges[1]))\n',
      errors: [{ line: 6, column: 82, message: 'without its own `build()`' }],
      blocks: ['jax']
    },
    {
      // examples/runnable/gat_attention_train_step.py: the layer has its own build() and the model passes
      // it constant edges; fix --unsafe output ran on JAX (measured), so the finding claims nothing.
      name: 'keras.io GAT: a layer with its own build(), the count from the edges it is given: a warning without a claim',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\nclass GraphAttention(keras.layers.Layer):\n    def build(self, input_shape):\n        self.kernel = self.add_weight(shape=(input_shape[0][-1], 4))\n\n    def call(self, inputs):\n        nodes, edges = inputs\n        scores = tf.gather(tf.matmul(nodes, self.kernel), edges[:, 1])\n        return tf.math.unsorted_segment_sum(scores, edges[:, 0], num_segments=tf.reduce_max(edges[:, 0]) + 1)\n',
      errors: [{ line: 10, column: 79, message: 'where the segment ids come from the training data' }],
      blocks: []
    },
    {
      name: 'the layer\'s own ids (self.ids) stay concrete: no claim',
      code: 'import keras\nclass Pool(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.segment_sum(x, self.ids, num_segments=keras.ops.max(self.ids) + 1)\n',
      errors: [{ line: 4, column: 64 }],
      blocks: []
    },
    {
      name: 'keras.ops: the maximum in the argument, and positional through a name read by arithmetic',
      code:
        'import keras\nclass Pool(keras.layers.Layer):\n    def call(self, x, ids):\n        a = keras.ops.segment_sum(x, ids, num_segments=keras.ops.max(ids) + 1)\n        top = keras.ops.max(ids)\n        n = top + 1\n        return a + keras.ops.segment_max(x, ids, n)\n',
      errors: [
        { line: 4, column: 56, message: 'keras.ops.segment_sum' },
        { line: 7, column: 50, message: 'keras.ops.segment_max' }
      ],
      blocks: ['jax']
    }
  ]
});
