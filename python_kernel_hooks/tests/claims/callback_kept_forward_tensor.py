# keras.io FocalNet's TrainMonitor: after `self.model(x)` in a callback, a TF op on a tensor a layer kept
# from its last call() (`self.modulator = ...`), passed through a weightless layer. On PyTorch it
# requires grad and TensorFlow cannot convert it; TensorFlow and JAX run.
import numpy as np
import tensorflow as tf
import keras


class Modulation(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = keras.layers.Dense(4)

    def call(self, x):
        self.modulator = self.proj(x)
        return x * self.modulator


class Monitor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        upsampler = keras.layers.UpSampling2D(size=(2, 2))
        _ = self.model(np.ones((1, 2, 2, 4), "float32"))
        modulator = upsampler(self.model.layers[0].modulator)
        print(float(tf.reduce_mean(tf.norm(modulator, axis=-1))))


model = keras.Sequential([keras.Input((2, 2, 4)), Modulation(), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2, 2, 4), "float32"), np.ones((4, 1), "float32"), verbose=0, callbacks=[Monitor()])
