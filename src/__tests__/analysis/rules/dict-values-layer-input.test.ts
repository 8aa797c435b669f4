import { ruleTester } from '../rule-tester';

const INPUTS = 'import keras\ninputs = {"a": keras.Input((2,)), "b": keras.Input((3,))}\n';

ruleTester('dict-values-layer-input', {
  valid: [
    { name: 'a list of the values', code: INPUTS + 'x = keras.layers.Concatenate()(list(inputs.values()))\n' },
    { name: 'the dict itself as a model\'s inputs', code: INPUTS + 'model = keras.Model(inputs, keras.layers.concatenate(list(inputs.values())))\n' },
    { name: 'a dict view given to a Python function', code: INPUTS + 'names = sorted(inputs.values(), key=id)\n' },
    { name: 'values() with an argument is not a dict view', code: INPUTS + 'x = keras.layers.Concatenate()(table.values(0))\n' }
  ],
  invalid: [
    {
      // TensorFlow's feature-columns migration guide (og45c): "Only input tensors may be passed as positional arguments"
      // on TF, JAX and PyTorch; ran on Keras 2 (claims/dict_values_layer_input.py).
      name: 'a layer made in place, a merge function and a model\'s inputs',
      code: INPUTS + 'x = keras.layers.Concatenate()(inputs.values())\ny = keras.layers.concatenate(inputs.values(), axis=-1)\nmodel = keras.Model(inputs.values(), x)\n',
      errors: [
        { line: 3, column: 32, message: '`inputs.values()` is a dict view as a layer\'s input' },
        { line: 4, column: 30 },
        { line: 5, column: 21, message: 'All `inputs` values must be KerasTensors' }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: INPUTS + 'x = keras.layers.Concatenate()(list(inputs.values()))\ny = keras.layers.concatenate(list(inputs.values()), axis=-1)\nmodel = keras.Model(list(inputs.values()), x)\n'
    },
    {
      name: 'a layer held by a name (tf.keras)',
      code: 'import tensorflow as tf\ninputs = {"a": tf.keras.Input((2,))}\nmerge = tf.keras.layers.Concatenate()\nx = merge(inputs.values())\n',
      errors: [{ line: 4, column: 11 }],
      output: 'import tensorflow as tf\ninputs = {"a": tf.keras.Input((2,))}\nmerge = tf.keras.layers.Concatenate()\nx = merge(list(inputs.values()))\n'
    }
  ]
});
