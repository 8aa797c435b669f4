import { ruleTester } from '../rule-tester';

const LOOP = 'import numpy as np\nimport tensorflow as tf\nimport keras\n\nW = tf.Variable(tf.random.normal([4, 3]), name="weight")\nb = tf.Variable(tf.zeros([3]), name="bias")\n';

ruleTester('keras-optimizer-on-tf-variables', {
  valid: [
    {
      name: 'a model\'s variables',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n'
    },
    { name: 'keras.Variable', code: 'import keras\nW = keras.Variable(keras.ops.zeros((2,)))\noptimizer = keras.optimizers.SGD()\noptimizer.apply_gradients(zip(grads, [W]))\n' },
    { name: 'an optimizer the code does not make', code: LOOP + 'opt.apply_gradients(zip(grads, [W, b]))\n' },
    { name: 'some variable not a tf.Variable', code: LOOP + 'v = layer.kernel\noptimizer = keras.optimizers.Adam()\noptimizer.apply_gradients(zip(grads, [W, v]))\n' }
  ],
  invalid: [
    {
      // og49b repro_2 (aymericdamien's logistic regression), claims/keras_optimizer_on_tf_variables.py: runs on
      // TensorFlow and JAX, "'function' object has no attribute 'dtype'" on PyTorch (Keras 3.15).
      name: 'tf.optimizers.Adam on a list of tf.Variables written out',
      code: LOOP + 'optimizer = tf.optimizers.Adam(0.01)\nwith tf.GradientTape() as g:\n    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b))\ngradients = g.gradient(loss, [W, b])\noptimizer.apply_gradients(zip(gradients, [W, b]))\n',
      errors: [{ line: 11, column: 1 }],
      blocks: ['torch']
    },
    {
      name: 'keras.optimizers.SGD, the variables in a name, list(zip(...))',
      code: LOOP + 'trainable = [W, b]\nsgd = keras.optimizers.SGD(0.1)\nsgd.apply_gradients(list(zip(gradients, trainable)))\n',
      errors: [{ line: 9, column: 1 }],
      blocks: ['torch']
    }
  ]
});
