# keras.io Temporal Latent Bottleneck's custom cell: state_size given as a tf.TensorShape. Keras 2's RNN took
# it; Keras 3's RNN raises "state_size must be an integer, or a list/tuple of integers" on every backend.
import numpy as np
import tensorflow as tf
import keras


class Cell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)
        self.state_size = tf.TensorShape([units])

    def call(self, inputs, states):
        h = self.dense(inputs) + states[0]
        return h, [h]


rnn = keras.layers.RNN(Cell(4))
print(rnn(np.ones((2, 3, 5), "float32")).shape)
