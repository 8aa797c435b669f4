# tf.random as the initial value of a keras.Variable in a layer's __init__ (keras.io masked
# autoencoder's mask token): the backend copies the value into its own array when the variable is
# made, so it runs on every backend.
import numpy as np, keras, tensorflow as tf


class Masker(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.mask_token = keras.Variable(tf.random.normal([1, 2]), trainable=True)

    def call(self, x):
        return x + keras.ops.repeat(self.mask_token, keras.ops.shape(x)[0], axis=0)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Masker(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, verbose=0)
print(model.predict(np.ones((2, 3), "float32"), verbose=0).shape)
