import { ruleTester } from '../rule-tester';

const MLP_HEAD = 'import keras\nfrom keras import layers\n\ndef mlp(units_list, norm):\n    stack = []\n    for units in units_list:\n';
const MLP_TAIL = 'block = mlp([8, 4], layers.BatchNormalization())\n';

ruleTester('repeated-layer-in-sequential', {
  valid: [
    {
      name: 'a new layer made on every pass',
      code: MLP_HEAD + '        stack.append(layers.BatchNormalization())\n        stack.append(layers.Dense(units))\n    return keras.Sequential(stack)\n' + MLP_TAIL
    },
    {
      name: 'a factory called on every pass (the Keras 3 spelling)',
      code: MLP_HEAD + '        stack.append(norm())\n        stack.append(layers.Dense(units))\n    return keras.Sequential(stack)\n' + MLP_TAIL
    },
    {
      name: 'the appended name is assigned in the loop',
      code: MLP_HEAD + '        norm = layers.LayerNormalization()\n        stack.append(norm)\n        stack.append(layers.Dense(units))\n    return keras.Sequential(stack)\n' + MLP_TAIL
    },
    {
      name: 'the loop variable is appended',
      code: 'import keras\nparts = []\nfor layer in [keras.layers.Dense(4), keras.layers.Dense(2)]:\n    parts.append(layer)\nmodel = keras.Sequential(parts)\n'
    },
    {
      name: 'an Input first: Keras 2 called every listed layer too',
      code: 'import keras\nnorm = keras.layers.LayerNormalization()\nstack = [keras.Input((4,))]\nfor units in [4, 4]:\n    stack.append(norm)\n    stack.append(keras.layers.Dense(units))\nmodel = keras.Sequential(stack)\n'
    },
    {
      name: 'a list literal of different layers',
      code: 'import keras\nd1 = keras.layers.Dense(4)\nd2 = keras.layers.Dense(2)\nmodel = keras.Sequential([d1, d2])\n'
    },
    {
      name: 'a list literal with an input shape',
      code: 'import keras\nact = keras.layers.ReLU()\nmodel = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), act, keras.layers.Dense(4), act])\n'
    },
    {
      name: 'appended under a condition (once)',
      code: MLP_HEAD + '        if norm not in stack:\n            stack.append(norm)\n        stack.append(layers.Dense(units))\n    return keras.Sequential(stack)\n' + MLP_TAIL
    },
    {
      name: 'not a Sequential',
      code: MLP_HEAD + '        stack.append(norm)\n    return combine(stack)\n' + MLP_TAIL
    }
  ],
  invalid: [
    {
      name: 'the rule example: one normalization layer appended on every pass (keras.io TabTransformer\'s create_mlp; checked by running: Keras 3 fails building it, Keras 2 ran)',
      code: MLP_HEAD + '        stack.append(norm)\n        stack.append(layers.Dense(units, activation="relu"))\n    return keras.Sequential(stack)\n\n' + MLP_TAIL,
      errors: [{ line: 9, column: 29, message: '`norm` is appended to `stack` on every pass of a loop' }],
      blocks: [],
      output: MLP_HEAD + '        stack.append(norm)\n        stack.append(layers.Dense(units, activation="relu"))\n    return keras.Sequential(list(dict.fromkeys(stack)))\n\n' + MLP_TAIL
    },
    {
      name: 'tf.keras spelling, a name parameter and the layers keyword',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\n\ndef block(units, norm, name=None):\n    out = []\n    for u in units:\n        out.append(norm),\n        out.append(keras.layers.Dense(u))\n        out.append(keras.layers.Dropout(0.1))\n    return keras.Sequential(layers=out, name=name)\n',
      errors: [{ line: 10, column: 36 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\n\ndef block(units, norm, name=None):\n    out = []\n    for u in units:\n        out.append(norm),\n        out.append(keras.layers.Dense(u))\n        out.append(keras.layers.Dropout(0.1))\n    return keras.Sequential(layers=list(dict.fromkeys(out)), name=name)\n'
    },
    {
      name: 'a name listed twice in a list literal',
      code: 'import keras\nact = keras.layers.ReLU()\nmodel = keras.Sequential([keras.layers.Dense(4), act, keras.layers.Dense(4), act])\n',
      errors: [{ line: 3, column: 26, message: '`act` is listed more than once' }],
      output: 'import keras\nact = keras.layers.ReLU()\nmodel = keras.Sequential(list(dict.fromkeys([keras.layers.Dense(4), act, keras.layers.Dense(4), act])))\n'
    },
    {
      name: 'a while loop at module level',
      code: 'import keras\nnorm = keras.layers.LayerNormalization()\nstack = []\ni = 0\nwhile i < 2:\n    stack.append(norm)\n    stack.append(keras.layers.Dense(8 * (i + 1)))\n    i += 1\nmodel = keras.models.Sequential(stack)\n',
      errors: [{ line: 9, column: 33 }],
      output: 'import keras\nnorm = keras.layers.LayerNormalization()\nstack = []\ni = 0\nwhile i < 2:\n    stack.append(norm)\n    stack.append(keras.layers.Dense(8 * (i + 1)))\n    i += 1\nmodel = keras.models.Sequential(list(dict.fromkeys(stack)))\n'
    }
  ]
});
