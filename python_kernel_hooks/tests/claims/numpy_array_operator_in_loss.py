# A NumPy array of per-output weights on the left of an operator in a loss function: PyTorch raises
# "unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'" (NumPy gives up on the tensor);
# TensorFlow and JAX convert the array.
import numpy as np
import keras

OUTPUT_WEIGHTS = np.array([1.0, 2.0])


def weighted_mse(y_true, y_pred):
    return keras.ops.mean(OUTPUT_WEIGHTS * keras.ops.square(y_true - y_pred))


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
model.compile("adam", loss=weighted_mse)
model.fit(np.ones((8, 4), "float32"), np.ones((8, 2), "float32"), epochs=1, verbose=0)
print("ok")
