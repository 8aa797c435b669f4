"""keras.io MLP-Mixer's position embedding: an Embedding called on a concrete tf.range while the
functional model is built, added to the patches. Its output is a constant of the model; on PyTorch the
constant keeps the autograd graph of the embedding weights, freed by the first backward pass, so the
second training step fails. TensorFlow and JAX train (without the embedding). KM199 claims PyTorch only."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

num_patches, dim = 4, 8
inputs = layers.Input(shape=(num_patches, dim))
x = layers.Dense(dim)(inputs)
positions = tf.range(start=0, limit=num_patches, delta=1)
position_embedding = layers.Embedding(input_dim=num_patches, output_dim=dim)(positions)
x = x + position_embedding
model = keras.Model(inputs, layers.Dense(1)(layers.GlobalAveragePooling1D()(x)))
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, num_patches, dim), "float32"), np.zeros((8, 1), "float32"), batch_size=4, epochs=1, verbose=0)
