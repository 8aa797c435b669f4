# A decoder layer taking two tensors and `mask=None` (keras.io's English-to-Spanish Transformer):
# Keras 2 passed the first input's mask as `mask`; Keras 3 fills `mask` only for a single tensor
# input, so `padding_mask`, set only under `if mask is not None:`, is unbound on every backend.
import numpy as np
import keras
from keras import layers, ops


class TokenEmbedding(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(20, 8)

    def call(self, x):
        return self.embedding(x)

    def compute_mask(self, x, mask=None):
        return ops.not_equal(x, 0)


class Decoder(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.attention = layers.MultiHeadAttention(num_heads=2, key_dim=4)

    def call(self, inputs, encoder_outputs, mask=None):
        if mask is not None:
            padding_mask = ops.cast(mask[:, None, :], "int32")
        return self.attention(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)


tokens = keras.Input((6,), dtype="int32")
encoded = keras.Input((6, 8))
x = Decoder()(TokenEmbedding()(tokens), encoded)
model = keras.Model([tokens, encoded], layers.Dense(3)(layers.GlobalAveragePooling1D()(x)))
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
ids = np.random.randint(1, 20, (16, 6))
ids[:, 4:] = 0
model.fit([ids, np.random.rand(16, 6, 8)], np.random.randint(0, 3, 16), epochs=1, verbose=0)
print("ok")
