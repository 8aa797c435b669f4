# A model with a string input fed a dict of NumPy columns, one of them a unicode array made by
# indexing (Kaggle / keras.io structured data): Keras 3.15's data adapter refuses the unicode array
# ("Invalid dtype: str...") on TensorFlow too; JAX and PyTorch have no string tensors at all.
import numpy as np
import keras
import tensorflow as tf

colors = np.array(["red", "green", "blue"])
data = {"color": colors[np.random.randint(0, 3, 16)], "price": np.random.rand(16).astype("float32")}
inputs = {"color": keras.Input(shape=(), dtype=tf.string, name="color"), "price": keras.Input(shape=(), name="price")}
lookup = keras.layers.StringLookup(vocabulary=["red", "green", "blue"])
x = keras.layers.concatenate([keras.layers.Embedding(4, 2)(lookup(inputs["color"])), keras.layers.Reshape((1,))(inputs["price"])])
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile(optimizer="sgd", loss="mse")
model.fit(data, np.ones((16, 1), "float32"), verbose=0)
