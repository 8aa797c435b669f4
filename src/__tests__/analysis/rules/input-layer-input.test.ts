import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\ninp = keras.Input(shape=(4,), name="image")\nout = keras.layers.Dense(2, name="dense")(inp)\nmodel = keras.Model(inp, out)\n';

ruleTester('input-layer-input', {
  valid: [
    { name: 'the input of a layer that is not an Input', code: MODEL + 'x = model.get_layer("dense").input\n' },
    { name: 'no Input of that name in the code', code: 'import keras\nmodel = keras.models.load_model("m.keras")\nx = model.get_layer("image").input\n' }
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
    }
  ]
});
