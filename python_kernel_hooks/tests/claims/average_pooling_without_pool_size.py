# AveragePooling1D() without pool_size (Keras 2's default was 2): Keras 3 requires the argument,
# TypeError "missing 1 required positional argument: 'pool_size'" on every backend.
import keras

inputs = keras.Input((16, 1))
outputs = keras.layers.AveragePooling1D()(inputs)
model = keras.Model(inputs, outputs)
