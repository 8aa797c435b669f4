# Model.build(input_shape) of a keras.Model subclass with call() but no build() (dragen1860's ResNet, og47c
# repro_3): Keras 2 built every sublayer; Keras 3 only marks the model built (0 variables), and load_weights()
# after it restores nothing, silently, on every backend (KM296 claims all three).
import os
import tempfile

import numpy as np
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(5)

    def call(self, x):
        return self.dense(x)


x = np.ones((1, 3), "float32")
source = Net()
expected = keras.ops.convert_to_numpy(source(x))
path = os.path.join(tempfile.mkdtemp(), "net.weights.h5")
source.save_weights(path)

net = Net()
net.build((None, 3))
net.load_weights(path)
assert np.allclose(keras.ops.convert_to_numpy(net(x)), expected), "load_weights() after build() restored nothing"
