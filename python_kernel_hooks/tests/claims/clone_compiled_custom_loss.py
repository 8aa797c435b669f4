# Keeping the best model of a sweep with clone_model: since Keras 3.9 the clone of a compiled
# model is compiled from the compile config, and an unregistered custom loss function raises
# "Could not locate function 'my_loss'" on every backend.
import numpy as np
import keras


def my_loss(y_true, y_pred):
    return keras.ops.mean(keras.ops.square(y_true - y_pred))


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=my_loss)
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
best = keras.models.clone_model(model)
best.set_weights(model.get_weights())
