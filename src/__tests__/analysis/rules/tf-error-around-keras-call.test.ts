import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\nimport tensorflow as tf\nlayer = keras.layers.Dense(3)\n';

ruleTester('tf-error-around-keras-call', {
  valid: [
    { name: 'a handler that catches the other backends\' errors too', code: HEAD + 'try:\n    layer(np.ones((1, 4)))\nexcept (tf.errors.InvalidArgumentError, ValueError, TypeError, RuntimeError):\n    pass\n' },
    { name: 'InvalidArgumentError around TensorFlow code only (tf.data, tf ops)', code: HEAD + 'try:\n    tf.reshape(tf.ones((2, 3)), (4,))\nexcept tf.errors.InvalidArgumentError:\n    pass\n' },
    { name: 'another TF error around a Keras call (out of memory): not what this rule is about', code: HEAD + 'try:\n    layer(np.ones((1, 3)))\nexcept tf.errors.ResourceExhaustedError:\n    pass\n' },
    { name: 'Exception caught as well', code: HEAD + 'try:\n    layer(np.ones((1, 4)))\nexcept (tf.errors.InvalidArgumentError, Exception):\n    pass\n' }
  ],
  invalid: [
    {
      // TensorFlow's intro-to-modules guide (og46e repro_2): a layer called with the wrong feature count raises TypeError on
      // JAX and RuntimeError on PyTorch, which the handler let through; with the fix it is caught on all three.
      name: 'InvalidArgumentError around a layer call, with `as e`, and around keras.ops in a tuple',
      code: HEAD + 'layer(np.ones((2, 3)))\ntry:\n    layer(np.ones((1, 4)))\nexcept tf.errors.InvalidArgumentError as e:\n    print("Failed:", e)\ntry:\n    keras.ops.matmul(np.ones((2, 3)), np.ones((4, 2)))\nexcept (tf.errors.InvalidArgumentError, ValueError):\n    pass\n',
      errors: [{ line: 8, column: 8, message: 'TypeError' }, { line: 12, column: 9 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'layer(np.ones((2, 3)))\ntry:\n    layer(np.ones((1, 4)))\nexcept (tf.errors.InvalidArgumentError, ValueError, TypeError, RuntimeError) as e:\n    print("Failed:", e)\ntry:\n    keras.ops.matmul(np.ones((2, 3)), np.ones((4, 2)))\nexcept (tf.errors.InvalidArgumentError, ValueError, TypeError, RuntimeError):\n    pass\n'
    }
  ]
});
