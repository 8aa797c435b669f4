# add_loss() of a symbolic tensor on a Functional model: Keras 3 takes losses only inside call(),
# NotImplementedError on every backend.
import keras

inputs = keras.Input((4,))
outputs = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs, outputs)
model.add_loss(keras.ops.mean(outputs))
