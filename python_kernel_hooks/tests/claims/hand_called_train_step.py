# A compiled model's own train_step called by hand on a batch: TensorFlow and PyTorch run one
# step; on JAX, Keras 3's train_step takes (state, data): "missing 1 required positional argument".
import keras
import numpy as np

x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
y = np.zeros((8, 1), "float32")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
for _ in range(2):
    logs = model.train_step((x, y))
print(float(logs["loss"]))
