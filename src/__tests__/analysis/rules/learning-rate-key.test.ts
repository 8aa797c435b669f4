import { ruleTester } from '../rule-tester';

ruleTester('learning-rate-key', {
  valid: [
    { name: 'Keras 3 key', code: 'import keras\nhistory = model.fit(x, y)\nprint(history.history["learning_rate"])\n' },
    { name: 'an lr key on an unrelated dict', code: 'config = {"lr": 0.1}\nprint(config["lr"])\n' },
    {
      name: 'the program writes its own "lr" key',
      code: 'import keras\nclass LogLR(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        logs["lr"] = 0.1\nhistory = model.fit(x, y, callbacks=[LogLR()])\nprint(history.history["lr"])\n'
    },
    { name: 'hasattr on something not an optimizer', code: 'import keras\nok = hasattr(config, "lr")\n' }
  ],
  invalid: [
    {
      // /work/og48a repro_4 (Géron's handson-ml2 ch. 11): the program's own ExponentialDecay writes "lr", but the fits
      // whose History is read got Keras's schedulers only: KeyError 'lr' on all three; renamed, it ran on all three.
      name: 'a History of a fit given only Keras callbacks, while another callback class writes "lr"',
      code:
        'import keras\nclass ExponentialDecay(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        logs["lr"] = 0.0\n' +
        'lr_scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01)\nhistory = model.fit(x, y, callbacks=[lr_scheduler])\nprint(history.history["lr"])\n' +
        'history2 = model.fit(x, y, callbacks=[ExponentialDecay()])\nprint(history2.history["lr"])\n',
      errors: [{ line: 7, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nclass ExponentialDecay(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        logs["lr"] = 0.0\n' +
        'lr_scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01)\nhistory = model.fit(x, y, callbacks=[lr_scheduler])\nprint(history.history["learning_rate"])\n' +
        'history2 = model.fit(x, y, callbacks=[ExponentialDecay()])\nprint(history2.history["lr"])\n'
    },
    {
      name: 'History and epoch logs read "lr" (plotting cell binds nothing from Keras)',
      code: [
        'import tensorflow as tf\nclass Show(tf.keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(logs.get(\'lr\'))\nhistory = model.fit(x, y, callbacks=[tf.keras.callbacks.ReduceLROnPlateau(), Show()])\n',
        'import matplotlib.pyplot as plt\nplt.plot(history.history["lr"])\nplt.plot(model.history.history[\'lr\'])\n'
      ],
      errors: [{ cell: 0, line: 4, column: 24 }, { cell: 1, line: 2, column: 26 }, { cell: 1, line: 3, column: 32 }],
      output: [
        'import tensorflow as tf\nclass Show(tf.keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(logs.get(\'learning_rate\'))\nhistory = model.fit(x, y, callbacks=[tf.keras.callbacks.ReduceLROnPlateau(), Show()])\n',
        'import matplotlib.pyplot as plt\nplt.plot(history.history["learning_rate"])\nplt.plot(model.history.history[\'learning_rate\'])\n'
      ]
    },
    {
      name: 'getattr is a safe rename; hasattr changes a branch (suggestion)',
      code: 'import tensorflow as tf\nclass S(tf.keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        if not hasattr(self.model.optimizer, "lr"):\n            raise ValueError("no lr")\n        lr = getattr(self.model.optimizer, "lr")\n',
      errors: [{ line: 4, column: 46, message: 'False on Keras 3' }, { line: 6, column: 44, message: 'no `lr` attribute' }],
      output: 'import tensorflow as tf\nclass S(tf.keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        if not hasattr(self.model.optimizer, "lr"):\n            raise ValueError("no lr")\n        lr = getattr(self.model.optimizer, "learning_rate")\n'
    },
    {
      code: 'import tensorflow as tf\nok = hasattr(opt, "lr")\n',
      errors: [{ line: 2, column: 19 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nok = hasattr(opt, "learning_rate")\n'
    },
    {
      name: 'logs.get("lr") returns None on Keras 3: printed, or read with a default, nothing fails',
      code: 'import keras\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print("lr", logs.get("lr"))\n        lr = logs.get("lr", 0.0)\n        print(getattr(self.model.optimizer, "lr", None))\n',
      errors: [{ line: 4, column: 30, message: 'returns None' }, { line: 5, column: 23 }, { line: 6, column: 45, message: 'returns its default' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print("lr", logs.get("learning_rate"))\n        lr = logs.get("learning_rate", 0.0)\n        print(getattr(self.model.optimizer, "learning_rate", None))\n'
    },
    {
      name: 'logs.get("lr") computed with, directly or through its name: TypeError on None',
      code: 'import keras\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.lrs.append(float(logs.get("lr")))\n        lr = logs.get("lr")\n        print(f"lr {lr:.5f}")\n',
      errors: [{ line: 4, column: 40, message: 'computes with' }, { line: 5, column: 23 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.lrs.append(float(logs.get("learning_rate")))\n        lr = logs.get("learning_rate")\n        print(f"lr {lr:.5f}")\n'
    }
  ]
});
