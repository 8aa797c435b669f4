# tf.random noise in a Lambda layer behind a Dense: JAX traces the layer, and on PyTorch the TF value
# meets a tensor that requires grad in training; TensorFlow runs it.
import numpy as np, keras, tensorflow as tf

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2),
                          keras.layers.Lambda(lambda t: t + tf.random.normal((2,), stddev=0.1)),
                          keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
