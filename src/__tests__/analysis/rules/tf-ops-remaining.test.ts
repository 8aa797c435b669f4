import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tf-ops-remaining', {
  valid: [
    { name: 'a TF constant made in __init__ and stored as the backend\'s tensor (KM131\'s suggestion applied), and the TF tensor of ids given to an inverted StringLookup', code: "import keras\nimport tensorflow as tf\nclass Decoder(keras.Model):\n    def __init__(self, vocab):\n        super().__init__()\n        self.chars_from_ids = keras.layers.StringLookup(vocabulary=vocab, invert=True, mask_token=None)\n        self.prediction_mask = keras.ops.convert_to_tensor(tf.sparse.to_dense(tf.SparseTensor(values=[1.0], indices=[[0]], dense_shape=[3])))\n\n    def decode(self, ids):\n        return self.chars_from_ids(tf.convert_to_tensor(ids + self.prediction_mask))\n" },
    { name: 'every TF op converts with a safe fix', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.reduce_sum(tf.abs(x), axis=1, keepdims=True)\n' },
    { name: 'a notebook function nothing uses as model code', code: HEAD + 'def stats(x):\n    return tf.shape(x)\n' },
    { name: 'a tf.data map function', code: HEAD + 'def prep(x):\n    return tf.shape(x)\nds = tf.data.Dataset.range(3).map(prep)\n' },
    { name: 'a TF call silenced for KM131 on its line is not counted', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.signal.stft(x, 64, 16)  # keras-migrate: ignore[KM131]\n' },
    { name: 'clean Keras 3', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.shape(x)\n' },
    {
      name: 'TF calls on TensorFlow\'s own path (under a backend test, or after the other backends returned) keep nothing on TensorFlow',
      code:
        HEAD +
        'class Gate(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() == "tensorflow":\n            return tf.nn.silu(x, beta=2.0)\n        return keras.ops.silu(x)\n' +
        'class Scale(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() in ("jax", "torch"):\n            return keras.ops.silu(x)\n        return tf.nn.silu(x, beta=2.0)\n'
    },
    {
      name: 'a per-backend step dispatching on a name bound to keras.backend.backend(): its TensorFlow step\'s TF calls run on TensorFlow only',
      code:
        HEAD +
        'class WGAN(keras.Model):\n    def train_step(self, *args):\n        backend = keras.backend.backend()\n        if backend == "jax":\n            return self._jax_train_step(*args)\n        return self._tensorflow_train_step(*args)\n' +
        '    def _jax_train_step(self, state, data):\n        return {}, state\n' +
        '    def _tensorflow_train_step(self, data):\n        with tf.GradientTape() as tape:\n            loss = keras.ops.sum(self.d(data))\n        return {"loss": loss}\n'
    }
  ],
  invalid: [
    {
      name: 'a step calling _tensorflow_train_step() with no backend test: its TF calls remain',
      code:
        HEAD +
        'class WGAN(keras.Model):\n    def train_step(self, *args):\n        backend = "tensorflow"\n        if backend == "jax":\n            return self._jax_train_step(*args)\n        return self._tensorflow_train_step(*args)\n' +
        '    def _jax_train_step(self, state, data):\n        return {}, state\n' +
        '    def _tensorflow_train_step(self, data):\n        with tf.GradientTape() as tape:\n            loss = keras.ops.sum(self.d(data))\n        return {"loss": loss}\n' +
        'model.fit(x, y)\n',
      errors: [{ line: 3, column: 7, message: '1 TF call remains in `WGAN`' }]
    },
    {
      name: 'a TF call under `!= "jax"` remains for PyTorch',
      code: HEAD + 'class OffJax(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() != "jax":\n            return tf.nn.silu(x, beta=2.0)\n        return keras.ops.silu(x)\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 7, message: '1 TF call remains in `OffJax`' }],
      blocks: ['torch']
    },
    {
      name: 'per method, only the calls no safe fix converts',
      code:
        HEAD +
        'class Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones([shape[-1]]))\n    def call(self, x):\n        n = tf.cast(tf.shape(x), "float32")[-1]\n        return tf.nn.silu(x, beta=2.0) * n + tf.abs(x)\n',
      errors: [{ line: 3, column: 7, message: '4 TF calls remain in `Scale` after the safe fixes (Scale.build: `tf.Variable`, `tf.ones`; Scale.call: `tf.shape`, `tf.nn.silu`)' }]
    },
    {
      name: 'a helper called from call() in a later cell, and a loss given to compile()',
      code: [
        HEAD + 'def pairwise(a, b):\n    return tf.norm(a - b, axis=-1)\n\ndef ranking(labels, scores):\n    return tf.math.top_k(scores, 2)[0]\n',
        'class D(keras.layers.Layer):\n    def call(self, a, b):\n        return pairwise(a, b)\n',
        'model = keras.Sequential([D()])\nmodel.compile(loss=ranking)\n'
      ],
      errors: [
        { cell: 0, line: 3, column: 5, message: '1 TF call remains in `pairwise()` after the safe fixes (`tf.norm`)' },
        { cell: 0, line: 6, column: 5, message: '`ranking()`' }
      ]
    },
    {
      name: "keras.io Dual Encoder's `with tf.device(...)` blocks in call(): TensorFlow's device scope only, the body runs on JAX and PyTorch (ran)",
      code: HEAD + 'class M(keras.Model):\n    def call(self, features):\n        with tf.device("/gpu:0"):\n            x = self.encoder(features)\n        return x\n',
      errors: [{ line: 3, column: 7 }],
      blocks: []
    },
    {
      name: 'calls that only compute Python values in __init__/get_config block no backend',
      code: HEAD + 'class L(keras.layers.Layer):\n    def get_config(self):\n        return {"rate": tf.constant(self.rate).numpy()}\n',
      errors: [{ line: 3, column: 7, message: 'they only compute Python values, print, name scopes or make data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend' }],
      blocks: []
    },
    {
      // examples/runnable/antirectifier_debugging_tips.py after fix --unsafe ran on JAX and PyTorch with these left in.
      name: 'tf.name_scope around add_weight in build() and tf.print in call() block no backend',
      code: HEAD + 'class L(keras.layers.Layer):\n    def build(self, input_shape):\n        with tf.name_scope(self.name):\n            self.kernel = self.add_weight(shape=(input_shape[-1], 2))\n    def call(self, x):\n        tf.print("shape:", keras.ops.shape(x))\n        return keras.ops.matmul(x, self.kernel)\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), L()])\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 7, message: 'runs on every backend' }],
      blocks: []
    },
    {
      name: 'one call that meets tensors makes the layer block JAX and PyTorch',
      code: HEAD + 'class L(keras.layers.Layer):\n    def get_config(self):\n        return {"rate": tf.constant(self.rate).numpy()}\n    def call(self, x):\n        return tf.nn.silu(x, beta=2.0)\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 7, message: 'runs only on TensorFlow' }],
      blocks: ['jax', 'torch']
    },
    {
      // `shape=` keeps the call from the safe `keras.ops.convert_to_tensor` rewrite: it remains.
      name: 'plain data made for keras.ops blocks no backend',
      code: HEAD + 'def mask(n):\n    return keras.ops.concatenate([keras.ops.ones((n,), "int32"), tf.constant(1, dtype=tf.int32, shape=(2,))], 0)\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x + keras.ops.sum(mask(3))\n',
      errors: [{ line: 3, column: 5, message: 'make data that `keras.ops` and Keras layers take' }],
      blocks: []
    },
    {
      // python_kernel_hooks/tests/claims/tf_variable_untrained.py runs on all three backends.
      name: 'a tf.Variable only ever handed to keras.ops blocks no backend',
      code: HEAD + 'import numpy as np\nclass Scale(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(np.ones((3, 1), "float32"))\n    def call(self, x):\n        return keras.ops.matmul(x, self.w)\n',
      errors: [{ line: 4, column: 7 }],
      blocks: []
    },
    {
      name: 'a tf.Variable an operator applies to a tensor still blocks JAX and PyTorch',
      code: HEAD + 'import numpy as np\nclass Scale(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(np.ones((3, 1), "float32"))\n    def call(self, x):\n        return x * self.w\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 7 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a layer used only on the model inputs blocks JAX, and PyTorch only where something that requires grad reaches it',
      code: HEAD + 'class P(keras.layers.Layer):\n    def call(self, x):\n        return tf.image.extract_patches(x, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 2, 2, 1], padding="VALID")\nmodel = keras.Sequential([keras.Input((4, 4, 1)), P(), keras.layers.Dense(1)])\n',
      errors: [{ line: 3, column: 7, message: 'on PyTorch only where tensors that require grad reach them' }],
      blocks: ['jax']
    },
    {
      name: "TF's text-generation sampler: a tf.strings op blocks JAX only (PyTorch has no string tensors, the op gets TensorFlow's), and a SparseTensor local only the stored conversion reads is not counted (ran on PyTorch)",
      code:
        HEAD +
        'class OneStep(keras.Model):\n    def __init__(self, model, ids_from_chars):\n        super().__init__()\n        self.model = model\n        self.ids_from_chars = ids_from_chars\n' +
        '        sparse_mask = tf.SparseTensor(values=[-float("inf")], indices=[[0]], dense_shape=[3])\n        self.prediction_mask = keras.ops.convert_to_tensor(tf.sparse.to_dense(sparse_mask))\n' +
        '    @tf.function\n    def generate_one_step(self, inputs):\n        input_chars = tf.strings.unicode_split(inputs, "UTF-8")\n        return self.ids_from_chars(input_chars)\n',
      errors: [{ line: 3, column: 7, message: '1 TF call remains in `OneStep`' }],
      blocks: ['jax']
    },
    {
      name: "the same sampler once its tf.function applies on TensorFlow only: eager on JAX, where TensorFlow takes the arrays (the fixed tutorial ran on all three backends)",
      code:
        HEAD +
        'class OneStep(keras.Model):\n    def __init__(self, model, ids_from_chars):\n        super().__init__()\n        self.model = model\n        self.ids_from_chars = ids_from_chars\n' +
        '    @(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\n    def generate_one_step(self, inputs):\n        input_chars = tf.strings.unicode_split(inputs, "UTF-8")\n        return self.ids_from_chars(input_chars)\n',
      errors: [{ line: 3, column: 7, message: 'so it runs on every backend' }],
      blocks: []
    }
  ]
});
