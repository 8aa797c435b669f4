# Layers and arguments Keras 3 removed: gone on every backend.
import numpy as np, keras

inputs = keras.Input((6, 3))
x = keras.layers.LocallyConnected1D(4, 3)(inputs)
x = keras.layers.Flatten()(x)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile("sgd", "mse")
model.fit(np.ones((8, 6, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
