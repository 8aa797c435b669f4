import { ruleTester } from '../rule-tester';

const CLASS =
  'import tensorflow as tf\nimport keras\n\n\nclass CVAE(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n\n';
const FIXED = '    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n';

ruleTester('tf-function-on-layer-method', {
  valid: [
    { name: 'no @tf.function', code: CLASS + '    def sample(self, eps):\n        return self.decoder(eps)\n' },
    {
      name: 'a plain class (not Keras)',
      code: 'import tensorflow as tf\n\n\nclass Sampler:\n    def __init__(self, model):\n        self.model = model\n\n    @tf.function\n    def sample(self, eps):\n        return self.model(eps)\n'
    },
    {
      name: 'the method runs TensorFlow ops only',
      code: CLASS + '    @tf.function\n    def random_execute(self, prob):\n        return tf.random.uniform([], minval=0, maxval=1) < prob\n'
    },
    { name: 'train_step is left to the train-step rules', code: CLASS + '    @tf.function\n    def train_step(self, data):\n        return {"loss": tf.reduce_sum(self.decoder(data))}\n' },
    {
      name: 'already TensorFlow-only',
      code: CLASS + FIXED + '    def sample(self, eps):\n        return self.decoder(eps)\n'
    },
    {
      name: 'the attribute holds what the constructor gets, and the program never passes it a layer',
      code: 'import tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self, encoder, decoder, latent_dim=2):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n\n    @tf.function\n    def sample(self, eps):\n        return self.decoder(eps)\nsampler = Sampler(None, lambda z: z * 2)\n'
    },
    {
      name: 'a function nested in a method',
      code: CLASS + '    def sample(self, eps):\n        @tf.function\n        def inner(e):\n            return e * 2\n        return self.decoder(inner(eps))\n'
    }
  ],
  invalid: [
    {
      name: 'the decoder is a layer the constructor gets by keyword (`Model(decoder=MyLayer(...))`), in a later cell',
      code: ['import tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self, encoder, decoder, latent_dim=2):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n\n    @tf.function\n    def sample(self, eps):\n        return self.decoder(eps)\n', 'class Decoder(keras.layers.Layer):\n    def call(self, z):\n        return z\n\nsampler = Sampler(encoder=None, decoder=Decoder())\n'],
      errors: [{ cell: 0, line: 11, column: 6, message: '`self.decoder(...)`' }],
      blocks: ['jax', 'torch'],
      output: ['import tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self, encoder, decoder, latent_dim=2):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n\n    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def sample(self, eps):\n        return self.decoder(eps)\n', 'class Decoder(keras.layers.Layer):\n    def call(self, z):\n        return z\n\nsampler = Sampler(encoder=None, decoder=Decoder())\n']
    },
    {
      name: 'the decoder is a Sequential passed positionally through a name',
      code: 'import tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self, encoder, decoder, latent_dim=2):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n\n    @tf.function\n    def sample(self, eps):\n        return self.decoder(eps)\ndecoder = keras.Sequential([keras.layers.Dense(4)])\nsampler = Sampler(keras.layers.Dense(2), decoder)\n',
      errors: [{ line: 11, column: 6 }],
      output: 'import tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self, encoder, decoder, latent_dim=2):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n\n    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def sample(self, eps):\n        return self.decoder(eps)\ndecoder = keras.Sequential([keras.layers.Dense(4)])\nsampler = Sampler(keras.layers.Dense(2), decoder)\n'
    },
    {
      name: "TensorFlow CVAE tutorial: sample() reaches the decoder through decode()",
      code:
        CLASS +
        '    @tf.function\n    def sample(self, eps=None):\n        if eps is None:\n            eps = tf.random.normal(shape=(100, 2))\n        return self.decode(eps, apply_sigmoid=True)\n\n    def decode(self, z, apply_sigmoid=False):\n        logits = self.decoder(z)\n        if apply_sigmoid:\n            return tf.sigmoid(logits)\n        return logits\n',
      errors: [{ line: 10, column: 6, message: '`sample()` is a `@tf.function` method of a Keras model that runs Keras layers (`self.decoder(...)`)' }],
      blocks: ['jax', 'torch'],
      output:
        CLASS +
        FIXED +
        '    def sample(self, eps=None):\n        if eps is None:\n            eps = tf.random.normal(shape=(100, 2))\n        return self.decode(eps, apply_sigmoid=True)\n\n    def decode(self, z, apply_sigmoid=False):\n        logits = self.decoder(z)\n        if apply_sigmoid:\n            return tf.sigmoid(logits)\n        return logits\n'
    },
    {
      name: 'decorator with arguments calling the instance itself, keras imported by the fix',
      code:
        'import tensorflow as tf\n\n\nclass Generator(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = tf.keras.layers.Dense(4)\n\n    def call(self, x):\n        return self.dense(x)\n\n    @tf.function(reduce_retracing=True)\n    def generate_one_step(self, inputs):\n        return tf.argmax(self(inputs), axis=-1)\n',
      errors: [{ line: 12, column: 6, message: '`self(...)`' }],
      output:
        'import tensorflow as tf\nimport keras\n\n\nclass Generator(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = tf.keras.layers.Dense(4)\n\n    def call(self, x):\n        return self.dense(x)\n\n    @(tf.function(reduce_retracing=True) if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def generate_one_step(self, inputs):\n        return tf.argmax(self(inputs), axis=-1)\n'
    }
  ]
});
