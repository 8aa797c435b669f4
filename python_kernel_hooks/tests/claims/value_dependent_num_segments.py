# A segment sum whose number of segments is the largest segment id plus one, computed in call():
# JAX traces call() in fit() and needs a concrete number of segments; TensorFlow and PyTorch run it.
import keras
import numpy as np


class SumByGroup(keras.layers.Layer):
    def call(self, x):
        ids = keras.ops.cast(x[:, 0], "int32")
        count = keras.ops.max(ids) + 1
        pooled = keras.ops.segment_sum(x, ids, num_segments=count)
        return x + keras.ops.mean(pooled)


model = keras.Sequential([keras.Input((3,)), SumByGroup(), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
x = np.array([[0, 1, 2], [1, 2, 3], [1, 0, 0], [2, 5, 5]], "float32")
model.fit(x, np.ones((4, 1), "float32"), epochs=1, verbose=0)
print("ok")
