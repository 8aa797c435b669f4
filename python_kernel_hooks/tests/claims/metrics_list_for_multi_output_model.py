# keras.io BASNet-style side outputs: a Functional model whose outputs list is grown by append, compiled
# with one metric for its two outputs. Keras 2 applied the metric to every output; Keras 3 fails in fit()
# on TensorFlow ("Invalid `metrics`"), JAX ("tuple arity mismatch") and PyTorch ("Node arity mismatch").
import numpy as np
import keras
from keras import layers

inputs = keras.Input((4,))
outputs = [layers.Dense(1)(inputs)]
outputs.append(layers.Dense(1)(inputs))
outputs = [layers.Activation("sigmoid")(o) for o in outputs]
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=["mse", "mse"], metrics=[keras.metrics.MeanAbsoluteError(name="mae")])
x = np.ones((8, 4), "float32")
y = np.ones((8, 1), "float32")
model.fit(x, [y, y], epochs=1, verbose=0)
print("ok")
