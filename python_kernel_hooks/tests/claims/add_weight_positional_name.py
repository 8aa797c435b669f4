# add_weight("kernel", shape): Keras 3 takes the shape first and wants name= by keyword; the layer
# fails when the model builds it, on every backend.
import keras


class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("kernel", (input_shape[-1], 4))

    def call(self, x):
        return x @ self.w


model = keras.Sequential([keras.Input((3,)), Linear(), keras.layers.Dense(1)])
