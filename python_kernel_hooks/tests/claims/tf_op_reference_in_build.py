"""A TF op kept as a function in build() (keras.io's involution: `else tf.identity`) and called in
call(): JAX traces the layer and the TF op rejects the tracer; TensorFlow runs it, and PyTorch
converts the tensors through NumPy (none requires grad before the layer). KM222 (tf-op-reference) claims JAX only."""
import numpy as np
import tensorflow as tf
import keras


class Pool(keras.layers.Layer):
    def __init__(self, stride, **kwargs):
        super().__init__(**kwargs)
        self.stride = stride

    def build(self, input_shape):
        self.stride_layer = keras.layers.AveragePooling1D(self.stride) if self.stride > 1 else tf.identity

    def call(self, x):
        return self.stride_layer(x)


inputs = keras.Input((4, 3))
outputs = keras.layers.Dense(1)(keras.layers.Flatten()(Pool(1)(inputs)))
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 4, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
