# keras.io "Training & evaluation with the built-in methods" (tf.keras era): a tf.keras backend function applied to
# a functional model's symbolic tensor (`model.add_metric(keras.backend.std(x1), ...)`). Keras 3's tf.keras keeps
# the legacy function, a TensorFlow op, which fails on a KerasTensor on every backend, TensorFlow too.
from tensorflow import keras

inputs = keras.Input(shape=(8,))
x1 = keras.layers.Dense(4)(inputs)
spread = keras.backend.std(x1)
model = keras.Model(inputs, x1)
