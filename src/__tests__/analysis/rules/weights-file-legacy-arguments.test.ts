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
      name: 'by_name=False is removed safely',
      code: HEAD + 'model.load_weights("w.h5", by_name=False)\n',
      errors: [{ line: 3, column: 28 }],
      blocks: [],
      output: HEAD + 'model.load_weights("w.h5")\n'
    }
  ]
});
