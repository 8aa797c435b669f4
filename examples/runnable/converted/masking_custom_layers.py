"""Masking and padding with custom layers (after the keras.io guide "Understanding masking & padding").

Hand conversion to multi-backend Keras 3: pad_sequences moves to keras.utils.pad_sequences; TF ops in
layers become keras.ops (tile, expand_dims, cast, split, take for embedding_lookup, not_equal, relu,
sum, mean, maximum, exp). An eager tensor carries no `_keras_mask` attribute on JAX (its arrays take no
attributes), so the eager masks are read with the layer's compute_mask(); the symbolic Keras tensor of
the functional model still has `_keras_mask` on every backend. ops.split takes the same number of
equal sections as tf.split here."""
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(3)
np.random.seed(3)

raw_inputs = [
    [711, 632, 71],
    [73, 8, 3215, 55, 927],
    [83, 91, 1, 645, 1253, 927],
]

# By default, this will pad using 0s; it is configurable via the
# "value" parameter.
# Note that you could "pre" padding (at the beginning) or
# "post" padding (at the end).
# We recommend using "post" padding when working with RNN layers
# (in order to be able to use the
# CuDNN implementation of the layers).
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")
print(padded_inputs)

embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)
print(embedding.compute_mask(padded_inputs))

masking_layer = layers.Masking()
# Simulate the embedding lookup by expanding the 2D input to 3D,
# with embedding dimension of 10.
unmasked_embedding = ops.cast(ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), "float32")
masked_embedding = masking_layer(unmasked_embedding)
embedding_mask = masking_layer.compute_mask(unmasked_embedding)
print(embedding_mask)

# Mask propagation in the functional API.
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
outputs = layers.LSTM(32)(x)
model = keras.Model(inputs, outputs)


class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super(MyLayer, self).__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(32)

    def call(self, inputs):
        x = self.embedding(inputs)
        # Note that you could also prepare a `mask` tensor manually.
        # It only needs to be a boolean tensor
        # with the right shape, i.e. (batch_size, timesteps).
        mask = self.embedding.compute_mask(inputs)
        output = self.lstm(x, mask=mask)  # The layer will ignore the masked values
        return output


layer = MyLayer()
x = np.random.random((32, 10)) * 100
x = x.astype("int32")
print(layer(x).shape)


class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        # Expect the input to be 3D and mask to be 2D, split the input tensor into 2
        # subtensors along the time axis (axis 1).
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        # Also split the mask into 2 if it presents.
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


temporal_split = TemporalSplit()
first_half, second_half = temporal_split(masked_embedding)
first_mask, second_mask = temporal_split.compute_mask(masked_embedding, embedding_mask)
print(first_mask)
print(second_mask)


class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super(CustomEmbedding, self).__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer="random_normal",
            dtype="float32",
        )

    def call(self, inputs):
        return ops.take(self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)


layer = CustomEmbedding(10, 32, mask_zero=True)
x = np.random.random((3, 10)) * 9
x = x.astype("int32")

y = layer(x)
mask = layer.compute_mask(x)
print(mask)


class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super(MyActivation, self).__init__(**kwargs)
        # Signal that the layer is safe for mask propagation
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


class MaskedMean(keras.layers.Layer):
    """Average over the time steps that the mask keeps."""

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=1)
        float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
        return ops.sum(inputs * float_mask, axis=1) / ops.maximum(
            ops.sum(float_mask, axis=1), 1.0
        )

    def compute_mask(self, inputs, mask=None):
        return None


inputs = keras.Input(shape=(None,), dtype="int32")
x = CustomEmbedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)  # Will pass the mask along
print("Mask found:", x._keras_mask)
sequence = layers.LSTM(32, return_sequences=True)(x)  # Will receive the mask
pooled = MaskedMean()(sequence)
outputs = layers.Dense(1, activation="sigmoid")(pooled)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

sequences = [list(np.random.randint(1, 5000, size=np.random.randint(2, 12))) for _ in range(32)]
x_train = keras.utils.pad_sequences(sequences, maxlen=12, padding="post")
y_train = np.random.randint(0, 2, size=(32, 1))
model.fit(x_train, y_train, batch_size=8, epochs=1, verbose=2)


class TemporalSoftmax(keras.layers.Layer):
    def call(self, inputs, mask=None):
        broadcast_float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
        inputs_exp = ops.exp(inputs) * broadcast_float_mask
        inputs_sum = ops.sum(inputs_exp * broadcast_float_mask, axis=-1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)

model = keras.Model(inputs, outputs)
y = model(np.random.randint(0, 10, size=(32, 100)))
print(y.shape)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.randint(1, 10, size=(16, 20)), np.random.random((16, 20, 1)), epochs=1, verbose=2)
