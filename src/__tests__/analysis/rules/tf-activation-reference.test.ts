import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tf-activation-reference', {
  valid: [
    { name: 'a TF op handed to a parameter that is no layer function slot', code: HEAD + 'layer = keras.layers.Dense(4, dtype=tf.float32)\nds = ds.map(tf.math.exp)\n' },
    { name: 'a dict entry not keyed like an activation (a lookup table of TF functions)', code: HEAD + 'ops = {"gelu": tf.nn.gelu}\n' },
    { code: 'import keras\nd = keras.layers.Dense(3, activation="relu")\n' },
    { name: 'a TF function handed to a parameter that is no activation', code: HEAD + 'def apply(x, fn):\n    return fn(x)\ny = apply(x, tf.nn.relu)\n' },
    { name: 'a call, not a reference', code: 'import tensorflow as tf\nimport keras\nlayer = keras.layers.Lambda(lambda x: x * 2)\n' }
  ],
  invalid: [
    {
      name: 'keras.io PatchConvNet: a layer config dict with an "activation" entry, splatted into Conv2D',
      code: HEAD + 'config = {"kernel_size": (3, 3), "strides": (2, 2), "activation": tf.nn.gelu, "padding": "same"}\nstem = keras.Sequential([keras.layers.Conv2D(8, **config)])\n',
      errors: [{ line: 3, column: 67 }],
      blocks: ['jax', 'torch'],
      output: HEAD + 'config = {"kernel_size": (3, 3), "strides": (2, 2), "activation": keras.activations.gelu, "padding": "same"}\nstem = keras.Sequential([keras.layers.Conv2D(8, **config)])\n'
    },
    {
      name: 'keras.io PPO: an mlp helper whose activation parameter defaults to tf.tanh, called with tf.tanh positionally',
      code: HEAD + 'def mlp(x, sizes, activation=tf.tanh, output_activation=None):\n    return keras.layers.Dense(sizes[-1], activation=activation)(x)\nlogits = mlp(inputs, [4], tf.tanh, None)\n',
      errors: [{ line: 3, column: 30 }, { line: 5, column: 27 }],
      output: HEAD + 'def mlp(x, sizes, activation=keras.activations.tanh, output_activation=None):\n    return keras.layers.Dense(sizes[-1], activation=activation)(x)\nlogits = mlp(inputs, [4], keras.activations.tanh, None)\n'
    },
    {
      name: 'a branch of a conditional expression passed as the activation (keras.io CaiT mlp helper); the condition itself is left alone',
      code: HEAD + 'def mlp(x, units):\n    for idx, u in enumerate(units):\n        x = keras.layers.Dense(u, activation=tf.nn.gelu if idx == 0 else None)(x)\n    return x\n',
      errors: [{ line: 5, column: 46 }],
      output: HEAD + 'def mlp(x, units):\n    for idx, u in enumerate(units):\n        x = keras.layers.Dense(u, activation=keras.activations.gelu if idx == 0 else None)(x)\n    return x\n'
    },
    {
      code: HEAD + 'd = keras.layers.Dense(3, activation=tf.nn.relu)\n',
      errors: [{ line: 3, column: 38, endColumn: 48 }],
      output: HEAD + 'd = keras.layers.Dense(3, activation=keras.activations.relu)\n'
    },
    {
      name: 'TF activation given positionally to Activation and Lambda layers',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Lambda\na = Activation(tf.nn.relu)\nb = Lambda(tf.nn.softmax)\n',
      errors: [{ line: 3, column: 16 }, { line: 4, column: 12 }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Lambda\nimport keras\na = Activation(keras.activations.relu)\nb = Lambda(keras.activations.softmax)\n'
    },
    {
      // /work/og46a repro_4/repro_5 (keras.io eikonal): JAX "Unable to automatically build the model", PyTorch
      // "Can't call numpy() on Tensor that requires grad"; keras.ops.sin/exp run on all three.
      name: 'any other TF op in an activation or Lambda slot becomes its keras.ops function (safe)',
      code: HEAD + 'hidden = keras.layers.Dense(4, activation=tf.math.sin)\nexp = keras.layers.Lambda(tf.math.exp)\n',
      errors: [{ line: 3, column: 43, message: '`keras.ops.sin`' }, { line: 4, column: 27 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport tensorflow as tf\nhidden = keras.layers.Dense(4, activation=keras.ops.sin)\nexp = keras.layers.Lambda(keras.ops.exp)\n'
    },
    {
      // A constraint runs after the optimizer step, without grad: PyTorch runs the TF op there.
      name: 'a TF op as a constraint claims JAX only; its keras.ops function is a suggestion',
      code: HEAD + 'layer = keras.layers.Dense(4, kernel_constraint=tf.math.abs)\n',
      errors: [{ line: 3, column: 49 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(4, kernel_constraint=keras.ops.absolute)\n'
    },
    {
      // /work/og46a variants/w_partial.py: fails on JAX and PyTorch; no fix (TensorFlow's `alpha=` is Keras's `negative_slope=`).
      name: 'a TF activation bound by functools.partial, in the slot or held by a name handed to a layer',
      code: HEAD + 'import functools\nact = functools.partial(tf.nn.leaky_relu, alpha=0.1)\na = keras.layers.Dense(4, activation=act)\nb = keras.layers.Dense(4, activation=functools.partial(tf.nn.leaky_relu, alpha=0.2))\n',
      errors: [{ line: 4, column: 25, message: 'bound by `functools.partial`' }, { line: 6, column: 56 }],
      blocks: ['jax', 'torch']
    }
  ]
});
