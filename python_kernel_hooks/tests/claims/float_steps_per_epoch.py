# fit(steps_per_epoch=np.ceil(...)): a float (the TensorFlow imbalanced-data tutorial's resampled
# steps). Keras 2 counted steps below it; Keras 3 hands it to range() and raises "'float' object
# cannot be interpreted as an integer" on every backend.
import numpy as np
import keras

x = np.random.rand(64, 3).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
steps = np.ceil(len(x) / 16)
model.fit(x, y, batch_size=16, steps_per_epoch=steps, epochs=1, verbose=0)
