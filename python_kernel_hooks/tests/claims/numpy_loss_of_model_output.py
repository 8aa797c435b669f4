# .numpy() on a loss of a model output: the loss keeps the grad on PyTorch.
import numpy as np, keras
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
print(keras.losses.MeanSquaredError()(np.ones((1, 1)), model(np.ones((1, 2)))).numpy())
