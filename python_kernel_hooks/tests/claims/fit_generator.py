# fit_generator() is gone from Keras 3 (fit() takes generators): AttributeError on every backend.
import numpy as np, keras


def batches():
    while True:
        yield np.ones((4, 3), "float32"), np.ones((4, 1), "float32")


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)
