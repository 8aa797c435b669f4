# A HashedCrossing layer made and called on three KerasTensors while building a functional model:
# Keras 2 crossed any number of inputs, Keras 3 exactly two ("Expected as input a list/tuple of 2
# tensors"), so building the model fails on TensorFlow, JAX and PyTorch; tf_keras 2.21 builds it.
import numpy as np
import keras

x = keras.Input((1,), dtype="int64")
y = keras.Input((1,), dtype="int64")
z = keras.Input((1,), dtype="int64")
crossed = keras.layers.HashedCrossing(num_bins=8, output_mode="one_hot")([x, y, z])
model = keras.Model([x, y, z], keras.layers.Dense(1)(crossed))
print(model.predict([np.ones((2, 1), "int64")] * 3, verbose=0).shape)
