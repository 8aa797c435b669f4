# A keras.layers.RNN called on a tuple of inputs (keras.io's NestedCell, Keras 2): Keras 3's RNN
# takes one sequence, builds the cell from the first input only, "tuple index out of range" on
# every backend.
import keras
import numpy as np


class PairCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.output_size = [units, units]

    def build(self, input_shapes):
        self.kernel_1 = self.add_weight(shape=(input_shapes[0][1], self.units), name="kernel_1")
        self.kernel_2 = self.add_weight(shape=(input_shapes[1][1], self.units), name="kernel_2")

    def call(self, inputs, states):
        input_1, input_2 = inputs
        out_1 = keras.ops.matmul(input_1, self.kernel_1) + states[0]
        out_2 = keras.ops.matmul(input_2, self.kernel_2) + states[1]
        return (out_1, out_2), (out_1, out_2)


input_1 = keras.Input((None, 3))
input_2 = keras.Input((None, 4))
outputs = keras.layers.RNN(PairCell(2))((input_1, input_2))
model = keras.Model([input_1, input_2], outputs)
print(model.predict([np.ones((1, 5, 3)), np.ones((1, 5, 4))], verbose=0))
