# An augmentation Sequential called in tf.data.Dataset.map(): TensorFlow runs it; on JAX and PyTorch a
# Sequential is a model, not a preprocessing layer, and fails on the symbolic tf.Tensor.
import numpy as np, keras
import tensorflow as tf

augment = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.Rescaling(1 / 255.0)])
x, y = np.ones((8, 6, 6, 3), "float32"), np.ones((8, 1), "float32")
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (augment(a, training=True), b))
model = keras.Sequential([keras.Input((6, 6, 3)), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(ds, verbose=0)
