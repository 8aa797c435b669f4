import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport keras\n';
const MODEL =
  'inputs = keras.Input((4,))\n' +
  'a = keras.layers.Dense(3, name="a")(inputs)\n' +
  'b = keras.layers.Dense(3, name="b")(inputs)\n' +
  'model = keras.Model(inputs=inputs, outputs=[a, b])\n';
const LABELS = 'labels = keras.utils.to_categorical(np.random.randint(0, 3, 16), 3)\nx = np.random.rand(16, 4)\n';

const DS =
  'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef preprocess(x, y):\n    images, masks = tf.numpy_function(read, [x, y], [tf.float32, tf.float32])\n    return images, masks\n\n\ndef load_dataset(paths, masks, batch):\n    dataset = tf.data.Dataset.from_tensor_slices((paths, masks))\n    dataset = dataset.map(lambda x, y: preprocess(x, y))\n    dataset = dataset.batch(batch)\n    return dataset.prefetch(tf.data.AUTOTUNE)\n\n\ninputs = layers.Input((8, 8, 3))\noutput = [layers.Conv2D(1, 3, padding="same")(inputs)]\noutput.append(layers.Conv2D(1, 3, padding="same")(inputs))\nmodel = keras.Model(inputs, [layers.Activation("sigmoid")(o) for o in output])\nmodel.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())\ntrain_ds = load_dataset(image_paths, mask_paths, 4)\n';

ruleTester('single-target-for-multi-output-model', {
  valid: [
    { name: 'a dataset mapped to one target per output', code: DS.replace('    return images, masks', '    return images, (masks, masks)') + 'model.fit(train_ds, epochs=1)\n' },
    { name: 'an output without a loss (keras.io miniature GPT, loss=[loss_fn, None]) takes no target', code: DS.replace('loss=keras.losses.BinaryCrossentropy()', 'loss=[keras.losses.BinaryCrossentropy(), None]') + 'model.fit(train_ds, epochs=1)\n' },
    { name: 'a dataset of unknown making', code: DS + 'model.fit(other_ds, epochs=1)\n' },
    { name: 'one target per output', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\n' + LABELS + 'model.fit(x, [labels, labels])\n' },
    { name: 'a dict of targets', code: HEAD + MODEL + 'model.compile("adam", loss={"a": "mse", "b": "mse"})\n' + LABELS + 'model.fit(x, {"a": labels, "b": labels})\n' },
    { name: 'a one-output model', code: HEAD + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, keras.layers.Dense(3)(inputs))\nmodel.compile("adam", loss="mse")\n' + LABELS + 'model.fit(x, labels)\n' },
    { name: 'outputs not a literal list: unknown count', code: HEAD + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, heads(inputs))\nmodel.compile("adam", loss=["mse", "mse"])\n' + LABELS + 'model.fit(x, labels)\n' },
    { name: 'a target of unknown kind (it may be a list)', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nmodel.fit(x, targets)\n' },
    { name: 'not compiled in the cell', code: HEAD + MODEL + LABELS + 'model.fit(x, labels)\n' },
    { name: 'three losses for two outputs: another error, not this one', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse", "mse"])\n' + LABELS + 'model.fit(x, labels)\n' },
    { name: 'tolist() makes a list, not an array', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nlabels = np.ones((16, 3)).tolist()\nmodel.fit(x, labels)\n' },
    { name: 'the name rebound to a list of targets', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nlabels = np.ones((16, 3))\nlabels = [labels, labels]\nmodel.fit(x, labels)\n' },
    { name: 'a dataset (no y)', code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nmodel.fit(ds, epochs=2)\n' }
  ],
  invalid: [
    {
      name: 'targets made by TensorFlow or keras.ops (one tensor each, as a NumPy array is)',
      code: HEAD + 'import tensorflow as tf\n' + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nx = np.random.rand(16, 4)\nones = tf.ones(shape=(16, 3))\nmodel.fit(x, ones)\nmodel.evaluate(x, keras.ops.zeros((16, 3)))\nmodel.fit(x, tf.constant(np.ones((16, 3))), validation_data=(x, keras.random.normal((16, 3))))\n',
      errors: [
        { line: 11, column: 14, message: 'one target array (`ones`)' },
        { line: 12, column: 19 },
        { line: 13, column: 14 },
        { line: 13, column: 65 }
      ],
      output: HEAD + 'import tensorflow as tf\n' + MODEL + 'model.compile("adam", loss=["mse", "mse"])\nx = np.random.rand(16, 4)\nones = tf.ones(shape=(16, 3))\nmodel.fit(x, [ones] * 2)\nmodel.evaluate(x, [keras.ops.zeros((16, 3))] * 2)\nmodel.fit(x, [tf.constant(np.ones((16, 3)))] * 2, validation_data=(x, [keras.random.normal((16, 3))] * 2))\n'
    },
    {
      name: 'keras.io BASNet: a dataset of (image, mask) pairs from a function of the cell, outputs grown by append, one loss',
      code: DS + 'model.fit(train_ds, validation_data=train_ds.take(1), epochs=1)\n',
      errors: [
        { line: 25, column: 11, message: 'a dataset of (input, target) pairs (`train_ds`)' },
        { line: 25, column: 37, message: 'with 2 outputs compiled with one loss' }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: DS + 'model.fit(train_ds.map(lambda x, y: (x, (y,) * 2)), validation_data=train_ds.take(1).map(lambda x, y: (x, (y,) * 2)), epochs=1)\n'
    },
    {
      name: 'fit, evaluate and train_on_batch with one target for two outputs and a list of two losses',
      code: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\n' + LABELS + 'model.fit(x, labels, epochs=1)\nmodel.evaluate(x, y=labels)\nmodel.train_on_batch(x, labels)\n',
      errors: [
        { line: 10, column: 14, message: 'y_true and y_pred have different structures' },
        { line: 11, column: 21 },
        { line: 12, column: 25 }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + MODEL + 'model.compile("adam", loss=["mse", "mse"])\n' + LABELS + 'model.fit(x, [labels] * 2, epochs=1)\nmodel.evaluate(x, y=[labels] * 2)\nmodel.train_on_batch(x, [labels] * 2)\n'
    },
    {
      name: 'keras.io semantic image clustering: the model returned by a function of the cell, the losses a name bound to a list, y= a NumPy array',
      code:
        HEAD +
        'def create_learner(n):\n    anchor = keras.Input((n,))\n    similarity = keras.layers.Dense(4)(anchor)\n    clusters = keras.layers.Dense(4)(anchor)\n    model = keras.Model(inputs=[anchor], outputs=[similarity, clusters], name="learner")\n    return model\n' +
        'learner = create_learner(8)\nlosses = [ConsistencyLoss(), EntropyLoss(weight=5)]\nlabels = np.ones(shape=(32,))\nlearner.compile(optimizer="adam", loss=losses)\nlearner.fit(x=inputs, y=labels, batch_size=8)\n',
      errors: [{ line: 13, column: 25, message: '2 losses' }],
      output:
        HEAD +
        'def create_learner(n):\n    anchor = keras.Input((n,))\n    similarity = keras.layers.Dense(4)(anchor)\n    clusters = keras.layers.Dense(4)(anchor)\n    model = keras.Model(inputs=[anchor], outputs=[similarity, clusters], name="learner")\n    return model\n' +
        'learner = create_learner(8)\nlosses = [ConsistencyLoss(), EntropyLoss(weight=5)]\nlabels = np.ones(shape=(32,))\nlearner.compile(optimizer="adam", loss=losses)\nlearner.fit(x=inputs, y=[labels] * 2, batch_size=8)\n'
    },
    {
      name: 'one loss for three outputs (Keras 3: "The path: (0,) ... can\'t be found"), a dict loss for the validation target too',
      code:
        HEAD + 'from tensorflow.keras.models import Model\ninputs = keras.Input((4,))\nouts = [keras.layers.Dense(3)(inputs) for _ in range(3)]\nmodel = Model(inputs, [outs[0], outs[1], outs[2]])\nmodel.compile("adam", "mse")\ny = np.zeros((16, 3)).astype("float32")\nmodel.fit(x, y, validation_data=(xv, y[:4]))\n',
      errors: [
        { line: 9, column: 14, message: 'one loss' },
        { line: 9, column: 38, message: 'validation_data' }
      ],
      output:
        HEAD + 'from tensorflow.keras.models import Model\ninputs = keras.Input((4,))\nouts = [keras.layers.Dense(3)(inputs) for _ in range(3)]\nmodel = Model(inputs, [outs[0], outs[1], outs[2]])\nmodel.compile("adam", "mse")\ny = np.zeros((16, 3)).astype("float32")\nmodel.fit(x, [y] * 3, validation_data=(xv, [y[:4]] * 3))\n'
    },
    {
      name: 'the losses and the target in statements without a Keras word (read from their text)',
      code: HEAD + MODEL + 'losses = ["categorical_crossentropy", "mse",]\nlabels = np.random.rand(16, 3).astype("float32")[:8]\nmodel.compile("adam", loss=losses)\nmodel.fit(x, labels)\n',
      errors: [{ line: 10, column: 14 }],
      output: HEAD + MODEL + 'losses = ["categorical_crossentropy", "mse",]\nlabels = np.random.rand(16, 3).astype("float32")[:8]\nmodel.compile("adam", loss=losses)\nmodel.fit(x, [labels] * 2)\n'
    },
    {
      name: 'a dict of two losses',
      code: HEAD + MODEL + 'model.compile(optimizer="adam", loss={"a": "mse", "b": "mae"})\n' + LABELS + 'model.test_on_batch(x, labels)\n',
      errors: [{ line: 10, column: 24 }],
      output: HEAD + MODEL + 'model.compile(optimizer="adam", loss={"a": "mse", "b": "mae"})\n' + LABELS + 'model.test_on_batch(x, [labels] * 2)\n'
    }
  ]
});
