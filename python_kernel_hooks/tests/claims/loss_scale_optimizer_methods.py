# Keras 2's LossScaleOptimizer.get_scaled_loss(): Keras 3's LossScaleOptimizer has no such method,
# "'LossScaleOptimizer' object has no attribute 'get_scaled_loss'" on every backend.
import keras
import numpy as np

optimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD())
loss = keras.ops.convert_to_tensor(np.float32(2.0))
scaled_loss = optimizer.get_scaled_loss(loss)
print(keras.ops.convert_to_numpy(scaled_loss))
