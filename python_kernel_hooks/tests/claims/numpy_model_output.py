# .numpy() on a model output: JAX arrays have none; on PyTorch the output requires grad.
import numpy as np, keras
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
print(model(np.ones((1, 2))).numpy())
