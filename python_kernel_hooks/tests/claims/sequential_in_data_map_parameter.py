# keras.io PatchConvNet: a cell function returns a keras.Sequential of preprocessing layers, which the cell
# passes to the parameter of another function that calls it inside tf.data's map. JAX and PyTorch fail
# with "Cannot convert a symbolic tf.Tensor to a numpy array"; TensorFlow runs it.
import numpy as np
import tensorflow as tf
import keras
from keras import layers


def get_augmentation_model():
    model = keras.Sequential([layers.Rescaling(1 / 255.0), layers.RandomFlip("horizontal")], name="augment")
    return model


def prepare_data(images, labels, augmentation_model):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
    return dataset.map(lambda image, label: (augmentation_model(image), label))


train_ds = prepare_data(np.zeros((8, 4, 4, 3), "float32"), np.zeros((8,)), get_augmentation_model())
print(next(iter(train_ds))[0].shape)
