"""A layer that splits its batch into groups of keras.ops.minimum(4, batch) samples with
keras.ops.reshape(x, [group, -1, h, w, c]) (the minibatch standard deviation of progressive GANs),
called on KerasTensors of unknown batch size in a functional model, with no compute_output_shape().
JAX: the group size is a traced value given as a shape. PyTorch: Keras infers the layer's output
by running call() on stand-in batches of 83 and 89 samples, which groups of 4 do not divide.
TensorFlow runs it. KM183 claims JAX and PyTorch."""
import numpy as np
import keras


class GroupStd(keras.layers.Layer):
    def __init__(self, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size

    def call(self, x):
        n, h, w, c = keras.ops.shape(x)
        group = keras.ops.minimum(self.group_size, n)
        grouped = keras.ops.reshape(x, [group, -1, h, w, c])
        std = keras.ops.mean(keras.ops.std(grouped, axis=0), axis=[1, 2, 3], keepdims=True)
        return x + keras.ops.mean(std)


inputs = keras.Input((4, 4, 2))
x = GroupStd()(inputs)
outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, 4, 4, 2), "float32"), np.ones((8, 1), "float32"), batch_size=4, epochs=1, verbose=0)
