import { ruleTester } from '../rule-tester';

ruleTester('clone-compiled-custom-objects', {
  valid: [
    {
      // examples/runnable/converted/gan_ada_lite.py runs on every backend: the clone is of the uncompiled generator,
      // and the KID metric is an attribute of the GAN, not in any compile config.
      name: 'a Metric subclass the model only holds as an attribute (keras.io GAN ADA\'s KID)',
      code: 'import keras\nclass KID(keras.metrics.Metric):\n    def result(self):\n        return 0.0\nclass GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.generator = keras.Sequential([keras.layers.Dense(1)])\n        self.ema = keras.models.clone_model(self.generator)\n        self.kid = KID()\ngan = GAN()\ngan.compile(optimizer="adam")\n'
    },
    {
      name: 'custom loss function, model compiled but never cloned',
      code: 'import keras\ndef my_loss(y_true, y_pred):\n    return keras.ops.mean(y_pred)\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=my_loss)\n'
    },
    {
      name: 'loss function already registered',
      code: 'import keras\n@keras.saving.register_keras_serializable(package="demo")\ndef my_loss(y_true, y_pred):\n    return keras.ops.mean(y_pred)\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=my_loss)\nclone = keras.models.clone_model(model)\n'
    },
    {
      name: 'a function not passed to compile, and a schedule without get_config',
      code: 'import keras\ndef helper(x):\n    return x\nclass Sched(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        return 0.1\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(keras.optimizers.Adam(Sched()), loss="mse")\nclone = keras.models.clone_model(model)\n'
    }
  ],
  invalid: [
    {
      name: 'LearningRateSchedule subclass with get_config, compiled model cloned (tf.keras)',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\n\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, lr):\n        self.lr = lr\n\n    def __call__(self, step):\n        return self.lr\n\n    def get_config(self):\n        return {"lr": self.lr}\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(Warmup(0.1)), loss="mse")\nbest = keras.models.clone_model(model)\n',
      errors: [{ line: 4, column: 7, message: "Could not locate class 'Warmup'" }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\n\n@keras.utils.register_keras_serializable()\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, lr):\n        self.lr = lr\n\n    def __call__(self, step):\n        return self.lr\n\n    def get_config(self):\n        return {"lr": self.lr}\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(Warmup(0.1)), loss="mse")\nbest = keras.models.clone_model(model)\n'
    },
    {
      name: 'loss and metric functions across notebook cells, Loss subclass',
      code: [
        'import keras\n\ndef masked_loss(y_true, y_pred):\n    return keras.ops.mean(y_pred)\n\ndef masked_acc(y_true, y_pred):\n    return keras.ops.mean(y_pred)\n\nclass MyLoss(keras.losses.Loss):\n    def call(self, y_true, y_pred):\n        return keras.ops.mean(y_pred)\n',
        'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=masked_loss, metrics=[masked_acc])\nloss_object = MyLoss()\nmodel.compile("adam", loss=loss_object)\n',
        'from keras.models import clone_model\nbest = clone_model(model)\n'
      ],
      errors: [
        { cell: 0, line: 3, column: 5, message: "Could not locate function 'masked_loss'" },
        { cell: 0, line: 6, column: 5 },
        { cell: 0, line: 9, column: 7 }
      ],
      output: [
        'import keras\n\n@keras.saving.register_keras_serializable()\ndef masked_loss(y_true, y_pred):\n    return keras.ops.mean(y_pred)\n\n@keras.saving.register_keras_serializable()\ndef masked_acc(y_true, y_pred):\n    return keras.ops.mean(y_pred)\n\n@keras.saving.register_keras_serializable()\nclass MyLoss(keras.losses.Loss):\n    def call(self, y_true, y_pred):\n        return keras.ops.mean(y_pred)\n',
        'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", loss=masked_loss, metrics=[masked_acc])\nloss_object = MyLoss()\nmodel.compile("adam", loss=loss_object)\n',
        'from keras.models import clone_model\nbest = clone_model(model)\n'
      ]
    }
  ]
});
