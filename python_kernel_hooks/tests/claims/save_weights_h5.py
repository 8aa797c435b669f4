# save_weights() to a name without .weights.h5: Keras 3 raises on every backend.
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.save_weights("weights.h5")
