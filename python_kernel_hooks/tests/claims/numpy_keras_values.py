# keras.ops, loss-function and keras.random values of NumPy data: JAX arrays have no .numpy();
# on PyTorch these tensors have no grad and convert (on a CPU build).
import numpy as np
import keras

print(keras.ops.add(np.ones(2), np.ones(2)).numpy())
print(keras.losses.mean_squared_error(np.ones((2, 2)), np.zeros((2, 2))).numpy())
print(keras.losses.MeanSquaredError()(np.ones((2, 2)), np.zeros((2, 2))).numpy())
print(keras.random.normal((2,), seed=1).numpy())
