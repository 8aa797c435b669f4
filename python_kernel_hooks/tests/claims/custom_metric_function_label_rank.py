"""KM240 claims no backend: a custom metric function on rank-1 labels against a Dense(1) output runs
everywhere (Keras 3 broadcasts to (batch, batch) and reports a wrong value, silently)."""
import numpy as np
import keras
from keras import ops


def rmse(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_pred - y_true)))


data = np.random.normal(size=(64, 4)).astype("float32")
x = data[:, :3]
y = data[:, -1]
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse", metrics=[rmse])
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
print(model.evaluate(x, y, verbose=0))
