# A subclass of a built-in optimizer that overrides Keras 2 hooks (get_updates, _resource_apply_dense
# with get_slot): Keras 3 never calls them, so it trains with Adam's own update on every backend.
# The hooks raise if called; the program runs (KM228 claims no backend, the custom update is lost).
import numpy as np
import keras


class Centralized(keras.optimizers.Adam):
    def __init__(self, learning_rate=0.01, name="Centralized", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)

    def _resource_apply_dense(self, grad, var, apply_state=None):
        m = self.get_slot(var, "m")
        raise RuntimeError(f"Keras 3 called a Keras 2 hook with {m}")

    def get_updates(self, loss, params):
        raise RuntimeError("Keras 3 called get_updates")


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=Centralized(), loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
