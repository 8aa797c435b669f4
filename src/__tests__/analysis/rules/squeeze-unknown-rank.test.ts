import { ruleTester } from '../rule-tester';

const MODEL_HEAD = 'import tensorflow as tf\nfrom tensorflow import keras\n\nclass Classifier(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.table = tf.ones((10, 4))\n        self.compute_logits = keras.layers.Dense(3)\n\n    def call(self, ids):\n';

ruleTester('squeeze-unknown-rank', {
  valid: [
    { name: 'axis given', code: MODEL_HEAD + '        x = tf.squeeze(tf.gather(self.table, ids), axis=1)\n        return self.compute_logits(x)\n' },
    { name: 'the result goes to no layer', code: MODEL_HEAD + '        x = self.compute_logits(tf.gather(self.table, ids))\n        return tf.squeeze(x)\n' },
    { name: 'outside call()', code: 'import tensorflow as tf\nimport keras\ndense = keras.layers.Dense(2)\nprint(dense(tf.squeeze(tf.ones((1, 3, 1)))))\n' }
  ],
  invalid: [
    {
      name: 'keras.io GNN: tf.squeeze(tf.gather(x, indices)) before the Dense head',
      code: MODEL_HEAD + '        node_embeddings = tf.squeeze(tf.gather(self.table, ids))\n        return self.compute_logits(node_embeddings)\n',
      errors: [{ line: 11, column: 27 }],
      blocks: ['tensorflow']
    },
    {
      name: 'keras.ops.squeeze passed straight to a layer',
      code: MODEL_HEAD + '        return self.compute_logits(keras.ops.squeeze(keras.ops.take(self.table, ids, axis=0)))\n',
      errors: [{ line: 11, column: 36 }],
      blocks: ['tensorflow']
    }
  ]
});
