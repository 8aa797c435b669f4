import { ruleTester } from '../rule-tester';

ruleTester('legacy-keras-package', {
  valid: [
    { code: 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n' },
    { code: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "0"\n' }
  ],
  invalid: [
    {
      code: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport tf_keras as keras\nfrom tf_keras.layers import Dense\n',
      errors: [{ line: 2, column: 1 }, { line: 3, column: 8, endColumn: 16 }, { line: 4, column: 6 }],
      // Keras 2 on tf_keras trains on TensorFlow whatever KERAS_BACKEND says (checked by running with tf_keras 2.21 installed).
      blocks: [],
      fixOptions: { unsafe: true },
      output: 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\nimport keras\nfrom keras.layers import Dense\n'
    }
  ]
});
