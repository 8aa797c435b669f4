# keras.io BERT's position embedding: a layer called on a constant while the Functional model is
# built is kept as a constant tensor. TF and JAX train (without its weights); PyTorch fails at the
# second step ("Trying to backward through the graph a second time").
import numpy as np, keras

inputs = keras.Input((6,), dtype="int32")
tokens = keras.layers.Embedding(20, 4)(inputs)
positions = keras.layers.Embedding(6, 4)(keras.ops.arange(0, 6))
x = keras.layers.GlobalAveragePooling1D()(tokens + positions)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile("sgd", "mse")
model.fit(np.ones((16, 6), "int32"), np.ones((16, 1), "float32"), batch_size=4, verbose=0)
