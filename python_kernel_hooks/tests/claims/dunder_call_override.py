# A Keras model whose forward pass overrides `__call__` instead of `call()` (aymericdamien's
# TensorFlow-Examples v2 save_restore_model / build_custom_layers): calling it runs, but Keras 3
# builds a model in its own `__call__`, so the model is never built and save_weights() raises
# "You are saving a model that has not yet been built" on every backend (Keras 2 saved it).
import os, tempfile
import numpy as np
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.fc1 = keras.layers.Dense(8, activation="relu")
        self.out = keras.layers.Dense(3)

    def __call__(self, x, is_training=False):
        x = self.out(self.fc1(x))
        if not is_training:
            x = keras.ops.softmax(x)
        return x


net = Net()
net(np.random.rand(4, 5).astype("float32"))
net.save_weights(os.path.join(tempfile.mkdtemp(), "net.weights.h5"))
