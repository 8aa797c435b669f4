import { ruleTester } from '../rule-tester';

const RECIPE_CLASS =
  'class CustomTrainStep(tf.keras.Model):\n' +
  '    def __init__(self, n_gradients, *args, **kwargs):\n' +
  '        super().__init__(*args, **kwargs)\n' +
  '        self.n_gradients = tf.constant(n_gradients, dtype=tf.int32)\n' +
  '        self.n_acum_step = tf.Variable(0, dtype=tf.int32, trainable=False)\n' +
  '        self.gradient_accumulation = [tf.Variable(tf.zeros_like(v, dtype=tf.float32), trainable=False)\n' +
  '                                      for v in self.trainable_variables]\n' +
  '\n' +
  '    def train_step(self, data):\n' +
  '        self.n_acum_step.assign_add(1)\n' +
  '\n' +
  '        x, y, sample_weight = tf.keras.utils.unpack_x_y_sample_weight(data)\n' +
  '        with tf.GradientTape() as tape:\n' +
  '            y_pred = self(x, training=True)\n' +
  '            loss = self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)\n' +
  '        gradients = tape.gradient(loss, self.trainable_variables)\n' +
  '        for i in range(len(self.gradient_accumulation)):\n' +
  '            self.gradient_accumulation[i].assign_add(gradients[i])\n' +
  '\n' +
  '        tf.cond(tf.equal(self.n_acum_step, self.n_gradients), self.apply_accu_gradients, lambda: None)\n' +
  '\n' +
  '        self.compiled_metrics.update_state(y, y_pred, sample_weight)\n' +
  '        return {m.name: m.result() for m in self.metrics}\n' +
  '\n' +
  '    def apply_accu_gradients(self):\n' +
  '        self.optimizer.apply_gradients(zip(self.gradient_accumulation, self.trainable_variables))\n' +
  '\n' +
  '        self.n_acum_step.assign(0)\n' +
  '        for i in range(len(self.gradient_accumulation)):\n' +
  '            self.gradient_accumulation[i].assign(tf.zeros_like(self.trainable_variables[i], dtype=tf.float32))\n';

const FIXED_CLASS =
  'class CustomTrainStep(tf.keras.Model):\n' +
  '    def __init__(self, n_gradients, *args, **kwargs):\n' +
  '        super().__init__(*args, **kwargs)\n' +
  '        self.n_gradients = tf.constant(n_gradients, dtype=tf.int32)\n' +
  '\n' +
  '    def compile(self, *args, **kwargs):\n' +
  '        super().compile(*args, **kwargs)\n' +
  '        # Keras 3 optimizers accumulate gradients themselves: every n_gradients steps they apply the mean\n' +
  '        # of the gradients since the last update (this step applied their sum), on every backend.\n' +
  '        self.optimizer.gradient_accumulation_steps = int(self.n_gradients)\n';

const USE = 'inp = tf.keras.Input((4,))\nmodel = CustomTrainStep(4, inputs=inp, outputs=tf.keras.layers.Dense(1)(inp))\nmodel.compile(optimizer="adam", loss="mse")\n';

ruleTester('gradient-accumulation-train-step', {
  valid: [
    {
      name: 'a train_step without accumulation',
      code: 'import tensorflow as tf\nclass M(tf.keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x, training=True))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n'
    },
    { name: 'the optimizer accumulates already', code: 'import keras\nopt = keras.optimizers.Adam(gradient_accumulation_steps=4)\n' }
  ],
  invalid: [
    {
      name: 'the Stack Overflow recipe (tf.cond on the counter, sample weights)',
      code: 'import tensorflow as tf\n' + RECIPE_CLASS + '\n' + USE,
      errors: [{ line: 10, column: 9 }],
      output: 'import tensorflow as tf\n' + FIXED_CLASS + '\n' + USE,
      fixOptions: { unsafe: true }
    },
    {
      name: 'the counter read outside the class: advice only',
      code: 'import tensorflow as tf\n' + RECIPE_CLASS + '\n' + USE + 'print(model.n_acum_step.numpy())\n',
      errors: [{ line: 10, column: 9, message: 'Pass `gradient_accumulation_steps=`' }]
    },
    {
      name: 'an if on the counter modulo n in the step, more to the step than the default: advice only',
      code:
        'import tensorflow as tf\nclass M(tf.keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.step = tf.Variable(0)\n        self.acc = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self.trainable_variables]\n\n    def train_step(self, data):\n        self.step.assign_add(1)\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred) + 0.1 * tf.reduce_sum(y_pred)\n        grads = tape.gradient(loss, self.trainable_variables)\n        for a, g in zip(self.acc, grads):\n            a.assign_add(g)\n        if self.step % 8 == 0:\n            self.optimizer.apply_gradients(zip(self.acc, self.trainable_variables))\n        return {"loss": loss}\n',
      errors: [{ line: 8, column: 9 }]
    }
  ]
});
