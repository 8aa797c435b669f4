# A module-level NumPy array multiplied with the tensor in a Lambda's function (TF2 RL Cookbook's PPO
# actor: `Lambda(lambda x: clip(x * action_bound, 1e-9, action_bound))`), trained with fit():
# TensorFlow and JAX convert the array; PyTorch turns the tensor into NumPy, which fails for a tensor
# that requires grad ("Can't call numpy() on Tensor that requires grad").
import numpy as np
import keras

action_bound = np.array([160, 210])
inputs = keras.Input((4,))
hidden = keras.layers.Dense(2)(inputs)
outputs = keras.layers.Lambda(lambda x: x * action_bound)(hidden)
model = keras.Model(inputs, outputs)
model.compile("adam", "mse")
model.fit(np.ones((8, 4), "float32"), np.ones((8, 2), "float32"), epochs=1, verbose=0)
print("ok")
