# model([1, 10, 100]): Keras 3 reads a list as one input per element and refuses the numbers on every backend.
import keras

model = keras.Sequential([keras.layers.Embedding(200, 4)])
print(model([1, 10, 100]).shape)
