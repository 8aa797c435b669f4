"""Hand conversion of serialization_round_trips.py to multi-backend Keras 3."""
import numpy as np
import keras

x = np.random.rand(16, 8).astype("float32")
y = np.random.rand(16, 1).astype("float32")

inputs = keras.Input(shape=(8,))
outputs = keras.layers.Dense(1)(inputs)
functional = keras.Model(inputs, outputs)
functional.compile(optimizer="adam", loss="mean_squared_error")
functional.fit(x, y, epochs=1, verbose=0)
functional.save("my_model.keras")
reconstructed = keras.models.load_model("my_model.keras")
np.testing.assert_allclose(functional.predict(x, verbose=0), reconstructed.predict(x, verbose=0), rtol=1e-5)


@keras.saving.register_keras_serializable()
class CustomModel(keras.Model):
    def __init__(self, hidden_units, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.dense_layers = [keras.layers.Dense(u) for u in hidden_units]

    def call(self, inputs):
        h = inputs
        for layer in self.dense_layers:
            h = layer(h)
        return h

    def get_config(self):
        return {"hidden_units": self.hidden_units}


subclassed = CustomModel([16, 1])
subclassed.compile(optimizer="adam", loss="mean_squared_error")
subclassed.fit(x, y, epochs=1, verbose=0)
subclassed.save("my_model.keras")
del CustomModel
revived = keras.models.load_model("my_model.keras")
print("revived output", revived(x[:2]).shape)

inputs = keras.Input(shape=(8,), name="features")
h = keras.layers.Dense(6, activation="relu", name="dense_1")(inputs)
pretrained = keras.Model(inputs, h, name="pretrained")
for w in pretrained.weights:
    w.assign(keras.random.normal(w.shape))
pretrained.save_weights("pretrained.weights.h5")

inputs = keras.Input(shape=(8,), name="features")
h = keras.layers.Dense(6, activation="relu", name="dense_1")(inputs)
head = keras.layers.Dense(3, name="predictions")(h)
model = keras.Model(inputs, head, name="new_model")
model.load_weights("pretrained.weights.h5", skip_mismatch=True)
for a, b in zip(pretrained.weights, model.weights):
    np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
print("pretrained weights restored")


class CounterLayer(keras.layers.Layer):
    def __init__(self, start):
        super().__init__()
        self.count = keras.Variable(start, name="count", dtype="int32", trainable=False)

    def call(self, inputs):
        self.count.assign_add(1)
        return inputs

    def get_config(self):
        return {"start": int(keras.ops.convert_to_numpy(self.count))}


counter = CounterLayer(5)
counter(x)
print("counter config", counter.get_config())
print("DONE")
