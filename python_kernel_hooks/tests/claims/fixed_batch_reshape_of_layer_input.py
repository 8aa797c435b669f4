"""A layer that folds its whole batch into one row block with keras.ops.reshape(x, [ROWS, FEATURES]),
ROWS a module constant (the batch size times the steps per sample), and unfolds it again from the
input's own shape: it assumes one batch size. Called on KerasTensors of unknown batch size in a
functional model, with no compute_output_shape(). PyTorch: Keras infers the layer's output by
running call() on stand-in batches of 83 and 89 samples, where the fixed reshape fails. TensorFlow
and JAX run it. KM360 claims PyTorch."""
import numpy as np
import keras

BATCH = 4
STEPS = 3
FEATURES = 2
ROWS = BATCH * STEPS


class FoldedDense(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(FEATURES)

    def call(self, x):
        n, t = keras.ops.shape(x)[0], keras.ops.shape(x)[1]
        rows = keras.ops.reshape(x, [ROWS, FEATURES])
        return keras.ops.reshape(self.dense(rows), [n, t, FEATURES])


inputs = keras.Input((STEPS, FEATURES))
outputs = keras.layers.Dense(1)(keras.layers.Flatten()(FoldedDense()(inputs)))
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((8, STEPS, FEATURES), "float32"), np.ones((8, 1), "float32"), batch_size=BATCH, epochs=1, verbose=0)
