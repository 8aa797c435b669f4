import { ruleTester } from '../rule-tester';

const MODELS = 'import keras\nd = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\ng = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n';

ruleTester('shared-optimizer-instance', {
  valid: [
    { name: 'one model', code: MODELS + 'opt = keras.optimizers.Adam()\nd.compile(loss="mse", optimizer=opt)\n' },
    { name: 'a new instance per model', code: MODELS + 'd.compile(loss="mse", optimizer=keras.optimizers.Adam())\ng.compile(loss="mse", optimizer=keras.optimizers.Adam())\n' },
    { name: 'the name bound to a new optimizer in between', code: MODELS + 'opt = keras.optimizers.Adam()\nd.compile(loss="mse", optimizer=opt)\nopt = keras.optimizers.Adam()\ng.compile(loss="mse", optimizer=opt)\n' },
    { name: 'a string optimizer', code: MODELS + 'd.compile(loss="mse", optimizer="adam")\ng.compile(loss="mse", optimizer="adam")\n' },
    { name: 'the same model recompiled without a trainable change', code: MODELS + 'opt = keras.optimizers.Adam()\nd.compile(loss="mse", optimizer=opt)\nd.compile(loss="mae", optimizer=opt)\n' },
    {
      // keras.io AdaIN and distillation (the Keras team's conversions): a model's compile() override passes its optimizer on.
      name: 'a compile() override passing the optimizer to super().compile(), and the model compiled with it once',
      code: 'import keras\nclass Net(keras.Model):\n    def compile(self, optimizer, loss_fn):\n        super().compile(optimizer=optimizer)\n        self.loss_fn = loss_fn\noptimizer = keras.optimizers.Adam(1e-3)\nmodel = Net()\nmodel.compile(optimizer=optimizer, loss_fn=None)\n'
    },
    { name: 'a name not known as an optimizer', code: MODELS + 'd.compile(loss="mse", optimizer=make())\nopt = make()\nd.compile(loss="mse", optimizer=opt)\ng.compile(loss="mse", optimizer=opt)\n' }
  ],
  invalid: [
    {
      // /work/og48b repro_8 (Géron's handson-ml2 ch. 14): `model` bound to a second model compiled with the same optimizer;
      // the second fit failed ("Unknown variable ...") on TF and PyTorch, on all three in the book's program. Fixed, it ran on all three.
      name: 'a model name bound again to another model compiled with the same optimizer',
      code:
        'import keras\noptimizer = keras.optimizers.SGD(learning_rate=0.01)\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer=optimizer)\n' +
        'model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer=optimizer)\n',
      errors: [{ line: 6, column: 37 }],
      output:
        'import keras\noptimizer = keras.optimizers.SGD(learning_rate=0.01)\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer=optimizer)\n' +
        'model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer=type(optimizer).from_config(optimizer.get_config()))\n'
    },
    {
      // The Keras 2 GAN pattern: "Unknown variable ... This optimizer can only be called for the variables it was
      // originally built with" on TF, JAX and PyTorch (claims/shared_optimizer_instance.py).
      name: 'a GAN\'s discriminator and combined model (tf.keras, positional and keyword)',
      code: 'import tensorflow as tf\noptimizer = tf.keras.optimizers.Adam(0.0002, 0.5)\nd.compile(optimizer, loss="binary_crossentropy")\ncombined.compile(loss="binary_crossentropy", optimizer=optimizer)\n',
      errors: [{ line: 4, column: 56, message: '`optimizer` was given to another model\'s `compile()` before' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\noptimizer = tf.keras.optimizers.Adam(0.0002, 0.5)\nd.compile(optimizer, loss="binary_crossentropy")\ncombined.compile(loss="binary_crossentropy", optimizer=type(optimizer).from_config(optimizer.get_config()))\n'
    },
    {
      name: 'an optimizer class imported by name',
      code: MODELS + 'from keras.optimizers import Adam\nopt = Adam(1e-3)\nd.compile(loss="mse", optimizer=opt)\ng.compile(loss="mse", optimizer=opt)\n',
      errors: [{ line: 7, column: 33 }],
      output: MODELS + 'from keras.optimizers import Adam\nopt = Adam(1e-3)\nd.compile(loss="mse", optimizer=opt)\ng.compile(loss="mse", optimizer=type(opt).from_config(opt.get_config()))\n'
    },
    {
      name: 'fine-tuning: the same model recompiled with the optimizer after unfreezing its base',
      code: MODELS + 'opt = keras.optimizers.Adam(1e-3)\nd.layers[0].trainable = False\nd.compile(loss="mse", optimizer=opt)\nd.layers[0].trainable = True\nd.compile(loss="mse", optimizer=opt)\n',
      errors: [{ line: 8, column: 33, message: 'before its layers\' `trainable` flags changed' }],
      output: MODELS + 'opt = keras.optimizers.Adam(1e-3)\nd.layers[0].trainable = False\nd.compile(loss="mse", optimizer=opt)\nd.layers[0].trainable = True\nd.compile(loss="mse", optimizer=type(opt).from_config(opt.get_config()))\n'
    },
    {
      name: 'across cells: the optimizer made and compiled into one model in an earlier cell',
      code: [MODELS + 'opt = keras.optimizers.SGD()\nd.compile(loss="mse", optimizer=opt)\n', 'g.compile(loss="mse", optimizer=opt)\n'],
      errors: [{ cell: 1, line: 1, column: 33 }],
      output: [MODELS + 'opt = keras.optimizers.SGD()\nd.compile(loss="mse", optimizer=opt)\n', 'g.compile(loss="mse", optimizer=type(opt).from_config(opt.get_config()))\n']
    }
  ]
});
