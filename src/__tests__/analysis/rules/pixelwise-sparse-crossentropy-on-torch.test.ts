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
    },
    {
      name: 'a rank-3 output (Conv1D + Activation("softmax")): trains on PyTorch (checked by running)',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = keras.Input((16, 4))\nh = layers.Conv1D(3, 1)(inputs)\noutputs = layers.Activation("softmax")(h)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n'
    },
    {
      name: 'a rank-3 softmax map made by Reshape((pixels, classes)): trains on PyTorch (checked by running)',
      code: HEAD + 'h = layers.Reshape((1024, 3))(layers.Conv2D(3, 1)(inputs))\nmodel = keras.Model(inputs, layers.Softmax()(h))\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n'
    },
    {
      name: 'a rank-4 linear head with from_logits=True: trains on every backend (checked by running)',
      code: HEAD + 'outputs = layers.Conv2D(3, 1)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'
    },
    {
      name: 'Activation("softmax") on a rank-4 map with from_logits=True (double softmax, but it trains): nothing to say',
      code: HEAD + 'outputs = layers.Activation("softmax")(layers.Conv2D(3, 1)(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy(True))\n'
    },
    {
      name: 'a sigmoid rank-4 autoencoder compiled with another loss, next to a classifier compiled with the sparse loss',
      code: HEAD + 'ae = keras.Model(inputs, layers.Conv2D(3, 3, activation="sigmoid", padding="same")(inputs))\nae.compile("adam", "mse")\nclf = keras.Model(inputs, layers.Dense(10, activation="softmax")(layers.Flatten()(inputs)))\nclf.compile("adam", "sparse_categorical_crossentropy")\n'
    },
    {
      name: 'a rank-4 softmax map this cell compiles with the categorical cross-entropy (one-hot masks), while another model takes the sparse loss',
      code: HEAD + 'seg = keras.Model(inputs, layers.Activation("softmax")(layers.Conv2D(3, 1)(inputs)))\nseg.compile("adam", "categorical_crossentropy")\nclf = keras.Model(inputs, layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(inputs)))\nclf.compile("adam", "sparse_categorical_crossentropy")\n'
    },
    {
      name: 'a softmax over rank-4 attention scores inside a classifier: not the model output',
      code: HEAD + 'q = layers.Reshape((4, 8, 96))(inputs)\nw = layers.Softmax()(q)\nx = layers.GlobalAveragePooling2D()(w)\nmodel = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))\nmodel.compile("adam", "sparse_categorical_crossentropy")\n'
    },
    {
      name: 'a linear rank-4 head of a model built in a function, compiled elsewhere: not followed',
      code: HEAD + 'def build():\n    return keras.Model(inputs, layers.Conv2D(3, 1)(inputs))\nmodel = build()\nmodel.compile("adam", "sparse_categorical_crossentropy")\n'
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
    },
    {
      name: 'DLwP ch. 9 / U-Net head: a linear Conv2D then Activation("softmax"), compiled in the same cell (og49a repro_1: fails on PyTorch only; the fixed program ran on TensorFlow, JAX and PyTorch)',
      code: HEAD + 'h = layers.Conv2D(3, 1, padding="same")(inputs)\noutputs = layers.Activation("softmax")(h)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n',
      errors: [{ line: 5, column: 29 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'h = layers.Conv2D(3, 1, padding="same")(inputs)\noutputs = layers.Activation("softmax")(h)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nmodel.compile(optimizer="rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'a Softmax() layer after a linear Conv2D (og49a repro_1b), the loss function form',
      code: HEAD + 'h = layers.Conv2D(3, 3, padding="same")(inputs)\noutputs = layers.Softmax()(h)\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.sparse_categorical_crossentropy)\n',
      errors: [{ line: 5, column: 11 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'h = layers.Conv2D(3, 3, padding="same")(inputs)\noutputs = layers.Softmax()(h)\nmodel = keras.Model(inputs=inputs, outputs=outputs)\n' + FN + '\n\nmodel.compile(optimizer="rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'Dense(3, activation="softmax") on a rank-4 tensor (og49a repro_1c), the loss class form',
      code: HEAD + 'outputs = layers.Dense(3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss=keras.losses.SparseCategoricalCrossentropy())\n',
      errors: [{ line: 4, column: 38 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'outputs = layers.Dense(3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nmodel.compile(optimizer="rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'a U-Net built in a function (input shape img_size + (3,), a loop of blocks, a merge), Activation("softmax") head, compiled in another cell',
      code: [
        'from tensorflow import keras\nfrom tensorflow.keras import layers\nimg_size = (32, 32)\ndef get_model(num_classes):\n    inputs = keras.Input(shape=img_size + (3,))\n    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)\n    for rate in [1, 2]:\n        y = layers.Conv2D(8, 3, padding="same", dilation_rate=rate)(x)\n        x = layers.add([x, y])\n    x = layers.UpSampling2D(2)(x)\n    x = layers.Conv2D(num_classes, 1)(x)\n    x = layers.BatchNormalization()(x)\n    outputs = layers.Activation(activation="softmax")(x)\n    return keras.Model(inputs, outputs)\n',
        'model = get_model(3)\nmodel.compile("rmsprop", "sparse_categorical_crossentropy")\n'
      ],
      errors: [{ cell: 0, line: 13, column: 44 }],
      blocks: ['torch']
    },
    {
      name: 'a Sequential segmentation model ending in Activation("softmax")',
      code: HEAD + 'model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, padding="same"), layers.Conv2D(3, 1), layers.Activation("softmax")])\nmodel.compile("adam", "sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 129 }],
      blocks: ['torch']
    },
    {
      name: 'a linear rank-4 head compiled here with from_logits=False: fails on PyTorch too (checked by running; from_logits=True was likely meant)',
      code: HEAD + 'outputs = layers.Conv2D(3, 1)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 11 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'outputs = layers.Conv2D(3, 1)(inputs)\nmodel = keras.Model(inputs, outputs)\n' + FN + '\n\nmodel.compile(optimizer="rmsprop", loss=pixelwise_sparse_categorical_crossentropy)\n'
    },
    {
      name: 'a sigmoid head under UpSampling2D, a Sequential compiled here (checked by running: PyTorch only)',
      code: HEAD + 'model = keras.Sequential([layers.Conv2D(3, 1, activation="sigmoid", input_shape=(32, 32, 3)), layers.UpSampling2D(2)])\nmodel.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=False))\n',
      errors: [{ line: 4, column: 95 }],
      blocks: ['torch']
    },
    {
      name: 'BatchNormalization over a softmax Conv2D output: one finding, on the convolution',
      code: HEAD + 'outputs = layers.BatchNormalization()(layers.Conv2D(3, 1, activation="softmax")(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", "sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 70 }],
      blocks: ['torch']
    },
    {
      name: 'two findings in a cell: the first carries the fix, which rewrites every compile() of the cell',
      code: HEAD + 'a = keras.Model(inputs, layers.Softmax()(layers.Conv2D(3, 1)(inputs)))\nb = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(inputs))\na.compile("adam", "sparse_categorical_crossentropy")\nb.compile("adam", "sparse_categorical_crossentropy")\n',
      errors: [{ line: 4, column: 25 }, { line: 5, column: 56 }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'a = keras.Model(inputs, layers.Softmax()(layers.Conv2D(3, 1)(inputs)))\nb = keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax")(inputs))\n' + FN + '\n\na.compile("adam", pixelwise_sparse_categorical_crossentropy)\nb.compile("adam", pixelwise_sparse_categorical_crossentropy)\n'
    }
  ]
});
