# tf.py_function in a tf.data map returns a tensor of unknown shape: Keras 3 fit() on TensorFlow
# fails ("as_list() is not defined on an unknown TensorShape"); JAX and PyTorch take the batches as NumPy.
import numpy as np
import tensorflow as tf
import keras


def augment(images):
    return images.numpy()[:, ::-1]


ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4, 4, 3), "float32"), np.ones((8, 1), "float32"))).batch(4)
ds = ds.map(lambda x, y: (tf.py_function(augment, [x], [tf.float32])[0], y))
model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(ds, epochs=1, verbose=0)
