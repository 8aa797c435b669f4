"""KM302 (sequence-float64-batches) claims TensorFlow here: a keras.utils.Sequence returns float64 targets
(np.empty without a dtype) to a model whose train_step mixes them with its float32 predictions by a
Python operator inside a TF op (keras.io's monocular depth estimation, in small). Keras 2's fit() cast
the batches to float32 and trained; Keras 3 passes the targets on as float64 and TensorFlow refuses to
subtract a float32 tensor from a float64 one. (The tf.GradientTape step itself fails on JAX and
PyTorch: KM141's claim.)"""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Batches(keras.utils.Sequence):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        x = np.empty((4, 8), dtype="float32")
        y = np.empty((4, 1))
        x[:] = np.random.rand(4, 8)
        y[:] = np.random.rand(4, 1)
        return x, y


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            pred = self(x, training=True)
            loss = tf.reduce_mean(tf.abs(y - pred))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}


model = Regressor()
model.compile(optimizer="adam")
model.fit(Batches(), epochs=1, verbose=0)
