# An integer seed in a keras.random call inside call(): the same mask at every step once traced,
# yet the program trains on every backend (a silent change, not a blocked backend).
import numpy as np, keras
class Drop(keras.layers.Layer):
    def call(self, x):
        return keras.random.dropout(x, 0.5, seed=42)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), Drop(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3)), np.ones((8, 1)), verbose=0, epochs=1, batch_size=4)
