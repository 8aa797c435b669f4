# keras.io's Locality Self-Attention: a MultiHeadAttention subclass overriding _compute_attention with
# Keras 2's five parameters. Keras 3 passes return_attention_scores as a sixth positional argument,
# so the first call raises TypeError on every backend.
import numpy as np, keras
from keras import ops


class LSA(keras.layers.MultiHeadAttention):
    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        attention_scores = ops.einsum(self._dot_product_equation, key, query)
        attention_scores = self._masked_softmax(attention_scores, attention_mask)
        attention_output = ops.einsum(self._combine_equation, attention_scores, value)
        return attention_output, attention_scores


inputs = keras.Input((4, 8))
outputs = LSA(num_heads=2, key_dim=4)(inputs, inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(outputs)))
model.compile("sgd", "mse")
model.fit(np.ones((8, 4, 8), "float32"), np.ones((8, 1), "float32"), verbose=0)
