# A TF op in a layer's compute_mask: Keras 3 calls compute_mask on the KerasTensors of a functional
# model's construction (outside any tracing), so it fails there on every backend, TensorFlow included
# (the masking & padding guide's CustomEmbedding).
import numpy as np
import tensorflow as tf
import keras


class MaskedEmbedding(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(10, 4)

    def call(self, inputs):
        return self.embedding(inputs)

    def compute_mask(self, inputs, mask=None):
        return tf.not_equal(inputs, 0)


inputs = keras.Input((5,), dtype="int32")
outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(MaskedEmbedding()(inputs)))
model = keras.Model(inputs, outputs)
print(model.predict(np.ones((2, 5), "int32"), verbose=0).shape)
