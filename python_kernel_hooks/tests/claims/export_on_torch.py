# model.export() writes a TF SavedModel: TensorFlow and JAX export a Sequential model, PyTorch fails.
import os, tempfile
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.export(os.path.join(tempfile.mkdtemp(), "serving"))
