import { ruleTester } from '../rule-tester';

ruleTester('slash-in-layer-name', {
  valid: [
    { code: 'import keras\nlayer = keras.layers.Dense(8, name="encoder_0_ffn")\n' },
    { name: 'a slash in an f-string field is a division', code: 'import keras\nn = 4\nlayer = keras.layers.Dense(8, name=f"dense_{n/2}")\n' },
    { name: 'not a Keras class', code: 'import keras\nrecord = dict(name="a/b")\n' },
    { name: 'a path, not a name', code: 'import keras\nmodel = keras.models.load_model("runs/model.keras")\n' }
  ],
  invalid: [
    {
      code: 'import keras\nlayer = keras.layers.Dense(8, name="encoder_0/ffn")\n',
      errors: [{ line: 2, column: 36 }],
      // ValueError: Argument `name` must be a string and cannot contain character `/` (Keras 3.15, every backend).
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import keras\nlayer = keras.layers.Dense(8, name="encoder_0_ffn")\n'
    },
    {
      name: 'keras.io BERT: names built with str.format, and get_layer with the same name',
      code:
        'from tensorflow import keras\nfrom tensorflow.keras import layers\ndef block(x, i):\n    ffn = keras.Sequential([layers.Dense(4)], name="encoder_{}/ffn".format(i))\n    return layers.LayerNormalization(name="encoder_{}/ffn_layernormalization".format(i))(ffn(x))\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, block(inputs, 0))\nbody = keras.Model(model.input, model.get_layer("encoder_0/ffn_layernormalization").output)\n',
      errors: [{ line: 4, column: 52 }, { line: 5, column: 43 }, { line: 8, column: 49 }],
      output:
        'from tensorflow import keras\nfrom tensorflow.keras import layers\ndef block(x, i):\n    ffn = keras.Sequential([layers.Dense(4)], name="encoder_{}_ffn".format(i))\n    return layers.LayerNormalization(name="encoder_{}_ffn_layernormalization".format(i))(ffn(x))\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, block(inputs, 0))\nbody = keras.Model(model.input, model.get_layer("encoder_0_ffn_layernormalization").output)\n'
    },
    {
      name: 'an f-string name of a layer subclass of the program',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    pass\nblocks = [Block(name=f"stage/{i}") for i in range(2)]\n',
      errors: [{ line: 4, column: 22 }],
      output: 'import keras\nclass Block(keras.layers.Layer):\n    pass\nblocks = [Block(name=f"stage_{i}") for i in range(2)]\n'
    }
  ]
});
