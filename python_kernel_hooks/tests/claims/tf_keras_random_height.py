# keras.io-style augmentation with tf.keras.layers.RandomHeight: Keras 3 keeps the layer only in
# tf.keras, as a TensorFlow layer; TensorFlow trains, JAX fails inside its call, and PyTorch
# runs it here, first in the model, where its input needs no gradient.
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.Input((8, 8, 3)),
    tf.keras.layers.RandomHeight(0.2),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((4, 8, 8, 3), "float32"), np.ones((4, 1)), epochs=1, verbose=0)
