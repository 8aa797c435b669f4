"""Regression from a keras.utils.Sequence of NumPy batches (Keras 2 style).

The Sequence fills its batches with np.zeros / np.empty (float64, which Keras 2's fit() cast to
float32), a layer pools a Python list of branch outputs with TensorFlow ops (TF packs the list), and
a custom train_step computes its loss from the targets and predictions with Python operators.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class NoisyBlocks(keras.utils.Sequence):
    def __init__(self, n_batches=4, batch=16, seed=1):
        self.n_batches = n_batches
        self.batch = batch
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        return self.n_batches

    def __getitem__(self, idx):
        feats = np.zeros((self.batch, 6))
        target = np.empty((self.batch, 1))
        for k in range(self.batch):
            feats[k] = self.rng.normal(size=6)
            target[k] = 0.5 * feats[k].sum()
        return feats, target


class BranchPool(keras.layers.Layer):
    def __init__(self, width, branches=3, **kwargs):
        super().__init__(**kwargs)
        self.heads = [keras.layers.Dense(width, activation="relu") for _ in range(branches)]

    def call(self, x):
        outs = [head(x) for head in self.heads]
        gates = tf.nn.softmax(outs, axis=0)
        return tf.reduce_max(outs, axis=0) + tf.reduce_mean(gates, axis=0)


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.pool = BranchPool(8)
        self.head = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="loss")

    def call(self, x):
        return self.head(self.pool(x))

    @property
    def metrics(self):
        return [self.tracker]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            pred = self(x, training=True)
            err = y - pred
            loss = tf.reduce_mean(err * err) + 0.1 * tf.reduce_mean(tf.abs(err))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}


model = Regressor()
model.compile(optimizer=keras.optimizers.Adam(0.01))
history = model.fit(NoisyBlocks(), epochs=2, verbose=2)
print("final loss", history.history["loss"][-1])
print(model.predict(NoisyBlocks(n_batches=1)[0][0], verbose=0).shape)
