"""Keras 2 custom layers that use TensorFlow only for shape and configuration arithmetic.

`tf.compat.dimension_value(input_shape[-1])` in build(), `tf.TensorShape` in
compute_output_shape(), `int(tf.math.ceil(...))` in __init__: these give Python values, so the
layers run on every backend while TensorFlow is installed, once the ops in call() are converted.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class GatedDense(layers.Layer):
    def __init__(self, units, expansion=1.5, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.expansion = expansion
        self.hidden = int(tf.math.ceil(units * expansion))

    def build(self, input_shape):
        input_dim = tf.compat.dimension_value(input_shape[-1])
        self.kernel = self.add_weight(name="kernel", shape=(input_dim, self.hidden), initializer="glorot_uniform")
        self.gate = self.add_weight(name="gate", shape=(input_dim, self.hidden), initializer="glorot_uniform")
        self.proj = self.add_weight(name="proj", shape=(self.hidden, self.units), initializer="glorot_uniform")
        super().build(input_shape)

    def call(self, inputs):
        h = tf.matmul(inputs, self.kernel) * tf.sigmoid(tf.matmul(inputs, self.gate))
        return tf.matmul(h, self.proj)

    def compute_output_shape(self, input_shape):
        return tf.TensorShape(input_shape).as_list()[:-1] + [self.units]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "expansion": self.expansion})
        return config


x = np.random.rand(64, 6).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 3).astype("float32")

model = keras.Sequential([
    keras.Input(shape=(6,)),
    GatedDense(8),
    layers.ReLU(),
    GatedDense(1),
    layers.Activation("sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print(model.evaluate(x, y, verbose=0))
print(GatedDense.from_config(model.layers[0].get_config()).hidden)
