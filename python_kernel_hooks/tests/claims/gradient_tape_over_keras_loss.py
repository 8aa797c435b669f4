# keras.io learning-curve fit (sample-size estimation): two scalar tf.Variables fitted by a
# GradientTape whose cost is a Keras loss object. TensorFlow runs it; on JAX and PyTorch the loss
# computes with JAX arrays / torch tensors the tape does not record, and tape.gradient fails.
import numpy as np
import tensorflow as tf
import keras

mse = keras.losses.MeanSquaredError()
a = tf.Variable(0.6)
b = tf.Variable(0.05)
x = np.array([165.0, 330.0, 825.0, 1651.0], dtype="float32")
y = np.array([0.81, 0.87, 0.90, 0.91], dtype="float32")
for epoch in range(20):
    with tf.GradientTape() as tape:
        cost = mse(a * x ** b, y)
    gradients = tape.gradient(cost, [a, b])
    a.assign_sub(gradients[0] * 0.01)
    b.assign_sub(gradients[1] * 0.01)
print(float(a.numpy()), float(b.numpy()))
