"""(Hand conversion to Keras 3: `import keras`; the custom layer keeps a `keras.Variable`
(a tf.Variable is not tracked by a Keras 3 layer and fails on JAX); keras.ops in the
activations; keras.activations.get() only knows the built-in names in Keras 3, so the
custom activation registered with get_custom_objects() is passed to Dense as the function.)
keras.io "Save and load Keras models" guide (tf.keras era): configs, JSON and custom objects.

A functional model with a custom layer keeping a tf.Variable (get_config returning
`self.var.numpy()`, a from_config classmethod) and a custom activation function passed to
Activation; model.get_config() and keras.Model.from_config under
keras.utils.custom_object_scope; model.to_json() and keras.models.model_from_json(json,
custom_objects=...); keras.models.clone_model in a custom_object_scope; weights moved
between models with get_weights/set_weights; a layer and a function registered with
tf.keras.utils.register_keras_serializable(package=...) found by name through
keras.layers.deserialize and a JSON round trip without custom_objects; a custom activation
registered by name with get_custom_objects().update({...: Activation(fn)}) and passed to
Dense as a string (the well-known Stack Overflow answer for custom activations).
"""
import numpy as np
import keras
from keras import ops

np.random.seed(0)


class CustomLayer(keras.layers.Layer):
    def __init__(self, a):
        super(CustomLayer, self).__init__()
        self.var = keras.Variable(a, name="var_a")

    def call(self, inputs, training=False):
        if training:
            return inputs * self.var
        else:
            return inputs

    def get_config(self):
        return {"a": float(ops.convert_to_numpy(self.var))}

    # There's actually no need to define `from_config` here, since returning
    # `cls(**config)` is the default behavior.
    @classmethod
    def from_config(cls, config):
        return cls(**config)


def custom_activation(x):
    return ops.tanh(x) ** 2


# Make a model with the CustomLayer and custom_activation
inputs = keras.Input((32,))
x = CustomLayer(0.5)(inputs)
outputs = keras.layers.Activation(custom_activation)(x)
model = keras.Model(inputs, outputs)

# Retrieve the config
config = model.get_config()

# At loading time, register the custom objects with a `custom_object_scope`:
custom_objects = {"CustomLayer": CustomLayer, "custom_activation": custom_activation}
with keras.utils.custom_object_scope(custom_objects):
    new_model = keras.Model.from_config(config)

# The same through JSON.
json_config = model.to_json()
reloaded = keras.models.model_from_json(json_config, custom_objects=custom_objects)

data = np.random.random((4, 32)).astype("float32")
np.testing.assert_allclose(model.predict(data), new_model.predict(data), rtol=1e-6)
np.testing.assert_allclose(model.predict(data), reloaded.predict(data), rtol=1e-6)

# In-memory model cloning.
with keras.utils.custom_object_scope(custom_objects):
    cloned = keras.models.clone_model(model)
print("cloned layers:", [layer.__class__.__name__ for layer in cloned.layers])


# Transferring weights from one model to another.
def create_layer():
    layer = keras.layers.Dense(64, activation="relu", name="dense_2")
    layer.build((None, 784))
    return layer


layer_1 = create_layer()
layer_2 = create_layer()
layer_2.set_weights(layer_1.get_weights())
np.testing.assert_allclose(ops.convert_to_numpy(layer_1.kernel), ops.convert_to_numpy(layer_2.kernel))


def create_simple_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = keras.layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = keras.layers.Dense(10, name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="3_layer_mlp")


functional_model = create_simple_model()
functional_model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
functional_model.fit(np.random.random((32, 784)), np.random.randint(0, 10, size=(32,)), epochs=1, verbose=0)

# Create a second model with the same architecture and copy the weights over.
cloned_model = keras.Model.from_config(functional_model.get_config())
cloned_model.set_weights(functional_model.get_weights())
probe = np.random.random((2, 784)).astype("float32")
np.testing.assert_allclose(functional_model.predict(probe), cloned_model.predict(probe), rtol=1e-5)


# Registering custom objects so that no custom_objects dict is needed.
@keras.utils.register_keras_serializable(package="MyLayers")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units=8, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale
        self.dense = keras.layers.Dense(units)

    def call(self, inputs):
        return self.dense(inputs) * self.scale

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "scale": self.scale})
        return config


@keras.utils.register_keras_serializable(package="MyActivations")
def shifted_relu(x):
    return ops.relu(x - 0.5)


layer = ScaledDense(4, scale=3.0, name="scaled")
serialized = keras.layers.serialize(layer)
restored = keras.layers.deserialize(serialized)
print(type(restored).__name__, restored.get_config()["scale"])
assert restored.get_config()["scale"] == 3.0

inputs = keras.Input((6,))
outputs = keras.layers.Activation(shifted_relu)(ScaledDense(5)(inputs))
registered_model = keras.Model(inputs, outputs)
again = keras.models.model_from_json(registered_model.to_json())
print("reloaded from JSON without custom_objects:", [type(l).__name__ for l in again.layers])


# A custom activation used by name, as in Keras 2 answers on Stack Overflow.
from keras.layers import Activation, Dense
from keras.utils import get_custom_objects


def swish_beta(x, beta=1.5):
    return x * ops.sigmoid(beta * x)


get_custom_objects().update({'swish_beta': Activation(swish_beta)})

named_model = keras.Sequential([keras.Input((6,)), Dense(8, activation=swish_beta), Dense(1)])
named_model.compile(optimizer="adam", loss="mse")
named_model.fit(np.random.random((16, 6)), np.random.random((16, 1)), epochs=1, verbose=0)
print("swish_beta model output:", named_model.predict(np.ones((1, 6)), verbose=0).shape)
