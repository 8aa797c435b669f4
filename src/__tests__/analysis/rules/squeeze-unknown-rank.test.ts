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
      errors: [{ line: 11, column: 27, message: 'squeeze the axes the shape shows are 1' }],
      blocks: ['tensorflow'],
      options: { unsafe: true },
      output:
        MODEL_HEAD +
        '        node_embeddings = tf.gather(self.table, ids)\n' +
        '        if 1 in node_embeddings.shape:  # the axes of size 1 the shape shows (TensorFlow traces a None batch)\n' +
        '            node_embeddings = keras.ops.squeeze(node_embeddings, axis=[i for i, d in enumerate(node_embeddings.shape) if d == 1])\n' +
        '        return self.compute_logits(node_embeddings)\n'
    },
    {
      name: 'safe fixing leaves it (the fix is a suggestion)',
      code: MODEL_HEAD + '        node_embeddings = tf.squeeze(tf.gather(self.table, ids))\n        return self.compute_logits(node_embeddings)\n',
      errors: [{ line: 11, column: 27 }]
    },
    {
      name: 'a trailing comment stays on its statement; `import keras` added when missing',
      code: 'import tensorflow as tf\n\nclass Head(tf.keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.out = tf.keras.layers.Dense(2)\n\n    def call(self, x):\n        h = tf.squeeze(x)  # (batch, 1, 4) -> (batch, 4)\n        return self.out(h)\n',
      errors: [{ line: 9, column: 13 }],
      options: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\n\nclass Head(tf.keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.out = tf.keras.layers.Dense(2)\n\n    def call(self, x):\n' +
        '        h = x  # (batch, 1, 4) -> (batch, 4)\n' +
        '        if 1 in h.shape:  # the axes of size 1 the shape shows (TensorFlow traces a None batch)\n' +
        '            h = keras.ops.squeeze(h, axis=[i for i, d in enumerate(h.shape) if d == 1])\n' +
        '        return self.out(h)\n'
    },
    {
      name: 'another statement on its line: no fix',
      code: MODEL_HEAD + '        h = tf.squeeze(tf.gather(self.table, ids)); k = 1\n        return self.compute_logits(h)\n',
      errors: [{ line: 11, column: 13 }],
      options: { unsafe: true }
    },
    {
      name: 'keras.ops.squeeze passed straight to a layer',
      code: MODEL_HEAD + '        return self.compute_logits(keras.ops.squeeze(keras.ops.take(self.table, ids, axis=0)))\n',
      errors: [{ line: 11, column: 36 }],
      blocks: ['tensorflow'],
      options: { unsafe: true }
    }
  ]
});
