"""Save a model with a custom layer to HDF5 and load it back with custom_objects."""
import os
import tempfile

import numpy as np
import keras
from keras import layers


@keras.saving.register_keras_serializable()
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config


model = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(4, activation="relu"),
    Scale(0.5),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
x = np.random.rand(32, 3).astype("float32")
y = np.random.rand(32, 1).astype("float32")
model.fit(x, y, epochs=1, verbose=0)

workdir = tempfile.mkdtemp()
path = os.path.join(workdir, "my_model.keras")
model.save(path)
restored = keras.models.load_model(path, custom_objects={"Scale": Scale})
np.testing.assert_allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0), rtol=1e-5, atol=1e-5)

model.save_weights(os.path.join(workdir, "weights.weights.h5"))
fresh = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(4, activation="relu"),
    Scale(0.5),
    layers.Dense(1),
])
fresh.load_weights(os.path.join(workdir, "weights.weights.h5"))
np.testing.assert_allclose(model.predict(x, verbose=0), fresh.predict(x, verbose=0), rtol=1e-5, atol=1e-5)
print("round trip ok")
