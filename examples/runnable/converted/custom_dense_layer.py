"""A custom Dense layer with its own weights, trained on a toy regression problem."""
import numpy as np
import keras
from keras import layers, ops


class MyDense(layers.Layer):
    def __init__(self, units=32, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
            name="kernel",
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.w) + self.b)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "activation": keras.activations.serialize(self.activation)})
        return config


x = np.random.rand(256, 8).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 4).astype("float32")

model = keras.Sequential([
    keras.Input(shape=(8,)),
    MyDense(16, activation="relu"),
    MyDense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=32, epochs=2, verbose=0)
print(model.evaluate(x, y, verbose=0))

config = model.layers[0].get_config()
clone = MyDense.from_config(config)
print(clone.units)
