# A loss on tf.image.ssim (keras.io monocular depth, denoising autoencoders): model code that
# JAX traces and PyTorch runs on tensors requiring grad. TensorFlow trains; JAX and PyTorch fail.
import numpy as np
import tensorflow as tf
import keras


def ssim_loss(y_true, y_pred):
    return 1.0 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, max_val=1.0))


model = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")])
model.compile(optimizer="adam", loss=ssim_loss)
images = np.random.rand(8, 16, 16, 1).astype("float32")
model.fit(images, images, epochs=1, verbose=0)
