# A GAN generator's Dense(np.prod(img_shape)) and keras.io molecule generation's
# Dense(tf.math.reduce_prod(shape)): Keras 2 converted the size with int(); Keras 3's Dense checks
# isinstance(units, int) and raises "expected a positive integer" on every backend.
import numpy as np, keras

img_shape = (4, 4, 1)
generator = keras.Sequential([keras.Input((8,)), keras.layers.Dense(np.prod(img_shape), activation="tanh"), keras.layers.Reshape(img_shape)])
print(generator.predict(np.zeros((2, 8), "float32"), verbose=0).shape)
