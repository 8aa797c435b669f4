# add_weight(shape=(n * n)): parentheses around an integer, not a tuple (keras.io MPNN's EdgeNetwork);
# Keras 3 raises "Cannot convert '9' to a shape." when the model builds the layer, on every backend.
import keras


class EdgeNetwork(keras.layers.Layer):
    def build(self, input_shape):
        self.atom_dim = input_shape[-1]
        self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim), initializer="zeros", name="bias")

    def call(self, x):
        return keras.ops.tile(x, [1, self.atom_dim]) + self.bias


model = keras.Sequential([keras.Input((3,)), EdgeNetwork(), keras.layers.Dense(1)])
