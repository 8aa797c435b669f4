"""(Hand conversion to multi-backend Keras 3: the optimizer rewritten with the Keras 3 optimizer API,
build() creating the slots with add_variable_from_reference and update_step() with keras.ops and
self.assign; hyperparameters as plain attributes; the callback reads and sets
optimizer.learning_rate.)

A custom optimizer written the Keras 2 way (OptimizerV2, the API of AdaBelief / RAdam / gradient
accumulation implementations users copied around): a tf.keras.optimizers.legacy.Optimizer subclass
whose __init__ calls super().__init__(name, **kwargs) and _set_hyper (with the `lr` alias),
_create_slots with add_slot, _resource_apply_dense with _decayed_lr / _get_hyper / get_slot and
gradient centralization by tf.reduce_mean, a get_config with _serialize_hyperparameter; a callback
halving the learning rate with K.get_value / K.set_value on model.optimizer.lr, and the optimizer
rebuilt from its config."""
import numpy as np
import keras
from keras import layers, ops


class CentralizedMomentum(keras.optimizers.Optimizer):
    """SGD with momentum on centralized gradients."""

    def __init__(self, learning_rate=0.01, momentum=0.9, name="CentralizedMomentum", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = momentum

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.velocities = [self.add_variable_from_reference(var, "velocity") for var in var_list]

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        velocity = self.velocities[self._get_variable_index(variable)]
        if len(gradient.shape) > 1:
            gradient = gradient - ops.mean(gradient, axis=list(range(len(gradient.shape) - 1)), keepdims=True)
        self.assign(velocity, self.momentum * velocity - lr * gradient)
        self.assign_add(variable, velocity)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum})
        return config


class HalveLearningRate(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = float(ops.convert_to_numpy(self.model.optimizer.learning_rate))
        self.model.optimizer.learning_rate = lr * 0.5
        print(f"epoch {epoch}: lr {lr:.4f} -> {lr * 0.5:.4f}")


rng = np.random.default_rng(4)
x = rng.normal(size=(128, 8)).astype("float32")
y = (x[:, :4].sum(axis=1, keepdims=True) > 0).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
optimizer = CentralizedMomentum(learning_rate=0.05)
model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=16, epochs=3, callbacks=[HalveLearningRate()], verbose=0)
print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
assert history.history["loss"][-1] < history.history["loss"][0]

config = model.optimizer.get_config()
print("optimizer config:", config)
restored = CentralizedMomentum.from_config(config)
print("restored learning rate:", float(ops.convert_to_numpy(restored.learning_rate)))
