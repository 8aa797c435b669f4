# A LearningRateScheduler function returning a TF tensor: Keras 3 wants a float ("The output of the
# `schedule` function should be a float") on every backend.
import numpy as np, keras
import tensorflow as tf


def scheduler(epoch, lr):
    if epoch < 1:
        return lr
    return lr * tf.math.exp(-0.1)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0, epochs=2,
          callbacks=[keras.callbacks.LearningRateScheduler(scheduler)])
