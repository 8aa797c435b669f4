# `tf.cast(n, x.dtype)` in a layer's call(), of a model used only by predict: on PyTorch `x.dtype` is a
# torch.dtype, which TensorFlow cannot convert ("Cannot convert the argument `type_value`: torch.float32 to a
# TensorFlow DType"), grad or not; JAX traces the call and the TF tensor meets a tracer. TensorFlow runs it
# (KM131 claims JAX and PyTorch; without the dtype argument PyTorch would run predict).
import numpy as np
import tensorflow as tf
import keras


class ScaleByWidth(keras.layers.Layer):
    def call(self, x):
        width = keras.ops.shape(x)[-1]
        return x * tf.cast(width, x.dtype)


model = keras.Sequential([keras.Input(shape=(3,)), ScaleByWidth()])
model.predict(np.random.rand(4, 3).astype("float32"), verbose=0)
