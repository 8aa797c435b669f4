# A legacy .h5 round trip of a model compiled with loss="mse", loaded back with compile=False: no
# compile config is read and no optimizer loaded, so it loads, predicts, compiles and trains again on
# every backend; KM031 still suggests the .keras format but claims no backend.
import os, tempfile
import numpy as np, keras

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.save(path)
restored = keras.models.load_model(path, compile=False)
restored.predict(np.ones((2, 3), "float32"), verbose=0)
restored.compile(optimizer="sgd", loss="mse")
restored.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
