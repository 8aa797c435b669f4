# TF ops whose values become NumPy arrays in __init__ and build (`np.asarray(tf...)`, `np.array(tf...)`)
# run on every backend while TensorFlow is installed: the layer keeps NumPy data, which keras.ops
# and operators take on JAX and PyTorch, in training too.
import numpy as np
import tensorflow as tf
import keras


class MelScale(keras.layers.Layer):
    def __init__(self, num_mel_bins=4, **kwargs):
        super().__init__(**kwargs)
        self.mel_filterbank = np.asarray(tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=num_mel_bins, num_spectrogram_bins=5, sample_rate=8000,
            lower_edge_hertz=60.0, upper_edge_hertz=3000.0))

    def build(self, input_shape):
        self.ramp = np.array(tf.linspace(0.5, 1.5, input_shape[-1]))

    def call(self, x):
        scaled = x * self.ramp
        return keras.ops.matmul(scaled, keras.ops.convert_to_tensor(self.mel_filterbank))


model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(5), MelScale(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 5)), np.ones((8, 1)), verbose=0, epochs=1)
print(model.predict(np.ones((2, 5)), verbose=0).shape)
