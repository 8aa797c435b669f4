# A tf.Variable whose initial value is a TensorFlow tensor made in build(), in a layer first built
# inside another layer's call on KerasTensors: Keras 3 builds it inside the graph TensorFlow traces
# to infer the outer call's output, and the tensor "could not be lifted out of a `tf.function`"
# (keras.io Swin Transformer's relative position index). JAX and PyTorch run it.
import numpy as np
import tensorflow as tf
import keras


class PositionBias(keras.layers.Layer):
    def build(self, input_shape):
        index = np.arange(input_shape[-1]) % 2
        self.index = tf.Variable(initial_value=tf.convert_to_tensor(index), trainable=False)

    def call(self, x):
        return x + keras.ops.cast(self.index, x.dtype)


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bias = PositionBias()
        self.dense = keras.layers.Dense(4)

    def call(self, x):
        return self.dense(self.bias(x))


inputs = keras.Input((4,))
model = keras.Model(inputs, Block()(inputs))
print(model.predict(np.ones((2, 4), "float32"), verbose=0).shape)
