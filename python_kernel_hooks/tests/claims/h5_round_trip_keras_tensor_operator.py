# An uncompiled functional model whose residual is an operator on KerasTensors (`x + inputs` in a
# block-building function, keras.io timeseries Transformer): Keras 3 writes the operation into the
# legacy .h5 config but load_model cannot call it again ("too many positional arguments"), on every
# backend; the .keras format loads it.
import os
import tempfile

import numpy as np
import keras
from keras import layers


def residual_block(inputs, units):
    x = layers.Dense(units)(inputs)
    x = layers.LayerNormalization()(x)
    return x + inputs


inputs = keras.Input((4, 8))
outputs = layers.Dense(1)(residual_block(inputs, 8))
model = keras.Model(inputs, outputs)
path = os.path.join(tempfile.mkdtemp(), "residual.h5")
model.save(path)
restored = keras.models.load_model(path)
print(restored.predict(np.ones((2, 4, 8), "float32"), verbose=0).shape)
