# fit(workers=..., use_multiprocessing=...): Keras 3 moved them to PyDataset, TypeError on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0, workers=2, use_multiprocessing=False)
