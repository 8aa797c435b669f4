import { ruleTester } from '../rule-tester';

ruleTester('lambda-layer-load', {
  valid: [
    { name: 'no Lambda layer', code: 'import keras\nm = keras.models.load_model("m.keras")\n' },
    {
      name: 'Lambda around a named function (no bytecode to refuse)',
      code: 'import keras\ndef double(t):\n    return t * 2.0\nlayer = keras.layers.Lambda(double)\nm = keras.models.load_model("m.keras")\n'
    },
    {
      name: 'the only Lambda comes after the load',
      code: ['import keras\nm = keras.models.load_model("m.keras")\n', 'block = keras.Sequential([keras.layers.Lambda(lambda t: t + 1.0)])\n']
    },
    {
      name: 'safe_mode already given',
      code: 'import keras\nlayer = keras.layers.Lambda(lambda t: t * 2.0)\nm = keras.models.load_model("m.keras", safe_mode=True)\n'
    }
  ],
  invalid: [
    {
      name: 'tf.keras Lambda with a lambda and an .h5 load',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import layers\ninputs = tf.keras.Input((3,))\nx = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 2.0})(inputs)\nmodel = tf.keras.Model(inputs, x)\nmodel.save("m.h5")\nrestored = tf.keras.models.load_model("m.h5", compile=False)\n',
      errors: [{ line: 7, column: 12, message: 'safe_mode=False' }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras import layers\ninputs = tf.keras.Input((3,))\nx = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 2.0})(inputs)\nmodel = tf.keras.Model(inputs, x)\nmodel.save("m.h5")\nrestored = tf.keras.models.load_model("m.h5", compile=False, safe_mode=False)\n'
    },
    {
      name: 'the Lambda in one cell, the load in a later cell (function= keyword)',
      code: ['import keras\nlayer = keras.layers.Lambda(function=lambda t: t + 1.0)\n', 'from keras.models import load_model\nm = load_model(path)\n'],
      errors: [{ cell: 1, line: 2, column: 5 }],
      output: ['import keras\nlayer = keras.layers.Lambda(function=lambda t: t + 1.0)\n', 'from keras.models import load_model\nm = load_model(path, safe_mode=False)\n']
    }
  ]
});
