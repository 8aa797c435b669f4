import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\ninp = keras.Input(shape=(4,), name="image")\nout = keras.layers.Dense(2, name="dense")(inp)\nmodel = keras.Model(inp, out)\n';

ruleTester('input-layer-input', {
  valid: [
    { name: 'the input of a layer that is not an Input', code: MODEL + 'x = model.get_layer("dense").input\n' },
    { name: 'no Input of that name in the code', code: 'import keras\nmodel = keras.models.load_model("m.keras")\nx = model.get_layer("image").input\n' },
    {
      name: 'notebook: another cell creates an Input of another name',
      code: ['import keras\ninp = keras.Input(shape=(4,), name="pixels")\n', 'x = model.get_layer("image").input\n']
    }
  ],
  invalid: [
    {
      code: MODEL + 'sub = keras.Model(model.get_layer(name="image").input, model.get_layer("dense").output)\n',
      errors: [{ line: 5, column: 19 }],
      // ValueError: `inputs` argument cannot be empty (Keras 3.15, every backend).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: MODEL + 'sub = keras.Model(model.get_layer(name="image").output, model.get_layer("dense").output)\n'
    },
    {
      name: 'tf.keras spelling, Input created inside a function',
      code: 'from tensorflow import keras\ndef build():\n    return keras.layers.Input((3,), name="pixels")\nx = model.get_layer("pixels").input\n',
      errors: [{ line: 4, column: 5 }],
      output: 'from tensorflow import keras\ndef build():\n    return keras.layers.Input((3,), name="pixels")\nx = model.get_layer("pixels").output\n'
    },
    {
      name: 'notebook (keras.io handwriting recognition): the Input is created in one cell, the prediction model cut out of the model in a later one',
      code: [
        'from tensorflow import keras\ndef build_model():\n    input_img = keras.Input(shape=(32, 16, 1), name="image")\n    return keras.Model(input_img, keras.layers.Dense(2, name="dense2")(input_img))\nmodel = build_model()\n',
        'prediction_model = keras.models.Model(model.get_layer(name="image").input, model.get_layer(name="dense2").output)\n'
      ],
      errors: [{ cell: 1, line: 1, column: 39 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: [
        'from tensorflow import keras\ndef build_model():\n    input_img = keras.Input(shape=(32, 16, 1), name="image")\n    return keras.Model(input_img, keras.layers.Dense(2, name="dense2")(input_img))\nmodel = build_model()\n',
        'prediction_model = keras.models.Model(model.get_layer(name="image").output, model.get_layer(name="dense2").output)\n'
      ]
    }
  ]
});
