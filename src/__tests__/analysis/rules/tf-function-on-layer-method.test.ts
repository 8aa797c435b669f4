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
    },
    {
      // /work/og46b repro_11 (Keras 2 code decorating a subclassed model's call()): TensorFlow "No gradients provided for
      // any variable", JAX "Unable to automatically build the model", PyTorch "Cannot convert a symbolic tf.Tensor";
      // without the decorator it runs on all three (claims/tf_function_on_model_call.py).
      name: '@tf.function on a trained model\'s call(): the decorator goes (safe)',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n\n    @tf.function(jit_compile=True)\n    def call(self, inputs):\n        return self.dense(inputs)\n\n\nmodel = Net()\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 1)), np.zeros((4, 1)), verbose=0)\n',
      errors: [{ line: 11, column: 6, message: 'compile(jit_compile=True)' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n\n    def call(self, inputs):\n        return self.dense(inputs)\n\n\nmodel = Net()\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 1)), np.zeros((4, 1)), verbose=0)\n'
    },
    {
      // /work/og46b repro_12: a Layer's decorated call() of operators on its own weight ran on TensorFlow and PyTorch, failed on JAX.
      name: '@tf.function on a layer\'s call() of operators only: JAX',
      code: 'import tensorflow as tf\nimport keras\n\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")\n\n    @tf.function\n    def call(self, x):\n        return x * self.w\n',
      errors: [{ line: 9, column: 6 }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nimport keras\n\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")\n\n    def call(self, x):\n        return x * self.w\n'
    },
    {
      // /tmp/tfcall/layer_sub.py, subclass_predict.py: a layer calling a sublayer fails on JAX and PyTorch; a model only predicted with runs on TensorFlow.
      name: '@tf.function on call() that calls a layer, in a model never trained: JAX and PyTorch',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n\n    @tf.function\n    def call(self, x):\n        return self.d(x)\n\n\nprint(Net().predict(np.ones((2, 3)), verbose=0))\n',
      errors: [{ line: 11, column: 6 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n\n    def call(self, x):\n        return self.d(x)\n\n\nprint(Net().predict(np.ones((2, 3)), verbose=0))\n'
    },
    {
      // og50b (handson-ml3 ch. 15 MyRNN): without the decorator TensorFlow fails ("Iterating over a symbolic `tf.Tensor`
      // is not allowed", /tmp/k265 nodeco.py); with it applied on TensorFlow only, TensorFlow runs as before.
      name: '@tf.function on call() whose loop over tf.range needs AutoGraph: the decorator stays on TensorFlow',
      code: 'import tensorflow as tf\nimport keras\n\n\nclass MyRNN(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.cell = keras.layers.SimpleRNNCell(units)\n\n    @tf.function\n    def call(self, inputs):\n        states = [tf.zeros([tf.shape(inputs)[0], 8])]\n        for step in tf.range(tf.shape(inputs)[1]):\n            outputs, states = self.cell(inputs[:, step], states)\n        return outputs\n',
      errors: [{ line: 10, column: 6, message: 'relies on AutoGraph (`for step in tf.range(tf.shape(inputs)[1])`)' }],
      blocks: ['jax', 'torch'],
      output: 'import tensorflow as tf\nimport keras\n\n\nclass MyRNN(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.cell = keras.layers.SimpleRNNCell(units)\n\n    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def call(self, inputs):\n        states = [tf.zeros([tf.shape(inputs)[0], 8])]\n        for step in tf.range(tf.shape(inputs)[1]):\n            outputs, states = self.cell(inputs[:, step], states)\n        return outputs\n'
    },
    {
      name: '@tf.function on call() with Python-only branches and loops: the decorator goes',
      code: 'import tensorflow as tf\nimport keras\n\n\nclass Stack(keras.layers.Layer):\n    def __init__(self, n, flag=True):\n        super().__init__()\n        self.blocks = [keras.layers.Dense(4) for _ in range(n)]\n        self.flag = flag\n\n    @tf.function\n    def call(self, x, training=None, mask=None):\n        for block in self.blocks:\n            x = block(x)\n        if self.flag and mask is None:\n            x = x * 2.0\n        return x\n',
      errors: [{ line: 11, column: 6 }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nimport keras\n\n\nclass Stack(keras.layers.Layer):\n    def __init__(self, n, flag=True):\n        super().__init__()\n        self.blocks = [keras.layers.Dense(4) for _ in range(n)]\n        self.flag = flag\n\n    def call(self, x, training=None, mask=None):\n        for block in self.blocks:\n            x = block(x)\n        if self.flag and mask is None:\n            x = x * 2.0\n        return x\n'
    },
    {
      name: '@tf.function on call() in a file with CR-only line endings: only the decorator line goes',
      code: 'import tensorflow as tf\rimport keras\rclass Scale(keras.layers.Layer):\r    @tf.function\r    def call(self, x):\r        return x * 2.0\r',
      errors: [{ line: 4, column: 6 }],
      output: 'import tensorflow as tf\rimport keras\rclass Scale(keras.layers.Layer):\r    def call(self, x):\r        return x * 2.0\r'
    }
  ]
});
