# RNN time_major= was removed in Keras 3: unrecognized keyword on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4, time_major=False), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 5, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
