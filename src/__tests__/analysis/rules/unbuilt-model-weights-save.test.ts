import { ruleTester } from '../rule-tester';

const GAN =
  'from tensorflow import keras\n' +
  'class GAN(keras.Model):\n' +
  '    def __init__(self):\n' +
  '        super().__init__()\n' +
  '        self.g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])\n' +
  '    def train_step(self, data):\n' +
  '        return {}\n';

ruleTester('unbuilt-model-weights-save', {
  valid: [
    { name: 'a model with call() is built by fit()', code: GAN.replace('    def train_step', '    def call(self, x):\n        return self.g(x)\n    def train_step') + 'gan = GAN()\ngan.save_weights("g.weights.h5")\n' },
    { name: 'a model with build()', code: GAN.replace('    def train_step', '    def build(self, input_shape=None):\n        self.built = True\n    def train_step') + 'gan = GAN()\ngan.save_weights("g.weights.h5")\n' },
    { name: 'a model the cell builds', code: GAN + 'gan = GAN()\ngan.build(None)\ngan.save_weights("g.weights.h5")\n' },
    { name: 'fit() without a weights-only checkpoint', code: GAN + 'gan = GAN()\ngan.compile()\ngan.fit([1], epochs=1)\n' },
    { name: 'a sub-model saved', code: GAN + 'gan = GAN()\ngan.g.save_weights("g.weights.h5")\n' },
    {
      name: 'a subclass of a notebook model class (its base may define call())',
      code: 'from tensorflow import keras\nclass Base(keras.Model):\n    def call(self, x):\n        return x\nclass GAN(Base):\n    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.save_weights("g.weights.h5")\n'
    },
    { name: 'a model marked built in __init__() (the fix)', code: GAN.replace('Dense(2)])\n', 'Dense(2)])\n        self.built = True\n') + 'gan = GAN()\ngan.save_weights("g.weights.h5")\n' }
  ],
  invalid: [
    {
      name: 'save_weights() of a GAN-style model: Keras 3 raises on every backend',
      code: GAN + 'gan = GAN()\ngan.save_weights("g.weights.h5")\n',
      errors: [{ line: 9, column: 1, message: 'not yet been built' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        GAN.replace('Dense(2)])\n', 'Dense(2)])\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n') +
        'gan = GAN()\ngan.save_weights("g.weights.h5")\n'
    },
    {
      // og50a repro_5 (Foster's DDM): `from tensorflow.keras import models`, `class DiffusionModel(models.Model)`.
      name: 'the base class spelled through the models module',
      code: GAN.replace('from tensorflow import keras\n', 'from tensorflow import keras\nfrom tensorflow.keras import models\n').replace('GAN(keras.Model)', 'GAN(models.Model)') + 'gan = GAN()\ngan.save_weights("g.weights.h5")\n',
      errors: [{ line: 10, column: 1, message: 'not yet been built' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'no fix without an __init__() calling super().__init__()',
      code: 'import keras\nclass GAN(keras.Model):\n    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.save_weights("g.weights.h5")\n',
      errors: [{ line: 6, column: 1, message: 'not yet been built' }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the mark goes after the last statement of __init__(), a compound one too',
      code:
        'import keras\nclass GAN(keras.Model):\n    def __init__(self, g=None):\n        super().__init__()\n        if g is not None:\n            self.g = g\n' +
        '    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.save_weights("g.weights.h5")\n',
      errors: [{ line: 10, column: 1, message: 'not yet been built' }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass GAN(keras.Model):\n    def __init__(self, g=None):\n        super().__init__()\n        if g is not None:\n            self.g = g\n' +
        '        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n' +
        '    def train_step(self, data):\n        return {}\ngan = GAN()\ngan.save_weights("g.weights.h5")\n'
    },
    {
      name: 'keras.io CycleGAN: fit() with ModelCheckpoint(save_weights_only=True)',
      code:
        GAN +
        'cb = keras.callbacks.ModelCheckpoint(filepath="c.weights.h5", save_weights_only=True)\n' +
        'gan = GAN()\ngan.compile()\ngan.fit([1], epochs=1, callbacks=[cb])\n',
      errors: [{ line: 11, column: 1, message: 'ModelCheckpoint(save_weights_only=True)' }],
      fixOptions: { unsafe: true },
      output:
        GAN.replace('Dense(2)])\n', 'Dense(2)])\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n') +
        'cb = keras.callbacks.ModelCheckpoint(filepath="c.weights.h5", save_weights_only=True)\n' +
        'gan = GAN()\ngan.compile()\ngan.fit([1], epochs=1, callbacks=[cb])\n'
    }
  ]
});
