# A TensorFlow tensor given to predict_on_batch(): Keras 3 on JAX passes it to the jitted step
# unconverted ("Error interpreting argument ... as an abstract array"); TensorFlow and PyTorch run it.
import keras
import numpy as np
import tensorflow as tf

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
sample = np.ones((3,), "float32")
print(model.predict_on_batch(tf.expand_dims(sample, 0)))
