# A NumPy array on the left of an operator whose right operand is a KerasTensor (per-feature weights
# applied while building a Functional model): Keras 2's KerasTensor was a TensorFlow value NumPy
# deferred to; Keras 3's refuses to become an array ("You cannot convert it to a NumPy array") on
# every backend.
import numpy as np
import keras

feature_weights = np.linspace(0.5, 1.5, 4).astype("float32")
inputs = keras.Input(shape=(4,))
weighted = feature_weights * inputs
model = keras.Model(inputs, keras.layers.Dense(1)(weighted))
model.compile(loss="mse", optimizer="sgd")
model.fit(np.ones((8, 4)), np.ones((8, 1)), epochs=1, verbose=0)
