# An integer result and a metric of a model output have no grad on PyTorch.
import numpy as np
import keras

model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
print(keras.ops.argmax(model(np.ones((1, 2))), axis=-1).numpy())
metric = keras.metrics.MeanSquaredError()
metric.update_state(np.ones((1, 3)), model(np.ones((1, 2))))
print(metric.result().numpy())
