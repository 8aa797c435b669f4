import { ruleTester } from '../rule-tester';

const REFINE =
  'from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef refine(base_model):\n    x = layers.Conv2D(1, 3, padding="same")(base_model.output[0])\n    return keras.models.Model(inputs=[base_model.input], outputs=[x])\n\n\ndef build(predict_model):\n    refine_model = refine(predict_model)\n    output = [refine_model.output]\n    output.extend(predict_model.output)\n    return output\n';

ruleTester('single-item-list-model-attribute', {
  valid: [
    { name: 'a model built on one tensor (no list)', code: 'import keras\nx_in = keras.Input((8,))\nm = keras.Model(x_in, keras.layers.Dense(1)(x_in))\nh = keras.layers.Activation("relu")(m.output)\n' },
    { name: 'two outputs: .output is a list on both versions', code: 'import keras\nx_in = keras.Input((8,))\nm = keras.Model(x_in, [keras.layers.Dense(1)(x_in), keras.layers.Dense(1)(x_in)])\nh = keras.layers.Concatenate()(m.output)\n' },
    { name: 'read as a list: subscripted, iterated, extended', code: 'import keras\nx_in = keras.Input((8,))\nm = keras.Model([x_in], [keras.layers.Dense(1)(x_in)])\na = m.output[0]\nfor t in m.output:\n    print(t)\nouts = []\nouts.extend(m.output)\n' },
    { name: 'a model of unknown making', code: 'import keras\nm = keras.models.load_model("m.keras")\nh = keras.layers.Activation("relu")(m.output)\n' }
  ],
  invalid: [
    {
      name: 'keras.io BASNet: a refinement model returned by a function of the cell, its output put in a new list',
      code: REFINE,
      errors: [{ line: 12, column: 15, message: 'Keras 3\'s is a list of one tensor' }],
      output: REFINE.replace('output = [refine_model.output]', 'output = [refine_model.outputs[0]]')
    },
    {
      name: 'the input of a model built on a list of one input, passed to a layer',
      code: 'import keras\nx_in = keras.Input((8,))\nm = keras.Model(inputs=[x_in], outputs=keras.layers.Dense(1)(x_in))\ny = keras.layers.Dense(2)(m.input)\n',
      errors: [{ line: 4, column: 27, message: 'a list of one input' }],
      output: 'import keras\nx_in = keras.Input((8,))\nm = keras.Model(inputs=[x_in], outputs=keras.layers.Dense(1)(x_in))\ny = keras.layers.Dense(2)(m.inputs[0])\n'
    }
  ]
});
