# keras.io WGAN-GP's GANMonitor: the trained model's sub-model output rebound to arithmetic with
# numbers, then `.numpy()` on an item of it. A JAX array has no `.numpy()`; on PyTorch the output
# requires grad. TensorFlow runs.
import numpy as np
import keras


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])

    def call(self, x):
        return self.generator(x)


class Monitor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        images = self.model.generator(np.ones((2, 4), "float32"))
        images = (images * 127.5) + 127.5
        images[0].numpy()


model = Pair()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 4), "float32"), np.ones((8, 3), "float32"), epochs=1, verbose=0, callbacks=[Monitor()])
