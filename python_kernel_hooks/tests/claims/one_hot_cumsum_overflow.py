# Positions counted with cumsum one-hot encoded with a capacity as depth (mixture-of-experts
# dispatch): positions past the capacity give zero rows on TensorFlow and JAX, an error on PyTorch.
import numpy as np, keras


def dispatch(mask, capacity):
    position = keras.ops.cast(keras.ops.cumsum(mask, axis=0) * mask, "int32")
    return keras.ops.one_hot(position, capacity)


mask = keras.ops.convert_to_tensor(np.ones((6,), "float32"))
print(keras.ops.sum(dispatch(mask, 4)))
