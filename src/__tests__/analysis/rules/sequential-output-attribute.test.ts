import { ruleTester } from '../rule-tester';

const SEQ = 'import keras\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)])\n';

ruleTester('sequential-output-attribute', {
  valid: [
    { name: 'outputs[0] already', code: SEQ + 'm = keras.Model(model.inputs, model.outputs[0])\n' },
    { name: 'a functional model has .output', code: 'import keras\ni = keras.Input((3,))\nmodel = keras.Model(i, keras.layers.Dense(2)(i))\nprint(model.output)\n' },
    { name: 'a Sequential called on a tensor has .output', code: SEQ + 'y = model(keras.Input((8, 8, 3)))\nprint(model.output)\n' },
    { name: 'a layer output', code: SEQ + 'print(model.get_layer("conv").output)\n' }
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
      name: 'tf.keras spelling',
      code: 'import tensorflow as tf\nmodel = tf.keras.models.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nout = model.output\n',
      errors: [{ line: 3, column: 13 }],
      output: 'import tensorflow as tf\nmodel = tf.keras.models.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nout = model.outputs[0]\n'
    }
  ]
});
