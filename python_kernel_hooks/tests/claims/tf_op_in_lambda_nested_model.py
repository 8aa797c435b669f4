# A TF op in a Lambda right after a model's Input, but that model is a layer of another model (a GAN's
# discriminator behind its generator): in training on PyTorch its inputs then require grad, and the
# op fails there; JAX traces it; TensorFlow runs it.
import numpy as np, keras, tensorflow as tf

generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])
discriminator = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda t: tf.math.square(t)), keras.layers.Dense(1)])
discriminator.trainable = False
gan = keras.Sequential([generator, discriminator])
gan.compile("sgd", "mse")
gan.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), verbose=0)
