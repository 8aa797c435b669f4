# Keras 2 backend functions through tf.keras.backend: still there with Keras 3 (TF functions), so the
# loss runs on the TensorFlow backend and fails on JAX and PyTorch.
import numpy as np
import keras
from tensorflow.keras import backend as K


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_true - y_pred), axis=-1))


model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), keras.layers.Dense(1)])
model.compile("sgd", rmse)
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=1)
