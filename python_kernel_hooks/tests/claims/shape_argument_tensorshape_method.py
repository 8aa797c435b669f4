# compute_output_shape(batch_input_shape) reading TensorShape.as_list() (Géron's handson-ml2 ch. 12 MyDense,
# og47a repro_5): Keras 2 passed a tf.TensorShape; Keras 3 passes a tuple on every backend ("'tuple' object has
# no attribute 'as_list'"; KM298 claims all three).
import numpy as np
import tensorflow as tf
import keras


class MyDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[batch_input_shape[-1], self.units])

    def call(self, X):
        return X @ self.kernel

    def compute_output_shape(self, batch_input_shape):
        return tf.TensorShape(batch_input_shape.as_list()[:-1] + [self.units])


model = keras.Sequential([keras.Input(shape=(4,)), MyDense(2)])
print(model.output_shape)
