# A model that takes strings (TextVectorization first): only TensorFlow has string tensors, so JAX and
# PyTorch fail on the tf.data strings; TensorFlow trains.
import numpy as np, keras
import tensorflow as tf

texts = ["a good movie", "a bad movie", "good good", "bad"]
vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vectorize.adapt(texts)
model = keras.Sequential([vectorize, keras.layers.Embedding(21, 4), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(tf.data.Dataset.from_tensor_slices((texts, np.ones((4, 1), "float32"))).batch(2), verbose=0)
