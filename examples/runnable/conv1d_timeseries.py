"""Time-series classification with Conv1D, using get_shape() and an explicit InputLayer."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class SqueezeExcite(layers.Layer):
    def __init__(self, ratio=4, **kwargs):
        super().__init__(**kwargs)
        self.ratio = ratio

    def build(self, input_shape):
        channels = input_shape[-1]
        self.squeeze = layers.Dense(max(1, channels // self.ratio), activation="relu")
        self.excite = layers.Dense(channels, activation="sigmoid")

    def call(self, inputs):
        s = tf.reduce_mean(inputs, axis=1)
        s = self.excite(self.squeeze(s))
        return inputs * tf.expand_dims(s, 1)


model = keras.Sequential([
    layers.InputLayer(input_shape=(50, 1)),
    layers.Conv1D(8, 3, padding="same"),
    layers.BatchNormalization(),
    layers.ReLU(),
    SqueezeExcite(),
    layers.Conv1D(8, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling1D(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
x = np.random.randn(64, 50, 1).astype("float32")
y = np.random.randint(0, 2, size=(64,))
model.fit(x, y, batch_size=16, epochs=1, validation_split=0.25, verbose=0)
kernel = model.layers[0].kernel
print("kernel shape", kernel.get_shape())
