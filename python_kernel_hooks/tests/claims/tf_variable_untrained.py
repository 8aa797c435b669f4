# A tf.Variable kept by a layer: Keras 3 does not track it, so fit() leaves it as it was, on
# every backend, without an error (a silent failure, not a blocked backend).
import numpy as np, keras, tensorflow as tf
class Scale(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.ones((3, 1), "float32"))
    def call(self, x):
        return keras.ops.matmul(x, self.w)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), Scale()])
model.compile("sgd", "mse")
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0, epochs=1)
assert np.allclose(np.asarray(model.layers[-1].w), 1.0), "trained"
