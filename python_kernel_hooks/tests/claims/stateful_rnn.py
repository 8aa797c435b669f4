# A stateful LSTM trains on TensorFlow and JAX; PyTorch's autograd rejects the carried state.
import numpy as np, keras
model = keras.Sequential([keras.Input((3, 2), batch_size=4), keras.layers.LSTM(2, stateful=True), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 3, 2)), np.ones((4, 1)), verbose=0, batch_size=4)
