# TensorFlow data-augmentation tutorial: a helper of a layer's call() branches with Python's `if` on a
# TF draw of Python values. TensorFlow's symbolic build of the Sequential refuses the symbolic bool;
# on JAX and PyTorch the draw is an eager TF tensor, which `if` reads (JAX draws once per trace).
import numpy as np
import tensorflow as tf
import keras


def random_invert_img(x, p=0.5):
    if tf.random.uniform([]) < p:
        x = 255 - x
    return x


class RandomInvert(keras.layers.Layer):
    def call(self, x):
        return random_invert_img(x)


model = keras.Sequential([keras.Input((8, 8, 3)), RandomInvert(), keras.layers.Flatten(), keras.layers.Dense(2)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(np.random.rand(16, 8, 8, 3).astype("float32"), np.random.randint(0, 2, 16), epochs=1, verbose=0)
