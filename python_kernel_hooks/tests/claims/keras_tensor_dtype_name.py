# outputs.dtype.name: a KerasTensor's dtype is a string in Keras 3, AttributeError on every backend.
import keras

inputs = keras.Input((4,))
outputs = keras.layers.Dense(2)(inputs)
print(outputs.dtype.name)
