# A layer given another layer as a constructor argument stores it before super().__init__() (Géron's
# handson-ml2 ch. 17 DenseTranspose, og47b repro_8): on PyTorch a Keras layer is a torch.nn.Module and the
# assignment raises "cannot assign module before Module.__init__() call"; TensorFlow and JAX run (KM207).
import numpy as np
import keras


class Wrapper(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        self.inner = inner
        super().__init__(**kwargs)

    def call(self, inputs):
        return self.inner(inputs)


dense = keras.layers.Dense(2)
print(Wrapper(dense)(np.zeros((1, 3), "float32")).shape)
