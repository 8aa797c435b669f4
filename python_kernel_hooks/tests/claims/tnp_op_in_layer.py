"""keras.io "Writing Keras Models With TensorFlow NumPy": TensorFlow NumPy (tnp) ops in a layer's call()
and in a custom loss, trained. JAX traces call() and tnp rejects its tracers; PyTorch hands the layer
tensors that require grad, which TensorFlow cannot read. KM131 (and KM190) claim JAX and PyTorch."""
import numpy as np
import tensorflow.experimental.numpy as tnp
import keras


class TNPDense(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[1], 3), initializer="uniform")

    def call(self, inputs):
        return tnp.maximum(tnp.matmul(inputs, self.w), 0.0)


def tnp_mse(y_true, y_pred):
    return tnp.mean(tnp.square(y_true - y_pred), axis=0)


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), TNPDense(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tnp_mse)
model.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
