# A TF op on an eager model output: TensorFlow converts a JAX array, not a PyTorch tensor that requires grad.
import numpy as np, keras, tensorflow as tf
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
probs = model(np.ones((2, 4)))
print(tf.argmax(probs, axis=-1).numpy())
