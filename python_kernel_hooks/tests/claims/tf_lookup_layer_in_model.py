# TensorFlow pandas-dataframe tutorial: an IntegerLookup applied to an integer Input of a
# functional model. Keras 3 trains it on TensorFlow and PyTorch; fit() on JAX cannot compile the
# layer's TensorFlow lookup table ("Unable to automatically build the model").
import numpy as np
import keras

inp = keras.Input(shape=(1,), dtype="int64", name="ca")
x = keras.layers.IntegerLookup(vocabulary=[0, 1, 2, 3], output_mode="one_hot")(inp)
out = keras.layers.Dense(1)(x)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="mse")
model.fit(np.array([[0], [1], [2], [3], [1], [2]]), np.zeros(6), batch_size=2, epochs=1, verbose=0)
print(model.predict(np.array([[1], [3]]), verbose=0).shape)
