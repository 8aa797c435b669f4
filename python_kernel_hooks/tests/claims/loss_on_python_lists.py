# A Loss object called on a flat label list and a nested prediction list (the Keras 2 docstring
# example): Keras 3 pairs the two structures up before converting them and fails on every backend.
import keras

scce = keras.losses.SparseCategoricalCrossentropy()
print(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))
