# keras.losses.Reduction.NONE: Keras 3 has no Reduction enum, AttributeError on every backend.
import keras

loss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.NONE)
