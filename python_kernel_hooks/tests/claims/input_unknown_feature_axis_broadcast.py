"""Claim: a keras.Input whose feature (last) axis is None, given to a custom layer that adds it to a
tensor of a fixed feature size (a position embedding), fails on JAX and PyTorch when the functional
model is built (Keras infers the layer's output there by running call() with made-up sizes for the
unknown axes); TensorFlow infers the size by broadcasting and runs."""
import keras
from keras import layers, ops


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)

    def call(self, inputs):
        positions = ops.arange(0, ops.shape(inputs)[1])
        return inputs + self.position_embeddings(positions)


inputs = keras.Input(shape=(None, None))
x = PositionalEmbedding(8, 16)(inputs)
x = layers.GlobalMaxPooling1D()(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
print(model.output_shape)
