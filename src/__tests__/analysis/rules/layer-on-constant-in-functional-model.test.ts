import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\nimport tensorflow as tf\n';

ruleTester('layer-on-constant-in-functional-model', {
  valid: [
    {
      name: 'a merging layer on two symbolic tensors',
      code: HEAD + 'inputs = keras.Input(shape=(4, 8))\nx = keras.layers.Dense(8)(inputs)\ny = keras.layers.Add()([inputs, x])\n'
    },
    {
      name: 'a merging layer on two constants (no symbolic tensor among them: eager use)',
      code: HEAD + 'positions = tf.range(4)[tf.newaxis, :]\nemb = keras.layers.Embedding(4, 8)\ny = keras.layers.Add()([emb(positions), emb(positions)])\n'
    },
    {
      name: 'a layer on a slice of a symbolic input (no constant), in a merging layer',
      code: HEAD + 'inputs = keras.Input(shape=(4,), dtype="int32")\nemb = keras.layers.Embedding(16, 8)\ny = keras.layers.Add()([emb(inputs), emb(inputs[:, ::-1])])\n'
    },
    {
      name: 'a name unpacked from a helper whose returned value there is no layer',
      code: HEAD + 'def sizes(n):\n    return n, keras.layers.Embedding(n, 2)\ninputs = keras.Input(shape=(4, 2))\nk, _ = sizes(4)\nx = inputs + k(tf.range(4))\n'
    },
    {
      name: 'a layer a method returns, called on the symbolic input',
      code: HEAD + 'class Tok(keras.layers.Layer):\n    def embedding(self):\n        return keras.layers.Embedding(4, 2)\ninputs = keras.Input(shape=(4,), dtype="int32")\ntok = Tok()\nemb = tok.embedding()\nx = emb(inputs)\n'
    },
    {
      name: 'a helper adding the embedding to a parameter, never called with KerasTensors',
      code: HEAD + 'def add_positions(x, n=4):\n    positions = tf.range(n)\n    return x + keras.layers.Embedding(n, 2)(positions)\nprint(add_positions(np.ones((4, 2), "float32")))\n'
    },
    {
      name: 'the Embedding called inside a layer call(): trained on every step',
      code: HEAD + 'class PositionEmbedding(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.embedding = keras.layers.Embedding(16, 8)\n\n    def call(self, x):\n        positions = keras.ops.arange(16)\n        return x + self.embedding(positions)\n'
    },
    {
      name: 'the constant meets a number the helper computed from its parameter, not a tensor',
      code: HEAD + 'def build(inputs, dim=8):\n    scale = dim ** 0.5\n    emb = keras.layers.Embedding(4, dim)(tf.range(4)) * scale\n    return keras.layers.Dense(dim)(inputs)\ninputs = keras.Input(shape=(4, 8))\nmodel = keras.Model(inputs, build(inputs))\n'
    },
    {
      name: 'a weightless layer on a constant',
      code: HEAD + 'inputs = keras.Input(shape=(4,))\nx = inputs + keras.layers.Flatten()(tf.constant([[1.0, 2.0, 3.0, 4.0]]))\n'
    },
    {
      name: 'a layer called on the symbolic input',
      code: HEAD + 'inputs = keras.Input(shape=(4,), dtype="int32")\nx = keras.layers.Embedding(16, 8)(inputs)\n'
    },
    {
      name: 'a layer on a constant whose result meets no symbolic tensor (eager use)',
      code: HEAD + 'emb = keras.layers.Embedding(16, 8)\nvectors = emb(np.arange(16))\nprint(vectors.shape)\n'
    }
  ],
  invalid: [
    {
      name: 'the layer call nested in the list a merging layer is given (positions given a batch axis by indexing)',
      code: HEAD + 'inputs = keras.Input(shape=(16, 8))\npositions = tf.range(start=0, limit=16, delta=1)[tf.newaxis, :]\nemb = keras.layers.Embedding(16, 8)\nx = keras.layers.Add()([inputs, emb(positions)])\n',
      errors: [{ line: 7, column: 33, message: '`Embedding` is called on a constant (`positions`)' }],
      blocks: ['torch'],
      output: HEAD + 'inputs = keras.Input(shape=(16, 8))\npositions = tf.range(start=0, limit=16, delta=1)[tf.newaxis, :]\nemb = keras.layers.Embedding(16, 8)\nx = keras.layers.Add()([inputs, keras.ops.stop_gradient(emb(positions))])\n'
    },
    {
      name: 'a named result given with a symbolic tensor to the add() function (positions from tf.expand_dims)',
      code: HEAD + 'inputs = keras.Input(shape=(16, 8))\npositions = tf.expand_dims(tf.range(16), 0)\npos = keras.layers.Embedding(16, 8)(positions)\nx = keras.layers.add([pos, inputs])\n',
      errors: [{ line: 6, column: 7 }],
      output: HEAD + 'inputs = keras.Input(shape=(16, 8))\npositions = tf.expand_dims(tf.range(16), 0)\npos = keras.ops.stop_gradient(keras.layers.Embedding(16, 8)(positions))\nx = keras.layers.add([pos, inputs])\n'
    },
    {
      name: 'NumPy positions reshaped with a method, in a merging layer',
      code: HEAD + 'inputs = keras.Input(shape=(16, 8))\nemb = keras.layers.Embedding(16, 8)\nx = keras.layers.Add()([inputs, emb(np.arange(16).reshape(1, 16))])\n',
      errors: [{ line: 6, column: 33 }],
      output: HEAD + 'inputs = keras.Input(shape=(16, 8))\nemb = keras.layers.Embedding(16, 8)\nx = keras.layers.Add()([inputs, keras.ops.stop_gradient(emb(np.arange(16).reshape(1, 16)))])\n'
    },
    {
      name: "keras.io CCT: the Embedding a method returns (unpacked with the length), called on tf.range, added with +=",
      code: HEAD + 'class Tokenizer(keras.layers.Layer):\n    def call(self, images):\n        return images\n\n    def positional_embedding(self, size):\n        if size:\n            embed_layer = keras.layers.Embedding(input_dim=size, output_dim=8)\n            return embed_layer, size\n        else:\n            return None\ninputs = keras.Input(shape=(4, 8))\ntokenizer = Tokenizer()\nencoded = tokenizer(inputs)\npos_embed, seq_length = tokenizer.positional_embedding(4)\npositions = tf.range(start=0, limit=seq_length, delta=1)\nposition_embeddings = pos_embed(positions)\nencoded += position_embeddings\n',
      errors: [{ line: 19, column: 23, message: '`Embedding` is called on a constant (`positions`)' }],
      blocks: ['torch'],
      output: HEAD + 'class Tokenizer(keras.layers.Layer):\n    def call(self, images):\n        return images\n\n    def positional_embedding(self, size):\n        if size:\n            embed_layer = keras.layers.Embedding(input_dim=size, output_dim=8)\n            return embed_layer, size\n        else:\n            return None\ninputs = keras.Input(shape=(4, 8))\ntokenizer = Tokenizer()\nencoded = tokenizer(inputs)\npos_embed, seq_length = tokenizer.positional_embedding(4)\npositions = tf.range(start=0, limit=seq_length, delta=1)\nposition_embeddings = keras.ops.stop_gradient(pos_embed(positions))\nencoded += position_embeddings\n'
    },
    {
      name: 'the layer a module-level helper returns, its result added in place',
      code: HEAD + 'def make_embedding(n):\n    return keras.layers.Embedding(n, 8)\ninputs = keras.Input(shape=(4, 8))\nx = keras.layers.Dense(8)(inputs)\nemb = make_embedding(4)\nx += emb(np.arange(4))\n',
      errors: [{ line: 9, column: 6 }],
      output: HEAD + 'def make_embedding(n):\n    return keras.layers.Embedding(n, 8)\ninputs = keras.Input(shape=(4, 8))\nx = keras.layers.Dense(8)(inputs)\nemb = make_embedding(4)\nx += keras.ops.stop_gradient(emb(np.arange(4)))\n'
    },
    {
      name: 'keras.io TokenLearner position_embedding helper: the result added to a parameter the model code passes a KerasTensor to',
      code:
        HEAD +
        'def position_embedding(projected_patches, num_patches=4, projection_dim=8):\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n    encoded_positions = keras.layers.Embedding(input_dim=num_patches, output_dim=projection_dim)(positions)\n    return projected_patches + encoded_positions\n' +
        'inputs = keras.Input(shape=(4, 8))\nmodel = keras.Model(inputs, position_embedding(inputs))\n',
      errors: [{ line: 6, column: 25 }],
      output:
        HEAD +
        'def position_embedding(projected_patches, num_patches=4, projection_dim=8):\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n    encoded_positions = keras.ops.stop_gradient(keras.layers.Embedding(input_dim=num_patches, output_dim=projection_dim)(positions))\n    return projected_patches + encoded_positions\n' +
        'inputs = keras.Input(shape=(4, 8))\nmodel = keras.Model(inputs, position_embedding(inputs))\n'
    },
    {
      name: "keras.io MLP-Mixer: Embedding over tf.range in a builder function, added to the patches (safe: the same constant)",
      code:
        HEAD +
        'def build(num_patches, dim):\n    inputs = keras.Input(shape=(num_patches, dim))\n    x = keras.layers.Dense(dim)(inputs)\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n' +
        '    position_embedding = keras.layers.Embedding(input_dim=num_patches, output_dim=dim)(positions)\n    x = x + position_embedding\n    return keras.Model(inputs, x)\n',
      errors: [{ line: 8, column: 26, message: '`Embedding` is called on a constant (`positions`) while the functional model is built' }],
      blocks: ['torch'],
      output:
        HEAD +
        'def build(num_patches, dim):\n    inputs = keras.Input(shape=(num_patches, dim))\n    x = keras.layers.Dense(dim)(inputs)\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n' +
        '    position_embedding = keras.ops.stop_gradient(keras.layers.Embedding(input_dim=num_patches, output_dim=dim)(positions))\n    x = x + position_embedding\n    return keras.Model(inputs, x)\n'
    },
    {
      name: 'keras.io BST: the position embedding added to a name the helper computed from its parameter (through a nested helper)',
      code:
        HEAD +
        'def encode(inputs, seq_len=4):\n    emb = keras.layers.Embedding(10, 8)\n    def encode_movie(movie_id):\n        return emb(movie_id)\n    movies = inputs["movies"]\n    encoded = encode_movie(movies)\n' +
        '    pos = keras.layers.Embedding(seq_len, 8)\n    positions = tf.range(start=0, limit=seq_len, delta=1)\n    encoded_positions = pos(positions)\n    return keras.layers.Multiply()([(encoded + encoded_positions), inputs["ratings"]])\n' +
        'inputs = {"movies": keras.Input(shape=(4,), dtype="int64"), "ratings": keras.Input(shape=(4, 1))}\nmodel = keras.Model(inputs, encode(inputs))\n',
      errors: [{ line: 12, column: 25 }],
      blocks: ['torch'],
      output:
        HEAD +
        'def encode(inputs, seq_len=4):\n    emb = keras.layers.Embedding(10, 8)\n    def encode_movie(movie_id):\n        return emb(movie_id)\n    movies = inputs["movies"]\n    encoded = encode_movie(movies)\n' +
        '    pos = keras.layers.Embedding(seq_len, 8)\n    positions = tf.range(start=0, limit=seq_len, delta=1)\n    encoded_positions = keras.ops.stop_gradient(pos(positions))\n    return keras.layers.Multiply()([(encoded + encoded_positions), inputs["ratings"]])\n' +
        'inputs = {"movies": keras.Input(shape=(4,), dtype="int64"), "ratings": keras.Input(shape=(4, 1))}\nmodel = keras.Model(inputs, encode(inputs))\n'
    },
    {
      name: 'a named Dense layer on a NumPy array, inline in the sum',
      code: HEAD + 'inputs = keras.Input(shape=(4, 3))\ndense = keras.layers.Dense(3)\nx = dense(np.ones((4, 3))) + inputs\n',
      errors: [{ line: 6, column: 5 }],
      output: HEAD + 'inputs = keras.Input(shape=(4, 3))\ndense = keras.layers.Dense(3)\nx = keras.ops.stop_gradient(dense(np.ones((4, 3)))) + inputs\n'
    }
  ]
});
