# Keras 2 optimizer spellings that Keras 3 runs: `decay=` is ignored with a warning and assigning
# `optimizer.lr` changes nothing (silent changes: the learning rate stays constant).
import numpy as np
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, decay=1e-4), loss="mse")
model.optimizer.lr = 0.5
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
