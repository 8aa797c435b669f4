# tf.train.Checkpoint of a Keras model and its optimizer: on JAX and PyTorch, "`Checkpoint` was
# expecting model to be a trackable object"; TensorFlow saves it.
import os
import keras
import numpy as np
import tensorflow as tf

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam()
model.compile(optimizer=optimizer, loss="mse")
model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)
checkpoint.save(os.path.join("checkpoints", "ckpt"))
