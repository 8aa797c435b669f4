# A dict of Inputs concatenated through a dict view (TensorFlow's feature-columns migration guide): Keras 2
# converted the view; Keras 3 raises "Only input tensors may be passed as positional arguments" on every backend.
import numpy as np
import keras

inputs = {"a": keras.Input((2,), name="a"), "b": keras.Input((3,), name="b")}
x = keras.layers.Concatenate()(inputs.values())
model = keras.Model(inputs, keras.layers.Dense(1)(x))
print(model.predict({"a": np.zeros((1, 2)), "b": np.zeros((1, 3))}, verbose=0).shape)
