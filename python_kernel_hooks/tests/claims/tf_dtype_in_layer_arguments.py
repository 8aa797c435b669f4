# A TensorFlow dtype object given to a custom layer without get_config() (handson-ml3's TimeEncoding:
# `def __init__(self, ..., dtype=tf.float32, **kwargs)`): Keras 3 makes the layer's config from its
# constructor's arguments, and model.save() raises NotImplementedError on every backend.
import os, tempfile
import numpy as np
import tensorflow as tf
import keras


class Scale(keras.layers.Layer):
    def __init__(self, factor, dtype=tf.float32, **kwargs):
        super().__init__(dtype=dtype, **kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor


inputs = keras.Input(shape=(3,))
model = keras.Model(inputs, Scale(2.0)(inputs))
model.compile(loss="mse", optimizer="sgd")
model.fit(np.ones((4, 3)), np.ones((4, 3)), epochs=1, verbose=0)
model.save(os.path.join(tempfile.mkdtemp(), "scale.keras"))
