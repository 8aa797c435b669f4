# Layer-local training (keras.io Forward-Forward): a layer method takes its own tf.GradientTape gradient
# and applies it with its own optimizer, called from a model train_step with no tape. The tape fails on
# JAX and PyTorch (and fit() on JAX calls train_step(state, data)); TensorFlow runs it (KM234).
import numpy as np
import tensorflow as tf
import keras


class Local(keras.layers.Layer):
    def __init__(self, units, optimizer):
        super().__init__()
        self.dense = keras.layers.Dense(units)
        self.optimizer = optimizer
        self.loss_metric = keras.metrics.Mean()

    def call(self, x):
        return keras.ops.relu(self.dense(x))

    def train_locally(self, x):
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))
            self.loss_metric.update_state(loss)
        grads = tape.gradient(loss, self.dense.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))
        return keras.ops.stop_gradient(self.call(x)), self.loss_metric.result()


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [Local(4, keras.optimizers.SGD(0.1)), Local(4, keras.optimizers.SGD(0.1))]

    def train_step(self, data):
        x, y = data
        for block in self.blocks:
            x, loss = block.train_locally(x)
        return {"loss": loss}


model = Net()
model.compile(optimizer="sgd")
history = model.fit(np.ones((8, 3), "float32"), np.zeros((8,), "float32"), batch_size=4, epochs=2, verbose=0)
print(history.history["loss"])
