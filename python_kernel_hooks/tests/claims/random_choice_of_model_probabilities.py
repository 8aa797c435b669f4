# keras.io actor-critic sampling outside the tape: np.random.choice(p=np.squeeze(model(state))).
# PyTorch: "Can't call numpy() on Tensor that requires grad". JAX: NumPy checks a JAX array's
# probabilities at float64 precision, which a float32 softmax misses ("probabilities do not sum
# to 1"; most draws fail, so twenty fail surely). TensorFlow: runs.
import numpy as np
import keras

inputs = keras.Input(shape=(4,))
probs = keras.layers.Dense(2, activation="softmax")(keras.layers.Dense(128, activation="relu")(inputs))
model = keras.Model(inputs, probs)
rng = np.random.default_rng(0)
for _ in range(20):
    state = rng.uniform(-0.05, 0.05, (1, 4)).astype("float32")
    action_probs = model(state)
    action = np.random.choice(2, p=np.squeeze(action_probs))
print(action)
