# keras.io Grad-CAM: tf.GradientTape over a Keras model call, gradient of a class score with respect
# to an intermediate layer output. TensorFlow runs it; tape.gradient fails on JAX ("'ArrayImpl'
# object has no attribute '_id'") and on PyTorch ("Cannot convert ... to a TensorFlow DType").
import numpy as np
import keras
import tensorflow as tf

inputs = keras.Input((8, 8, 3))
conv = keras.layers.Conv2D(4, 3, name="conv")(inputs)
preds = keras.layers.Dense(2)(keras.layers.Flatten()(conv))
grad_model = keras.Model(inputs, [conv, preds])
img = np.random.rand(1, 8, 8, 3).astype("float32")
with tf.GradientTape() as tape:
    conv_out, out = grad_model(img)
    score = out[:, 0]
grads = tape.gradient(score, conv_out)
pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))
print(pooled_grads.shape)
