import { ruleTester } from '../rule-tester';

const HEAD =
  'import tensorflow as tf\nimport keras\n\nactor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\ntarget_actor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n\n\n';
const UPDATE = 'def update_target(target_weights, weights, tau):\n    for (a, b) in zip(target_weights, weights):\n        a.assign(b * tau + a * (1 - tau))\n\n\n';

ruleTester('tf-function-assign-to-variable-list', {
  valid: [
    { name: 'no @tf.function', code: HEAD + UPDATE + 'update_target(target_actor.variables, actor.variables, 0.005)\n' },
    {
      name: 'tf.Variables of a tf.Module-like object (not Keras)',
      code: 'import tensorflow as tf\n\nclass Box:\n    pass\n\nbox = Box()\nbox.variables = [tf.Variable(1.0)]\n\n\n@tf.function\n' + UPDATE + 'update_target(box.variables, box.variables, 0.5)\n'
    },
    {
      name: 'the assigned parameter gets something else',
      code: HEAD + 'targets = [tf.Variable(tf.zeros((3, 1))), tf.Variable(tf.zeros((1,)))]\n\n\n@tf.function\n' + UPDATE + 'update_target(targets, actor.variables, 0.005)\n'
    },
    {
      name: 'no assign in the body',
      code: HEAD + '@tf.function\ndef total(weights):\n    s = 0.0\n    for w in weights:\n        s += tf.reduce_sum(w)\n    return s\n\n\nprint(total(actor.trainable_weights))\n'
    }
  ],
  invalid: [
    {
      name: "keras.io DDPG's soft target update (models built by a factory function)",
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\n\n\ndef get_actor():\n    inputs = layers.Input(shape=(3,))\n    outputs = layers.Dense(1)(inputs)\n    model = tf.keras.Model(inputs, outputs)\n    return model\n\n\n@tf.function\n' +
        UPDATE +
        'actor_model = get_actor()\ntarget_actor = get_actor()\nupdate_target(target_actor.variables, actor_model.variables, 0.005)\n',
      errors: [{ line: 12, column: 1, message: "'SymbolicTensor' object has no attribute 'assign'" }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\n\n\ndef get_actor():\n    inputs = layers.Input(shape=(3,))\n    outputs = layers.Dense(1)(inputs)\n    model = tf.keras.Model(inputs, outputs)\n    return model\n\n\n' +
        UPDATE +
        'actor_model = get_actor()\ntarget_actor = get_actor()\nupdate_target(target_actor.variables, actor_model.variables, 0.005)\n'
    },
    {
      name: 'one loop variable, keyword argument, decorator with arguments',
      code: HEAD + '@tf.function(jit_compile=False)\ndef decay(weights, rate):\n    for w in weights:\n        w.assign_sub(w * rate)\n\n\ndecay(weights=target_actor.trainable_weights, rate=0.1)\n',
      errors: [{ line: 8, column: 1 }],
      output: HEAD + 'def decay(weights, rate):\n    for w in weights:\n        w.assign_sub(w * rate)\n\n\ndecay(weights=target_actor.trainable_weights, rate=0.1)\n'
    }
  ]
});
