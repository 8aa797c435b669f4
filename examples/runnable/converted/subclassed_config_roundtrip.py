"""Subclassed model with get_config/from_config, saved and loaded back (Keras 2 habits).

The export folder is built by a multi-line assignment; the model is saved there (SavedModel) and
loaded back with custom_objects, and its weights go to a TF-checkpoint prefix and come back.
"""
import os
import tempfile

import numpy as np
import keras
from keras import layers, ops

WORK_DIR = tempfile.mkdtemp()
EXPORT_DIR = os.path.join(
    WORK_DIR,
    "residual_mlp.keras",
)
CHECKPOINT_PREFIX = os.path.join(WORK_DIR, "checkpoints",
                                 "residual_mlp_ckpt.weights.h5")
os.makedirs(os.path.dirname(CHECKPOINT_PREFIX), exist_ok=True)


@keras.saving.register_keras_serializable(package="demo")
class ResidualMLP(keras.Model):
    def __init__(self, hidden_units=16, num_outputs=2, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.num_outputs = num_outputs
        self.dense_in = layers.Dense(hidden_units, activation="relu")
        self.dense_hidden = layers.Dense(hidden_units, activation="relu")
        self.dense_out = layers.Dense(num_outputs)

    def call(self, inputs, training=False):
        x = self.dense_in(inputs)
        x = x + self.dense_hidden(x)
        return ops.log_softmax(self.dense_out(x))

    def get_config(self):
        config = super().get_config()
        config.update({"hidden_units": self.hidden_units, "num_outputs": self.num_outputs})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def nll(y_true, log_probs):
    y_true = ops.cast(ops.reshape(y_true, (-1, 1)), "int32")
    picked = ops.take_along_axis(log_probs, y_true, axis=1)
    return -ops.mean(picked)


model = ResidualMLP(hidden_units=16, num_outputs=2)
model.compile(optimizer="adam", loss=nll)
x = np.random.rand(40, 5).astype("float32")
y = np.random.randint(0, 2, size=(40,))
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
expected = model.predict(x[:3], verbose=0)

model.save(EXPORT_DIR)
restored = keras.models.load_model(EXPORT_DIR, custom_objects={"ResidualMLP": ResidualMLP, "nll": nll})
np.testing.assert_allclose(restored.predict(x[:3], verbose=0), expected, rtol=1e-5, atol=1e-6)

clone = ResidualMLP.from_config(model.get_config())
clone(x[:1])
model.save_weights(CHECKPOINT_PREFIX)
clone.load_weights(CHECKPOINT_PREFIX)
np.testing.assert_allclose(clone.predict(x[:3], verbose=0), expected, rtol=1e-5, atol=1e-6)
print("round trip ok")
