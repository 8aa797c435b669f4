# TF ops in a constraint function and in a Constraint subclass (Géron's handson-ml2 ch. 12 `my_positive_weights`,
# og47a repro_1): Keras runs constraints after the optimizer's step with the variable itself. JAX traces that step,
# so the TF ops fail there; PyTorch runs them without grad and TensorFlow converts the variable (KM131 claims JAX only).
# After `fix --unsafe` each function first makes the variable a tensor: keras.ops.zeros_like/where of the variable
# itself fail on JAX too.
import numpy as np
import tensorflow as tf
import keras


def my_positive_weights(weights):
    return tf.where(weights < 0.0, tf.zeros_like(weights), weights)


class NonNeg(keras.constraints.Constraint):
    def __call__(self, w):
        return tf.where(w < 0.0, tf.zeros_like(w), w)


first = keras.layers.Dense(3, kernel_constraint=my_positive_weights, kernel_initializer="ones")
second = keras.layers.Dense(1, kernel_constraint=NonNeg(), kernel_initializer="ones")
model = keras.Sequential([keras.Input(shape=(4,)), first, second])
model.compile(keras.optimizers.SGD(0.5), "mse")
model.fit(np.ones((8, 4), "float32"), np.full((8, 1), -50.0, "float32"), epochs=2, verbose=0)
for layer in (first, second):
    kernel = keras.ops.convert_to_numpy(layer.kernel)
    assert np.all(kernel >= 0.0), kernel
print("OK")
