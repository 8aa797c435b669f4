# ThresholdedReLU is gone from Keras 3 (ReLU(threshold=) replaces it): fails on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.ThresholdedReLU(theta=0.5), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
