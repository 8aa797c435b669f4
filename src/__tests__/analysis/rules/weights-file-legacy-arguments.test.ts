import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n';

ruleTester('weights-file-legacy-arguments', {
  valid: [
    { code: HEAD + 'model.save_weights("w.weights.h5", overwrite=True)\nmodel.load_weights("w.weights.h5", skip_mismatch=False)\n' },
    { name: 'other methods (tf.train.Checkpoint.save takes options=)', code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint()\nckpt.save("w", options=None)\n' }
  ],
  invalid: [
    {
      name: 'save_format= and options= on save_weights',
      code: HEAD + 'model.save_weights("w.weights.h5", save_format="h5", options=None)\n',
      errors: [{ line: 3, column: 36, message: 'no `save_format=`' }, { line: 3, column: 54, message: '`options=`' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 'model.save_weights("w.weights.h5")\n'
    },
    {
      // examples/runnable/zero_dce_enhancement.py: overrides forwarding Keras 2 keywords to an inner model.
      name: 'overrides forwarding the keywords to an inner model; by_name= forwarded is a suggestion',
      code:
        'import keras\nclass Z(keras.Model):\n    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):\n        self.dce_model.save_weights(filepath, overwrite=overwrite, save_format=save_format, options=options)\n\n    def load_weights(self, filepath, by_name=False, skip_mismatch=False, options=None):\n        self.dce_model.load_weights(filepath=filepath, by_name=by_name, skip_mismatch=skip_mismatch, options=options)\n',
      errors: [{ line: 4, column: 68 }, { line: 4, column: 93 }, { line: 7, column: 102 }, { line: 7, column: 56, message: 'by_name' }],
      output:
        'import keras\nclass Z(keras.Model):\n    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):\n        self.dce_model.save_weights(filepath, overwrite=overwrite)\n\n    def load_weights(self, filepath, by_name=False, skip_mismatch=False, options=None):\n        self.dce_model.load_weights(filepath=filepath, by_name=by_name, skip_mismatch=skip_mismatch)\n'
    },
    {
      // keras.io Zero-DCE as written ran on TensorFlow with these overrides defined and never called.
      name: 'an override nobody calls: the call in it runs nowhere, no backend claimed',
      code: 'import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path, save_format=save_format)\n',
      errors: [{ line: 4, column: 39 }],
      blocks: [],
      output: 'import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path)\n'
    },
    {
      name: 'an override the program calls: every backend',
      code: 'import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path, save_format=save_format)\nw = Wrapper()\nw.save_weights("w.weights.h5")\n',
      errors: [{ line: 4, column: 39 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path)\nw = Wrapper()\nw.save_weights("w.weights.h5")\n'
    },
    {
      name: 'an override a ModelCheckpoint callback calls (in another cell): every backend',
      code: ['import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path, save_format=save_format)\n', 'cb = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)\n'],
      errors: [{ cell: 0, line: 4, column: 39 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: ['import keras\nclass Wrapper(keras.Model):\n    def save_weights(self, path, save_format=None):\n        self.inner.save_weights(path)\n', 'cb = keras.callbacks.ModelCheckpoint("best.weights.h5", save_weights_only=True)\n']
    },
    {
      name: 'by_name=False is removed safely',
      code: HEAD + 'model.load_weights("w.h5", by_name=False)\n',
      errors: [{ line: 3, column: 28 }],
      blocks: [],
      output: HEAD + 'model.load_weights("w.h5")\n'
    }
  ]
});
