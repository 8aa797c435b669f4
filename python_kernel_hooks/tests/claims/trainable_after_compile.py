# The Keras 2 GAN recipe (Atienza's GANs, og48d repro_1): the discriminator is compiled, then frozen before the combined
# model is built and compiled. Keras 2 kept training it in its own train_on_batch; Keras 3 reads `trainable` at every
# step, so that training changes nothing, on every backend, without an error (KM306 warns and claims no backend).
# After `fix --unsafe` the discriminator trains in its own step and stays frozen in the combined one.
import numpy as np
import keras

inp = keras.Input((4,))
d = keras.Model(inp, keras.layers.Dense(1)(inp))
d.compile(loss="mse", optimizer="sgd")
d.trainable = False
z = keras.Input((4,))
adv = keras.Model(z, d(keras.layers.Dense(4)(z)))
adv.compile(loss="mse", optimizer="sgd")
before = d.get_weights()[0].copy()
d_loss = d.train_on_batch(np.ones((8, 4)), np.ones((8, 1)) * 5)
trained = not np.allclose(before, d.get_weights()[0])
frozen = d.get_weights()[0].copy()
a_loss = adv.train_on_batch(np.ones((8, 4)), np.ones((8, 1)))
print("discriminator trained by its own step:", trained, "kept by the combined step:", np.allclose(frozen, d.get_weights()[0]))
