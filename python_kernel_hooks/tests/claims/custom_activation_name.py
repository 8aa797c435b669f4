# A custom activation registered by name with get_custom_objects() and given to a layer as a string:
# Keras 3's keras.activations.get() knows only built-in names, "Could not interpret activation
# function identifier: scaled_tanh" on every backend.
import keras
import numpy as np
from keras.layers import Activation, Dense
from keras.utils import get_custom_objects


def scaled_tanh(x):
    return 1.7 * keras.ops.tanh(x)


get_custom_objects().update({"scaled_tanh": Activation(scaled_tanh)})
model = keras.Sequential([keras.Input((3,)), Dense(2, activation="scaled_tanh")])
print(model.predict(np.ones((1, 3)), verbose=0))
