# The same round trip, the loaded model recompiled before training (keras.io denoising
# autoencoder notebooks): it loads, compiles and trains on every backend.
import os, tempfile
import numpy as np, keras

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.save(path)
restored = keras.models.load_model(path)
restored.compile(optimizer="adam", loss="binary_crossentropy")
restored.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
