"""A denoiser with a custom train_step whose penalties are plain Python callable objects.

Written as a tf.keras (Keras 2) user did: the edge and smoothness penalties are classes with a
`__call__` doing TF ops (kernels held as `tf.constant`s), made in the model's `compile()` and
called on the model's tensors inside `train_step` / `test_step` under a `tf.GradientTape`, as
keras.io's Zero-DCE did with its spatial-consistency loss. Synthetic images, seconds on a CPU.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class GradientDifference:
    """Penalises the difference between the horizontal and vertical gradients of two images."""

    def __init__(self, weight=1.0):
        self.weight = weight
        self.dx = tf.constant([[[[-1.0]], [[1.0]]]], dtype=tf.float32)
        self.dy = tf.constant([[[[-1.0]]], [[[1.0]]]], dtype=tf.float32)

    def __call__(self, clean, restored):
        clean_gray = tf.reduce_mean(clean, axis=-1, keepdims=True)
        restored_gray = tf.reduce_mean(restored, axis=-1, keepdims=True)
        gx = tf.nn.conv2d(clean_gray, self.dx, strides=1, padding="SAME") - tf.nn.conv2d(
            restored_gray, self.dx, strides=1, padding="SAME"
        )
        gy = tf.nn.conv2d(clean_gray, self.dy, strides=1, padding="SAME") - tf.nn.conv2d(
            restored_gray, self.dy, strides=1, padding="SAME"
        )
        return self.weight * tf.reduce_mean(tf.abs(gx) + tf.abs(gy))


class Smoothness:
    """Mean absolute difference between neighbouring pixels."""

    def __call__(self, images):
        down = tf.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
        right = tf.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
        return tf.reduce_mean(down) + tf.reduce_mean(right)


def build_network():
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    residual = layers.Conv2D(3, 3, padding="same")(x)
    return keras.Model(inputs, layers.Add()([inputs, residual]))


class Denoiser(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.net = build_network()
        self.total_tracker = keras.metrics.Mean(name="total")
        self.edge_tracker = keras.metrics.Mean(name="edge")

    def compile(self, learning_rate, edge_weight=0.5, **kwargs):
        super().compile(**kwargs)
        self.optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        self.edge_penalty = GradientDifference(weight=edge_weight)
        self.smoothness = Smoothness()

    @property
    def metrics(self):
        return [self.total_tracker, self.edge_tracker]

    def call(self, noisy):
        return self.net(noisy)

    def train_step(self, data):
        noisy, clean = data
        with tf.GradientTape() as tape:
            restored = self.net(noisy, training=True)
            edge = self.edge_penalty(clean, restored)
            total = tf.reduce_mean(tf.square(clean - restored)) + edge + 0.01 * self.smoothness(restored)
        grads = tape.gradient(total, self.net.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.net.trainable_weights))
        self.total_tracker.update_state(total)
        self.edge_tracker.update_state(edge)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        noisy, clean = data
        restored = self.net(noisy, training=False)
        edge = self.edge_penalty(clean, restored)
        total = tf.reduce_mean(tf.square(clean - restored)) + edge + 0.01 * self.smoothness(restored)
        self.total_tracker.update_state(total)
        self.edge_tracker.update_state(edge)
        return {m.name: m.result() for m in self.metrics}


rng = np.random.default_rng(0)
clean = rng.uniform(0, 1, (64, 32, 32, 3)).astype("float32")
noisy = np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((noisy, clean)).batch(16)

model = Denoiser()
model.compile(learning_rate=1e-3)
history = model.fit(dataset.take(3), validation_data=dataset.skip(3), epochs=2, verbose=2)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
restored = model.predict(noisy[:4], verbose=0)
print("restored", restored.shape)
