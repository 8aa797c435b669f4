"""A triplet model whose train_step unpacks (anchor, positive, negative) and runs an embedding sub-model on each."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class TripletModel(keras.Model):
    def __init__(self, embedding):
        super().__init__()
        self.embedding = embedding
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def train_step(self, data):
        anchor, positive, negative = data
        with tf.GradientTape() as tape:
            a = self.embedding(anchor, training=True)
            p = self.embedding(positive, training=True)
            n = self.embedding(negative, training=True)
            ap = tf.reduce_sum(tf.square(a - p), -1)
            an = tf.reduce_sum(tf.square(a - n), -1)
            loss = tf.maximum(ap - an + 4.0, 0.0)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]


rng = np.random.default_rng(0)
centers = rng.normal(size=(4, 8)).astype("float32")
ids = rng.integers(0, 4, size=64)
other = (ids + 1) % 4
noise = lambda: 0.1 * rng.normal(size=(64, 8)).astype("float32")
ds = tf.data.Dataset.from_tensor_slices((centers[ids] + noise(), centers[ids] + noise(), centers[other] + noise())).batch(16)
embedding = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4)])
model = TripletModel(embedding)
model.compile(optimizer=keras.optimizers.Adam(1e-2))
history = model.fit(ds, epochs=3, verbose=0)
print("loss:", [round(float(v), 4) for v in history.history["loss"]])
