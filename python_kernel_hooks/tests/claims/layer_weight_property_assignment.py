# Setting predicted tensors as a built-in Dense layer's kernel (keras.io's hypernetwork, Keras 2):
# Keras 3 makes Dense.kernel a read-only property, "property 'kernel' of 'Dense' object has no
# setter" on every backend.
import keras
import numpy as np

main_network = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
for layer in main_network.layers:
    layer.built = True
main_network.layers[0].kernel = keras.ops.ones((3, 4))
main_network.layers[0].bias = keras.ops.zeros((4,))
main_network.layers[1].kernel = keras.ops.ones((4, 2))
main_network.layers[1].bias = keras.ops.zeros((2,))
print(main_network(np.ones((1, 3), "float32")))
