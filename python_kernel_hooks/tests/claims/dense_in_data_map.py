# A Dense layer called in tf.data.Dataset.map(): TensorFlow runs it; on JAX and PyTorch it fails
# ("Cannot convert a symbolic tf.Tensor to a numpy array").
import numpy as np, keras, tensorflow as tf

embed = keras.layers.Dense(2)
ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 3), "float32")).batch(4).map(lambda a: embed(a))
for batch in ds:
    print(batch.shape)
