# Keras 2's tf.keras loss functions that Keras 3's tf.keras lacks: `keras.losses.mean_squared_error`
# after `from tensorflow import keras` raises AttributeError on every backend (Keras 3's own keras has it).
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss=keras.losses.mean_squared_error)
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
print(model.predict(np.ones((2, 3)), verbose=0).shape)
