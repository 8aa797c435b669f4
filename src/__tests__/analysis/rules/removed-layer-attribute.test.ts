import { ruleTester } from '../rule-tester';

ruleTester('removed-layer-attribute', {
  valid: [
    { name: 'models keep output_shape', code: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nassert model.output_shape == (None, 2)\nprint(model.input_shape)\n' },
    { name: 'Keras 3 spelling', code: 'for layer in model.layers:\n    print(layer.output.shape)\n' }
  ],
  invalid: [
    {
      // TensorFlow CSV tutorial (helper og42a r2): "'StringLookup' object has no attribute 'vocab_size'" on tf/jax/torch.
      name: 'vocab_size() of a lookup layer becomes vocabulary_size(); a tokenizer\'s own vocab_size() is left alone',
      code: "import numpy as np\nfrom tensorflow.keras.layers.experimental import preprocessing\nlookup = preprocessing.StringLookup(vocabulary=np.array([\"a\", \"b\", \"c\"]))\none_hot = preprocessing.CategoryEncoding(num_tokens=lookup.vocab_size())\nsize = tokenizer.vocab_size()\n",
      errors: [{ line: 4, column: 60, message: "Use `vocabulary_size()`" }],
      output: "import numpy as np\nfrom tensorflow.keras.layers.experimental import preprocessing\nlookup = preprocessing.StringLookup(vocabulary=np.array([\"a\", \"b\", \"c\"]))\none_hot = preprocessing.CategoryEncoding(num_tokens=lookup.vocabulary_size())\nsize = tokenizer.vocab_size()\n"
    },
    {
      name: 'layer summaries and a BatchNorm-style update',
      code: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output_shape)\nshape = model.get_layer("conv").output_shape\nfirst = model.layers[0].input_shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n',
      errors: [{ line: 3, column: 29 }, { line: 4, column: 33 }, { line: 5, column: 25 }, { line: 8, column: 9, message: 'add_update' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output.shape)\nshape = model.get_layer("conv").output.shape\nfirst = model.layers[0].input.shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n'
    }
  ]
});
