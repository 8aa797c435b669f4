"""save_weights / load_weights overrides forwarding Keras 2 keywords to an inner model (keras.io's
Zero-DCE): Keras 3's save_weights() rejects save_format= and options= with TypeError on every
backend. KM213 claims all three backends (the by_name= finding claims none)."""
import numpy as np
import keras


class Wrapper(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

    def call(self, x):
        return self.inner(x)

    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        self.inner.save_weights(filepath, overwrite=overwrite, save_format=save_format, options=options)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False):
        self.inner.load_weights(filepath, by_name=by_name, skip_mismatch=skip_mismatch)


model = Wrapper()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
model.save_weights("wrapper.weights.h5")
model.load_weights("wrapper.weights.h5")
