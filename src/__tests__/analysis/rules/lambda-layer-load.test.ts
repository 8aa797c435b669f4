import { ruleTester } from '../rule-tester';

ruleTester('lambda-layer-load', {
  valid: [
    {
      // og49d repro_4 (handson-ml3 ch. 12): the Lambda model is never saved; the model saved and loaded is an
      // instance of a model class of the cell without a Lambda. Its load ran on all three (Keras 3.15).
      name: 'the file loaded was saved from an instance of a cell model class that makes no Lambda',
      code: 'import keras\nlam = keras.Sequential([keras.layers.Dense(1), keras.layers.Lambda(lambda x: x * 2)])\n\nclass Regressor(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.out = keras.layers.Dense(1)\n\n    def call(self, inputs):\n        return self.out(inputs)\n\nmodel = Regressor()\nmodel.save("my_custom_model.keras")\nmodel = keras.models.load_model("my_custom_model.keras", custom_objects={"Regressor": Regressor})\n'
    },
    {
      // og47a repro_3 (Géron's handson-ml2 ch. 12): the model saved and loaded holds no Lambda; it loaded on all three.
      name: 'a Lambda in another model; the file loaded was saved from a Sequential without one',
      code: 'import keras\nexp_model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2)])\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\nmodel.save("m.keras")\nmodel = keras.models.load_model("m.keras")\n'
    },
    { name: 'clone_model of a model without a Python lambda', code: 'import keras\ninp = keras.Input(shape=(1,))\nnet = keras.Model(inp, keras.layers.Dense(1)(inp))\nema = keras.models.clone_model(net)\n' },
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
      // keras.io DDIM's EMA network with a lambda (og45a): clone_model raised "Requested the deserialization of a `Lambda`
      // layer whose `function` is a Python lambda" on TF, JAX and PyTorch; with the call before it, all three ran.
      name: 'clone_model of a model with a Lambda around a lambda, in a function (tf.keras): unsafe deserialization allowed first',
      code: 'import tensorflow as tf\ninp = tf.keras.Input(shape=(1,))\nnet = tf.keras.Model(inp, tf.keras.layers.Lambda(lambda v: v * 2.0)(inp))\ndef make_ema():\n    return tf.keras.models.clone_model(net)\n',
      errors: [{ line: 5, column: 12, message: '`clone_model` takes no `safe_mode`' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\ninp = tf.keras.Input(shape=(1,))\nnet = tf.keras.Model(inp, tf.keras.layers.Lambda(lambda v: v * 2.0)(inp))\ndef make_ema():\n    keras.config.enable_unsafe_deserialization()  # clone_model rebuilds the Lambda\'s Python lambda\n    return tf.keras.models.clone_model(net)\n'
    },
    {
      name: 'the Lambda in one cell, the load in a later cell (function= keyword)',
      code: ['import keras\nlayer = keras.layers.Lambda(function=lambda t: t + 1.0)\n', 'from keras.models import load_model\nm = load_model(path)\n'],
      errors: [{ cell: 1, line: 2, column: 5 }],
      output: ['import keras\nlayer = keras.layers.Lambda(function=lambda t: t + 1.0)\n', 'from keras.models import load_model\nm = load_model(path, safe_mode=False)\n']
    }
  ]
});
