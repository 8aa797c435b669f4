# TensorFlow CSV-loading tutorial: a Functional model on keras.Input(shape=()) called on a Python
# number. Keras 2 converted it ("calc(1)" gave 3.0); Keras 3 raises "Inputs to a layer should be
# tensors" on every backend.
import keras

input = keras.Input(shape=(), dtype="float32")
result = 2 * input + 1
calc = keras.Model(inputs=input, outputs=result)
print(keras.ops.convert_to_numpy(calc(1)))
