# Gradient ascent on an image variable (keras.io neural style transfer's shape): tf.GradientTape over
# a Keras model call, the gradient with respect to a keras.Variable image applied by an optimizer
# (no model's trainable variables). TensorFlow runs it; tape.gradient fails on JAX ("'ArrayImpl'
# object has no attribute '_id'") and on PyTorch ("Cannot convert ... to a TensorFlow DType").
import numpy as np
import keras
import tensorflow as tf

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
image = keras.Variable(np.ones((1, 4), "float32"))
optimizer = keras.optimizers.SGD(0.1)
with tf.GradientTape() as tape:
    out = model(image)
    loss = keras.ops.sum(keras.ops.square(out))
grads = tape.gradient(loss, image)
optimizer.apply_gradients([(grads, image)])
print(keras.ops.convert_to_numpy(image).shape, float(loss))
