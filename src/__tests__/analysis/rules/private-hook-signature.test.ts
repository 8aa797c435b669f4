import { ruleTester } from '../rule-tester';

ruleTester('private-hook-signature', {
  valid: [
    {
      name: 'the Keras 3 signature',
      code: 'import keras\nclass A(keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None, return_attention_scores=False):\n        return query, None\n'
    },
    {
      name: '*args takes the extra argument',
      code: 'import keras\nclass B(keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, *args, **kwargs):\n        return super()._compute_attention(query, key, value, *args, **kwargs)\n'
    },
    {
      name: 'not a MultiHeadAttention subclass',
      code: 'import keras\nclass C(keras.layers.Layer):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None):\n        return query, None\n'
    },
    {
      name: 'a function of the same name outside the class body',
      code: 'import keras\ndef _compute_attention(query, key, value, attention_mask=None, training=None):\n    return query\n'
    }
  ],
  invalid: [
    {
      name: 'keras.io Locality Self-Attention (tf.keras base): the parameter is added (safe)',
      code: 'import tensorflow as tf\nclass MultiHeadAttentionLSA(tf.keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None):\n        query = tf.multiply(query, 1.0 / self.tau)\n        return query, None\n',
      errors: [{ line: 3, column: 9, message: 'return_attention_scores' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import tensorflow as tf\nclass MultiHeadAttentionLSA(tf.keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None, training=None, return_attention_scores=False):\n        query = tf.multiply(query, 1.0 / self.tau)\n        return query, None\n'
    },
    {
      name: 'from-import of the layer, a parameter list over several lines with a trailing comma',
      code: 'from keras.layers import MultiHeadAttention\nclass T(MultiHeadAttention):\n    def _compute_attention(\n        self, query, key, value, attention_mask=None, training=None,\n    ):\n        return query, None\n',
      errors: [{ line: 3, column: 9 }],
      output:
        'from keras.layers import MultiHeadAttention\nclass T(MultiHeadAttention):\n    def _compute_attention(\n        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False,\n    ):\n        return query, None\n'
    },
    {
      name: 'without training: Keras 2 passed it too, so no fix',
      code: 'import keras\nclass U(keras.layers.MultiHeadAttention):\n    def _compute_attention(self, query, key, value, attention_mask=None):\n        return query, None\n',
      errors: [{ line: 3, column: 9, message: '`training`, `return_attention_scores`' }]
    }
  ]
});
