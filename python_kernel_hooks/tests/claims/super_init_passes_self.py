# super().__init__(self) in a subclassed model (the TensorFlow text-generation tutorial's
# spelling): tf.keras's Model ignored the extra positional argument; Keras 3's Layer takes keyword
# arguments only and raises a TypeError when the model is made, on every backend.
import numpy as np, keras


class MyModel(keras.Model):
    def __init__(self, units):
        super().__init__(self)
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(x)


model = MyModel(2)
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), verbose=0)
