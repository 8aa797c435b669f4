# A Keras model holding its parameters as tf.Variable attributes, trained with fit() (TensorFlow's
# basic-training-loops guide): Keras 3 tracks only its own variables, so the model has no trainable weights and
# fit() leaves them where they started, on every backend (Keras only warns). Keras 2 trained them.
import numpy as np
import tensorflow as tf
import keras


class Linear(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

    def call(self, x):
        return self.w * x + self.b


x = np.linspace(-2, 2, 201).astype("float32")
y = 3 * x + 2
model = Linear()
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
model.fit(x, y, epochs=5, batch_size=1000, verbose=0)
assert abs(float(keras.ops.convert_to_numpy(model.w)) - 5.0) > 0.5, "fit trained nothing"
