# Keras 2 code written for standalone `import keras` that names a loss by its Keras 2 alias:
# Keras 3's `keras.losses` has `mean_squared_error`, not `mse` (only tf.keras keeps the alias),
# so the attribute lookup fails on every backend.
import keras
import numpy as np

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.mse)
model.fit(np.ones((8, 4)), np.ones((8, 1)), epochs=1, verbose=0)
