# TF ops in a model's own method that Keras never runs and no traced method calls (keras.io DDPM's
# generate_images/plot_images, run from a LambdaCallback and at the top level), and in the plain
# helper class and notebook function it calls: they run eagerly, on JAX's concrete arrays and on
# PyTorch tensors that need no grad (predict() runs under no_grad), so every backend runs them.
import numpy as np
import keras
import tensorflow as tf


class Schedule:
    def __init__(self, steps):
        self.scale = np.linspace(1.0, 0.1, steps).astype("float32")

    def step(self, x, t):
        return x * tf.gather(self.scale, t)


def to_pixels(x):
    return tf.clip_by_value(x * 127.5 + 127.5, 0.0, 255.0)


class Denoiser(keras.Model):
    def __init__(self, schedule):
        super().__init__()
        self.net = keras.layers.Dense(4)
        self.schedule = schedule

    def call(self, x):
        return self.net(x)

    def generate(self, n=2):
        samples = tf.random.normal((n, 4))
        for t in range(3):
            pred = self.predict(samples, verbose=0)
            samples = self.schedule.step(pred, t)
        return samples

    def plot(self, epoch=None, logs=None):
        images = tf.cast(to_pixels(self.generate()), tf.uint8)
        assert images.shape == (2, 4)


model = Denoiser(Schedule(3))
model.compile("adam", "mse")
model.fit(np.ones((8, 4)), np.ones((8, 4)), epochs=1, verbose=0,
          callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot)])
model.plot()
print("ok")
