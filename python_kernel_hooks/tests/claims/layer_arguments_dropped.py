# Keras 2 arguments Keras 3 drops without failing: Embedding(input_length=) (a deprecation warning)
# and ReduceLROnPlateau(epsilon=) (ignored). The program runs on every backend.
import numpy as np, keras

model = keras.Sequential([keras.layers.Embedding(20, 4, input_length=5), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", epsilon=1e-4, patience=1)
model.fit(np.ones((8, 5), "int32"), np.ones((8, 1), "float32"), verbose=0, epochs=2, callbacks=[reduce_lr])
