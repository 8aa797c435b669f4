import { ruleTester } from '../rule-tester';

// keras.io gradient centralization (tf.keras era): its GCRMSprop.get_gradients calls super().get_gradients() without
// arguments, which would raise if called; the program trains on tf_keras 2.21 and on Keras 3.15 (TensorFlow, JAX,
// PyTorch), so the override is never reached. The same change in an `apply` override runs on all three backends.
const GC =
  'import tensorflow as tf\nfrom tensorflow.keras.optimizers import RMSprop\n\n\nclass GCRMSprop(RMSprop):\n    def get_gradients(self, loss, params):\n        grads = []\n        gradients = super().get_gradients()\n        for grad in gradients:\n            grad_len = len(grad.shape)\n            if grad_len > 1:\n                axis = list(range(grad_len - 1))\n                grad -= tf.reduce_mean(grad, axis=axis, keep_dims=True)\n            grads.append(grad)\n\n        return grads\n\n\noptimizer = GCRMSprop(learning_rate=1e-4)\n';

ruleTester('optimizer-get-gradients-override', {
  valid: [
    {
      name: 'the Keras 3 spelling: an apply() override',
      code: 'import keras\nclass GCRMSprop(keras.optimizers.RMSprop):\n    def apply(self, grads, trainable_variables=None):\n        grads = [g - keras.ops.mean(g, axis=0, keepdims=True) for g in grads]\n        return super().apply(grads, trainable_variables)\n'
    },
    { name: 'get_gradients on a class that is not an optimizer', code: 'class Helper:\n    def get_gradients(self, loss, params):\n        return []\n' },
    { name: 'a module-level function named get_gradients', code: 'import keras\ndef get_gradients(model, x):\n    return model(x)\n' },
    {
      name: 'get_gradients in a nested function of another method',
      code: 'import keras\nclass O(keras.optimizers.Adam):\n    def helper(self):\n        def get_gradients(a):\n            return a\n        return get_gradients\n'
    }
  ],
  invalid: [
    {
      name: 'keras.io gradient centralization',
      code: GC,
      errors: [{ line: 6, column: 9, message: 'never called' }],
      blocks: []
    },
    {
      name: 'a keras.optimizers.Adam subclass with a decorated get_gradients',
      code: 'import keras\nimport functools\nclass O(keras.optimizers.Adam):\n    @functools.wraps(print)\n    def get_gradients(self, loss, params):\n        return super().get_gradients(loss, params)\n',
      errors: [{ line: 5, column: 9, message: 'apply(self, grads, trainable_variables=None)' }]
    }
  ]
});
