import { ruleTester } from '../rule-tester';

const LOOP_V2 =
  'import tensorflow as tf\nfrom tensorflow.keras import mixed_precision\nfrom tensorflow import keras\noptimizer = mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())\n\ndef fit_model(model, loss_object, ds):\n    model.compile(optimizer=optimizer, loss=loss_object)\n    model.fit(ds)\n';

ruleTester('loss-scale-optimizer-methods', {
  valid: [
    { name: 'Keras 3 scale_loss()', code: 'import keras\nopt = keras.optimizers.Adam()\ndef f(loss):\n    return opt.scale_loss(loss)\n' },
    { name: 'a LossScaleOptimizer given to compile() only', code: LOOP_V2 },
    { name: 'a function named get_scaled_loss', code: 'def get_scaled_loss(x):\n    return x * 2\nprint(get_scaled_loss(3))\n' },
    {
      name: 'a LossScaleOptimizer applied in a train_step of fit() (another name)',
      code: 'import keras\nclass M(keras.Model):\n    def train_step(self, data):\n        return {}\nopt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD())\nm = M()\nm.compile(optimizer=opt)\n'
    }
  ],
  invalid: [
    {
      // The TensorFlow mixed precision guide's loop (tf.keras era): Keras 3.15 raised "'LossScaleOptimizer' object has no attribute 'get_scaled_loss'" on TensorFlow, JAX and PyTorch; scale_loss() and the scaled gradients trained on TensorFlow and PyTorch (examples/runnable/mixed_precision_loss_scale_loop.py).
      name: 'the mixed precision guide loop',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\noptimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())\n\n@tf.function\ndef train_step(model, loss_object, x, y):\n    with tf.GradientTape() as tape:\n        loss = loss_object(y, model(x))\n        scaled_loss = optimizer.get_scaled_loss(loss)\n    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)\n    gradients = optimizer.get_unscaled_gradients(scaled_gradients)\n    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n    return loss\n',
      errors: [
        { line: 3, column: 13, message: 'UnexpectedTracerError' },
        { line: 9, column: 33, message: 'get_scaled_loss' },
        { line: 11, column: 27, message: 'unscales the gradients itself' }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\noptimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())\n\n@tf.function\ndef train_step(model, loss_object, x, y):\n    with tf.GradientTape() as tape:\n        loss = loss_object(y, model(x))\n        scaled_loss = optimizer.scale_loss(loss)\n    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)\n    gradients = scaled_gradients\n    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n    return loss\n'
    },
    {
      name: 'the Keras 2 methods in a function given the optimizer',
      code: 'def train_step(optimizer, loss, tape, variables):\n    scaled = tape.gradient(optimizer.get_scaled_loss(loss), variables)\n    optimizer.apply_gradients(zip(optimizer.get_unscaled_gradients(scaled), variables))\n',
      errors: [
        { line: 2, column: 38 },
        { line: 3, column: 45 }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'def train_step(optimizer, loss, tape, variables):\n    scaled = tape.gradient(optimizer.scale_loss(loss), variables)\n    optimizer.apply_gradients(zip(scaled, variables))\n'
    },
    {
      name: 'mixed_precision imported from tensorflow.keras, applied with apply()',
      code: 'from tensorflow.keras import mixed_precision\nimport keras\nopt = mixed_precision.LossScaleOptimizer(keras.optimizers.SGD())\ndef step(grads, variables):\n    opt.apply(grads, variables)\n',
      errors: [{ line: 3, column: 7 }],
      blocks: ['jax']
    },
    {
      name: 'get_unscaled_gradients with a keyword argument: no fix',
      code: 'def step(opt, g):\n    return opt.get_unscaled_gradients(grads=g)\n',
      errors: [{ line: 2, column: 16 }],
      fixOptions: { unsafe: true }
    }
  ]
});
