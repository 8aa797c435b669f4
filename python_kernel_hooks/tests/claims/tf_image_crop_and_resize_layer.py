# A random-resized-crop layer on tf.image.crop_and_resize (keras.io NNCLR / contrastive examples)
# behind a Conv2D: model code that JAX traces and PyTorch runs on tensors requiring grad in fit().
# TensorFlow trains; JAX and PyTorch fail.
import numpy as np
import tensorflow as tf
import keras


class RandomResizedCrop(keras.layers.Layer):
    def call(self, images):
        n = keras.ops.shape(images)[0]
        offsets = keras.random.uniform((n, 2), 0.0, 0.25)
        boxes = keras.ops.concatenate([offsets, offsets + 0.75], axis=1)
        return tf.image.crop_and_resize(images, boxes, keras.ops.arange(n), (16, 16))


model = keras.Sequential(
    [keras.Input((16, 16, 1)), keras.layers.Conv2D(2, 3, padding="same"), RandomResizedCrop(), keras.layers.Flatten(), keras.layers.Dense(1)]
)
model.compile(optimizer="adam", loss="mse")
images = np.random.rand(8, 16, 16, 1).astype("float32")
model.fit(images, np.zeros((8, 1), "float32"), epochs=1, verbose=0)
