"""A custom optimizer written the Keras 2 way (OptimizerV2, the API of AdaBelief / RAdam / gradient
accumulation implementations users copied around): a tf.keras.optimizers.legacy.Optimizer subclass
whose __init__ calls super().__init__(name, **kwargs) and _set_hyper (with the `lr` alias),
_create_slots with add_slot, _resource_apply_dense with _decayed_lr / _get_hyper / get_slot and
gradient centralization by tf.reduce_mean, a get_config with _serialize_hyperparameter; a callback
halving the learning rate with K.get_value / K.set_value on model.optimizer.lr, and the optimizer
rebuilt from its config."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers


class CentralizedMomentum(keras.optimizers.legacy.Optimizer):
    """SGD with momentum on centralized gradients."""

    def __init__(self, learning_rate=0.01, momentum=0.9, name="CentralizedMomentum", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("momentum", momentum)

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "velocity")

    def _resource_apply_dense(self, grad, var, apply_state=None):
        var_dtype = var.dtype.base_dtype
        lr_t = self._decayed_lr(var_dtype)
        momentum = self._get_hyper("momentum", var_dtype)
        velocity = self.get_slot(var, "velocity")
        if len(grad.shape) > 1:
            grad = grad - tf.reduce_mean(grad, axis=list(range(len(grad.shape) - 1)), keepdims=True)
        velocity_t = velocity.assign(momentum * velocity - lr_t * grad)
        return var.assign_add(velocity_t)

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        raise NotImplementedError("sparse gradients are not supported")

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate": self._serialize_hyperparameter("learning_rate"),
                "decay": self._initial_decay,
                "momentum": self._serialize_hyperparameter("momentum"),
            }
        )
        return config


class HalveLearningRate(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = float(K.get_value(self.model.optimizer.lr))
        K.set_value(self.model.optimizer.lr, lr * 0.5)
        print(f"epoch {epoch}: lr {lr:.4f} -> {lr * 0.5:.4f}")


rng = np.random.default_rng(4)
x = rng.normal(size=(128, 8)).astype("float32")
y = (x[:, :4].sum(axis=1, keepdims=True) > 0).astype("float32")

model = keras.Sequential(
    [
        layers.Dense(16, activation="relu", input_shape=(8,)),
        layers.Dense(1, activation="sigmoid"),
    ]
)
optimizer = CentralizedMomentum(lr=0.05)
model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=16, epochs=3, callbacks=[HalveLearningRate()], verbose=0)
print("loss per epoch:", [round(v, 4) for v in history.history["loss"]])
assert history.history["loss"][-1] < history.history["loss"][0]

config = model.optimizer.get_config()
print("optimizer config:", config)
restored = CentralizedMomentum.from_config(config)
print("restored learning rate:", float(K.get_value(restored.lr)))
