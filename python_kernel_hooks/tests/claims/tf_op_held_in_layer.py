# A TF op held in a dict (keras.io traffic forecasting's aggregation table) and called in a layer on
# the model input: JAX traces it and fails; TensorFlow runs it, and PyTorch too (the input requires
# no grad, so TF converts it, and the keras.ops call after it takes the TF result).
import numpy as np, keras
import tensorflow as tf


class FeaturePool(keras.layers.Layer):
    def __init__(self, segment_ids, num_segments, kind="sum", **kwargs):
        super().__init__(**kwargs)
        self.segment_ids, self.num_segments, self.kind = segment_ids, num_segments, kind

    def call(self, x):
        pool = {"sum": tf.math.unsorted_segment_sum, "max": tf.math.unsorted_segment_max}.get(self.kind)
        pooled = pool(keras.ops.transpose(x), self.segment_ids, num_segments=self.num_segments)
        return keras.ops.transpose(pooled)


inputs = keras.Input(shape=(4,))
pooled = FeaturePool([0, 1, 1, 2], 3)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(pooled))
model.compile("sgd", "mse")
model.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), verbose=0)
