"""Functional model built with Lambda layers that wrap TensorFlow ops."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def l2_normalize(t):
    return tf.math.l2_normalize(t, axis=-1)


inputs = keras.Input(shape=(10, 4))
x = layers.Dense(8)(inputs)
pooled_max = layers.Lambda(lambda t: tf.reduce_max(t, axis=1))(x)
pooled_mean = layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), name="mean_pool")(x)
x = layers.Concatenate()([pooled_max, pooled_mean])
x = layers.Lambda(l2_normalize)(x)
x = layers.Lambda(lambda t: tf.expand_dims(t, -1))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)

model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
data = np.random.randn(64, 10, 4).astype("float32")
labels = np.random.randint(0, 3, size=(64,))
model.fit(data, labels, epochs=1, batch_size=16, verbose=0)
print(model.predict(data[:2], verbose=0).shape)
