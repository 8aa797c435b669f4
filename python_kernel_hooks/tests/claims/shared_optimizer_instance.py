# One optimizer instance compiled into a GAN's discriminator and its combined model (Keras 2 code for
# TensorFlow <= 2.10): Keras 3 raises "Unknown variable ... This optimizer can only be called for the
# variables it was originally built with" on every backend when the second model trains.
import numpy as np
import keras

optimizer = keras.optimizers.Adam(0.0002, 0.5)
discriminator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
discriminator.compile(loss="binary_crossentropy", optimizer=optimizer)
generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])
z = keras.Input((2,))
discriminator.trainable = False
combined = keras.Model(z, discriminator(generator(z)))
combined.compile(loss="binary_crossentropy", optimizer=optimizer)
discriminator.trainable = True
print(discriminator.train_on_batch(np.zeros((8, 4)), np.ones((8, 1))))
print(combined.train_on_batch(np.zeros((8, 2)), np.ones((8, 1))))
