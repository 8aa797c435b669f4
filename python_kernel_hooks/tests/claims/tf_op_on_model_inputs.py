# A TF op in the call of a layer that only ever gets the model's inputs (after a layer without
# weights): nothing reaching it requires grad, so PyTorch trains it; JAX traces it and fails.
import numpy as np, keras, tensorflow as tf
class Patches(keras.layers.Layer):
    def call(self, images):
        return tf.image.extract_patches(images, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID")
model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Rescaling(0.5), Patches(), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 4, 4, 1)), np.ones((4, 1)), verbose=0, epochs=1)
