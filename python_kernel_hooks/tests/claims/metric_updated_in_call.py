# A Keras metric held by a layer and updated in its call() (Keras 2's endpoint layer once add_metric
# becomes a tracker): TensorFlow and PyTorch train and log it; JAX runs call() statelessly without the
# metric's variables and fails.
import numpy as np, keras


class Endpoint(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy = keras.metrics.BinaryAccuracy(name="accuracy")

    def call(self, targets, logits):
        self.add_loss(self.loss_fn(targets, logits))
        self.accuracy.update_state(targets, logits)
        return keras.ops.sigmoid(logits)


inputs = keras.Input((3,))
targets = keras.Input((1,))
outputs = Endpoint()(targets, keras.layers.Dense(1)(inputs))
model = keras.Model([inputs, targets], outputs)
model.compile("adam")
history = model.fit([np.ones((8, 3), "float32"), np.ones((8, 1), "float32")], epochs=1, verbose=0)
assert "accuracy" in history.history, history.history
