# The same NumPy array on the right of an operator in a Lambda, in a model that only predicts:
# predict() runs under torch.no_grad(), where PyTorch's tensor becomes NumPy without complaint, so
# the program runs on every backend (PyTorch's prediction is float64 there).
import numpy as np
import keras

action_bound = np.array([160, 210])
inputs = keras.Input((4,))
hidden = keras.layers.Dense(2)(inputs)
outputs = keras.layers.Lambda(lambda x: x * action_bound)(hidden)
model = keras.Model(inputs, outputs)
print(model.predict(np.ones((8, 4), "float32"), verbose=0).shape)
