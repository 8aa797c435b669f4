"""Optimizers configured the Keras 2 way: lr=, decay=, and reading optimizer.lr."""
import numpy as np
from tensorflow import keras
from tensorflow.keras.optimizers import Adam, SGD

x = np.random.rand(64, 3).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")

model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
model.compile(optimizer=Adam(lr=0.01), loss="mse")
model.fit(x, y, epochs=2, verbose=0)
print("adam lr", float(model.optimizer.lr))

model.compile(optimizer=SGD(lr=0.01, momentum=0.9, decay=1e-6, nesterov=True), loss="mse")
model.fit(x, y, epochs=2, verbose=0)
print("loss", model.evaluate(x, y, verbose=0))
