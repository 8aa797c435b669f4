# A subclassed model whose call() requires training, only compiled, fit, evaluated and asked to
# predict: Keras passes training in each step, so this runs on every backend.
import numpy as np, keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(4)
        self.drop = keras.layers.Dropout(0.1)
        self.out = keras.layers.Dense(1)

    def call(self, x, training):
        return self.out(self.drop(self.hidden(x), training=training))


model = Net()
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.evaluate(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
model.predict(np.ones((2, 3), "float32"), verbose=0)
