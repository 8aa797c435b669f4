import { ruleTester } from '../rule-tester';

const SEQ = 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)])\n';

ruleTester('sequential-output-attribute', {
  valid: [
    { name: 'outputs[0] already', code: SEQ + 'm = keras.Model(model.inputs, model.outputs[0])\n' },
    { name: 'a functional model has .output', code: 'import keras\ni = keras.Input((3,))\nmodel = keras.Model(i, keras.layers.Dense(2)(i))\nprint(model.output)\n' },
    { name: 'a Sequential called on a KerasTensor has .output', code: SEQ + 'y = model(keras.Input((8, 8, 3)))\nprint(model.output)\n' },
    { name: 'called on a name assigned from Input', code: SEQ + 'inp = keras.layers.Input((8, 8, 3))\ny = model(inp)\nprint(model.output)\n' },
    { name: 'a layer output', code: SEQ + 'print(model.get_layer("conv").output)\n' },
    { name: 'a helper also called with another model', code: SEQ + 'def out(model):\n    return model.output\nout(model)\nout(other)\n' }
  ],
  invalid: [
    {
      name: 'keras.io Grad-CAM on a Sequential model (checked by running: claims/sequential_output_attribute.py)',
      code: SEQ + 'grad_model = keras.models.Model([model.inputs], [model.get_layer("conv").output, model.output])\nprint(model.input.shape)\n',
      errors: [{ line: 3, column: 88, message: 'never been called' }, { line: 4, column: 13 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: SEQ + 'grad_model = keras.models.Model([model.inputs], [model.get_layer("conv").output, model.outputs[0]])\nprint(model.inputs[0].shape)\n'
    },
    {
      name: 'a helper whose parameter every call fills with the Sequential model (keras.io make_gradcam_heatmap)',
      code: SEQ + 'def heatmap(img, model, name):\n    return keras.Model(model.inputs, [model.get_layer(name).output, model.output])\nh = heatmap(x, model, "conv")\n',
      errors: [{ line: 4, column: 75 }],
      output: SEQ + 'def heatmap(img, model, name):\n    return keras.Model(model.inputs, [model.get_layer(name).output, model.outputs[0]])\nh = heatmap(x, model, "conv")\n'
    },
    {
      name: 'calls on data give no .output',
      code: SEQ + 'preds = model(images)\nout = model.output\n',
      errors: [{ line: 4, column: 13 }],
      output: SEQ + 'preds = model(images)\nout = model.outputs[0]\n'
    },
    {
      name: 'tf.keras spelling',
      code: 'import tensorflow as tf\nmodel = tf.keras.models.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nout = model.output\n',
      errors: [{ line: 3, column: 13 }],
      output: 'import tensorflow as tf\nmodel = tf.keras.models.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nout = model.outputs[0]\n'
    }
  ]
});
