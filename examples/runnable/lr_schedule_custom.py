"""The Transformer learning-rate schedule as a LearningRateSchedule subclass, and a warmup callback."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class CustomSchedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, d_model, warmup_steps=4000):
        super(CustomSchedule, self).__init__()
        self.d_model = tf.cast(d_model, tf.float32)
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        arg1 = tf.math.rsqrt(step)
        arg2 = step * (self.warmup_steps ** -1.5)
        return tf.math.rsqrt(self.d_model) * tf.math.minimum(arg1, arg2)

    def get_config(self):
        return {"d_model": 16, "warmup_steps": self.warmup_steps}


learning_rate = CustomSchedule(16, warmup_steps=10)
optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.9, beta_2=0.98, epsilon=1e-9)
decay = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=10, decay_rate=0.9, staircase=True)

model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)), keras.layers.Dense(1)])
model.compile(optimizer=optimizer, loss="mse")
model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=2, batch_size=16, verbose=0)
print(float(learning_rate(tf.constant(5))))

model.compile(optimizer=keras.optimizers.SGD(learning_rate=decay), loss="mse")
model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=1, batch_size=16, verbose=0)
print("ok")
