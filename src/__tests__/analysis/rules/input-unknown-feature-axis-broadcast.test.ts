import { ruleTester } from '../rule-tester';

const LAYER =
  'import keras\nimport tensorflow as tf\nfrom keras import layers\nclass PositionalEmbedding(layers.Layer):\n    def __init__(self, sequence_length, output_dim, **kwargs):\n        super().__init__(**kwargs)\n        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)\n    def call(self, inputs):\n        length = tf.shape(inputs)[1]\n        positions = tf.range(start=0, limit=length, delta=1)\n        embedded_positions = self.position_embeddings(positions)\n        return inputs + embedded_positions\n';

ruleTester('input-unknown-feature-axis-broadcast', {
  valid: [
    { name: 'the feature size given', code: LAYER + 'inputs = keras.Input(shape=(None, 1024))\nx = PositionalEmbedding(20, 1024)(inputs)\n' },
    { name: 'token ids embedded before the add (the input is not broadcast)', code: LAYER.replace('return inputs + embedded_positions', 'return self.position_embeddings(inputs) + embedded_positions') + 'inputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024)(inputs)\n' },
    { name: 'a layer that only scales its input by a number', code: 'import keras\nclass Scale(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs * 2.0\ninputs = keras.Input(shape=(None, None))\nx = Scale()(inputs)\n' },
    { name: 'a built-in layer on the input', code: 'import keras\ninputs = keras.Input(shape=(None, None))\nx = keras.layers.Dense(4)(inputs)\n' },
    { name: 'a one-axis shape of unknown length', code: LAYER + 'inputs = keras.Input(shape=(None,))\nx = PositionalEmbedding(20, 1024)(inputs)\n' }
  ],
  invalid: [
    {
      name: 'keras.io video classification with a Transformer: Input(shape=(None, None)) into a PositionalEmbedding adding its embeddings',
      code: LAYER + 'inputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024, name="frame_position_embedding")(inputs)\n',
      errors: [{ line: 13, column: 28, message: 'JAX and PyTorch' }],
      blocks: ['jax', 'torch'],
      // The fix is unsafe: the safe fixes leave the shape.
      output: LAYER + 'inputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024, name="frame_position_embedding")(inputs)\n'
    },
    {
      name: 'the unsafe fix gives the size the layer broadcasts with (a number)',
      code: LAYER + 'inputs = keras.Input(shape=(None, None))\nx = PositionalEmbedding(20, 1024, name="frame_position_embedding")(inputs)\n',
      errors: [{ line: 13, column: 28, message: 'the fix gives the last axis `1024`' }],
      fixOptions: { unsafe: true },
      output: LAYER + 'inputs = keras.Input(shape=(None, 1024))\nx = PositionalEmbedding(20, 1024, name="frame_position_embedding")(inputs)\n'
    },
    {
      name: 'keras.io: the size a name of the model function, given by keyword; a Dense sublayer',
      code:
        LAYER.replace('layers.Embedding(input_dim=sequence_length, output_dim=output_dim)', 'layers.Dense(units=output_dim)') +
        'def get_model():\n    embed_dim = NUM_FEATURES\n    inputs = keras.Input(shape=(None, None))\n    x = PositionalEmbedding(sequence_length=20, output_dim=embed_dim)(inputs)\n    return keras.Model(inputs, x)\n',
      errors: [{ line: 15, column: 32 }],
      fixOptions: { unsafe: true },
      output:
        LAYER.replace('layers.Embedding(input_dim=sequence_length, output_dim=output_dim)', 'layers.Dense(units=output_dim)') +
        'def get_model():\n    embed_dim = NUM_FEATURES\n    inputs = keras.Input(shape=(None, embed_dim))\n    x = PositionalEmbedding(sequence_length=20, output_dim=embed_dim)(inputs)\n    return keras.Model(inputs, x)\n'
    },
    {
      name: 'the size a name assigned only after the Input: no fix',
      code: LAYER + 'inputs = keras.Input(shape=(None, None))\ndim = 8\nx = PositionalEmbedding(20, dim)(inputs)\n',
      errors: [{ line: 13, column: 28 }],
      fixOptions: { unsafe: true },
      output: LAYER + 'inputs = keras.Input(shape=(None, None))\ndim = 8\nx = PositionalEmbedding(20, dim)(inputs)\n'
    },
    {
      name: 'a weight multiplied with the input, layers.Input with a list shape',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nclass Gate(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.scale = self.add_weight(shape=(8,), initializer="ones")\n    def call(self, x):\n        return self.scale * x\nfeatures = layers.Input(shape=[10, None])\ny = Gate()(features)\n',
      errors: [{ line: 9, column: 31, message: 'Give the feature size in the shape.' }],
      blocks: ['jax', 'torch'],
      // A weight's size: no fix.
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nclass Gate(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.scale = self.add_weight(shape=(8,), initializer="ones")\n    def call(self, x):\n        return self.scale * x\nfeatures = layers.Input(shape=[10, None])\ny = Gate()(features)\n'
    }
  ]
});
