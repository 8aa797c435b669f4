# Loose tf.Variables trained with a TF tape and a Keras optimizer (aymericdamien's logistic regression):
# Keras 3's optimizer updates them on TensorFlow and JAX, but fails on PyTorch.
import numpy as np
import tensorflow as tf
import keras

W = tf.Variable(tf.random.normal([4, 3]), name="weight")
b = tf.Variable(tf.zeros([3]), name="bias")
optimizer = keras.optimizers.Adam(0.01)
x = np.random.rand(8, 4).astype("float32")
with tf.GradientTape() as g:
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b))
gradients = g.gradient(loss, [W, b])
optimizer.apply_gradients(zip(gradients, [W, b]))
print("DONE", float(loss))
