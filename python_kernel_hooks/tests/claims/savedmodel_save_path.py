# model.save() to a folder (Keras 2 wrote a SavedModel there): Keras 3 saves only .keras/.h5 files and
# raises "Invalid filepath extension for saving" on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.save("saved_model/my_model")
