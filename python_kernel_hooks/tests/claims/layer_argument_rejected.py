# BatchNormalization(fused=True): Keras 3 layers reject it ("Unrecognized keyword arguments") on every backend.
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.BatchNormalization(fused=True)])
