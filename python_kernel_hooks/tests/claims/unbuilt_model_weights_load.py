# Weights loaded into a subclassed model before it is built (TensorFlow's checkpoint guide, Keras 2's
# deferred restoration): Keras 3 raises "You are loading weights into a model that has not yet been
# built" on every backend. compile() does not build the model.
import numpy as np
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(5)

    def call(self, x):
        return self.dense(x)


trained = Net()
trained(np.ones((1, 3)))
trained.save_weights("net.weights.h5")

restored = Net()
restored.compile(optimizer="adam", loss="mse")
restored.load_weights("net.weights.h5")
print(restored.predict(np.ones((1, 3)), verbose=0).shape)
