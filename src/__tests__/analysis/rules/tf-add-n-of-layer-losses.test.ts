import { ruleTester } from '../rule-tester';

const MODEL = 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2, kernel_regularizer=tf.keras.regularizers.l2(0.01))])\nout = model(x)\n';

ruleTester('tf-add-n-of-layer-losses', {
  valid: [
    { name: 'already sum()', code: MODEL + 'total = sum(model.losses)\n' },
    { name: 'add_n of other tensors', code: MODEL + 'total = tf.add_n([out, out])\n' },
    { name: 'in a tape body (KM175 converts it)', code: MODEL + 'with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(x)) + tf.add_n(model.losses)\n' },
    {
      name: "inside a model's method (KM131's)",
      code: 'import tensorflow as tf\nclass M(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = tf.keras.layers.Dense(2)\n\n    def call(self, x):\n        y = self.d(x)\n        return y + tf.add_n(self.d.losses)\n'
    }
  ],
  invalid: [
    {
      name: 'the TF overfit-and-underfit tutorial',
      code: MODEL + 'regularization_loss = tf.add_n(model.losses)\n',
      errors: [{ line: 4, column: 23 }],
      output: MODEL + 'regularization_loss = sum(model.losses)\n'
    },
    {
      name: 'tf.math.add_n of a layer\'s losses in a function',
      code: 'import tensorflow as tf\nlayer = tf.keras.layers.Dense(2, activity_regularizer="l2")\n\ndef reg(x):\n    layer(x)\n    return tf.math.add_n(layer.losses)\n',
      errors: [{ line: 6, column: 12 }],
      output: 'import tensorflow as tf\nlayer = tf.keras.layers.Dense(2, activity_regularizer="l2")\n\ndef reg(x):\n    layer(x)\n    return sum(layer.losses)\n'
    }
  ]
});
