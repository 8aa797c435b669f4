# float() of a Keras initializer's (1, 1) value and int() of a (1,) keras.ops value: JAX converts only
# arrays without dimensions ("Only scalar arrays can be converted to Python scalars"), TensorFlow's
# tensor goes through NumPy 2, which refuses the same; PyTorch converts a one-element tensor. KM292
# claims TensorFlow and JAX.
import keras

scale = float(keras.initializers.RandomNormal(stddev=0.02, seed=42)(shape=(1, 1)))
init = keras.initializers.Constant(3.0)
steps = int(keras.ops.ones((1,), dtype="int32"))
print(scale, steps, float(init(shape=(1,))))
