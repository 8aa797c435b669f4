# A model built under a tf.distribute strategy scope, trained, then compiled again outside the
# scope with a new optimizer that keeps per-variable state (Adam; fine-tuning after unfreezing): Keras 2's compile() entered the model's
# strategy scope itself; Keras 3's TensorFlow backend does not, and the next fit() fails with
# "Mixing different tf.distribute.Strategy objects". JAX and PyTorch ignore the TensorFlow strategy.
import numpy as np
import tensorflow as tf
from tensorflow import keras

strategy = tf.distribute.MirroredStrategy()
with strategy.scope():
    regressor = keras.Sequential([keras.Input((5,)), keras.layers.Dense(6, activation="relu"), keras.layers.Dense(1)])
    regressor.compile(optimizer="rmsprop", loss="mae")

features = np.linspace(0.0, 1.0, 40, dtype="float32").reshape(8, 5)
targets = features.sum(axis=1, keepdims=True)
batches = tf.data.Dataset.from_tensor_slices((features, targets)).batch(4)
regressor.fit(batches, epochs=1, verbose=0)
regressor.layers[0].trainable = False
regressor.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-4), loss="mae")
regressor.fit(batches, epochs=1, verbose=0)
print("fine-tuned")
