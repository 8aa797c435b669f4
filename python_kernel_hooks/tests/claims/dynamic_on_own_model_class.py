# `dynamic=True` given to the notebook's own Model subclass, which hands **kwargs on to keras.Model
# (Géron's handson-ml2 ch. 12, og47a repro_6): Keras 3 rejects it ("Unrecognized keyword arguments") on every
# backend (KM123 claims all three).
import numpy as np
import keras


class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(x)


model = MyModel(dynamic=True)
model.compile(loss="mse", optimizer="sgd")
model.fit(np.random.rand(16, 4), np.random.rand(16, 1), verbose=0)
