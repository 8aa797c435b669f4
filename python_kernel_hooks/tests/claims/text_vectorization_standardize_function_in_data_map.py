# A TextVectorization with a Python `standardize` function, called in tf.data.Dataset.map(): Keras
# 3.15 hands the function NumPy strings on JAX and PyTorch, which a traced tf.data map cannot give
# ("Cannot convert a symbolic tf.Tensor to a numpy array"); TensorFlow runs it.
import re
import string

import keras
import tensorflow as tf


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    return tf.strings.regex_replace(lowercase, f"[{re.escape(string.punctuation)}]", "")


texts = ["A good film!", "A bad film.", "Good, good acting", "Bad plot"]
vectorize_layer = keras.layers.TextVectorization(
    max_tokens=20, output_mode="int", output_sequence_length=4, standardize=custom_standardization
)
vectorize_layer.adapt(texts)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


ds = tf.data.Dataset.from_tensor_slices((texts, [1, 0, 1, 0])).batch(2).map(vectorize_text)
for tokens, labels in ds:
    print(tokens.shape)
