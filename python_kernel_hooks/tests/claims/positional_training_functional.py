# Dropout(0.5)(inputs, True) in the Functional API (Keras 2's always-on dropout): Keras 3 refuses the
# positional bool on every backend.
import keras

inputs = keras.Input((3,))
x = keras.layers.Dropout(0.5)(inputs, True)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
