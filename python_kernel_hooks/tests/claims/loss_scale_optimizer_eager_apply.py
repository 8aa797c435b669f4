# A LossScaleOptimizer applied by the code itself (a custom loop's step): Keras 3.15 updates the
# dynamic loss scale under ops.cond, which raises UnexpectedTracerError when run eagerly on JAX;
# TensorFlow and PyTorch apply it.
import keras
import numpy as np

variable = keras.Variable(np.ones((3,), "float32"))
optimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())
for _ in range(2):
    optimizer.apply_gradients([(keras.ops.ones((3,)), variable)])
print(keras.ops.convert_to_numpy(variable))
