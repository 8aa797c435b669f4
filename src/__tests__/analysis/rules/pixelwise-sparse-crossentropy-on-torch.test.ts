import { ruleTester } from '../rule-tester';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = keras.Input((32, 32, 3))\n';
/** The fix's loss function, at the top level. */
const FN = '@keras.saving.register_keras_serializable()\ndef pixelwise_sparse_categorical_crossentropy(y_true, y_pred):\n    # The sparse cross-entropy of each pixel, computed on (pixels, classes): Keras 3.15\'s PyTorch\n    # backend cannot train it on a rank-4 probability map ("grad_input must be contiguous").\n    classes = keras.ops.shape(y_pred)[-1]\n    loss = keras.losses.sparse_categorical_crossentropy(keras.ops.reshape(y_true, (-1,)), keras.ops.reshape(y_pred, (-1, classes)))\n    return keras.ops.reshape(loss, keras.ops.shape(y_pred)[:-1])\n';

ruleTester('pixelwise-sparse-crossentropy-on-torch', {
  valid: [
    { name: 'logits', code: HEAD + 'outputs = layers.Conv2D(3, 3, padding="same")(inputs)\n' },
    { name: 'a softmax Dense', code: HEAD + 'outputs = layers.Dense(3, activation="softmax")(layers.Flatten()(inputs))\n' },
    { name: 'a relu Conv2D', code: HEAD + 'x = layers.Conv2D(3, 3, activation="relu")(inputs)\n' },
    {
      name: 'the fix applied: the per-pixel loss function is there',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nmodel.compile("rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'from_logits=True elsewhere: the softmax head trains on every backend, nothing to say',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'
    },
    {
      // keras.io MIRNet: softmax 1x1 convolutions as attention descriptors, compiled with a Charbonnier loss (ran on TF/JAX/PyTorch after fix --unsafe).
      name: 'softmax convolutions in a model compiled with another loss',
      code: HEAD + 'w = layers.Conv2D(3, 1, activation="softmax")(inputs)\nmodel = keras.Model(inputs, inputs * w)\nmodel.compile("adam", loss=lambda t, p: keras.ops.mean(keras.ops.sqrt(keras.ops.square(t - p) + 1e-6)))\n'
    }
  ],
  invalid: [
    {
      name: 'keras.io Oxford Pets U-Net: a softmax Conv2D head compiled with "sparse_categorical_crossentropy" (fails on PyTorch; checked by running)',
      code: [HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\n', 'model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n'],
      errors: [{ cell: 0, line: 4, column: 42 }],
      blocks: ['torch']
    },
    {
      name: 'compiled in the same cell: the loss is computed per pixel on (pixels, classes) by a function defined before compile() (a suggestion; the fixed program trained on TensorFlow, JAX and PyTorch with the same loss values)',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 42 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nmodel.compile(optimizer="rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'safe fixes leave it: the compile config names a function of the program',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 42 }],
      blocks: ['torch']
    },
    {
      name: 'compile() inside a function, no keras import: the function is defined there, and keras imported',
      code: 'from tensorflow.keras import layers, Model, Input\ndef build():\n    inputs = Input((8, 8, 3))\n    model = Model(inputs, layers.Conv2D(2, 1, activation="softmax")(inputs))\n    model.compile("adam", "sparse_categorical_crossentropy")\n    return model\n',
      errors: [{ line: 4, column: 58 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: 'from tensorflow.keras import layers, Model, Input\nimport keras\ndef build():\n    inputs = Input((8, 8, 3))\n    model = Model(inputs, layers.Conv2D(2, 1, activation="softmax")(inputs))\n' + FN.split('\n').map(l => (l ? '    ' + l : l)).join('\n') + '\n    model.compile("adam", pixelwise_sparse_categorical_crossentropy)\n    return model\n'
    },
    {
      name: 'compile() in a top-level loop over models (keras.io FCN): the function is defined once, before the loop',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nfor name, m in [("a", model)]:\n    m.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())\n',
      errors: [{ line: 4, column: 42 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nfor name, m in [("a", model)]:\n    m.compile(optimizer="adam", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'the first such compile() in a function and another at the top level: no fix (a function defined in the first would not reach the second)',
      code: 'from tensorflow.keras import layers, Model, Input\ninputs = Input((8, 8, 3))\nmodel = Model(inputs, layers.Conv2D(2, 1, activation="softmax")(inputs))\ndef retrain(m):\n    m.compile("adam", "sparse_categorical_crossentropy")\nmodel.compile("adam", "sparse_categorical_crossentropy")\n',
      errors: [{ line: 3, column: 54 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a loss with other arguments (ignore_class): no fix',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(ignore_class=0))\n',
      errors: [{ line: 4, column: 42 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'SparseCategoricalCrossentropy() on probabilities, a Conv2DTranspose head',
      code: HEAD + 'outputs = layers.Conv2DTranspose(3, 3, activation=keras.activations.softmax)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", keras.losses.SparseCategoricalCrossentropy())\n',
      errors: [{ line: 4, column: 51 }],
      blocks: ['torch']
    }
  ]
});
