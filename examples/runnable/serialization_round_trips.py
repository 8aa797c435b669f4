"""Saving and loading the Keras 2 way (keras.io "Save and load Keras models" guide, tf.keras era).

One path written twice (a functional model, then a subclassed model whose class is deleted before
the load), a pretrained headless model's TensorFlow checkpoint restored into a model with a new
head, and a layer keeping an integer tf.Variable given by its caller. Synthetic data.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras

x = np.random.rand(16, 8).astype("float32")
y = np.random.rand(16, 1).astype("float32")

# A functional model saved as a SavedModel folder and loaded back.
inputs = keras.Input(shape=(8,))
outputs = keras.layers.Dense(1)(inputs)
functional = keras.Model(inputs, outputs)
functional.compile(optimizer="adam", loss="mean_squared_error")
functional.fit(x, y, epochs=1, verbose=0)
functional.save("my_model")
reconstructed = keras.models.load_model("my_model")
np.testing.assert_allclose(functional.predict(x, verbose=0), reconstructed.predict(x, verbose=0), rtol=1e-5)


class CustomModel(keras.Model):
    def __init__(self, hidden_units):
        super(CustomModel, self).__init__()
        self.hidden_units = hidden_units
        self.dense_layers = [keras.layers.Dense(u) for u in hidden_units]

    def call(self, inputs):
        h = inputs
        for layer in self.dense_layers:
            h = layer(h)
        return h

    def get_config(self):
        return {"hidden_units": self.hidden_units}


# The same path now holds a subclassed model; the class is gone when it is loaded.
subclassed = CustomModel([16, 1])
subclassed.compile(optimizer="adam", loss="mean_squared_error")
subclassed.fit(x, y, epochs=1, verbose=0)
subclassed.save("my_model")
del CustomModel
revived = keras.models.load_model("my_model")
print("revived output", revived(x[:2]).shape)

# Transfer learning: a headless model's checkpoint restored into a model with a new head.
inputs = keras.Input(shape=(8,), name="features")
h = keras.layers.Dense(6, activation="relu", name="dense_1")(inputs)
pretrained = keras.Model(inputs, h, name="pretrained")
for w in pretrained.weights:
    w.assign(tf.random.normal(w.shape))
pretrained.save_weights("pretrained_ckpt")

inputs = keras.Input(shape=(8,), name="features")
h = keras.layers.Dense(6, activation="relu", name="dense_1")(inputs)
head = keras.layers.Dense(3, name="predictions")(h)
model = keras.Model(inputs, head, name="new_model")
model.load_weights("pretrained_ckpt")
for a, b in zip(pretrained.weights, model.weights):
    np.testing.assert_allclose(a.numpy(), b.numpy())
print("pretrained weights restored")


class CounterLayer(keras.layers.Layer):
    def __init__(self, start):
        super(CounterLayer, self).__init__()
        self.count = tf.Variable(start, name="count")

    def call(self, inputs):
        self.count.assign_add(1)
        return inputs

    def get_config(self):
        return {"start": int(self.count.numpy())}


counter = CounterLayer(5)
counter(x)
print("counter config", counter.get_config())
print("DONE")
