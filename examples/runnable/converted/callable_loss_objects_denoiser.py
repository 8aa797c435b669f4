"""Hand conversion of callable_loss_objects_denoiser.py to Keras 3 (TensorFlow, JAX, PyTorch).

The penalty objects use keras.ops (their kernels are NumPy arrays); the tape step becomes a
compute_loss() override, so fit() runs the backend's own step. The edge metric is updated there
(every backend runs compute_loss with the metrics' state).
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops


class GradientDifference:
    """Penalises the difference between the horizontal and vertical gradients of two images."""

    def __init__(self, weight=1.0):
        self.weight = weight
        self.dx = np.array([[[[-1.0]], [[1.0]]]], dtype="float32")
        self.dy = np.array([[[[-1.0]]], [[[1.0]]]], dtype="float32")

    def __call__(self, clean, restored):
        clean_gray = ops.mean(clean, axis=-1, keepdims=True)
        restored_gray = ops.mean(restored, axis=-1, keepdims=True)
        gx = ops.conv(clean_gray, self.dx, padding="same") - ops.conv(restored_gray, self.dx, padding="same")
        gy = ops.conv(clean_gray, self.dy, padding="same") - ops.conv(restored_gray, self.dy, padding="same")
        return self.weight * ops.mean(ops.abs(gx) + ops.abs(gy))


class Smoothness:
    """Mean absolute difference between neighbouring pixels."""

    def __call__(self, images):
        down = ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
        right = ops.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
        return ops.mean(down) + ops.mean(right)


def build_network():
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    residual = layers.Conv2D(3, 3, padding="same")(x)
    return keras.Model(inputs, layers.Add()([inputs, residual]))


class Denoiser(keras.Model):
    def __init__(self, edge_weight=0.5, **kwargs):
        super().__init__(**kwargs)
        self.net = build_network()
        self.edge_tracker = keras.metrics.Mean(name="edge")
        self.edge_penalty = GradientDifference(weight=edge_weight)
        self.smoothness = Smoothness()

    def call(self, noisy):
        return self.net(noisy)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        edge = self.edge_penalty(y, y_pred)
        self.edge_tracker.update_state(edge)
        return ops.mean(ops.square(y - y_pred)) + edge + 0.01 * self.smoothness(y_pred)


rng = np.random.default_rng(0)
clean = rng.uniform(0, 1, (64, 32, 32, 3)).astype("float32")
noisy = np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((noisy, clean)).batch(16)

model = Denoiser()
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
history = model.fit(dataset.take(3), validation_data=dataset.skip(3), epochs=2, verbose=2)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
restored = model.predict(noisy[:4], verbose=0)
print("restored", restored.shape)
