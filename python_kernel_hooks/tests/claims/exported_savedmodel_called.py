# keras.io serialization guide, once `model.save("my_model")` became `model.export("my_model")`:
# the folder read back with tf.saved_model.load is an inference artifact whose root has a `serve`
# endpoint and no __call__, so calling it fails on TensorFlow and JAX ("'_UserObject' object is
# not callable"); PyTorch cannot export at all (KM211).
import numpy as np
import tensorflow as tf
import keras

model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
model.export("my_model")
tensorflow_graph = tf.saved_model.load("my_model")
x = np.random.uniform(size=(4, 32)).astype(np.float32)
predicted = tensorflow_graph(x).numpy()
