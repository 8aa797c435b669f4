# A full-model ModelCheckpoint to a legacy .h5 file, loaded back with load_model (keras.io
# timeseries classification): Keras 3.15 cannot deserialize the compiled loss
# ("Could not deserialize 'keras.metrics.mse'") on every backend.
import numpy as np
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
callbacks = [keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True, monitor="loss")]
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=2, callbacks=callbacks, verbose=0)
restored = keras.models.load_model("best_model.h5")
restored.evaluate(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
