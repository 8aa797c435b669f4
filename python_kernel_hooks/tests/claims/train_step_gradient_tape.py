# A Keras 2 train_step: GradientTape, compiled_loss, apply_gradients, compiled_metrics. TensorFlow
# runs it (the compiled_* shims exist there); JAX calls train_step(state, data), PyTorch has no
# compiled_loss.
import numpy as np, keras, tensorflow as tf


class M(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


inputs = keras.Input((3,))
model = M(inputs, keras.layers.Dense(1)(inputs))
model.compile("sgd", "mse", metrics=["mae"])
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0, epochs=1)
