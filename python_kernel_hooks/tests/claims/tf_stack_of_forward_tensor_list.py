# keras.io Temporal Latent Bottleneck's attention maps: a layer's call() appends its forward tensors to a
# list attribute, then tf.stack(layer.scores) after direct calls. On PyTorch those tensors require grad and
# TensorFlow cannot convert them; TensorFlow and JAX run it. The fix converts each tensor of the list.
import numpy as np
import tensorflow as tf
import keras


class Scores(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(3)
        self.record = False
        self.scores = []

    def call(self, x):
        y = self.dense(x)
        if self.record:
            self.scores.append(y)
        return y


layer = Scores()
layer(np.ones((2, 4), "float32"))
layer.record = True
outputs = layer(np.ones((2, 4), "float32"))
outputs = layer(np.ones((2, 4), "float32"))
stacked = tf.stack(layer.scores, axis=1)
print(stacked.shape)
