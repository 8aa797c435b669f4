# tf.add_n(model.losses) after an eager call: PyTorch's regularization losses require grad and
# TensorFlow cannot convert them; TensorFlow and JAX run it (the TF "Overfit and underfit" tutorial).
import numpy as np
import keras
import tensorflow as tf

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, kernel_regularizer=keras.regularizers.l2(0.01))])
result = model(np.ones((3, 4), "float32"))
print(float(tf.add_n(model.losses)))
