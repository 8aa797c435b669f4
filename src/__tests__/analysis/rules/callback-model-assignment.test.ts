import { ruleTester } from '../rule-tester';

ruleTester('callback-model-assignment', {
  valid: [
    { name: 'set_model() already', code: 'import keras\nclass C(keras.callbacks.Callback):\n    def __init__(self, model):\n        super().__init__()\n        self.set_model(model)\n' },
    { name: 'reading self.model', code: 'import keras\nclass C(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        m = self.model\n        m.stop_training = True\n' },
    { name: 'not a callback', code: 'import keras\nclass Trainer:\n    def __init__(self, model):\n        self.model = model\n' },
    { name: 'a Keras model class setting its own attribute', code: 'import keras\nclass Wrapper(keras.Model):\n    def __init__(self, model):\n        super().__init__()\n        self.model = model\n' },
    { name: 'a callback that defines model itself', code: 'import keras\nclass C(keras.callbacks.Callback):\n    @property\n    def model(self):\n        return self._m\n\n    @model.setter\n    def model(self, m):\n        self._m = m\n\n    def __init__(self, model):\n        self.model = model\n' },
    { name: 'another attribute', code: 'import keras\nclass C(keras.callbacks.Callback):\n    def __init__(self, model):\n        super().__init__()\n        self.target_model = model\n' },
    { name: 'a local named model', code: 'import keras\nclass C(keras.callbacks.Callback):\n    def on_train_begin(self, logs=None):\n        model = self.model\n' }
  ],
  invalid: [
    {
      // keras.io's scikit-learn metric callback (tf.keras era): Keras 3.15 raised "property 'model' of 'JaccardScoreCallback' object has no setter" on TensorFlow, JAX and PyTorch; set_model() ran on all three (examples/runnable/sklearn_metric_callback.py).
      name: 'a callback handed its model in __init__',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nclass JaccardScoreCallback(keras.callbacks.Callback):\n    def __init__(self, model, x_test):\n        self.model = model\n        self.x_test = x_test\n',
      errors: [{ line: 5, column: 9, message: 'read-only property' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nclass JaccardScoreCallback(keras.callbacks.Callback):\n    def __init__(self, model, x_test):\n        self.set_model(model)\n        self.x_test = x_test\n'
    },
    {
      name: 'tf.keras.callbacks.Callback base, an expression on the right',
      code: 'import tensorflow as tf\nclass C(tf.keras.callbacks.Callback):\n    def __init__(self, models):\n        super().__init__()\n        self.model = models[0]\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import tensorflow as tf\nclass C(tf.keras.callbacks.Callback):\n    def __init__(self, models):\n        super().__init__()\n        self.set_model(models[0])\n'
    }
  ]
});
