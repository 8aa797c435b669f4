"""Run in an environment with an old Keras 3 and keras-core (see .ci/setup): make real Keras raise each
failure, and print {name: {"type", "traceback", "diagnosis"}} as JSON on stdout.

"diagnosis" is what the hook's recognizer (keras_migrate on PYTHONPATH) answers for the
live exception, told the installed Keras version; "traceback" is the text a user would paste.
"""

import json
import os
import sys
import tempfile
import traceback

os.environ.setdefault("KERAS_BACKEND", "jax")

import importlib  # noqa: E402

# `keras` (an old Keras 3) or `keras_core` (its predecessor), as the first argument says.
keras = importlib.import_module(sys.argv[1] if len(sys.argv) > 1 else "keras")

from keras_migrate.recognize import recognize_exception  # noqa: E402

folder = tempfile.mkdtemp()


def small_model():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])


def save_without_extension():
    small_model().save(os.path.join(folder, "model"))


def nested_dict_inputs():
    inputs = {"a": {"b": keras.Input((2,))}}
    keras.Model(inputs, keras.layers.Dense(1)(inputs["a"]["b"]))


def optimizer_lr():
    keras.optimizers.Adam(lr=0.1)


def load_savedmodel_folder():
    keras.models.load_model(folder)


def save_weights_h5():
    small_model().save_weights(os.path.join(folder, "weights.h5"))


def checkpoint_weights_only_h5():
    keras.callbacks.ModelCheckpoint(os.path.join(folder, "w.h5"), save_weights_only=True)


def keras_tensor_into_jax():
    import jax.numpy as jnp

    jnp.sum(keras.Input((2,)))


def unbuilt_state():
    import numpy as np

    class Untraceable(keras.layers.Layer):
        """Sublayer state and a call() that cannot run on symbolic tensors."""

        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            if float(np.asarray(x).sum()) > 0:
                return self.dense(x)
            return self.dense(x)

    model = keras.Sequential([keras.Input((3,)), Untraceable()])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)


def compile_sample_weight_mode():
    small_model().compile(optimizer="sgd", loss="mse", sample_weight_mode="temporal")


def losses_reduction():
    return keras.losses.Reduction.NONE


def keras_experimental():
    return keras.experimental.CosineDecay(0.1, 100)


def add_metric_positional():
    keras.layers.Dense(1).add_metric(1.0)  # Keras 2's add_metric(value, name=...)


def add_metric_keyword():
    keras.layers.Dense(1).add_metric(value=1.0, name="m")


def batchnorm_renorm():
    keras.layers.BatchNormalization(renorm=True)


def model_from_config_import():
    exec("from %s.models import model_from_config" % keras.__name__)


PROBES = [unbuilt_state, save_without_extension, nested_dict_inputs, optimizer_lr, load_savedmodel_folder, save_weights_h5,
          checkpoint_weights_only_h5, keras_tensor_into_jax, compile_sample_weight_mode, losses_reduction, keras_experimental,
          add_metric_positional, add_metric_keyword, batchnorm_renorm, model_from_config_import]

results = {"keras_version": keras.__version__, "probes": {}}
for probe in PROBES:
    try:
        probe()
    except Exception as error:  # each probe must fail; what it raises is the point
        diagnosis = recognize_exception(error, keras_version=keras.__version__, backend=keras.backend.backend())
        results["probes"][probe.__name__] = {
            "type": type(error).__name__,
            "traceback": traceback.format_exc(),
            "diagnosis": diagnosis and {"guide": diagnosis["guide"], "signature": diagnosis["signature"]},
        }
    else:
        results["probes"][probe.__name__] = None
json.dump(results, sys.stdout)
