# get_layer("image").input of an Input layer: empty in Keras 3, so the sub-model raises "`inputs`
# argument cannot be empty" on every backend.
import keras

inp = keras.Input(shape=(4,), name="image")
out = keras.layers.Dense(2, name="dense")(inp)
model = keras.Model(inp, out)
sub = keras.Model(model.get_layer("image").input, model.get_layer("dense").output)
