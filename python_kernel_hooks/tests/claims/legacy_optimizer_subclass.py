"""KM228: an optimizer subclass written against the Keras 2 optimizer API (`super().__init__(name,
**kwargs)`, `_set_hyper`, `_create_slots`/`add_slot`, `_resource_apply_dense`) fails on every
backend: Keras 3 optimizers take `learning_rate` first and have none of those methods."""
import numpy as np
import keras


class MomentumSGD(keras.optimizers.Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.9, name="MomentumSGD", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("momentum", momentum)

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(var, "velocity")

    def _resource_apply_dense(self, grad, var, apply_state=None):
        velocity = self.get_slot(var, "velocity")
        momentum = self._get_hyper("momentum", var.dtype.base_dtype)
        velocity_t = velocity.assign(momentum * velocity - self._decayed_lr(var.dtype.base_dtype) * grad)
        return var.assign_add(velocity_t)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=MomentumSGD(learning_rate=0.01), loss="mse")
model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=1, verbose=0)
