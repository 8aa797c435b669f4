import { ruleTester } from '../rule-tester';

ruleTester('keras-dtype-name', {
  valid: [
    { name: 'a NumPy array', code: 'import numpy as np\nx = np.zeros(3)\nprint(x.dtype.name)\n' },
    { name: 'already a string', code: 'import keras\ninputs = keras.Input((4,))\nprint(keras.backend.standardize_dtype(inputs.dtype))\n' }
  ],
  invalid: [
    {
      name: 'functional output and get_layer(...).output (mixed-precision guide style)',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = keras.Input(shape=(4,))\nx = keras.layers.Dense(2, name="logits")(inputs)\nmodel = keras.Model(inputs, x)\nprint(x.dtype.name, model.get_layer("logits").output.dtype.name)\n',
      errors: [{ line: 6, column: 7 }, { line: 6, column: 21 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = keras.Input(shape=(4,))\nx = keras.layers.Dense(2, name="logits")(inputs)\nmodel = keras.Model(inputs, x)\nprint(keras.backend.standardize_dtype(x.dtype), keras.backend.standardize_dtype(model.get_layer("logits").output.dtype))\n'
        },
    {
      name: 'a name the program gives keras.Model as its outputs (built through a model of its own)',
      code: 'import keras\ninputs = keras.Input((4,))\nx = backbone(inputs, training=False)\noutputs = keras.layers.Activation("softmax", dtype="float32")(x)\nmodel = keras.Model(inputs, outputs)\nprint(outputs.dtype.name)\n',
      errors: [{ line: 6, column: 7 }],
      output: 'import keras\ninputs = keras.Input((4,))\nx = backbone(inputs, training=False)\noutputs = keras.layers.Activation("softmax", dtype="float32")(x)\nmodel = keras.Model(inputs, outputs)\nprint(keras.backend.standardize_dtype(outputs.dtype))\n'
    }
  ]
});
