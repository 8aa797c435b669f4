import { ruleTester } from '../rule-tester';

const HEAD = 'from tensorflow import keras\nfrom tensorflow.keras import layers\ninputs = keras.Input((32, 32, 3))\n';

ruleTester('pixelwise-sparse-crossentropy-on-torch', {
  valid: [
    { name: 'logits', code: HEAD + 'outputs = layers.Conv2D(3, 3, padding="same")(inputs)\n' },
    { name: 'a softmax Dense', code: HEAD + 'outputs = layers.Dense(3, activation="softmax")(layers.Flatten()(inputs))\n' },
    { name: 'a relu Conv2D', code: HEAD + 'x = layers.Conv2D(3, 3, activation="relu")(inputs)\n' }
  ],
  invalid: [
    {
      name: 'keras.io Oxford Pets U-Net: a softmax Conv2D head compiled with "sparse_categorical_crossentropy" (fails on PyTorch; checked by running)',
      code: [HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)\nmodel = keras.Model(inputs, outputs)\n', 'model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")\n'],
      errors: [{ cell: 0, line: 4, column: 42 }],
      blocks: ['torch']
    },
    {
      name: 'SparseCategoricalCrossentropy() on probabilities, a Conv2DTranspose head',
      code: HEAD + 'outputs = layers.Conv2DTranspose(3, 3, activation=keras.activations.softmax)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", keras.losses.SparseCategoricalCrossentropy())\n',
      errors: [{ line: 4, column: 51 }],
      blocks: ['torch']
    },
    {
      name: 'from_logits=True elsewhere: the softmax head is noted, no backend blocked',
      code: HEAD + 'outputs = layers.Conv2D(3, 3, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n',
      errors: [{ line: 4, column: 42 }],
      blocks: []
    }
  ]
});
