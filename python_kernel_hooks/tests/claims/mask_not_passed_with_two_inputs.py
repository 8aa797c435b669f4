# A layer's call(self, inputs, encoder_outputs, mask=None) binding padding_mask only under
# `if mask is not None:`: Keras 3 passes `mask` only to a layer called with one tensor argument, so
# the name is unbound ("cannot access local variable 'padding_mask'") on every backend.
import keras
import numpy as np
from keras import layers


class Embed(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(20, 8)

    def call(self, inputs):
        return self.embedding(inputs)

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs, 0)


class Decoder(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=2, key_dim=8)

    def call(self, inputs, encoder_outputs, mask=None):
        if mask is not None:
            padding_mask = keras.ops.cast(mask[:, None, :], dtype="int32")
        return self.attention(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)


tokens = keras.Input((None,), dtype="int32")
memory = keras.Input((None, 8))
outputs = layers.Dense(20, activation="softmax")(Decoder()(Embed()(tokens), memory))
model = keras.Model([tokens, memory], outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x = np.random.randint(1, 20, (8, 5))
model.fit([x, np.random.rand(8, 5, 8).astype("float32")], x, epochs=1, verbose=0)
