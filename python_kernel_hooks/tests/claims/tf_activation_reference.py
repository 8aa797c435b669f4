# A TF function as a layer's activation meets the backend's tensors.
import numpy as np, keras, tensorflow as tf
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation=tf.nn.relu), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
