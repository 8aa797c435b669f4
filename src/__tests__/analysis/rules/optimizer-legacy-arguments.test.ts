import { ruleTester } from '../rule-tester';

ruleTester('optimizer-legacy-arguments', {
  valid: [
    { code: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n' },
    { code: 'import keras\nlr = model.optimizer.learning_rate\nscheduler.lr = 0.1\n' },
    { name: 'an instance of a notebook class that is not an optimizer', code: 'import keras\nclass Config:\n    lr = 0.1\ncfg = Config()\nrestored = Config.from_config({})\nprint(cfg.lr, restored.lr)\n' },
    { name: 'an instance of a notebook class that is not an optimizer, defined in an earlier cell', code: ['import keras\nclass Config:\n    lr = 0.1\n', 'cfg = Config()\nprint(cfg.lr)\n'] },
    { name: 'an argparse namespace called opt', code: 'import argparse\nimport keras\nopt = parser.parse_args()\nmodel.compile(optimizer=keras.optimizers.Adam(learning_rate=opt.lr))\n' }
  ],
  invalid: [
    {
      // /work/og48a repro_5 (Géron's handson-ml2 ch. 11 power scheduling): dropping decay= trained with a constant rate
      // (weight 3.0000 after 50 steps); InverseTimeDecay gave tf_keras's 2.7955 on all three.
      name: 'decay= becomes an InverseTimeDecay schedule of the given or default learning rate; decay=0 is dropped (safe)',
      code: 'import keras\na = keras.optimizers.SGD(lr=0.01, decay=1e-4)\nb = keras.optimizers.Adam(decay=1e-6)\nc = keras.optimizers.RMSprop(0.002, decay=0.0)\n',
      errors: [{ line: 2, column: 26 }, { line: 2, column: 35 }, { line: 3, column: 27 }, { line: 4, column: 37 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\na = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-4))\n' +
        'b = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=1e-6))\nc = keras.optimizers.RMSprop(0.002)\n'
    },
    {
      code: 'import tensorflow as tf\nopt = tf.keras.optimizers.SGD(lr=0.01, momentum=0.9)\n',
      errors: [{ line: 2, column: 31, endColumn: 38 }],
      output: 'import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)\n'
    },
    {
      name: 'decay is a suggestion only',
      code: 'from keras.optimizers import Adam\nopt = Adam(decay=1e-6)\n',
      errors: [{ line: 2, column: 12, message: 'ignored' }],
      // Keras 3 warns and ignores it: training runs on every backend (checked by running).
      blocks: []
    },
    {
      name: 'assigning optimizer.lr runs and changes nothing: no backend blocked (checked by running)',
      code: 'import keras\nmodel = keras.Sequential()\nmodel.optimizer.lr = 0.5\n',
      errors: [{ line: 3, column: 17, message: 'changes nothing' }],
      blocks: [],
      output: 'import keras\nmodel = keras.Sequential()\nmodel.optimizer.learning_rate = 0.5\n'
    },
    {
      name: 'the lr attribute in a callback and at top level',
      code: 'import keras\nfrom keras import backend as K\nclass Log(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(float(K.get_value(self.model.optimizer.lr)))\nmodel = keras.Sequential()\nmodel.optimizer.lr = 0.001\n',
      errors: [{ line: 5, column: 54 }, { line: 7, column: 17 }],
      output: 'import keras\nfrom keras import backend as K\nclass Log(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(float(K.get_value(self.model.optimizer.learning_rate)))\nmodel = keras.Sequential()\nmodel.optimizer.learning_rate = 0.001\n'
    },
    {
      name: 'tf.optimizers alias',
      code: 'import tensorflow as tf\nopt = tf.optimizers.Adam(lr=1e-3)\n',
      errors: [{ line: 2, column: 26 }],
      output: 'import tensorflow as tf\nopt = tf.optimizers.Adam(learning_rate=1e-3)\n'
    },
    {
      name: 'a Keras optimizer held in a short name',
      code: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nprint(opt.lr)\n',
      errors: [{ line: 3, column: 11, message: 'AttributeError' }],
      // Reading it fails on every backend (checked by running).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nprint(opt.learning_rate)\n'
    },
    {
      name: 'a read behind hasattr(optimizer, "lr"), False on Keras 3, never runs: no backend blocked',
      code: 'import keras\nif hasattr(model.optimizer, "lr"):\n    print(float(model.optimizer.lr))\nlr = model.optimizer.lr if hasattr(model.optimizer, \'lr\') else 0.1\n',
      errors: [{ line: 3, column: 33, message: 'never runs' }, { line: 4, column: 22, message: 'never runs' }],
      blocks: [],
      output: 'import keras\nif hasattr(model.optimizer, "lr"):\n    print(float(model.optimizer.learning_rate))\nlr = model.optimizer.learning_rate if hasattr(model.optimizer, \'lr\') else 0.1\n'
    },
    {
      name: 'a read behind `not hasattr(...)` or another condition still fails',
      code: 'import keras\nif not hasattr(model.optimizer, "lr"):\n    print(model.optimizer.lr)\nif verbose:\n    print(model.optimizer.lr)\n',
      errors: [{ line: 3, column: 27 }, { line: 5, column: 27 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nif not hasattr(model.optimizer, "lr"):\n    print(model.optimizer.learning_rate)\nif verbose:\n    print(model.optimizer.learning_rate)\n'
    },
    {
      name: 'an optimizer from keras.optimizers.get, from_config or model.optimizer held in a short name',
      code: 'import keras\nopt = keras.optimizers.get("adam")\nprint(opt.lr)\nrestored = keras.optimizers.Adam.from_config(opt.get_config())\nprint(restored.lr)\nfrom keras.optimizers import SGD\nsgd = SGD.from_config(config)\nsgd.lr = 0.5\ncurrent = model.optimizer\nprint(current.lr)\n',
      // Reading fails with AttributeError on every backend; assigning changes nothing (checked by running Keras 3).
      errors: [{ line: 3, column: 11, message: 'AttributeError' }, { line: 5, column: 16, message: 'AttributeError' }, { line: 8, column: 5, message: 'changes nothing' }, { line: 10, column: 15, message: 'AttributeError' }],
      output: 'import keras\nopt = keras.optimizers.get("adam")\nprint(opt.learning_rate)\nrestored = keras.optimizers.Adam.from_config(opt.get_config())\nprint(restored.learning_rate)\nfrom keras.optimizers import SGD\nsgd = SGD.from_config(config)\nsgd.learning_rate = 0.5\ncurrent = model.optimizer\nprint(current.learning_rate)\n'
    },
    {
      name: 'an instance of a notebook optimizer subclass, constructed or rebuilt with from_config',
      code: 'import keras\nclass MyOpt(keras.optimizers.SGD):\n    pass\nclass Sub(MyOpt):\n    pass\nopt = MyOpt(learning_rate=0.1)\nprint(opt.lr)\nrestored = Sub.from_config(opt.get_config())\nprint(restored.lr)\n',
      errors: [{ line: 7, column: 11, message: 'AttributeError' }, { line: 9, column: 16, message: 'AttributeError' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass MyOpt(keras.optimizers.SGD):\n    pass\nclass Sub(MyOpt):\n    pass\nopt = MyOpt(learning_rate=0.1)\nprint(opt.learning_rate)\nrestored = Sub.from_config(opt.get_config())\nprint(restored.learning_rate)\n'
    },
    {
      name: 'a notebook optimizer subclass defined in an earlier cell',
      code: ['import keras\nclass MyOpt(keras.optimizers.Optimizer):\n    pass\n', 'restored = MyOpt.from_config(config)\nprint(restored.lr)\n'],
      errors: [{ cell: 1, line: 2, column: 16, message: 'AttributeError' }],
      output: ['import keras\nclass MyOpt(keras.optimizers.Optimizer):\n    pass\n', 'restored = MyOpt.from_config(config)\nprint(restored.learning_rate)\n']
    }
  ]
});
