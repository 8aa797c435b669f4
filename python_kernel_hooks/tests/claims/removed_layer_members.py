# A Keras 2 habit: an encoder cut at a layer's first node with `get_output_at(0)` (Keras 2 layers kept a
# node per call with public accessors). Keras 3 keeps the nodes private: AttributeError on every backend
# (KM174; its safe fix writes `.output`).
import numpy as np
import keras

inputs = keras.Input((3,))
hidden = keras.layers.Dense(4, name="hidden")
model = keras.Model(inputs, keras.layers.Dense(1)(hidden(inputs)))
encoder = keras.Model(model.input, model.get_layer("hidden").get_output_at(0))
print(encoder.predict(np.zeros((2, 3)), verbose=0).shape)
