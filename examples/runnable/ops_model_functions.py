"""TF ops in every kind of function a model uses: Lambda functions (named and inline, calling
helpers), a custom activation, regularizer, constraint and initializer given as plain functions,
and a loss and a metric whose parameters are not named y_true/y_pred. The tf.data pipeline
keeps its TF ops."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def squash(t):
    norm = tf.reduce_sum(tf.square(t), axis=-1, keepdims=True)
    return t * norm / (1.0 + norm) / tf.sqrt(norm + 1e-7)


def pool_features(t):
    return tf.concat([tf.reduce_max(t, axis=1), tf.reduce_mean(t, axis=1)], axis=-1)


def mish(x):
    return x * tf.tanh(tf.nn.softplus(x))


def small_l1(weights):
    return 1e-4 * tf.reduce_sum(tf.abs(weights))


def max_norm_one(weights):
    norms = tf.sqrt(tf.reduce_sum(tf.square(weights), axis=0, keepdims=True))
    return weights / tf.maximum(norms, 1.0)


def scaled_ones(shape, dtype=None):
    return tf.ones(shape, dtype=dtype) * 0.05


def log_cosh(labels, predictions):
    error = predictions - labels
    return tf.reduce_mean(error + tf.nn.softplus(-2.0 * error) - tf.math.log(2.0), axis=-1)


def worst_error(labels, predictions):
    return tf.reduce_max(tf.abs(labels - predictions), axis=-1)


def preprocess(features, target):
    return tf.cast(features, tf.float32) / 10.0, tf.reshape(target, [-1, 1])


inputs = keras.Input(shape=(5, 3))
x = layers.Dense(8, activation=mish, kernel_regularizer=small_l1, kernel_constraint=max_norm_one,
                 kernel_initializer=scaled_ones)(inputs)
x = layers.Lambda(pool_features)(x)
x = layers.Lambda(lambda t: squash(t) + tf.nn.relu(t))(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=log_cosh, metrics=[worst_error])

features = np.random.randint(0, 10, size=(64, 5, 3))
target = np.random.rand(64).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((features, target)).batch(16).map(preprocess)
model.fit(dataset, epochs=1, verbose=0)
print(model.evaluate(dataset, verbose=0))
