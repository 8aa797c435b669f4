"""Optimizers configured the Keras 2 way: lr=, decay=, and reading optimizer.lr."""
import numpy as np
import keras
from keras.optimizers import Adam, SGD

x = np.random.rand(64, 3).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
model.fit(x, y, epochs=2, verbose=0)
print("adam lr", float(model.optimizer.learning_rate))

# Keras 2's decay=1e-6 was lr / (1 + decay * iterations): an InverseTimeDecay with decay_steps=1.
schedule = keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)
model.compile(optimizer=SGD(learning_rate=schedule, momentum=0.9, nesterov=True), loss="mse")
model.fit(x, y, epochs=2, verbose=0)
print("loss", model.evaluate(x, y, verbose=0))
