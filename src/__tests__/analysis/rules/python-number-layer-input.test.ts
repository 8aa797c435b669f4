import { ruleTester } from '../rule-tester';

const CALC = 'import keras\ninput = keras.Input(shape=(), dtype="float32")\nresult = 2 * input + 1\ncalc = keras.Model(inputs=input, outputs=result)\n';

ruleTester('python-number-layer-input', {
  valid: [
    { name: 'a tensor or an array', code: CALC + 'import numpy as np\nprint(calc(np.array([1.0])))\nprint(calc(keras.ops.convert_to_tensor([1.0])))\n' },
    { name: 'a method of a model (predict takes NumPy-convertible data)', code: CALC + 'print(calc.predict(1))\n' },
    { name: 'a number given by keyword', code: 'import keras\nlayer = keras.layers.Dropout(0.5)\ny = layer(keras.ops.ones((2, 2)), training=1)\n' },
    { name: 'a function of the notebook, not a layer', code: 'import keras\ndef calc(x):\n    return 2 * x\nprint(calc(1))\n' }
  ],
  invalid: [
    {
      // TensorFlow CSV tutorial (/work/og42a repro r1): "Inputs to a layer should be tensors. Got '1'"
      // on tf/jax/torch; the fix prints 3.0, Keras 2's value, on all three (Keras 3.15).
      name: 'a Functional model on keras.Input(shape=()) called on a number (the CSV tutorial)',
      code: CALC + 'print(calc(1))\nprint(calc(-2.5))\n',
      errors: [
        { line: 5, column: 12, message: 'raises "Inputs to a layer should be tensors"' },
        { line: 6, column: 12 }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: CALC + 'print(calc(keras.ops.convert_to_tensor([1]))[0])\nprint(calc(keras.ops.convert_to_tensor([-2.5]))[0])\n'
    },
    {
      name: 'a Sequential starting with keras.Input(shape=())',
      code: 'import keras\nmodel = keras.Sequential([keras.Input(shape=()), keras.layers.Rescaling(2.0)])\ny = model(3)\n',
      errors: [{ line: 3, column: 11 }],
      output: 'import keras\nmodel = keras.Sequential([keras.Input(shape=()), keras.layers.Rescaling(2.0)])\ny = model(keras.ops.convert_to_tensor([3]))[0]\n'
    },
    {
      // "Only input tensors may be passed as positional arguments" on tf/jax/torch; converted, each
      // gives Keras 2's rank-0 result (Keras 3.15).
      name: 'a layer subclass, a layer made in place and a Sequential without an input shape',
      code: 'import keras\nclass Twice(keras.layers.Layer):\n    def call(self, x):\n        return 2 * x\ntwice = Twice()\nprint(twice(1.0))\nprint(keras.layers.Rescaling(2.0)(4))\nseq = keras.Sequential([keras.layers.Rescaling(2.0)])\nprint(seq(1.0))\n',
      errors: [{ line: 6, column: 13, message: 'Only input tensors may be passed as positional arguments' }, { line: 7, column: 35 }, { line: 9, column: 11 }],
      output:
        'import keras\nclass Twice(keras.layers.Layer):\n    def call(self, x):\n        return 2 * x\ntwice = Twice()\nprint(twice(keras.ops.convert_to_tensor(1.0)))\nprint(keras.layers.Rescaling(2.0)(keras.ops.convert_to_tensor(4)))\nseq = keras.Sequential([keras.layers.Rescaling(2.0)])\nprint(seq(keras.ops.convert_to_tensor(1.0)))\n'
    },
    {
      name: 'a model with another or an unknown input shape: reported without a fix',
      code: 'import keras\ninputs = keras.Input(shape=(3,))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nloaded = keras.models.load_model("m.keras")\nmodel(1.0)\nloaded(1.0)\n',
      errors: [{ line: 5, column: 7 }, { line: 6, column: 8 }],
      output: 'import keras\ninputs = keras.Input(shape=(3,))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nloaded = keras.models.load_model("m.keras")\nmodel(1.0)\nloaded(1.0)\n'
    },
    {
      name: 'tf.keras code: the fix imports keras',
      code: 'import tensorflow as tf\ninput = tf.keras.Input(shape=(), dtype=tf.float32)\ncalc = tf.keras.Model(inputs=input, outputs=2 * input + 1)\nprint(calc(1).numpy())\n',
      errors: [{ line: 4, column: 12 }],
      output: 'import tensorflow as tf\nimport keras\ninput = tf.keras.Input(shape=(), dtype=tf.float32)\ncalc = tf.keras.Model(inputs=input, outputs=2 * input + 1)\nprint(calc(keras.ops.convert_to_tensor([1]))[0].numpy())\n'
    }
  ]
});
