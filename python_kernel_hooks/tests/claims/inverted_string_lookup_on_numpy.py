"""keras.io captcha OCR's decoding: an inverted StringLookup given NumPy ids outside tf.data. JAX has no
string arrays, so the layer fails converting its output there; TensorFlow returns a string tensor and
PyTorch a list. KM200 claims JAX only."""
import numpy as np
import tensorflow as tf
from keras import layers

num_to_char = layers.StringLookup(vocabulary=list("abc"), mask_token=None, invert=True)
decoded = np.array([[1, 2], [3, 1]])
texts = [tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8") for res in decoded]
assert texts == ["ab", "ca"], texts
