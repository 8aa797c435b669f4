import { ruleTester } from '../rule-tester';

const LOOP =
  'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n';

ruleTester('custom-training-loop', {
  valid: [
    {
      name: 'the tape inside train_step is KM141 territory',
      code: 'import tensorflow as tf\nimport keras\nclass M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compute_loss(x, y, self(x))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n'
    },
    {
      name: 'a tape that differentiates an input, not the model (saliency maps)',
      code: LOOP + 'with tf.GradientTape() as tape:\n    tape.watch(x)\n    y = model(x)\ng = tape.gradient(y, x)\n'
    },
    { name: 'a tape that is not a with-statement', code: LOOP + 'tape = tf.GradientTape()\n' }
  ],
  invalid: [
    {
      name: 'module-level loop',
      code: LOOP + 'for x, y in data:\n    with tf.GradientTape() as tape:\n        loss = keras.ops.mean((model(x) - y) ** 2)\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      errors: [{ line: 6, column: 10, message: 'keep this program on TensorFlow' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a plain train function, from-import, trainable_weights',
      code: 'from tensorflow import GradientTape\ndef step(model, opt, x, y):\n    with GradientTape(persistent=True) as tape:\n        loss = loss_fn(y, model(x))\n    g = tape.gradient(loss, model.trainable_weights)\n    opt.apply_gradients(zip(g, model.trainable_weights))\n',
      errors: [{ line: 3, column: 10 }]
    },
    {
      name: 'two tapes in one with-statement (a GAN step): one finding, on the first tape',
      code: LOOP + '@tf.function\ndef train_step(x):\n    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n        loss = keras.ops.mean(model(x))\n    g = gen_tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(g, model.trainable_variables))\n',
      errors: [{ line: 7, column: 10 }]
    }
  ]
});
