import { ruleTester } from '../rule-tester';

const HEADS = 'import keras\ninputs = keras.Input((4,))\n';
const BASNET =
  'from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef predict(inputs):\n    side = [layers.Conv2D(1, 3)(inputs) for _ in range(3)]\n    return keras.models.Model(inputs=[inputs], outputs=side)\n\n\ndef refine(base_model):\n    x = layers.Conv2D(1, 3, padding="same")(base_model.output[0])\n    return keras.models.Model(inputs=[base_model.input], outputs=[x])\n\n\ndef basnet(shape):\n    predict_model = predict(layers.Input(shape))\n    refine_model = refine(predict_model)\n    output = [refine_model.output]\n    output.extend(predict_model.output)\n    output = [layers.Activation("sigmoid")(_) for _ in output]\n    return keras.models.Model(inputs=[predict_model.input], outputs=output)\n\n\nbasnet_model = basnet([32, 32, 3])\nbasnet_model.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.MeanAbsoluteError(name="mae")])\n';

ruleTester('metrics-list-for-multi-output-model', {
  valid: [
    { name: 'a single-output model', code: HEADS + 'model = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae", "mse"])\n' },
    { name: 'one metric per output already', code: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae", "mae"])\n' },
    { name: 'a comprehension over the outputs', code: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae" for _ in model.outputs])\n' },
    { name: 'a list per output', code: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics=[["mae"], ["mse"]])\n' },
    { name: 'outputs of unknown number (a loop may append once)', code: HEADS + 'outputs = []\nfor i in range(n):\n    outputs.append(keras.layers.Dense(1)(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' },
    { name: 'a list popped before the model is made', code: HEADS + 'outputs = [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)]\noutputs.pop()\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' },
    { name: 'a dict of metrics', code: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1, name="a")(inputs), keras.layers.Dense(1, name="b")(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics={"a": "mae"})\n' }
  ],
  invalid: [
    {
      // /work/og48d repro_2 (Atienza's InfoGAN/ACGAN): a builder rebinding `outputs` under an `if`, and `Model(z, d(z))`;
      // "tuple arity mismatch" (TF, JAX) / "Node arity mismatch" (PyTorch) with nothing claimed. The compile's loss list counts the outputs.
      name: 'outputs the code does not show, counted from the compile\'s list of losses',
      code:
        'import keras\nd = discriminator(keras.Input((4,)), num_labels=3)\nd.compile(loss=["binary_crossentropy", "categorical_crossentropy"], optimizer="rmsprop", metrics=["accuracy"])\n' +
        'adv = keras.Model(z, d(z))\nloss = ["binary_crossentropy", "categorical_crossentropy", "mse"]\nadv.compile(loss=loss, optimizer="rmsprop", metrics=["accuracy"])\n',
      errors: [{ line: 3, column: 98, message: 'a model with 2 outputs' }, { line: 6, column: 53, message: 'a model with 3 outputs' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nd = discriminator(keras.Input((4,)), num_labels=3)\nd.compile(loss=["binary_crossentropy", "categorical_crossentropy"], optimizer="rmsprop", metrics=["accuracy" for _ in range(2)])\n' +
        'adv = keras.Model(z, d(z))\nloss = ["binary_crossentropy", "categorical_crossentropy", "mse"]\nadv.compile(loss=loss, optimizer="rmsprop", metrics=["accuracy" for _ in range(3)])\n'
    },
    {
      name: 'keras.io BASNet: side outputs grown by extend in a function of the cell, one metric',
      code: BASNET,
      errors: [{ line: 25, column: 60, message: 'a Functional model with at least 2 outputs' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: BASNET.replace('metrics=[keras.metrics.MeanAbsoluteError(name="mae")]', 'metrics=[keras.metrics.MeanAbsoluteError(name="mae") for _ in basnet_model.outputs]')
    },
    {
      name: 'a literal list of three outputs, two string metrics: a list per output',
      code: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics=["mae", "mse"])\n',
      errors: [{ line: 4, column: 53, message: 'with 3 outputs' }],
      output: HEADS + 'model = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])\nmodel.compile(optimizer="adam", loss="mse", metrics=[["mae", "mse"] for _ in model.outputs])\n'
    },
    {
      name: 'append after a literal, a named metric object: no fix (it would be shared)',
      code: HEADS + 'outputs = [keras.layers.Dense(1)(inputs)]\noutputs.append(keras.layers.Dense(1)(inputs))\nmodel = keras.Model(inputs, outputs)\nmae = keras.metrics.MeanAbsoluteError()\nmodel.compile(optimizer="adam", loss="mse", metrics=[mae])\n',
      errors: [{ line: 7, column: 53, message: 'No fix: a metric given by name' }]
    }
  ]
});
