# Keras 3's to_categorical takes no dtype: TypeError on every backend.
import numpy as np, keras

y = keras.utils.to_categorical(np.array([0, 1, 2]), num_classes=3, dtype="float32")
print(y.dtype)
