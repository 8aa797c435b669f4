import { ruleTester } from '../rule-tester';

const HEAD =
  'import tensorflow as tf\nfrom tensorflow import keras\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    net = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])\n    net.compile(optimizer="adam", loss="mse")\n';

ruleTester('compile-outside-strategy-scope', {
  valid: [
    { name: 'recompiled inside the scope', code: HEAD + 'net.fit(ds)\nwith strategy.scope():\n    net.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")\nnet.fit(ds)\n' },
    { name: 'no strategy', code: 'from tensorflow import keras\nnet = keras.Sequential([keras.layers.Dense(1)])\nnet.compile(optimizer="adam", loss="mse")\nnet.fit(ds)\n' },
    { name: 'a model built outside the scope', code: HEAD + 'other = keras.Sequential([keras.layers.Dense(1)])\nother.compile(optimizer="adam", loss="mse")\nother.fit(ds)\n' },
    { name: 'reassigned outside the scope before compiling', code: HEAD + 'net = keras.Sequential([keras.layers.Dense(1)])\nnet.compile(optimizer="adam", loss="mse")\nnet.fit(ds)\n' },
    { name: 'recompiled with a plain SGD (no per-variable state: Keras 3.15 ran it)', code: HEAD + 'net.fit(ds)\nnet.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")\nnet.fit(ds)\nnet.compile(optimizer="sgd", loss="mae")\nnet.fit(ds)\n' },
    { name: 'an optimizer from elsewhere', code: HEAD + 'def retune(m, opt):\n    m.compile(optimizer=opt, loss="mse")\n\nretune(net, make_optimizer())\nnet.fit(ds)\n' },
    { name: 'recompiled but never trained', code: HEAD + 'net.compile(optimizer="sgd", loss="mse")\nnet.save("m.keras")\n' },
    { name: 'a function compiling its parameter, called inside the scope', code: HEAD + 'def retune(m):\n    m.compile(optimizer=keras.optimizers.Adam(1e-5), loss="mse")\n\nwith strategy.scope():\n    retune(net)\nnet.fit(ds)\n' }
  ],
  invalid: [
    {
      // Keras 3.15 TensorFlow: "Mixing different tf.distribute.Strategy objects" in the second fit; JAX, PyTorch and tf_keras 2.21 ran it.
      name: 'recompiled at module level after training',
      code: HEAD + 'net.fit(ds)\nnet.compile(\n    optimizer=keras.optimizers.Adam(1e-4), loss="mse"\n)\nnet.fit(ds)\n',
      errors: [{ line: 8, column: 1, message: 'Mixing different tf.distribute.Strategy objects' }],
      blocks: ['tensorflow'],
      output: HEAD + 'net.fit(ds)\nwith strategy.scope():\n    net.compile(\n        optimizer=keras.optimizers.Adam(1e-4), loss="mse"\n    )\nnet.fit(ds)\n'
    },
    {
      name: 'a fine-tuning function that unfreezes and recompiles its parameter, called outside the scope',
      code:
        HEAD +
        'def unfreeze_top(m, n=2):\n    for layer in m.layers[-n:]:\n        layer.trainable = True\n    opt = keras.optimizers.Adam(1e-5)\n    m.compile(optimizer=opt, loss="mse")\n\nnet.fit(ds)\nunfreeze_top(net)\nnet.fit(ds)\n',
      errors: [{ line: 11, column: 5, message: '`unfreeze_top(net)` compiles it' }],
      blocks: ['tensorflow'],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'def unfreeze_top(m, n=2):\n    for layer in m.layers[-n:]:\n        layer.trainable = True\n    opt = keras.optimizers.Adam(1e-5)\n    m.compile(optimizer=opt, loss="mse")\n\nnet.fit(ds)\nwith strategy.scope():\n    unfreeze_top(net)\nnet.fit(ds)\n'
    },
    {
      name: 'the safe fix leaves the function call alone',
      code: HEAD + 'def retune(m):\n    m.compile(optimizer="adam", loss="mse")\n\nretune(net)\nnet.fit(ds)\n',
      errors: [{ line: 8, column: 5 }]
    },
    {
      name: 'the strategy chosen in try/except (TPU or mirrored), a string optimizer',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\ntry:\n    strategy = tf.distribute.TPUStrategy(tf.distribute.cluster_resolver.TPUClusterResolver())\nexcept ValueError:\n    strategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(ds)\n',
      errors: [{ line: 9, column: 1 }],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\ntry:\n    strategy = tf.distribute.TPUStrategy(tf.distribute.cluster_resolver.TPUClusterResolver())\nexcept ValueError:\n    strategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nwith strategy.scope():\n    model.compile(optimizer="adam", loss="mse")\nmodel.fit(ds)\n'
    },
    {
      name: 'the doc example',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")\nmodel.fit(ds)\n',
      errors: [{ line: 6, column: 1 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nstrategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n    model = keras.Sequential([keras.layers.Dense(1)])\nwith strategy.scope():\n    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")\nmodel.fit(ds)\n'
    }
  ]
});
