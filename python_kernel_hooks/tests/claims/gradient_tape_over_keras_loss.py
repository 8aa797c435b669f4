# A tf.GradientTape over tf.Variable curve parameters whose cost is a Keras loss object (keras.io
# sample-size estimate's learning-curve fit): on JAX and PyTorch the loss converts its inputs to the
# backend's arrays, out of the tape, and tape.gradient fails; TensorFlow runs it.
import tensorflow as tf
import keras

sizes = tf.constant([165.0, 330.0, 825.0, 1651.0])
mean_acc = tf.constant([0.81, 0.87, 0.9, 0.91])
mse = keras.losses.MeanSquaredError()
a = tf.Variable(0.5)
b = tf.Variable(0.01)
for step in range(20):
    with tf.GradientTape() as tape:
        cost = mse(mean_acc, a * sizes**b)
    grads = tape.gradient(cost, [a, b])
    a.assign_sub(grads[0] * 0.01)
    b.assign_sub(grads[1] * 0.01)
print("a, b:", a.numpy(), b.numpy())
