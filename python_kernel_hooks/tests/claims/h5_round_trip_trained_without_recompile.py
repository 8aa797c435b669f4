# A legacy .h5 round trip of a model compiled with a loss that loads back
# (binary_crossentropy), trained again without recompiling: Keras 3 rebuilds the optimizer only
# in part and fit() fails on every backend.
import os, tempfile
import numpy as np, keras

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.save(path)
restored = keras.models.load_model(path)
restored.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
