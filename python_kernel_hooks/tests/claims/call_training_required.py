# call(self, inputs, training) without a default, in a Sequential: Keras 3 builds the model without
# passing training, "missing a required argument: 'training'" on every backend.
import numpy as np, keras


class Block(keras.layers.Layer):
    def call(self, inputs, training):
        return inputs * 2.0


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Block(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
