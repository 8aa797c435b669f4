# StringLookup(sparse=True) (TensorFlow's feature-columns migration guide): Keras 3 makes the sparse output
# on TensorFlow only; on JAX and PyTorch the layer is refused when made.
import numpy as np
import keras

lookup = keras.layers.StringLookup(vocabulary=["small", "medium", "large"], output_mode="one_hot", sparse=True)
print(lookup(np.array([["small"], ["large"]])).shape)
