"""Hand conversion of ops_model_functions.py to multi-backend Keras 3 (the tf.data pipeline stays TF)."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops


def squash(t):
    norm = ops.sum(ops.square(t), axis=-1, keepdims=True)
    return t * norm / (1.0 + norm) / ops.sqrt(norm + 1e-7)


def pool_features(t):
    return ops.concatenate([ops.max(t, axis=1), ops.mean(t, axis=1)], axis=-1)


def mish(x):
    return x * ops.tanh(ops.softplus(x))


def small_l1(weights):
    return 1e-4 * ops.sum(ops.absolute(weights))


def max_norm_one(weights):
    norms = ops.sqrt(ops.sum(ops.square(weights), axis=0, keepdims=True))
    return weights / ops.maximum(norms, 1.0)


def scaled_ones(shape, dtype=None):
    return ops.ones(shape, dtype=dtype) * 0.05


def log_cosh(labels, predictions):
    error = predictions - labels
    return ops.mean(error + ops.softplus(-2.0 * error) - ops.log(2.0), axis=-1)


def worst_error(labels, predictions):
    return ops.max(ops.absolute(labels - predictions), axis=-1)


def preprocess(features, target):
    return tf.cast(features, tf.float32) / 10.0, tf.reshape(target, [-1, 1])


inputs = keras.Input(shape=(5, 3))
x = layers.Dense(8, activation=mish, kernel_regularizer=small_l1, kernel_constraint=max_norm_one,
                 kernel_initializer=scaled_ones)(inputs)
x = layers.Lambda(pool_features)(x)
x = layers.Lambda(lambda t: squash(t) + ops.relu(t))(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=log_cosh, metrics=[worst_error])

features = np.random.randint(0, 10, size=(64, 5, 3))
target = np.random.rand(64).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((features, target)).batch(16).map(preprocess)
model.fit(dataset, epochs=1, verbose=0)
print(model.evaluate(dataset, verbose=0))
