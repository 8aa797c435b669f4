# A layer of the notebook called on a Python number, as Keras 2 allowed (it converted the number to a
# tensor). Keras 3 raises "Only input tensors may be passed as positional arguments" on every backend.
import keras


class Twice(keras.layers.Layer):
    def call(self, x):
        return 2 * x


twice = Twice()
print(keras.ops.convert_to_numpy(twice(1.0)))
