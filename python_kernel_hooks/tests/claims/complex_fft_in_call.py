"""FNet's token mixing: the real part of tf.signal.fft2d of real data cast to complex64, in a layer's
call(), trained. JAX traces call() and TF ops reject its tracers; PyTorch hands the layer tensors that
require grad, which TensorFlow cannot read. KM198 (with KM131 on the pieces) claims JAX and PyTorch."""
import numpy as np
import tensorflow as tf
import keras


class FNetMix(keras.layers.Layer):
    def call(self, inputs):
        return tf.cast(tf.signal.fft2d(tf.cast(inputs, dtype=tf.complex64)), dtype=tf.float32) + inputs


inputs = keras.Input((4, 8))
outputs = keras.layers.GlobalAveragePooling1D()(FNetMix()(keras.layers.Dense(8)(inputs)))
model = keras.Model(inputs, keras.layers.Dense(1)(outputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 4, 8), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
