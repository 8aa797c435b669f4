# A Functional model called on a dict that mixes a NumPy array with a model's output (a Keras tensor on
# every backend): Keras 3 refuses a nested call() argument that mixes tensors and non-tensors on
# TensorFlow, JAX and PyTorch. Keras 2 converted the array.
import numpy as np
import keras

s_in = keras.Input((3,), name="s")
a_in = keras.Input((1,), name="a")
critic = keras.Model({"s": s_in, "a": a_in}, keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in])))
x = keras.Input((3,))
actor = keras.Model(x, keras.layers.Dense(1, activation="tanh")(x))

states = np.random.rand(4, 3).astype("float32")
q = critic({"s": states, "a": actor(states)})
print("q", q.shape)
