# keras.io AdaMatch-style `metrics` property adding `self.compiled_metrics.metrics`: TensorFlow's
# Keras 3 shim (DeprecatedCompiledMetric) has update_state() only ("AttributeError:
# 'DeprecatedCompiledMetric' object has no attribute 'metrics'"), and JAX and PyTorch models have no
# compiled_metrics: it fails on every backend (KM236).
import numpy as np
import keras


class Wrapper(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)
        self.extra_tracker = keras.metrics.Mean(name="extra")

    def call(self, inputs):
        return self.dense(inputs)

    @property
    def metrics(self):
        return [self.extra_tracker] + self.compiled_metrics.metrics


model = Wrapper()
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), verbose=0)
