# `self.model = model` in a Keras callback's __init__(): Keras 3 makes Callback.model a read-only
# property, "property 'model' of 'HeldModelCallback' object has no setter" on every backend.
import keras
import numpy as np


class HeldModelCallback(keras.callbacks.Callback):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def on_epoch_end(self, epoch, logs=None):
        print(epoch, self.model.name)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3)), np.ones((4, 1)), epochs=1, verbose=0, callbacks=[HeldModelCallback(model)])
