# A legacy .h5 round trip of a model compiled with loss="mse": Keras 3 cannot deserialize the
# compiled loss ("Could not deserialize 'keras.metrics.mse'") on every backend.
import os, tempfile
import numpy as np, keras

path = os.path.join(tempfile.mkdtemp(), "model.h5")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.save(path)
restored = keras.models.load_model(path)
restored.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
