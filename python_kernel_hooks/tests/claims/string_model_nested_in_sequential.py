# A string-taking Sequential nested first in a Sequential without an Input (TensorFlow's warm-start embedding
# tutorial). JAX and PyTorch fail on the strings ("Invalid dtype: object"); TensorFlow too: Keras 3 builds the
# outer Sequential in its first layer's dtype, a nested model's float32, and casts the strings
# ("Cast string to float is not supported"). Keras 2 ran it.
import tensorflow as tf
import keras
from keras import layers

vec = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vec.adapt(["a b c", "b c d", "the end"])
text_input = keras.Sequential([vec, layers.Embedding(20, 4)], name="text_input")
head = keras.Sequential([layers.GlobalAveragePooling1D(), layers.Dense(1)], name="head")
model = keras.Sequential([text_input, head])
model.compile(optimizer="adam", loss="mse")
ds = tf.data.Dataset.from_tensor_slices((["a b", "c d", "the b", "d a"], [0.0, 1.0, 0.0, 1.0])).batch(2)
model.fit(ds, epochs=1, verbose=0)
