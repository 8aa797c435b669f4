# A causal mask made by keras.ops from constants (what `tf.linalg.band_part(tf.ones(...))` becomes in
# Keras 3), then `causal_mask & pad_mask` with the padding mask a KerasTensor (handson-ml3's
# Transformer, og49d): Python asks the left operand first, and a JAX array refuses a KerasTensor. A
# torch or TF tensor defers to it for `&`.
import numpy as np
import keras

tokens = keras.Input(shape=(6,), dtype="int32")
embedded = keras.layers.Embedding(50, 8)(tokens)
n = 6
causal_mask = keras.ops.tril(keras.ops.ones((n, n), "bool"))
pad_mask = keras.ops.not_equal(tokens, 0)[:, None]
attended = keras.layers.MultiHeadAttention(2, 4)(embedded, embedded, attention_mask=causal_mask & pad_mask)
model = keras.Model(tokens, keras.layers.Dense(50)(attended))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
x = np.random.randint(1, 50, size=(8, 6))
model.fit(x, x, epochs=1, verbose=0)
