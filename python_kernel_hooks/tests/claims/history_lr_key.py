# history.history["lr"]: Keras 3 callbacks log "learning_rate", KeyError on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
history = model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0, epochs=2,
                    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss")])
print(history.history["lr"])
