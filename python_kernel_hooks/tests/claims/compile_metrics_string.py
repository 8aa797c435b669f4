# One metric given as a string: Keras 3 wants a list and fails on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse", metrics="mae")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
