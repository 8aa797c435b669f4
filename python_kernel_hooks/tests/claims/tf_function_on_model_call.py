# `@tf.function` on a subclassed model's call() (Keras 2 code did this for speed): Keras 3 traces call() itself.
# TensorFlow: the Dense built inside the tf.function trains nothing ("No gradients provided for any variable");
# JAX: "Unable to automatically build the model"; PyTorch: "Cannot convert a symbolic tf.Tensor". KM265's fix
# removes the decorator.
import numpy as np
import tensorflow as tf
import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    @tf.function
    def call(self, inputs):
        return self.dense(self.dense(inputs))


model = Net()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 1).astype("float32"), np.zeros((8, 1), "float32"), epochs=1, verbose=0)
