import { ruleTester } from '../rule-tester';

const HEAD =
  'import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n    optimizer = tf.keras.optimizers.Adam()\n\n';

ruleTester('distribute-strategy-run', {
  valid: [
    {
      name: 'notebook cells: a step without Keras code in another cell',
      code: ['import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n', 'def step(x):\n    return tf.reduce_sum(x)\n', '@tf.function\ndef dist(x):\n    return strategy.run(step, args=(x,))\n']
    },
    { name: 'run eagerly (a one-device strategy calls the step)', code: HEAD + 'def step(x):\n    return model(x)\n\nfor x in [1]:\n    strategy.run(step, args=(x,))\n' },
    { name: 'a step without Keras code', code: HEAD + 'def step(x):\n    return tf.reduce_sum(x)\n\n@tf.function\ndef dist(x):\n    return strategy.run(step, args=(x,))\n' },
    { name: 'run of something that is no strategy', code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\nclass Runner:\n    def run(self, f, args):\n        return f(*args)\nrunner = Runner()\ndef step(x):\n    return model(x)\n\n@tf.function\ndef dist(x):\n    return runner.run(step, args=(x,))\n' }
  ],
  invalid: [
    {
      // The TensorFlow tutorial "Custom training with tf.distribute.Strategy" (tf.keras era): after fix --unsafe rewrote the tape for JAX and PyTorch, Keras 3.15 still raised "Cannot convert a symbolic tf.Tensor (dataset_inputs:0) to a numpy array" there; TensorFlow ran (examples/runnable/distributed_custom_training_loop.py).
      name: 'the tutorial: train_step run by the strategy in a tf.function',
      code:
        HEAD +
        'def train_step(inputs):\n    images, labels = inputs\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean(model(images, training=True))\n    gradients = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n    return loss\n\n@tf.function\ndef distributed_train_step(dataset_inputs):\n    per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))\n    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)\n',
      errors: [{ line: 17, column: 26, message: 'symbolic tf.Tensor' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'notebook cells: the strategy, the model and the step in earlier cells (the tutorial notebook)',
      code: [
        'import tensorflow as tf\nstrategy = tf.distribute.MirroredStrategy()\n',
        'with strategy.scope():\n    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n',
        'def test_step(inputs):\n    images, labels = inputs\n    predictions = model(images, training=False)\n',
        '@tf.function\ndef distributed_test_step(dataset_inputs):\n    return strategy.run(test_step, args=(dataset_inputs,))\n'
      ],
      errors: [{ line: 3, column: 12 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'TF 2.0 experimental_run_v2 of a tf.function step',
      code: HEAD + '@tf.function\ndef step(x):\n    return model(x)\n\nout = strategy.experimental_run_v2(step, args=(1,))\n',
      errors: [{ line: 11, column: 7 }]
    }
  ]
});
