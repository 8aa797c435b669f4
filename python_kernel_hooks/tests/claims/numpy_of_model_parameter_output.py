# A notebook function that takes the model as a parameter and hands its output to NumPy (the
# TensorFlow DCGAN tutorial's generate_and_save_images): on PyTorch the output requires grad and
# np.min fails; TensorFlow and JAX convert it.
import numpy as np
import keras


def describe(model, noise):
    images = model(noise, training=False)
    return float(np.min(images)), float(np.max(images))


def summarize(net, batch):
    return np.mean(net(batch))


generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
noise = np.random.rand(2, 4).astype("float32")
print(describe(generator, noise), summarize(generator, noise))
