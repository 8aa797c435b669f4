# Keras 3 to_categorical() returns float64 for NumPy input; tf.matmul with float32 weights refuses it
# on every backend.
import numpy as np, keras
import tensorflow as tf

labels = np.array([0, 1, 2, 1])
class_weights = tf.ones((3, 1))
y_onehot = keras.utils.to_categorical(labels, 3)
scores = tf.matmul(y_onehot, class_weights)
