# Keras 2 metric names given as strings that Keras 3 no longer resolves ("kld", a loss name that
# Keras 2 also took as a metric): "Could not interpret metric identifier: kld" on every backend,
# through tf.keras too, when fit() builds the metrics.
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy", "kld"])
model.fit(np.ones((8, 3), "float32"), np.full((8, 2), 0.5, "float32"), epochs=1, verbose=0)
