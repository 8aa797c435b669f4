# A legacy .h5 round trip of a model that is never compiled: Keras 3 reads it back on every backend
# (what fails is deserializing a compiled loss such as "mse", or training the loaded compiled model).
import os, tempfile
import numpy as np, keras

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.save(path)
restored = keras.models.load_model(path)
print(restored.predict(np.ones((2, 3), "float32"), verbose=0).shape)
