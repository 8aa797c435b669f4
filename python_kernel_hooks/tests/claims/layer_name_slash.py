# Keras 2 allowed "/" in layer names (TF name scopes); Keras 3 raises ValueError when the layer is made: fails on every backend.
import numpy as np, keras

inputs = keras.Input((3,))
x = keras.layers.Dense(4, name="encoder_0/dense")(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
