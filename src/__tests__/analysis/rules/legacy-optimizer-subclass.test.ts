import { LEGACY_OPTIMIZER_CODE } from '../../../analysis/helpers/legacy-optimizer';
import { ruleTester } from '../rule-tester';

const LEGACY =
  '    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper("learning_rate", learning_rate)\n' +
  '    def _create_slots(self, var_list):\n        for var in var_list:\n            self.add_slot(var, "velocity")\n' +
  '    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return var.assign_sub(self._decayed_lr(var.dtype) * grad)\n';

ruleTester('legacy-optimizer-subclass', {
  valid: [
    {
      name: 'a Keras 3 optimizer subclass (build / update_step)',
      code: 'import keras\nclass MySGD(keras.optimizers.Optimizer):\n    def build(self, var_list):\n        super().build(var_list)\n    def update_step(self, gradient, variable, learning_rate):\n        self.assign_sub(variable, learning_rate * gradient)\n'
    },
    {
      name: 'get_gradients() overridden (keras.io gradient centralization): never called, but it runs',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.optimizers import RMSprop\nclass GCRMSprop(RMSprop):\n    def get_gradients(self, loss, params):\n        return super().get_gradients()\n'
    },
    { name: 'not an optimizer', code: 'import keras\nclass Helper(keras.layers.Layer):\n    def _create_slots(self, var_list):\n        self.add_slot(var_list[0], "v")\n' },
    { name: 'a plain class', code: 'class Slots:\n    def _resource_apply_dense(self, grad, var):\n        return var\n' }
  ],
  invalid: [
    {
      // Keras 3.15 never calls the hooks: it trains with Adam's own update on TensorFlow, JAX and PyTorch (claims/optimizer_hooks_never_called.py).
      name: 'a built-in optimizer subclass whose Keras 2 hooks are never called: silently ignored, no backend blocked',
      code: 'import keras\nclass Centralized(keras.optimizers.Adam):\n    def __init__(self, learning_rate=0.01, name="Centralized", **kwargs):\n        super().__init__(learning_rate=learning_rate, name=name, **kwargs)\n    def _resource_apply_dense(self, grad, var, apply_state=None):\n        m = self.get_slot(var, "m")\n        return super()._resource_apply_dense(grad - m, var, apply_state)\n',
      errors: [{ line: 2, column: 7, message: 'Keras 3 never calls' }],
      blocks: []
    },
    {
      name: 'get_updates on a built-in optimizer, no __init__',
      code: 'import tensorflow as tf\nclass Noisy(tf.keras.optimizers.SGD):\n    def get_updates(self, loss, params):\n        return super().get_updates(loss, params)\n',
      errors: [{ line: 2, column: 7, message: 'silently not applied' }],
      blocks: []
    },
    {
      // "Argument `learning_rate` should be float" on every backend (run).
      name: 'a built-in optimizer given its name positionally (Keras 2 style) still fails',
      code: 'import keras\nclass Named(keras.optimizers.Adam):\n    def __init__(self, name="Named", **kwargs):\n        super().__init__(name, **kwargs)\n    def get_updates(self, loss, params):\n        return []\n',
      errors: [{ line: 2, column: 7, message: 'fails on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // "'E' object has no attribute '_set_hyper'" on every backend (run).
      name: 'a built-in optimizer calling a Keras 2 helper in __init__ still fails',
      code: 'import keras\nclass Decayed(keras.optimizers.SGD):\n    def __init__(self, learning_rate=0.01, **kwargs):\n        super().__init__(learning_rate=learning_rate, **kwargs)\n        self._set_hyper("decay", 0.0)\n',
      errors: [{ line: 2, column: 7, message: 'fails on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'tf.keras.optimizers.legacy.Optimizer subclass with slots and hyperparameters',
      code: 'import tensorflow as tf\nclass MySGD(tf.keras.optimizers.legacy.Optimizer):\n' + LEGACY,
      errors: [{ line: 2, column: 7, message: '`MySGD` implements the Keras 2 optimizer API (`_set_hyper`, `_create_slots`, `add_slot`, ...)' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // The mapping, applied by hand to claims/legacy_optimizer_subclass.py, trained on TensorFlow, JAX and PyTorch.
      name: 'the message maps each Keras 2 name used to its Keras 3 spelling',
      code: 'import tensorflow as tf\nclass MySGD(tf.keras.optimizers.legacy.Optimizer):\n' + LEGACY,
      errors: [
        {
          line: 2,
          column: 7,
          message:
            '(callers pass `learning_rate=`, not `lr=`). In Keras 3: `self._set_hyper("m", m)` becomes `self.m = m` (the learning rate goes to `super().__init__(learning_rate=...)`); `_create_slots(var_list)` becomes `build(var_list)`'
        }
      ]
    },
    {
      name: 'the suggested fix derives the class from the added Keras2Optimizer (the Keras 2 API on a Keras 3 optimizer); dtype.base_dtype becomes dtype',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\n\n\nclass MySGD(keras.optimizers.legacy.Optimizer):\n' +
        '    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))\n' +
        '    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return var.assign_sub(self._decayed_lr(var.dtype.base_dtype) * grad)\n',
      errors: [{ line: 5, column: 7 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\n\n\n' + LEGACY_OPTIMIZER_CODE + '\n\nclass MySGD(Keras2Optimizer):\n' +
        '    def __init__(self, learning_rate=0.01, name="MySGD", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))\n' +
        '    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return var.assign_sub(self._decayed_lr(var.dtype) * grad)\n'
    },
    {
      name: 'keras.optimizers.Optimizer (TF <= 2.10 spelling), from imports',
      code: 'from tensorflow import keras\nfrom tensorflow.keras.optimizers import Adam\nclass A(keras.optimizers.Optimizer):\n' + LEGACY,
      errors: [{ line: 3, column: 7 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // Keras 3.15 never calls the hook: B trains with Adam's update on every backend (run).
      name: 'a built-in base from imports whose only Keras 2 hook extends it through super()',
      code: 'from tensorflow.keras.optimizers import Adam\nclass B(Adam):\n    def _resource_apply_dense(self, grad, var, apply_state=None):\n        return super()._resource_apply_dense(grad, var, apply_state)\n',
      errors: [{ line: 2, column: 7, message: '(`_resource_apply_dense`)' }],
      blocks: []
    }
  ]
});
