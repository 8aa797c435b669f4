# TensorFlow time-series tutorial: a compiled metric's value looked up by its position in
# metrics_names. Keras 3 groups the compiled metrics (['loss', 'compile_metrics']), so the
# lookup fails on every backend ("'mean_absolute_error' is not in list").
import numpy as np
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(loss="mse", metrics=[keras.metrics.MeanAbsoluteError()])
results = model.evaluate(np.zeros((4, 3), "float32"), np.zeros((4, 1), "float32"), verbose=0)
metric_index = model.metrics_names.index("mean_absolute_error")
print(results[metric_index])
