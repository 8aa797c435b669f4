import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

/** keras.io's weight-standardized Conv2D and a layer with an added weight: variables given to keras.ops.moments. */
const WS_CODE =
  HEAD +
  'class WSConv2D(keras.layers.Conv2D):\n    def call(self, inputs):\n        mean, var = tf.nn.moments(self.kernel, axes=[0, 1, 2], keepdims=True)\n        return tf.nn.conv2d(inputs, self.kernel - mean, padding="VALID", strides=list(self.strides))\n' +
  'class Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(4,))\n    def call(self, x):\n        mean, var = tf.nn.moments(self.w, axes=[0])\n        m2, v2 = tf.nn.moments(x, axes=[0])\n        m3, v3 = tf.nn.moments(self.kernel, axes=[0])\n        return x * mean + m2 + m3\n' +
  'model = keras.Sequential([WSConv2D(4, 3), Scale()])\nmodel.fit(x, y)\n';
const WS_SAFE =
  HEAD +
  'class WSConv2D(keras.layers.Conv2D):\n    def call(self, inputs):\n        mean, var = keras.ops.moments(keras.ops.convert_to_tensor(self.kernel), axes=[0, 1, 2], keepdims=True)\n        return tf.nn.conv2d(inputs, self.kernel - mean, padding="VALID", strides=list(self.strides))\n' +
  'class Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(4,))\n    def call(self, x):\n        mean, var = keras.ops.moments(keras.ops.convert_to_tensor(self.w), axes=[0])\n        m2, v2 = keras.ops.moments(x, axes=[0])\n        m3, v3 = keras.ops.moments(self.kernel, axes=[0])\n        return x * mean + m2 + m3\n' +
  'model = keras.Sequential([WSConv2D(4, 3), Scale()])\nmodel.fit(x, y)\n';
const WS_UNSAFE =
  HEAD +
  'class WSConv2D(keras.layers.Conv2D):\n    def call(self, inputs):\n        mean, var = keras.ops.moments(keras.ops.convert_to_tensor(self.kernel), axes=[0, 1, 2], keepdims=True)\n        return keras.ops.conv(inputs, self.kernel - mean, padding="valid", strides=list(self.strides))\n' +
  'class Scale(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(4,))\n    def call(self, x):\n        mean, var = keras.ops.moments(keras.ops.convert_to_tensor(self.w), axes=[0])\n        m2, v2 = keras.ops.moments(x, axes=[0])\n        m3, v3 = keras.ops.moments(self.kernel, axes=[0])\n        return x * mean + m2 + m3\n' +
  'model = keras.Sequential([WSConv2D(4, 3), Scale()])\nmodel.fit(x, y)\n';

ruleTester('tf-op-in-model-code', {
  valid: [
    {
      // og49b repro_2 (aymericdamien's logistic regression): a loss-named function called only under a tape over
      // loose tf.Variables runs TF ops on TF tensors on every backend; its keras.ops rewrite broke JAX (ran, Keras 3.15).
      name: 'a function named like a loss that the cell only calls, under a tape over tf.Variables',
      code: 'import tensorflow as tf\nW = tf.Variable(tf.zeros([4, 3]))\n\ndef cross_entropy(y_pred, y_true):\n    return tf.reduce_mean(-tf.reduce_sum(tf.one_hot(y_true, 3) * tf.math.log(y_pred)))\n\nwith tf.GradientTape() as g:\n    loss = cross_entropy(tf.nn.softmax(tf.matmul(x, W)), y)\ngradients = g.gradient(loss, [W])\n'
    },
    {
      // /work/og48b repro_5 (Géron's handson-ml2 ch. 13): the first `preprocess` runs in dataset.map; a layer's call()
      // runs the second. The safe keras.ops rewrite of the first failed on JAX and PyTorch where the original ran.
      name: 'a function that a later function of the same name replaces is not the one model code calls',
      code:
        HEAD +
        'def preprocess(image):\n    return tf.reshape(image, shape=[4])\nds = tf.data.Dataset.from_tensor_slices(x).map(preprocess)\n' +
        'def preprocess(x):\n    return x * 2.0\nclass Double(keras.layers.Layer):\n    def call(self, inputs):\n        return preprocess(inputs)\n'
    },
    { name: 'a lambda held by a name that only tf.data maps', code: HEAD + 'prep = lambda x: tf.math.exp(x)\nds = tf.data.Dataset.range(8).map(prep)\n' },
    {
      name: 'TensorFlow Probability and TensorFlow I/O outside model code (data preparation, tf.data), and a TFP layer (KM178)',
      code: 'import keras\nimport tensorflow as tf\nimport tensorflow_probability as tfp\nimport tensorflow_io as tfio\nnoise = tfp.distributions.Normal(0.0, 1.0).sample(8)\nds = tf.data.Dataset.range(4).map(lambda x: tfio.audio.resample(x, 16000, 8000))\nmodel = keras.Sequential([tfp.layers.DenseVariational(4)])\n'
    },
    { name: 'tf.data pipelines are fine', code: HEAD + 'ds = tf.data.Dataset.range(10).map(lambda x: tf.cast(x, tf.float32))\n' },
    { name: 'tnp data made at module level, and tnp.random in a layer (no keras.ops counterpart of that name)', code: 'import keras\nimport tensorflow.experimental.numpy as tnp\nx = tnp.matmul(tnp.random.randn(8, 4), w)\nclass Noise(keras.layers.Layer):\n    def call(self, x):\n        return x + tnp.random.randn(4)\n' },
    { name: 'module-level data prep', code: HEAD + 'x = tf.reduce_sum(data, axis=1)\n' },
    { name: 'clean Keras 3', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.sum(x, axis=1)\n' },
    { name: 'not a loss signature', code: 'import tensorflow as tf\ndef scale(x, factor):\n    return tf.reduce_sum(x) * factor\n' },
    { name: 'a plain callable object called only in a tf.data map (the model calls only its layers): not model code', code: "import numpy as np, keras, tensorflow as tf\nclass Jitter:\n    def __call__(self, images):\n        return images + tf.random.uniform(tf.shape(images), -0.1, 0.1)\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, x):\n        return self.dense(x)\njitter = Jitter()\nds = tf.data.Dataset.from_tensor_slices(np.ones((4, 3), \"float32\")).map(lambda x: jitter(x))\n" },
    { name: 'a Keras layer handed to the constructor; the plain callable only used in a tf.data map: not model code', code: "import numpy as np, keras, tensorflow as tf\nclass Roughness:\n    def __call__(self, images):\n        return tf.reduce_mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n    def train_step(self, x):\n        return {\"loss\": self.penalty(self.net(x))}\nmodel = Smoother(keras.layers.Dense(4))\nroughness = Roughness()\nds = tf.data.Dataset.from_tensor_slices(np.ones((4, 3), \"float32\")).map(lambda v: roughness(v))\n" },
    { name: 'a module-level instance of a plain callable class called only at module level and in a tf.data map function; model code calling a local of the same name', code: "import numpy as np, keras, tensorflow as tf\nclass Jitter:\n    def __call__(self, images):\n        return images + tf.random.uniform(tf.shape(images), -0.1, 0.1)\njitter = Jitter()\ndef prep(x):\n    return jitter(x)\nds = tf.data.Dataset.from_tensor_slices(np.ones((4, 3), \"float32\")).map(prep)\nsample = jitter(np.ones((2, 3), \"float32\"))\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, x):\n        jitter = self.dense\n        return jitter(x)\n" },
    { name: 'a helper installed on a plain class', code: 'import tensorflow as tf\nclass WindowGenerator:\n    pass\ndef split_window(self, features):\n    return tf.stack([features], axis=-1)\nWindowGenerator.split_window = split_window\n' },
    { name: 'a tf.data map function and a helper used only by it stay TensorFlow', code: HEAD + 'def scale(x):\n    return tf.cast(x, tf.float32) / 255.0\ndef prep(x, y):\n    return scale(x), tf.one_hot(y, 10)\nds = tf.data.Dataset.range(8).map(prep)\nmodel = keras.Sequential([keras.layers.Dense(2)])\nmodel.compile(loss="mse")\n' },
    { name: 'a function handed positionally to a method other than compile() (not known to run on tensors)', code: HEAD + "def disc_cost(a, b):\n    return tf.reduce_mean(a) - tf.reduce_mean(b)\nclass GAN(keras.Model):\n    def compile(self, g_optimizer, d_optimizer, g_cost, d_cost):\n        super().compile()\n        self.d_cost = d_cost\n    def train_step(self, data):\n        return {\"d\": self.d_cost(self.discriminator(data), data)}\ngan = GAN()\ngan.configure(keras.optimizers.Adam(), keras.optimizers.Adam(), None, disc_cost)\n" },
    { name: 'a star-imported name redefined by the notebook', code: 'from keras.layers import *\nimport tensorflow as tf\ndef Lambda(f):\n    return f\ng = Lambda(lambda x: tf.abs(x))\n' },
    { name: 'a tensor made in __init__ with TF and stored as the backend\'s tensor (the fix below), and the TF tensor of ids given to an inverted StringLookup (KM200\'s fix)', code: "import keras\nimport tensorflow as tf\nclass Decoder(keras.Model):\n    def __init__(self, vocab):\n        super().__init__()\n        self.chars_from_ids = keras.layers.StringLookup(vocabulary=vocab, invert=True, mask_token=None)\n        self.prediction_mask = keras.ops.convert_to_tensor(tf.sparse.to_dense(tf.SparseTensor(values=[1.0], indices=[[0]], dense_shape=[3])))\n\n    def decode(self, ids):\n        return self.chars_from_ids(tf.convert_to_tensor(ids + self.prediction_mask))\n" },
  ],
  invalid: [
    {
      // og49c repro_4 (TF2 RL cookbook): keras.ops.stop_gradient calls .detach() on PyTorch, which a NumPy array
      // lacks; the argument not known to be a tensor is converted first (ran on all three, Keras 3.15).
      name: 'tf.stop_gradient of an attribute (a NumPy array): converted to a tensor first',
      code: 'import tensorflow as tf\nimport keras\n\nclass Critic(keras.Model):\n    def call(self, x):\n        return x - tf.stop_gradient(self.target)\n',
      errors: [{ line: 6, column: 20 }],
      output: 'import tensorflow as tf\nimport keras\n\nclass Critic(keras.Model):\n    def call(self, x):\n        return x - keras.ops.stop_gradient(keras.ops.convert_to_tensor(self.target))\n'
    },
    {
      name: 'the same function compiled as a model\'s loss in a later cell is model code',
      code: ['import tensorflow as tf\nimport keras\n\ndef cross_entropy(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_true - y_pred))\n', 'model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=cross_entropy)\n'],
      errors: [{ cell: 0, line: 5, column: 12 }, { cell: 0, line: 5, column: 27 }],
      output: ['import tensorflow as tf\nimport keras\n\ndef cross_entropy(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred))\n', 'model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=cross_entropy)\n']
    },
    {
      // og47c repro_4 (dragen1860's ColorBot): keras.ops.stack of a tensor and a Python list failed on TensorFlow
      // ("Invalid dtype: list"), where tf.stack ran: a suggestion only (safe fixes leave it).
      name: 'tf.stack of a tensor beside a Python list: the keras.ops.stack rewrite is a suggestion',
      code: 'import keras\nimport tensorflow as tf\nclass LastStep(keras.layers.Layer):\n    def call(self, seq, lengths):\n        batch_range = [i for i in range(2)]\n        return tf.stack([lengths - 1, batch_range], axis=1)\n',
      errors: [{ line: 6, column: 16 }],
      output: 'import keras\nimport tensorflow as tf\nclass LastStep(keras.layers.Layer):\n    def call(self, seq, lengths):\n        batch_range = [i for i in range(2)]\n        return tf.stack([lengths - 1, batch_range], axis=1)\n'
    },
    {
      // og47c repro_4: the suggestion makes the list a tensor of the other item's dtype; it ran on all three.
      name: 'tf.stack of a tensor beside a Python list, unsafe fixes: the list becomes a tensor of the tensor\'s dtype',
      code: 'import keras\nimport tensorflow as tf\nclass LastStep(keras.layers.Layer):\n    def call(self, seq, lengths):\n        batch_range = [i for i in range(2)]\n        return tf.stack([lengths - 1, batch_range], axis=1)\n',
      errors: [{ line: 6, column: 16 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow as tf\nclass LastStep(keras.layers.Layer):\n    def call(self, seq, lengths):\n        batch_range = [i for i in range(2)]\n        return keras.ops.stack([lengths - 1, keras.ops.convert_to_tensor(batch_range, dtype=keras.ops.dtype(lengths - 1))], axis=1)\n'
    },
    {
      // claims/tf_cast_to_backend_dtype.py: a model used only by predict (no grad on PyTorch), yet PyTorch fails:
      // `x.dtype` is a torch.dtype there, which TensorFlow cannot convert.
      name: 'a TF op given a backend tensor\'s dtype: PyTorch claimed whatever the grad',
      code: 'import keras\nimport tensorflow as tf\nclass ScaleByWidth(keras.layers.Layer):\n    def call(self, x):\n        width = keras.ops.shape(x)[-1]\n        return x * tf.cast(width, x.dtype)\nmodel = keras.Sequential([keras.Input(shape=(3,)), ScaleByWidth()])\n',
      errors: [{ line: 6, column: 20, message: 'torch.dtype' }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport tensorflow as tf\nclass ScaleByWidth(keras.layers.Layer):\n    def call(self, x):\n        width = keras.ops.shape(x)[-1]\n        return x * keras.ops.cast(width, x.dtype)\nmodel = keras.Sequential([keras.Input(shape=(3,)), ScaleByWidth()])\n'
    },
    {
      // A debugging recipe's shape: the layer is tried on test data between its class and a later
      // `from tensorflow import keras`. Without an import at the top, the fixed call() raised
      // NameError ('keras' is not defined) on TensorFlow, where the program had run.
      name: 'a layer class above the only import binding `keras`, called before that import runs: `import keras` is added at the top as well',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\n\nclass Twice(layers.Layer):\n    def call(self, inputs):\n        return tf.concat([inputs, inputs], axis=1)\n\n' +
        'y = Twice()(tf.ones((2, 3)))\n\nfrom tensorflow import keras\n\nmodel = keras.Sequential([Twice()])\n',
      errors: [{ line: 6, column: 16 }],
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nimport keras\n\nclass Twice(layers.Layer):\n    def call(self, inputs):\n        return keras.ops.concatenate([inputs, inputs], axis=1)\n\n' +
        'y = Twice()(tf.ones((2, 3)))\n\nfrom tensorflow import keras\n\nmodel = keras.Sequential([Twice()])\n'
    },
    {
      // Ran with TFP 0.25 (Keras 3.15): TensorFlow trained, JAX failed tracing the loss, PyTorch converting its dtype.
      name: 'TensorFlow Probability in a loss function, by the `tfd = tfp.distributions` alias (no keras.ops fix)',
      code:
        'import keras\nimport tensorflow_probability as tfp\ntfd = tfp.distributions\ndef nll(y_true, y_pred):\n    dist = tfd.Normal(loc=y_pred[:, :1], scale=keras.ops.softplus(y_pred[:, 1:]))\n    return -keras.ops.mean(dist.log_prob(y_true))\n' +
        'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nmodel.compile("adam", loss=nll)\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 12, message: '`tfp.distributions.Normal` is TensorFlow Probability, whose functions are TensorFlow ops: it fails on JAX' }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran with TFP 0.25 (Keras 3.15): TensorFlow trained; JAX and PyTorch failed in call().
      name: 'tfp.math in a layer call, and tfio color ops in a Lambda',
      code:
        'import keras\nimport tensorflow_probability as tfp\nimport tensorflow_io as tfio\nclass LogMeanExp(keras.layers.Layer):\n    def call(self, x):\n        return tfp.math.reduce_logmeanexp(x, axis=-1, keepdims=True)\n' +
        'lab = keras.layers.Lambda(lambda images: tfio.experimental.color.rgb_to_lab(images))\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), lab, LogMeanExp()])\nmodel.fit(x, y)\n',
      errors: [
        { line: 6, column: 16, message: '`tfp.math.reduce_logmeanexp` is TensorFlow Probability' },
        { line: 7, column: 42, message: '`tfio.experimental.color.rgb_to_lab` is TensorFlow I/O' }
      ],
      blocks: ['jax', 'torch']
    },
    {
      // Ran (Python 3.11, Keras 3): the TF ops failed on JAX, which traces call(); the fixed layer ran on TensorFlow, JAX and PyTorch.
      name: 'in f-string interpolations: a dtype string the fix writes takes the quote the f-string does not use',
      code:
        HEAD +
        'import numpy as np\nclass Report(keras.layers.Layer):\n    def call(self, x):\n        print(f"as int {tf.cast(x, tf.int32).dtype} {tf.reduce_max(x)!r:>10}")\n        print(f\'as int {tf.cast(x, tf.int32).dtype}\')\n        return x * 2\n' +
        'model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Report()])\nprint(model.predict(np.ones((1, 2)), verbose=0).shape)\n',
      errors: [{ line: 6, column: 25 }, { line: 6, column: 54 }, { line: 7, column: 25 }],
      blocks: ['jax'],
      output:
        HEAD +
        'import numpy as np\nclass Report(keras.layers.Layer):\n    def call(self, x):\n        print(f"as int {keras.ops.cast(x, \'int32\').dtype} {keras.ops.max(x)!r:>10}")\n        print(f\'as int {keras.ops.cast(x, "int32").dtype}\')\n        return x * 2\n' +
        'model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Report()])\nprint(model.predict(np.ones((1, 2)), verbose=0).shape)\n'
    },
    {
      // Python 3.11 reads an f-string's braces with its quotes: inside both `"` and `'` the dtype string cannot be written.
      name: 'in an f-string nested in one of the other quote: no fix',
      code:
        HEAD +
        'import numpy as np\nclass Report(keras.layers.Layer):\n    def call(self, x):\n        print(f"{f\'{tf.cast(x, tf.int32).dtype}\'}")\n        return x * 2\n' +
        'model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Report()])\nprint(model.predict(np.ones((1, 2)), verbose=0).shape)\n',
      errors: [{ line: 6, column: 21 }],
      blocks: ['jax']
    },
    {
      // python_kernel_hooks/tests/claims/lambda_tf_op_predict_only.py runs on TensorFlow and PyTorch.
      name: 'a TF op in a Lambda layer of a model only given to predict() blocks JAX only, though another model trains',
      code:
        HEAD +
        'trained.fit(x, y)\ninputs = keras.Input((4,))\nlogits = trained(inputs)\nsampling = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))\noutputs = sampling(logits)\nsampler = keras.Model(inputs, outputs)\nsampler.predict(x)\n',
      errors: [{ line: 6, column: 42 }],
      blocks: ['jax']
    },
    {
      // Ran on Keras 3.15 (TensorFlow, JAX, PyTorch): the fixed pixel norm and minibatch layers train; the
      // former `keras.ops.arange(...)` axis failed on JAX and PyTorch.
      name: 'tf.range of the rank as the axes of a reduction: a Python tuple of the static rank',
      code:
        HEAD +
        'class PixelNorm(keras.layers.Layer):\n    def call(self, x):\n        a = tf.reduce_mean(tf.square(x), axis=tf.range(1, tf.size(tf.shape(x))), keepdims=True)\n' +
        '        b = tf.reduce_sum(x, tf.range(1, tf.rank(x) - 1))\n        c = tf.math.reduce_std(x, axis=tf.range(len(x.shape)))\n        m, v = tf.nn.moments(x, axes=tf.range(1, x.shape.rank))\n        return a + b + c + m\n',
      errors: [
        { line: 5, column: 13 }, { line: 5, column: 28 }, { line: 5, column: 47 }, { line: 5, column: 59 }, { line: 5, column: 67 },
        { line: 6, column: 13 }, { line: 6, column: 30 }, { line: 6, column: 42 },
        { line: 7, column: 13 }, { line: 7, column: 40 },
        { line: 8, column: 16 }, { line: 8, column: 38 }
      ],
      output:
        HEAD +
        'class PixelNorm(keras.layers.Layer):\n    def call(self, x):\n        a = keras.ops.mean(keras.ops.square(x), axis=tuple(range(1, len(x.shape))), keepdims=True)\n' +
        '        b = keras.ops.sum(x, tuple(range(1, len(x.shape) - 1)))\n        c = keras.ops.std(x, axis=tuple(range(len(x.shape))))\n        m, v = keras.ops.moments(x, axes=tuple(range(1, len(x.shape))))\n        return a + b + c + m\n'
    },
    {
      // Ran on Keras 3.15 (a MIL-style gate over a list of inputs): `keras.ops.softmax(scores, axis=0)`
      // failed tracing on every backend ('list' object has no attribute 'shape'); stacked, it trained on all three.
      name: 'a Python list of tensors where TF packs it (a comprehension, a list filled by append, a list display) is stacked; a list of numbers is left as it is',
      code:
        HEAD +
        'class Gate(keras.layers.Layer):\n    def call(self, inputs):\n        scores = [keras.ops.sum(t, axis=-1, keepdims=True) for t in inputs]\n        alpha = tf.math.softmax(scores, axis=0)\n' +
        '        parts = []\n        for t in inputs:\n            parts.append(t * 2.0)\n' +
        '        return tf.reduce_sum(parts, axis=0) + tf.reduce_max([inputs[0], inputs[1]], axis=0) + tf.reduce_sum([1.0, 2.0]) + alpha[0]\n',
      errors: [{ line: 6, column: 17 }, { line: 10, column: 16 }, { line: 10, column: 47 }, { line: 10, column: 95 }],
      output:
        HEAD +
        'class Gate(keras.layers.Layer):\n    def call(self, inputs):\n        scores = [keras.ops.sum(t, axis=-1, keepdims=True) for t in inputs]\n        alpha = keras.ops.softmax(keras.ops.stack(scores), axis=0)\n' +
        '        parts = []\n        for t in inputs:\n            parts.append(t * 2.0)\n' +
        '        return keras.ops.sum(keras.ops.stack(parts), axis=0) + keras.ops.max(keras.ops.stack([inputs[0], inputs[1]]), axis=0) + keras.ops.sum([1.0, 2.0]) + alpha[0]\n'
    },
    {
      name: 'tf.range of the rank elsewhere, or of an expression\'s rank, keeps keras.ops.arange',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.reduce_sum(x, axis=tf.range(1, tf.rank(tf.abs(x)))) + tf.cast(tf.range(1, tf.rank(x)), x.dtype)\n',
      errors: [{ line: 5, column: 16 }, { line: 5, column: 38 }, { line: 5, column: 50 }, { line: 5, column: 58 }, { line: 5, column: 73 }, { line: 5, column: 81 }, { line: 5, column: 93 }],
      output: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.sum(x, axis=keras.ops.arange(1, tf.rank(keras.ops.absolute(x)))) + keras.ops.cast(keras.ops.arange(1, tf.rank(x)), x.dtype)\n'
    },
    {
      // Ran on Keras 3.15: on the model's inputs PyTorch trains it (claims/tf_op_in_lambda_on_inputs.py).
      name: 'a TF op in a Lambda layer of a trained model, called on its inputs, blocks JAX only',
      code:
        HEAD +
        'inputs = keras.Input((4,))\nsampling = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))\nhidden = sampling(inputs)\noutputs = keras.layers.Dense(1)(hidden)\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 42 }],
      blocks: ['jax']
    },
    {
      // Ran on Keras 3.15: PyTorch trains both (inputs after a weightless Rescaling; first in a Sequential without an Input).
      name: 'Lambda layers on inputs that need no grad (after weightless layers, first in a Sequential) block JAX only',
      code:
        HEAD +
        'inputs = keras.Input((4,))\nh = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(keras.layers.Rescaling(0.5)(inputs))\nfirst = keras.Sequential([keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0)), keras.layers.Dense(1)])\n' +
        'model = keras.Model(inputs, keras.layers.Dense(1)(h))\nmodel.fit(x, y)\nfirst.fit(x, y)\n',
      errors: [{ line: 4, column: 35 }, { line: 5, column: 57 }],
      blocks: ['jax']
    },
    {
      // Ran on Keras 3.15: fails on PyTorch where the instance is called behind the Dense.
      name: 'a Lambda instance called on the inputs and again behind a Dense blocks JAX and PyTorch',
      code: HEAD + 'inputs = keras.Input((4,))\nsq = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))\nk = sq(inputs)\nk = sq(keras.layers.Dense(4)(k))\nmodel = keras.Model(inputs, k)\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 36 }],
      blocks: ['jax', 'torch']
    },
    {
      // claims/tf_op_in_lambda_nested_model.py: fails on PyTorch behind the generator's Dense.
      name: 'a Lambda right after the Input of a model used as a layer of another model (a GAN) blocks JAX and PyTorch',
      code:
        HEAD +
        'def squared(t):\n    return tf.nn.silu(t, beta=2.0)\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n' +
        'disc = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0)), keras.layers.Dense(1)])\n' +
        'inputs = keras.Input((4,))\ncritic = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Lambda(squared)(inputs)))\n' +
        'gan = keras.Sequential([gen, disc])\nz = keras.Input((2,))\nstack = keras.Model(z, critic(gen(z)))\ngan.fit(x, y)\nstack.fit(x, y)\n',
      errors: [{ line: 4, column: 12 }, { line: 6, column: 75 }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran on Keras 3.15: fails on PyTorch (the generator's output requires grad).
      name: 'a Lambda right after the Input of a model called directly on another model\'s output blocks JAX and PyTorch',
      code: HEAD + 'gen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\ndisc = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0)), keras.layers.Dense(1)])\nfake = gen(z)\nscore = disc(fake)\n',
      errors: [{ line: 4, column: 75 }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran on Keras 3.15: "out of scope" on TensorFlow (built inside Block's traced call); JAX and PyTorch run it.
      name: "a TF tensor kept in a sublayer's build() (through an operator), used only in keras.ops: blocks TensorFlow where the parent is called on a functional model's inputs",
      code: HEAD + 'class PosBias(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = tf.range(input_shape[-1], dtype=tf.float32) / 10.0\n\n    def call(self, x):\n        return keras.ops.multiply(x, self.scale)\n' + 'class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(8)\n        self.bias = PosBias()\n\n    def call(self, x):\n        return self.bias(self.dense(x))\n' + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, Block()(inputs))\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 22, message: 'but on TensorFlow it fails where this layer is a sublayer' }],
      blocks: ['tensorflow']
    },
    {
      // Ran on Keras 3.15: fails on all three (TensorFlow: out of scope; JAX and PyTorch: the operator with their tensors).
      name: "a TF tensor kept in a sublayer's build(), met by an operator in call(): blocks every backend",
      code: HEAD + 'class PosBias(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = tf.range(input_shape[-1], dtype=tf.float32) / 10.0\n\n    def call(self, x):\n        return x * self.scale\n' + 'class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(8)\n        self.bias = PosBias()\n\n    def call(self, x):\n        return self.bias(self.dense(x))\n' + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, Block()(inputs))\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 22 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // Ran on Keras 3.15: fit's symbolic build of the subclassed model leaves the tensor out of scope on TensorFlow.
      name: "a TF tensor kept in the build() of a subclassed Model's sublayer blocks TensorFlow",
      code: HEAD + 'class PosBias(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = tf.range(input_shape[-1], dtype=tf.float32) / 10.0\n\n    def call(self, x):\n        return keras.ops.multiply(x, self.scale)\n' + 'class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.bias = PosBias()\n\n    def call(self, x):\n        return self.bias(x)\nnet = Net()\nnet.fit(x, y)\n',
      errors: [{ line: 5, column: 22 }],
      blocks: ['tensorflow']
    },
    {
      // Ran on Keras 3.15: built eagerly when called on the KerasTensors, it runs on every backend.
      name: "a TF tensor kept in build() of a layer called directly on a functional model's tensors blocks no backend",
      code: HEAD + 'class PosBias(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = tf.range(input_shape[-1], dtype=tf.float32) / 10.0\n\n    def call(self, x):\n        return keras.ops.multiply(x, self.scale)\n' + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, PosBias()(keras.layers.Dense(8)(inputs)))\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 22 }],
      blocks: [],
      // No sublayer use here: built eagerly, the keras.ops rewrite stays safe.
      output: HEAD + 'class PosBias(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = keras.ops.arange(input_shape[-1], dtype="float32") / 10.0\n\n    def call(self, x):\n        return keras.ops.multiply(x, self.scale)\n' + 'inputs = keras.Input((4,))\nmodel = keras.Model(inputs, PosBias()(keras.layers.Dense(8)(inputs)))\nmodel.fit(x, y)\n'
    },
    {
      // Ran on Keras 3.15: fit runs on PyTorch (the Lambda's inputs need no grad), fails on JAX.
      name: 'a Lambda on the inputs of a model a factory function returns, trained directly, blocks JAX only',
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'model = build()\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax']
    },
    {
      // keras.io DDIM: `self.network = get_network(...)`, called on data in train_step, cloned for the EMA network.
      name: 'a factory-built model held by self.attr, called on data and cloned, blocks JAX only',
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'class Diffusion(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = build()\n        self.ema_network = keras.models.clone_model(self.network)\n\n    def train_step(self, data):\n        noises = tf.random.normal((8, 4))\n        pred = self.network([noises * 2.0], training=True)\n        return {}\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax']
    },
    {
      // Ran on Keras 3.15: fails on PyTorch (the generator's output requires grad).
      name: 'a factory-built model used as a layer of a Sequential (through a name) blocks JAX and PyTorch',
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'gen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\ndisc = build()\ngan = keras.Sequential([gen, disc])\ngan.fit(x, y)\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran on Keras 3.15: fails on PyTorch.
      name: "a factory-built model held by self.attr, called in call() on another sub-model's output, blocks JAX and PyTorch",
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'class GAN(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.gen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\n        self.disc = build()\n\n    def call(self, z):\n        return self.disc(self.gen(z))\ngan = GAN()\ngan.fit(x, y)\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a factory-built model whose call result goes straight into a list (a Sequential) blocks JAX and PyTorch',
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'gen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\ngan = keras.Sequential([gen, build()])\ngan.fit(x, y)\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a clone of a factory-built model used as a layer of another model blocks JAX and PyTorch',
      code: HEAD + 'def build():\n    inputs = keras.Input((4,))\n    h = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(inputs)\n    return keras.Model(inputs, keras.layers.Dense(1)(h))\n' + 'gen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\ndisc = build()\ncopy = keras.models.clone_model(disc)\ngan = keras.Sequential([gen, copy])\ngan.fit(x, y)\n',
      errors: [{ line: 5, column: 39 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a TF op in a Lambda layer behind a Dense (functional and Sequential) blocks JAX and PyTorch',
      code:
        HEAD +
        'inputs = keras.Input((4,))\nhidden = keras.layers.Dense(3)(inputs)\nhidden = keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))(hidden)\nmodel = keras.Model(inputs, hidden)\nseq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Lambda(lambda t: tf.nn.silu(t, beta=2.0))])\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 40 }, { line: 7, column: 97 }],
      blocks: ['jax', 'torch']
    },
    {
      // Ran on Keras 3.15: PyTorch trains the model while `squared` is only a Lambda function on the inputs;
      // also given to a Lambda behind a Dense, or called in the loss, it fails there.
      name: 'a notebook function given to a Lambda on the inputs blocks JAX only',
      code: HEAD + 'def squared(t):\n    return tf.nn.silu(t, beta=2.0)\ninputs = keras.Input((4,))\nout = keras.layers.Dense(1)(keras.layers.Lambda(squared)(inputs))\nmodel = keras.Model(inputs, out)\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 12 }],
      blocks: ['jax']
    },
    {
      name: 'a notebook function given to a Lambda on the inputs and to one behind a Dense blocks JAX and PyTorch',
      code:
        HEAD +
        'def squared(t):\n    return tf.nn.silu(t, beta=2.0)\ninputs = keras.Input((4,))\nh = keras.layers.Dense(4)(keras.layers.Lambda(squared)(inputs))\nout = keras.layers.Lambda(squared)(h)\nmodel = keras.Model(inputs, out)\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 12 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a notebook function given to a Lambda on the inputs and also called in a loss blocks JAX and PyTorch',
      code:
        HEAD +
        'def squared(t):\n    return tf.nn.silu(t, beta=2.0)\ninputs = keras.Input((4,))\nout = keras.layers.Dense(4)(keras.layers.Lambda(squared)(inputs))\nmodel = keras.Model(inputs, out)\nmodel.compile("sgd", loss=lambda a, b: keras.ops.mean(squared(b - a)))\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 12 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a notebook function given to a Lambda on the inputs and also as a loss blocks JAX and PyTorch',
      code:
        HEAD +
        'def squared(t, u=None):\n    return tf.nn.silu(t, beta=2.0)\ninputs = keras.Input((4,))\nout = keras.layers.Dense(4)(keras.layers.Lambda(squared)(inputs))\nmodel = keras.Model(inputs, out)\nmodel.compile("sgd", squared)\nmodel.fit(x, y)\n',
      errors: [{ line: 4, column: 12 }],
      blocks: ['jax', 'torch']
    },
    {
      // python_kernel_hooks/tests/claims/tf_ops_in_backend_branch.py runs on TensorFlow and JAX.
      name: 'a TF op that a test of keras.backend.backend() keeps to TensorFlow blocks no backend (an if branch, an elif, the path after the other backends returned)',
      code:
        HEAD +
        'class Gate(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() == "tensorflow":\n            return tf.nn.silu(x, beta=2.0)\n        return keras.ops.silu(x)\n' +
        'class Scale(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() in ("jax", "torch"):\n            return keras.ops.tanh(x)\n        return tf.nn.silu(x, beta=2.0)\n' +
        'class Pick(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() == "jax":\n            y = keras.ops.relu(x)\n        elif not keras.backend.backend() == "torch":\n            y = tf.nn.silu(x, beta=2.0)\n        else:\n            y = x\n        return y\n',
      errors: [
        { line: 6, column: 20, message: 'runs here only on TensorFlow, behind a test of `keras.backend.backend()`, so it blocks no backend' },
        { line: 12, column: 16, message: 'runs here only on TensorFlow' },
        { line: 18, column: 17, message: 'runs here only on TensorFlow' }
      ],
      blocks: []
    },
    {
      // examples/runnable/conv2d_convolution_op_override.py: Conv2D.call() runs convolution_op, traced on JAX.
      name: 'a Conv2D subclass overriding convolution_op: Keras runs it from call(), so a TF op there fails on JAX and PyTorch',
      code:
        HEAD +
        'class StandardizedConv2D(keras.layers.Conv2D):\n    def convolution_op(self, inputs, kernel):\n        mean, var = tf.nn.moments(kernel, axes=[0, 1, 2], keepdims=True)\n        return keras.ops.conv(inputs, (kernel - mean) / var)\nmodel = keras.Sequential([StandardizedConv2D(4, 3)])\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 21, message: '`tf.nn.moments` fails on JAX, which traces this code' }],
      output:
        HEAD +
        'class StandardizedConv2D(keras.layers.Conv2D):\n    def convolution_op(self, inputs, kernel):\n        mean, var = keras.ops.moments(keras.ops.convert_to_tensor(kernel), axes=[0, 1, 2], keepdims=True)\n        return keras.ops.conv(inputs, (kernel - mean) / var)\nmodel = keras.Sequential([StandardizedConv2D(4, 3)])\nmodel.fit(x, y)\n',
      blocks: ['jax', 'torch']
    },
    {
      // keras.ops.moments hands a Keras variable to jax.numpy unconverted ("Triggering __jax_array__()"):
      // the kernel a Conv2D subclass reads, or a weight the class adds, is converted first; a
      // plain Layer's self.kernel (not known to be a variable) and a tensor are left as they are.
      // list(self.strides) of a Conv2D subclass is Keras's pair: a suggestion.
      name: 'a Keras variable given to keras.ops.moments is converted to a tensor first; tf.nn.conv2d with strides=list(self.strides) becomes keras.ops.conv (a suggestion)',
      code: WS_CODE,
      errors: [{ line: 5, column: 21 }, { line: 6, column: 16 }, { line: 11, column: 21 }, { line: 12, column: 18 }, { line: 13, column: 18 }],
      output: WS_SAFE
    },
    {
      name: 'a Keras variable given to keras.ops.moments is converted to a tensor first; tf.nn.conv2d with strides=list(self.strides) becomes keras.ops.conv (a suggestion), with --unsafe',
      code: WS_CODE,
      errors: [{ line: 5, column: 21 }, { line: 6, column: 16 }, { line: 11, column: 21 }, { line: 12, column: 18 }, { line: 13, column: 18 }],
      output: WS_UNSAFE,
      fixOptions: { unsafe: true }
    },
    {
      // Ran (keras 3.15): as written, TensorFlow fails ("... is out of scope"): the sub-layer is built while the
      // parent's call() is traced building the functional model; after the fix it trains on TensorFlow, JAX and PyTorch.
      name: 'tf.sqrt of a Python number in build() (an __init__ parameter with a numeric default over input_shape[-1]) becomes math.sqrt (a suggestion), with --unsafe',
      code: "import keras\nimport tensorflow as tf\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain=2, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n    def build(self, input_shape):\n        fan_in = input_shape[-1]\n        self.w = self.add_weight(shape=(fan_in, self.units))\n        self.scale = tf.sqrt(self.gain / fan_in)\n    def call(self, x):\n        return keras.ops.matmul(x, self.w * self.scale)\nclass Style(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dense = EqDense(4, gain=1)\n    def call(self, x):\n        return self.dense(x)\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Style()(inp))\nmodel.fit(x, y)\n",
      errors: [{ line: 11, column: 22, message: 'use `math.sqrt`' }],
      output: "import keras\nimport tensorflow as tf\nimport math\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain=2, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n    def build(self, input_shape):\n        fan_in = input_shape[-1]\n        self.w = self.add_weight(shape=(fan_in, self.units))\n        self.scale = math.sqrt(self.gain / fan_in)\n    def call(self, x):\n        return keras.ops.matmul(x, self.w * self.scale)\nclass Style(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dense = EqDense(4, gain=1)\n    def call(self, x):\n        return self.dense(x)\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Style()(inp))\nmodel.fit(x, y)\n",
      fixOptions: { unsafe: true }
    },
    {
      // A TF op keras.ops spells as a sum of two sums, under a minus: without the parentheses the second sum would be added.
      name: 'a TF op written as an expression of several calls keeps its grouping inside an operator, with --unsafe',
      code: 'import keras\nimport tensorflow as tf\nclass Smooth(keras.layers.Layer):\n    def call(self, x):\n        return 1.0 - tf.image.total_variation(x)\n',
      errors: [{ line: 5, column: 22 }],
      output: 'import keras\nimport tensorflow as tf\nclass Smooth(keras.layers.Layer):\n    def call(self, x):\n        return 1.0 - (keras.ops.sum(keras.ops.abs(x[..., 1:, :, :] - x[..., :-1, :, :]), axis=(-3, -2, -1)) + keras.ops.sum(keras.ops.abs(x[..., :, 1:, :] - x[..., :, :-1, :]), axis=(-3, -2, -1)))\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'tf.sqrt in build() of a value not known to be a number (an __init__ parameter without a default) keeps the keras.ops rewrite',
      code: "import keras\nimport tensorflow as tf\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n    def build(self, input_shape):\n        fan_in = input_shape[-1]\n        self.w = self.add_weight(shape=(fan_in, self.units))\n        self.scale = tf.sqrt(self.gain / fan_in)\n    def call(self, x):\n        return keras.ops.matmul(x, self.w * self.scale)\nclass Style(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dense = EqDense(4, 1)\n    def call(self, x):\n        return self.dense(x)\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Style()(inp))\nmodel.fit(x, y)\n",
      errors: [{ line: 11, column: 22, message: 'use `keras.ops.sqrt`' }],
      output: "import keras\nimport tensorflow as tf\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n    def build(self, input_shape):\n        fan_in = input_shape[-1]\n        self.w = self.add_weight(shape=(fan_in, self.units))\n        self.scale = keras.ops.sqrt(self.gain / fan_in)\n    def call(self, x):\n        return keras.ops.matmul(x, self.w * self.scale)\nclass Style(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dense = EqDense(4, 1)\n    def call(self, x):\n        return self.dense(x)\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Style()(inp))\nmodel.fit(x, y)\n",
      fixOptions: { unsafe: true }
    },
    {
      // keras.io StyleGAN's equalized-learning-rate layers: a sublayer made in build() is built inside its parent's traced call, where a tensor made in its build() leaks ("out of scope" on TensorFlow, UnexpectedTracerError on JAX, a failing call on PyTorch, with tf.sqrt and keras.ops.sqrt alike); math.sqrt ran on all three (examples/runnable/equalized_lr_style_modulation.py).
      name: 'tf.sqrt of Python numbers stored on the layer in build() becomes math.sqrt (a suggestion), with --unsafe',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain=2, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n\n    def build(self, input_shape):\n        self.in_channels = input_shape[-1]\n        self.w = self.add_weight(shape=[self.in_channels, self.units])\n        fan_in = self.in_channels\n        self.scale = tf.sqrt(self.gain / fan_in)\n\n    def call(self, inputs):\n        return tf.matmul(inputs, self.scale * self.w)\n',
      errors: [{ line: 13, column: 22, message: 'use `math.sqrt`' }, { line: 16, column: 16 }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nimport math\nclass EqDense(keras.layers.Layer):\n    def __init__(self, units, gain=2, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.gain = gain\n\n    def build(self, input_shape):\n        self.in_channels = input_shape[-1]\n        self.w = self.add_weight(shape=[self.in_channels, self.units])\n        fan_in = self.in_channels\n        self.scale = math.sqrt(self.gain / fan_in)\n\n    def call(self, inputs):\n        return keras.ops.matmul(inputs, self.scale * self.w)\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'tf.sqrt of a weight stored in build() is no Python number: keras.ops.sqrt',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nclass Norm(keras.layers.Layer):\n    def __init__(self, units=3, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(self.units,))\n        self.root = tf.sqrt(self.w)\n\n    def call(self, inputs):\n        return inputs * self.root\n',
      errors: [{ line: 10, column: 21, message: 'keras.ops.sqrt' }],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nclass Norm(keras.layers.Layer):\n    def __init__(self, units=3, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(self.units,))\n        self.root = keras.ops.sqrt(self.w)\n\n    def call(self, inputs):\n        return inputs * self.root\n',
      fixOptions: { unsafe: true }
    },
    {
      // python_kernel_hooks/tests/claims/tnp_op_in_layer.py fails on JAX and PyTorch, runs on TensorFlow.
      name: 'TensorFlow NumPy (tnp) ops in a layer and a loss become the keras.ops function of the same name (a suggestion), with --unsafe',
      code: 'import keras\nimport tensorflow.experimental.numpy as tnp\nclass TNPDense(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[1], 3))\n    def call(self, inputs):\n        return tnp.maximum(tnp.matmul(inputs, self.w), 0.0)\ndef tnp_mse(y_true, y_pred):\n    return tnp.mean(tnp.square(y_true - y_pred), axis=0)\nmodel = keras.Sequential([keras.layers.Dense(4), TNPDense()])\nmodel.compile(loss=tnp_mse)\nmodel.fit(x, y)\n',
      errors: [{ line: 7, column: 16, message: 'use `keras.ops.maximum`' }, { line: 7, column: 28 }, { line: 9, column: 12 }, { line: 9, column: 21 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport tensorflow.experimental.numpy as tnp\nclass TNPDense(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=(shape[1], 3))\n    def call(self, inputs):\n        return keras.ops.maximum(keras.ops.matmul(inputs, self.w), 0.0)\ndef tnp_mse(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=0)\nmodel = keras.Sequential([keras.layers.Dense(4), TNPDense()])\nmodel.compile(loss=tnp_mse)\nmodel.fit(x, y)\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'under `!= "jax"` a TF op still fails on PyTorch',
      code: HEAD + 'class OffJax(keras.layers.Layer):\n    def call(self, x):\n        if keras.backend.backend() != "jax":\n            return tf.nn.silu(x, beta=2.0)\n        return keras.ops.silu(x)\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 20, message: 'runs here only on TensorFlow and PyTorch, behind a test of `keras.backend.backend()`, and fails on PyTorch there' }],
      blocks: ['torch']
    },
    {
      // examples/runnable/melgan_lite.py: compile(gen_optimizer, disc_optimizer, generator_loss, feature_matching_loss, discriminator_loss).
      name: 'a loss function handed positionally to a GAN\'s own compile() after its optimizers (its train_step calls it on tensors)',
      code: HEAD + "def disc_cost(a, b):\n    return tf.reduce_mean(a) - tf.reduce_mean(b)\nclass GAN(keras.Model):\n    def compile(self, g_optimizer, d_optimizer, g_cost, d_cost):\n        super().compile()\n        self.d_cost = d_cost\n    def train_step(self, data):\n        return {\"d\": self.d_cost(self.discriminator(data), data)}\ngan = GAN()\ngan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), None, disc_cost)\n",
      errors: [{ line: 4, column: 12 }, { line: 4, column: 32 }],
      output: HEAD + "def disc_cost(a, b):\n    return keras.ops.mean(a) - keras.ops.mean(b)\nclass GAN(keras.Model):\n    def compile(self, g_optimizer, d_optimizer, g_cost, d_cost):\n        super().compile()\n        self.d_cost = d_cost\n    def train_step(self, data):\n        return {\"d\": self.d_cost(self.discriminator(data), data)}\ngan = GAN()\ngan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), None, disc_cost)\n"
    },
    {
      name: 'tf.math.l2_normalize without an axis is a safe fix: axis=None normalises over every axis as TF does (keras.io filter visualization normalises a whole gradient)',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.l2_normalize(x)\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.normalize(x, epsilon=1e-6, axis=None)\n'
    },
    {
      // test_ops_conversions.py runs these against TensorFlow on every backend.
      name: 'arguments mapped by meaning: tf.split sizes become keras.ops.split indices, tf.eye(batch_shape=) a broadcast identity, l2_normalize epsilon its square root, and without an axis (every axis in TF, the last in keras.ops) axis=None',
      code:
        'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n' +
        '        a, b, c = tf.split(x, [2, 1, 3], axis=1)\n' +
        '        e = tf.eye(3, batch_shape=[2, 1])\n' +
        '        n = tf.math.l2_normalize(x, axis=-1, epsilon=1e-4)\n' +
        '        m = tf.math.l2_normalize(x)\n' +
        '        return a, e, n, m\n',
      errors: [{ line: 5, column: 19 }, { line: 6, column: 13 }, { line: 7, column: 13 }, { line: 8, column: 13 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n' +
        '        a, b, c = keras.ops.split(x, [2, 3], axis=1)\n' +
        '        e = keras.ops.broadcast_to(keras.ops.eye(3), (2, 1, 3, 3))\n' +
        '        n = keras.ops.normalize(x, axis=-1, epsilon=0.01)\n' +
        '        m = keras.ops.normalize(x, epsilon=1e-6, axis=None)\n' +
        '        return a, e, n, m\n'
    },
    {
      name: 'tf.signal.stft becomes a signal_stft helper on keras.ops defined once after the imports; tf.signal.inverse_stft is refused with the keras.ops.istft form',
      code:
        'import tensorflow as tf\nimport keras\n\n\nclass L(keras.layers.Layer):\n    def call(self, x):\n' +
        '        s = tf.signal.stft(x, 64, 16, pad_end=True)\n' +
        '        t = tf.signal.stft(x, 32, 8, window_fn=tf.signal.hamming_window)\n' +
        '        return tf.signal.inverse_stft(s, 64, 16), t\n',
      errors: [
        { line: 7, column: 13, message: 'use `signal_stft`' },
        { line: 8, column: 13 },
        { line: 9, column: 16, message: 'center=False' }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\n\n\n' +
        'def signal_stft(signals, frame_length, frame_step, fft_length=None, window_fn="hann", pad_end=False, name=None):\n' +
        "    # tf.signal.stft on keras.ops (a complex result): frames from the start of the signal, TF's periodic\n" +
        '    # window, each frame zero-padded at its end to fft_length (by default the next power of two), and\n' +
        '    # with pad_end the end padded so that every sample starts a frame.\n' +
        '    import math\n\n' +
        '    if fft_length is None:\n' +
        '        fft_length = 1 << (frame_length - 1).bit_length()\n' +
        '    if pad_end:\n' +
        '        # ceil(length / frame_step) frames, the last ending frame_length after its start; spelled so that\n' +
        '        # JAX can tell a signal of unknown length gives at least one frame (keras.ops.max over them).\n' +
        '        frame_count = (keras.ops.shape(signals)[-1] + frame_step - 1) // frame_step\n' +
        '        pad = (frame_count - 1) * frame_step + max(frame_length, frame_step) - keras.ops.shape(signals)[-1]\n' +
        '        signals = keras.ops.pad(signals, [[0, 0]] * (len(signals.shape) - 1) + [[0, pad]])\n' +
        '    frames = keras.ops.extract_sequences(signals, frame_length, frame_step)\n' +
        '    if window_fn is not None:\n' +
        "        # TF's periodic window: the cosine over frame_length points, frame_length - 1 when odd.\n" +
        '        a, b = {"hann": (0.5, 0.5), "hamming": (0.54, 0.46)}[window_fn]\n' +
        '        n = max(frame_length - frame_length % 2, 1)\n' +
        '        window = [a - b * math.cos(2 * math.pi * i / n) if frame_length > 1 else 1.0 for i in range(frame_length)]\n' +
        '        frames = frames * keras.ops.convert_to_tensor(window, frames.dtype)\n' +
        '    real, imag = keras.ops.rfft(frames, fft_length)\n' +
        '    return keras.ops.view_as_complex(keras.ops.stack([real, imag], axis=-1))\n\n\n' +
        'class L(keras.layers.Layer):\n    def call(self, x):\n' +
        '        s = signal_stft(x, 64, 16, pad_end=True)\n' +
        '        t = signal_stft(x, 32, 8, window_fn="hamming")\n' +
        '        return tf.signal.inverse_stft(s, 64, 16), t\n'
    },
    {
      // keras.io-style mixture of experts (examples/runnable/mnist_mixture_of_experts.py): the usage count and the top-k gather.
      name: 'tf.tensor_scatter_nd_add becomes keras.ops.add of a keras.ops.scatter (duplicates summed); tf.gather_nd a gather_nd helper on keras.ops; batch_dims=1 is refused',
      code:
        'import tensorflow as tf\nimport keras\n\n\nclass L(keras.layers.Layer):\n    def call(self, x, idx, rows):\n' +
        '        c = tf.tensor_scatter_nd_add(x, idx, tf.ones_like(idx[:, 0], dtype=x.dtype))\n' +
        '        g = tf.gather_nd(x, rows)\n' +
        '        return c, g, tf.gather_nd(x, rows, batch_dims=1)\n',
      errors: [
        { line: 7, column: 13, message: 'use `keras.ops.scatter`' },
        { line: 7, column: 46 },
        { line: 8, column: 13, message: 'use `gather_nd`' },
        { line: 9, column: 22, message: '`batch_dims=1` (the helper gathers with batch_dims=0)' }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\n\n\n' +
        'def gather_nd(params, indices, batch_dims=0, name=None):\n' +
        '    # tf.gather_nd on keras.ops (batch_dims=0): each last-axis row of indices holds the coordinates of\n' +
        '    # one element or slice of params, made one index into params flattened over those axes.\n' +
        '    indices = keras.ops.convert_to_tensor(indices)\n' +
        '    shape = keras.ops.shape(params)\n' +
        '    depth = indices.shape[-1]\n' +
        '    flat = keras.ops.zeros_like(indices[..., 0])\n' +
        '    for axis in range(depth):\n' +
        '        flat = flat * shape[axis] + indices[..., axis]\n' +
        '    return keras.ops.take(keras.ops.reshape(params, (-1,) + tuple(shape[depth:])), flat, axis=0)\n\n\n' +
        'class L(keras.layers.Layer):\n    def call(self, x, idx, rows):\n' +
        '        c = keras.ops.add(x, keras.ops.scatter(keras.ops.convert_to_tensor(idx), keras.ops.ones_like(idx[:, 0], dtype=x.dtype), keras.ops.shape(x)))\n' +
        '        g = gather_nd(x, rows)\n' +
        '        return c, g, tf.gather_nd(x, rows, batch_dims=1)\n'
    },
    {
      name: 'tf.argmax / tf.argmin with output_type= (a TF dtype, positional, or a string): keras.ops.cast of the result to it (a suggestion); a computed dtype: no rewrite',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x, t):\n        a = tf.argmax(x, axis=-1, output_type=tf.int32)\n        b = tf.math.argmin(x, 1, tf.int64)\n        c = tf.argmax(x, output_type=t.dtype)\n        return a, b, c\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 13, message: 'no counterpart for `output_type=t.dtype`' }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x, t):\n' +
        '        a = keras.ops.cast(keras.ops.argmax(x, axis=-1), "int32")\n' +
        '        b = keras.ops.cast(keras.ops.argmin(x, 1), "int64")\n' +
        '        c = tf.argmax(x, output_type=t.dtype)\n' +
        '        return a, b, c\n'
    },
    {
      name: "top_k's namedtuple fields become tuple indices: `.values` is exact (safe; TF's default k=1 written out), `.indices` a suggestion (int64 on PyTorch), index_type= no safe fix",
      code:
        HEAD +
        'class TopK(keras.layers.Layer):\n    def call(self, x):\n        v = tf.math.top_k(x, k=2).values\n        i = tf.math.top_k(x, 2).indices\n        w = tf.math.top_k(x).values\n        u = tf.math.top_k(x, k=2, index_type=tf.int64).values\n        return v, i, w, u\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 13 }, { line: 8, column: 13 }],
      output:
        HEAD +
        'class TopK(keras.layers.Layer):\n    def call(self, x):\n        v = keras.ops.top_k(x, k=2)[0]\n        i = tf.math.top_k(x, 2).indices\n        w = keras.ops.top_k(x, k=1)[0]\n        u = tf.math.top_k(x, k=2, index_type=tf.int64).values\n        return v, i, w, u\n'
    },
    {
      name: 'len(tf.shape(x)) is the rank, as len(keras.ops.shape(x)) is: safe (keras.io DeiT StochasticDepth); a shape used as a tensor stays a suggestion',
      code:
        HEAD +
        'class StochasticDepth(keras.layers.Layer):\n    def call(self, x):\n        shape = (tf.shape(x)[0],) + (1,) * (len(tf.shape(x)) - 1)\n        doubled = tf.shape(x) * 2\n        return x, shape, doubled\n',
      errors: [{ line: 5, column: 18 }, { line: 5, column: 49 }, { line: 6, column: 19 }],
      output:
        HEAD +
        'class StochasticDepth(keras.layers.Layer):\n    def call(self, x):\n        shape = (keras.ops.shape(x)[0],) + (1,) * (len(keras.ops.shape(x)) - 1)\n        doubled = tf.shape(x) * 2\n        return x, shape, doubled\n'
    },
    {
      // keras.io's CCT StochasticDepth (tf.keras era): `keras.ops.shape(x).shape[0]` raised AttributeError on TensorFlow, JAX and PyTorch (ran, Keras 3.15).
      name: 'tf.shape(x).shape[0] is the rank: len(keras.ops.shape(x)) (safe), as keras.ops.shape returns a tuple with no .shape',
      code:
        HEAD +
        'class StochasticDepth(keras.layers.Layer):\n    def call(self, x):\n        shape = (tf.shape(x)[0],) + (1,) * (tf.shape(x).shape[0] - 1)\n        last = tf.shape(x).shape[-1]\n        return x, shape, last\n',
      errors: [{ line: 5, column: 18 }, { line: 5, column: 45 }, { line: 6, column: 16 }],
      output:
        HEAD +
        'class StochasticDepth(keras.layers.Layer):\n    def call(self, x):\n        shape = (keras.ops.shape(x)[0],) + (1,) * (len(keras.ops.shape(x)) - 1)\n        last = len(keras.ops.shape(x))\n        return x, shape, last\n'
    },
    {
      name: 'another read of .shape on tf.shape(x) gets no keras.ops rewrite, even as a suggestion (keras.ops.shape returns a tuple)',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        s = tf.shape(x).shape\n        t = tf.shape(x).shape[1]\n        return x, s, t\n',
      errors: [
        { line: 5, column: 13, message: '`.shape` read on its value' },
        { line: 6, column: 13, message: '`.shape` read on its value' }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'tf.linalg.band_part with literal bounds becomes keras.ops.tril/triu (the look-ahead mask); bounds in a name get no fix',
      code:
        HEAD +
        'class Causal(keras.layers.Layer):\n    def call(self, x):\n        n = tf.shape(x)[1]\n        mask = 1 - tf.linalg.band_part(tf.ones((n, n)), -1, 0)\n        band = tf.linalg.band_part(x, 1, 2)\n        other = tf.linalg.band_part(x, self.lower, 0)\n        return x * mask + band + other\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 20 }, { line: 6, column: 40 }, { line: 7, column: 16 }, { line: 8, column: 17 }],
      output:
        HEAD +
        'class Causal(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.shape(x)[1]\n        mask = 1 - keras.ops.tril(tf.ones((n, n)))\n        band = keras.ops.triu(keras.ops.tril(x, 2), -1)\n        other = tf.linalg.band_part(x, self.lower, 0)\n        return x * mask + band + other\n'
    },
    {
      name: 'top_k assigned to a name read later as `.values`: no rewrite (JAX\'s tuple has no field names), the message says to index it',
      code: HEAD + 'class TopK(keras.layers.Layer):\n    def call(self, x):\n        both = tf.math.top_k(x, k=3)\n        return both.values\n',
      errors: [{ line: 5, column: 16, message: "`.values` read later on its result (keras.ops returns a plain tuple: index it, `[0]`)" }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'top_k fields with --unsafe: `.indices` becomes [1]',
      code: HEAD + 'class TopK(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.top_k(x, 2).indices\n',
      errors: [{ line: 5, column: 16 }],
      fixOptions: { unsafe: true },
      output: HEAD + 'class TopK(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.top_k(x, 2)[1]\n'
    },
    {
      name: 'tf.zeros_like/ones_like of a Keras Variable become keras.ops.zeros/ones of its shape (the _like form fails on JAX for a Variable)',
      code:
        HEAD +
        'class F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight(name="tp", initializer="zeros")\n    def update_state(self, y, p, sample_weight=None):\n        self.tp.assign(tf.ones_like(self.tp) + tf.zeros_like(p))\n    def reset_state(self):\n        for variable in self.variables:\n            variable.assign(tf.zeros_like(variable))\n',
      errors: [{ line: 8, column: 24 }, { line: 8, column: 48 }, { line: 11, column: 29 }],
      output:
        HEAD +
        'class F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight(name="tp", initializer="zeros")\n    def update_state(self, y, p, sample_weight=None):\n        self.tp.assign(keras.ops.ones(self.tp.shape, dtype=self.tp.dtype) + keras.ops.zeros_like(p))\n    def reset_state(self):\n        for variable in self.variables:\n            variable.assign(keras.ops.zeros(variable.shape, dtype=variable.dtype))\n'
    },
    {
      name: 'a TF dtype inside an argument (dtype or tf.float32) becomes the dtype string too: JAX cannot read tf.float32',
      code: HEAD + 'class Cell(keras.layers.Layer):\n    def get_initial_state(self, batch_size=None, dtype=None):\n        return tf.zeros((batch_size, 4), dtype=dtype or tf.float32)\n',
      errors: [{ line: 5, column: 16 }],
      fixOptions: { unsafe: true },
      output: HEAD + 'class Cell(keras.layers.Layer):\n    def get_initial_state(self, batch_size=None, dtype=None):\n        return keras.ops.zeros((batch_size, 4), dtype=dtype or "float32")\n'
    },
    {
      code:
        HEAD +
        'class Norm(keras.layers.Layer):\n    def call(self, x):\n        s = tf.reduce_sum(x, axis=1, keepdims=True)\n        c = tf.concat([x, s], -1)\n        r = tf.range(3)\n        g = tf.gather(x, [0], axis=1)\n        return tf.clip_by_value(c, clip_value_min=0, clip_value_max=1, name="clip")\n    def build(self, shape):\n        self.k = tf.cast(shape[-1], tf.float32)\n',
      errors: [
        { line: 5, column: 13, endColumn: 26 },
        { line: 6, column: 13 },
        { line: 7, column: 13 },
        { line: 8, column: 13 },
        { line: 9, column: 16 },
        { line: 11, column: 18 }
      ],
      output:
        HEAD +
        'class Norm(keras.layers.Layer):\n    def call(self, x):\n        s = keras.ops.sum(x, axis=1, keepdims=True)\n        c = keras.ops.concatenate([x, s], -1)\n        r = keras.ops.arange(3)\n        g = keras.ops.take(x, [0], axis=1)\n        return keras.ops.clip(c, x_min=0, x_max=1)\n    def build(self, shape):\n        self.k = keras.ops.cast(shape[-1], "float32")\n'
    },
    {
      name: 'tf.divide is a safe fix when an operand is known floating (a float literal, l2_normalize, a float cast, arithmetic on them, a local name bound only to such values)',
      code:
        HEAD +
        'class SupCon(keras.losses.Loss):\n    def __call__(self, labels, features, sample_weight=None):\n        n = tf.math.l2_normalize(features, axis=1)\n        logits = tf.divide(tf.matmul(n, tf.transpose(n)), self.temperature)\n        mask = tf.cast(labels, tf.float32)\n        count = tf.maximum(tf.reduce_sum(mask), 1.0)\n        return tf.divide(tf.reduce_sum(logits), count) + tf.divide(mask, 2.0)\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 18 }, { line: 6, column: 28 }, { line: 6, column: 41 }, { line: 7, column: 16 }, { line: 8, column: 17 }, { line: 8, column: 28 }, { line: 9, column: 16 }, { line: 9, column: 26 }, { line: 9, column: 58 }],
      output:
        HEAD +
        'class SupCon(keras.losses.Loss):\n    def __call__(self, labels, features, sample_weight=None):\n        n = keras.ops.normalize(features, axis=1, epsilon=1e-6)\n        logits = keras.ops.divide(keras.ops.matmul(n, keras.ops.transpose(n)), self.temperature)\n        mask = keras.ops.cast(labels, "float32")\n        count = keras.ops.maximum(keras.ops.sum(mask), 1.0)\n        return keras.ops.divide(keras.ops.sum(logits), count) + keras.ops.divide(mask, 2.0)\n'
    },
    {
      name: 'tf.divide of operands of unknown dtype (parameters, integers, a name also bound to an integer) stays a suggestion: integers give float64 in TF and float32 in keras.ops',
      code:
        HEAD +
        'class Ratio(keras.layers.Layer):\n    def call(self, a, b):\n        c = tf.reduce_sum(a)\n        if b is None:\n            c = 3\n        return tf.divide(a, b) + tf.divide(c, 2) + tf.divide(tf.shape(a)[0], 4)\n',
      errors: [{ line: 5, column: 13 }, { line: 8, column: 16 }, { line: 8, column: 34 }, { line: 8, column: 52 }, { line: 8, column: 62 }],
      output:
        HEAD +
        'class Ratio(keras.layers.Layer):\n    def call(self, a, b):\n        c = keras.ops.sum(a)\n        if b is None:\n            c = 3\n        return tf.divide(a, b) + tf.divide(c, 2) + tf.divide(keras.ops.shape(a)[0], 4)\n'
    },
    {
      name: 'a notebook-level name is known floating only after its assignment, and not when a function rebinds it with global',
      code:
        HEAD +
        'def model_loss(y_true, y_pred):\n    scale = 2.0\n    return tf.divide(y_pred, scale)\n' +
        'def bump():\n    global shift\n    shift = 1\n' +
        'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.divide(x, shift) + tf.divide(x, later)\n' +
        'shift = 0.5\nlater = 3.0\nmodel = keras.Sequential([L()])\nmodel.compile(loss=model_loss)\n',
      errors: [{ line: 5, column: 12 }, { line: 11, column: 16 }, { line: 11, column: 38 }],
      output:
        HEAD +
        'def model_loss(y_true, y_pred):\n    scale = 2.0\n    return keras.ops.divide(y_pred, scale)\n' +
        'def bump():\n    global shift\n    shift = 1\n' +
        'class L(keras.layers.Layer):\n    def call(self, x):\n        return tf.divide(x, shift) + tf.divide(x, later)\n' +
        'shift = 0.5\nlater = 3.0\nmodel = keras.Sequential([L()])\nmodel.compile(loss=model_loss)\n'
    },
    {
      name: 'a confusion matrix in a metric function (keras.io EEG-style balanced accuracy): one-hot matrix product with num_classes, none with weights',
      code:
        HEAD +
        'def balanced_accuracy(y_true, y_pred):\n    cm = tf.math.confusion_matrix(tf.argmax(y_true, axis=1), tf.argmax(y_pred, axis=1), num_classes=4, dtype=tf.float32)\n    w = tf.math.confusion_matrix(y_true, y_pred, num_classes=4, weights=y_true)\n    return tf.linalg.diag_part(cm) + w\n' +
        'model.compile(loss="mse", metrics=[balanced_accuracy])\n',
      errors: [{ line: 4, column: 10 }, { line: 4, column: 35 }, { line: 4, column: 62 }, { line: 5, column: 9 }, { line: 6, column: 12 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'def balanced_accuracy(y_true, y_pred):\n    cm = keras.ops.matmul(keras.ops.transpose(keras.ops.one_hot(keras.ops.argmax(y_true, axis=1), 4)), keras.ops.one_hot(keras.ops.argmax(y_pred, axis=1), 4))\n    w = tf.math.confusion_matrix(y_true, y_pred, num_classes=4, weights=y_true)\n    return keras.ops.diagonal(cm) + w\n' +
        'model.compile(loss="mse", metrics=[balanced_accuracy])\n'
    },
    {
      name: 'matmul flags, range start/limit/delta and positional orders are mapped argument by argument',
      code: HEAD + 'class Attend(keras.layers.Layer):\n    def call(self, q, k):\n        s = tf.matmul(q, k, transpose_b=True)\n        p = tf.range(start=0, limit=4, delta=2)\n        return tf.matmul(s, k, False, False, name="out") + tf.gather(p, [0], None, 0)\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 16 }, { line: 7, column: 60 }],
      output: HEAD + 'class Attend(keras.layers.Layer):\n    def call(self, q, k):\n        s = keras.ops.matmul(q, keras.ops.swapaxes(k, -1, -2))\n        p = keras.ops.arange(start=0, stop=4, step=2)\n        return keras.ops.matmul(s, k) + keras.ops.take(p, [0], 0)\n'
    },
    {
      // keras.ops.swapaxes raises `'ResourceVariable' object has no attribute 'ndim'` on a tf.Variable
      // (TensorFlow backend): the VQ-VAE codebook kept as `self.embeddings = tf.Variable(...)`.
      name: 'matmul transpose_b=True on a tf.Variable attribute: a suggestion only (safe on an add_weight variable), applied with --unsafe where the tf.Variable becomes a keras.Variable',
      code: HEAD + 'class VQ(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.embeddings = tf.Variable(tf.zeros((4, 8)))\n        self.w = self.add_weight(shape=(4, 8))\n    def call(self, x):\n        return tf.matmul(x, self.embeddings, transpose_b=True) + tf.matmul(x, self.w, transpose_b=True)\n',
      errors: [{ line: 6, column: 39 }, { line: 9, column: 16 }, { line: 9, column: 66 }],
      output: HEAD + 'class VQ(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.embeddings = tf.Variable(tf.zeros((4, 8)))\n        self.w = self.add_weight(shape=(4, 8))\n    def call(self, x):\n        return tf.matmul(x, self.embeddings, transpose_b=True) + keras.ops.matmul(x, keras.ops.swapaxes(self.w, -1, -2))\n'
    },
    {
      name: 'an argument keras.ops cannot take: no rewrite, and the message says which',
      code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, a, b, flag):\n        return tf.matmul(a, b, transpose_b=flag) + tf.one_hot(a, 3, on_value=2.0)\n',
      errors: [
        { line: 5, column: 16, message: 'no counterpart for `transpose_b=flag`' },
        { line: 5, column: 52, message: 'no counterpart for `on_value=`' }
      ]
    },
    {
      name: 'helpers called from call(), also from helpers, across cells',
      code: [
        HEAD + 'def normalise(x):\n    return x / tf.reduce_sum(x, axis=-1, keepdims=True)\n\ndef attend(x):\n    return normalise(tf.nn.relu(x))\n',
        'class L(keras.layers.Layer):\n    def call(self, x):\n        return attend(x)\n'
      ],
      errors: [
        { cell: 0, line: 4, column: 16, message: '(`normalise()` runs as model code)' },
        { cell: 0, line: 7, column: 22, message: '(`attend()` runs as model code)' }
      ],
      output: [
        HEAD + 'def normalise(x):\n    return x / keras.ops.sum(x, axis=-1, keepdims=True)\n\ndef attend(x):\n    return normalise(keras.ops.relu(x))\n',
        'class L(keras.layers.Layer):\n    def call(self, x):\n        return attend(x)\n'
      ]
    },
    {
      name: 'functions given to Lambda, compile(loss=, metrics=), activation, regularizer, constraint, initializer',
      code:
        HEAD +
        'def pool(t):\n    return tf.reduce_max(t, axis=1)\ndef mish(x):\n    return x * tf.tanh(x)\ndef l1(w):\n    return tf.reduce_sum(tf.abs(w))\ndef unit(w):\n    return w / tf.maximum(w, 1.0)\ndef init(shape, dtype=None):\n    return tf.zeros(shape, dtype=dtype)\ndef loss(labels, preds):\n    return tf.square(labels - preds)\ndef worst(a, b):\n    return tf.reduce_max(a - b)\n' +
        'x = keras.layers.Dense(2, activation=mish, kernel_regularizer=l1, kernel_constraint=unit, kernel_initializer=init)\ny = keras.layers.Lambda(pool)\nz = keras.layers.Lambda(lambda t: tf.sqrt(t))\nm = keras.Sequential([x, y, z])\nm.compile("adam", loss, metrics=[worst])\n',
      errors: [
        { line: 4, column: 12 },
        { line: 6, column: 16 },
        { line: 8, column: 12 },
        { line: 8, column: 26 },
        { line: 10, column: 16 },
        { line: 12, column: 12 },
        { line: 14, column: 12 },
        { line: 16, column: 12 },
        { line: 19, column: 35 }
      ],
      output:
        HEAD +
        'def pool(t):\n    return keras.ops.max(t, axis=1)\ndef mish(x):\n    return x * keras.ops.tanh(x)\ndef l1(w):\n    return keras.ops.sum(keras.ops.absolute(w))\ndef unit(w):\n    w = keras.ops.convert_to_tensor(w)\n    return w / keras.ops.maximum(w, 1.0)\ndef init(shape, dtype=None):\n    return tf.zeros(shape, dtype=dtype)\ndef loss(labels, preds):\n    return keras.ops.square(labels - preds)\ndef worst(a, b):\n    return keras.ops.max(a - b)\n' +
        'x = keras.layers.Dense(2, activation=mish, kernel_regularizer=l1, kernel_constraint=unit, kernel_initializer=init)\ny = keras.layers.Lambda(pool)\nz = keras.layers.Lambda(lambda t: keras.ops.sqrt(t))\nm = keras.Sequential([x, y, z])\nm.compile("adam", loss, metrics=[worst])\n'
    },
    {
      name: 'metric subclass',
      code: HEAD + 'class Hits(keras.metrics.Metric):\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.hits.assign_add(tf.reduce_sum(y_pred))\n',
      errors: [{ line: 5, column: 30 }],
      output: HEAD + 'class Hits(keras.metrics.Metric):\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.hits.assign_add(keras.ops.sum(y_pred))\n'
    },
    {
      name: 'loss function, import keras added once',
      code: ['import tensorflow as tf\n', 'def my_loss(y_true, y_pred):\n    return tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred) + tf.abs(y_pred)\n'],
      errors: [{ line: 2, column: 12 }, { line: 2, column: 84 }],
      output: [
        'import tensorflow as tf\nimport keras\n',
        'def my_loss(y_true, y_pred):\n    return keras.ops.binary_crossentropy(target=y_true, output=y_pred, from_logits=True) + keras.ops.absolute(y_pred)\n'
      ]
    },
    {
      name: 'gelu keeps the exact form',
      code: 'import keras\nimport tensorflow as tf\nclass G(keras.layers.Layer):\n    def call(self, x):\n        return tf.nn.gelu(x)\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import keras\nimport tensorflow as tf\nclass G(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.gelu(x, approximate=False)\n'
    },
    {
      name: 'camelCase loss parameters',
      code: 'import tensorflow as tf\nimport keras\ndef custom_loss(yTrue, yPred):\n    return tf.reduce_sum(tf.square(yTrue - yPred))\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 26 }],
      output: 'import tensorflow as tf\nimport keras\ndef custom_loss(yTrue, yPred):\n    return keras.ops.sum(keras.ops.square(yTrue - yPred))\n'
    },
    {
      name: "TF's trailing positional `name` is dropped; silu's `beta` has no counterpart, so no rewrite is offered",
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        a = tf.nn.relu(x, "relu")\n        b = tf.nn.silu(x, 2.0)\n        return tf.reduce_sum(a + b, 1, True, "total")\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13, message: 'no counterpart for `beta` (argument 2)' }, { line: 7, column: 16 }],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        a = keras.ops.relu(x)\n        b = tf.nn.silu(x, 2.0)\n        return keras.ops.sum(a + b, 1, True)\n'
    },
    {
      name: 'tf.gather: axis 0 written out; batch_dims has no counterpart',
      code: 'import tensorflow as tf\nimport keras\nclass Pick(keras.layers.Layer):\n    def call(self, x, idx):\n        a = tf.gather(params=x, indices=idx, axis=1)\n        b = tf.gather(x, idx)\n        c = tf.gather(x, idx, axis=1, batch_dims=1)\n        return a, b, c\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 13 }],
      output: 'import tensorflow as tf\nimport keras\nclass Pick(keras.layers.Layer):\n    def call(self, x, idx):\n        a = keras.ops.take(x=x, indices=idx, axis=1)\n        b = keras.ops.take(x, idx, axis=0)\n        c = tf.gather(x, idx, axis=1, batch_dims=1)\n        return a, b, c\n'
    },
    {
      name: 'a layer deriving from keras.engine.topology.Layer (Keras 2.0-2.2)',
      code: 'import tensorflow as tf\nfrom keras.engine.topology import Layer\nclass Scale(Layer):\n    def call(self, x):\n        return tf.abs(x)\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import tensorflow as tf\nfrom keras.engine.topology import Layer\nimport keras\nclass Scale(Layer):\n    def call(self, x):\n        return keras.ops.absolute(x)\n'
    },
    {
      name: 'call() defined at notebook level and installed on a Model subclass (TF time-series tutorial)',
      code: ['import tensorflow as tf\nclass FeedBack(tf.keras.Model):\n    pass\n', 'def call(self, inputs, training=None):\n    predictions = tf.stack([inputs])\n    return tf.transpose(predictions, [1, 0, 2])\n\nFeedBack.call = call\n'],
      errors: [{ line: 2, column: 19 }, { line: 3, column: 12 }],
      output: ['import tensorflow as tf\nimport keras\nclass FeedBack(tf.keras.Model):\n    pass\n', 'def call(self, inputs, training=None):\n    predictions = keras.ops.stack([inputs])\n    return keras.ops.transpose(predictions, [1, 0, 2])\n\nFeedBack.call = call\n']
    },
    {
      name: 'Lambda from a star import',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import *\nnorm = Lambda(lambda x: tf.abs(x))\n',
      errors: [{ line: 3, column: 25 }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import *\nimport keras\nnorm = Lambda(lambda x: keras.ops.absolute(x))\n'
    },
    {
      // Checked by running (examples/runnable/tf_ops_plain_data.py): a TF tensor kept for call()
      // fails on JAX and, in training behind a trainable layer, on PyTorch.
      name: 'a TF tensor made in __init__ and kept for call() blocks JAX and PyTorch',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass PosEnc(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.pe = tf.cast(np.ones((3, 4)), dtype=tf.float32)\n    def call(self, x):\n        return x + self.pe\nmodel.fit(x, y)\n',
      errors: [{ line: 7, column: 19, message: 'fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad' }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass PosEnc(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.pe = keras.ops.cast(np.ones((3, 4)), dtype="float32")\n    def call(self, x):\n        return x + self.pe\nmodel.fit(x, y)\n'
    },
    {
      name: 'a TF op whose value becomes a Python value in __init__, build or get_config blocks no backend',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.units = int(tf.math.ceil(units / 2))\n    def build(self, shape):\n        limit = float(tf.sqrt(6.0 / shape[-1]))\n    def get_config(self):\n        return {"units": tf.constant(self.units).numpy()}\n',
      errors: [
        { line: 6, column: 26, message: 'gives a Python value here, so it runs on every backend, but only while TensorFlow is installed' },
        { line: 8, column: 23 },
        { line: 10, column: 26 }
      ],
      blocks: [],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.units = int(keras.ops.ceil(units / 2))\n    def build(self, shape):\n        limit = float(keras.ops.sqrt(6.0 / shape[-1]))\n    def get_config(self):\n        return {"units": tf.constant(self.units).numpy()}\n'
    },
    {
      // keras.io functional API guide's zero state (helper oe39c): ran on TF, JAX and PyTorch in fit() and a direct call (Keras 3.15).
      name: 'a tf.zeros of static sizes in call(), kept in a name only handed to a layer of the class, blocks no backend',
      code: 'import tensorflow as tf\nimport keras\nclass ZeroState(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.proj = keras.layers.Dense(4)\n        self.proj_state = keras.layers.Dense(4)\n    def call(self, inputs):\n        state = tf.zeros(shape=(inputs.shape[0], 4))\n        return self.proj(inputs) + self.proj_state(state)\n',
      errors: [{ line: 9, column: 17, message: 'only makes data that `keras.ops` and Keras layers take as they take NumPy data' }],
      blocks: []
    },
    {
      name: 'the same constant handed to keras.ops blocks no backend',
      code: 'import tensorflow as tf\nimport keras\nclass ZeroState(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.proj = keras.layers.Dense(3)\n    def call(self, inputs):\n        state = tf.zeros(shape=(inputs.shape[0], 3))\n        return keras.ops.add(self.proj(inputs), state)\n',
      errors: [{ line: 8, column: 17 }],
      blocks: []
    },
    {
      // Run (Keras 3.15): fails on JAX (a tracer and a TF tensor under +) and on PyTorch in training.
      name: 'the same constant met by a Python operator is still claimed',
      code: 'import tensorflow as tf\nimport keras\nclass ZeroState(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.proj = keras.layers.Dense(3)\n    def call(self, inputs):\n        state = tf.zeros(shape=(inputs.shape[0], 3))\n        return self.proj(inputs) + state\nmodel.fit(x, y)\n',
      errors: [{ line: 8, column: 17, message: 'fails on JAX' }],
      blocks: ['jax', 'torch']
    },
    {
      // claims/tf_op_numpy_array_in_eager_methods.py, run on all three backends.
      name: 'a TF op made a NumPy array in __init__ and kept for keras.ops blocks no backend',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Mel(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.bank = np.asarray(tf.signal.linear_to_mel_weight_matrix(4, 5, 8000))\n    def call(self, x):\n        return keras.ops.matmul(x, keras.ops.convert_to_tensor(self.bank))\nmodel.fit(x, y)\n',
      errors: [{ line: 7, column: 32, message: 'only makes data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend' }],
      blocks: []
    },
    {
      // claims/tf_op_numpy_array_in_eager_methods.py: `x * self.ramp` fails on PyTorch in training only.
      name: 'a TF op made a NumPy array in build and met by an operator in call blocks PyTorch only',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Ramp(keras.layers.Layer):\n    def build(self, shape):\n        self.ramp = tf.linspace(0.5, 1.5, shape[-1]).numpy()\n    def call(self, x):\n        return x * self.ramp\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 21, message: 'its value becomes a NumPy array, which JAX takes anywhere, but PyTorch refuses an operator between it and a tensor that requires grad' }],
      blocks: ['torch']
    },
    {
      // claims/tf_op_in_compute_mask_functional.py fails on TensorFlow, JAX and PyTorch (the masking guide's CustomEmbedding).
      name: 'a TF op in compute_mask of a layer called on a functional model\'s inputs fails on every backend',
      code: 'import tensorflow as tf\nimport keras\nclass Emb(keras.layers.Layer):\n    def call(self, x):\n        return x\n    def compute_mask(self, inputs, mask=None):\n        return tf.not_equal(inputs, 0)\ninputs = keras.Input((5,), dtype="int32")\nmodel = keras.Model(inputs, Emb()(inputs))\n',
      errors: [{ line: 7, column: 16, message: 'TensorFlow included, where the layer is called on a functional model\'s inputs' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nimport keras\nclass Emb(keras.layers.Layer):\n    def call(self, x):\n        return x\n    def compute_mask(self, inputs, mask=None):\n        return keras.ops.not_equal(inputs, 0)\ninputs = keras.Input((5,), dtype="int32")\nmodel = keras.Model(inputs, Emb()(inputs))\n'
    },
    {
      name: 'the same layer only called on arrays: compute_mask is traced by JAX, not called on KerasTensors',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Emb(keras.layers.Layer):\n    def call(self, x):\n        return x\n    def compute_mask(self, inputs, mask=None):\n        return tf.not_equal(inputs, 0)\nlayer = Emb()\nprint(layer(np.ones((2, 5))))\n',
      errors: [{ line: 8, column: 16 }],
      blocks: ['jax'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Emb(keras.layers.Layer):\n    def call(self, x):\n        return x\n    def compute_mask(self, inputs, mask=None):\n        return keras.ops.not_equal(inputs, 0)\nlayer = Emb()\nprint(layer(np.ones((2, 5))))\n'
    },
    {
      name: 'a Python value of a tensor in call() still fails on JAX and PyTorch',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x * float(tf.reduce_max(x))\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 26 }],
      blocks: ['jax', 'torch'],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x * float(keras.ops.max(x))\nmodel.fit(x, y)\n'
    },
    {
      // examples/runnable/lr_schedule_custom.py as written runs on TensorFlow and PyTorch, fails on JAX.
      name: 'a learning rate schedule meets the step counter (no grad): it blocks JAX only',
      code: 'import tensorflow as tf\nimport keras\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        return tf.math.rsqrt(tf.cast(step, tf.float32))\n',
      errors: [{ line: 5, column: 16, message: 'fails on JAX, which traces this code' }, { line: 5, column: 30 }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nimport keras\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __call__(self, step):\n        return keras.ops.rsqrt(keras.ops.cast(step, "float32"))\n'
    },
    {
      // python_kernel_hooks/tests/claims/tf_constant_into_keras_ops.py runs on all three backends.
      name: 'a TF op of plain data handed straight to keras.ops blocks no backend',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.concatenate([keras.ops.expand_dims(keras.ops.shape(x)[0], -1), tf.constant([1, 1], dtype=tf.int32)], 0)\n        return x\n',
      errors: [{ line: 5, column: 86, message: 'only makes data that `keras.ops` and Keras layers take as they take NumPy data, so it runs on every backend' }],
      blocks: [],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.concatenate([keras.ops.expand_dims(keras.ops.shape(x)[0], -1), keras.ops.convert_to_tensor([1, 1], dtype="int32")], 0)\n        return x\n'
    },
    {
      name: 'a TF op of plain data that an operator applies to a tensor still blocks JAX and PyTorch',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x * tf.constant(2.0)\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 20 }],
      blocks: ['jax', 'torch'],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x * keras.ops.convert_to_tensor(2.0)\nmodel.fit(x, y)\n'
    },
    {
      // A JAX array has no `.numpy()` (a torch tensor that requires grad refuses it): the read becomes keras.ops.convert_to_numpy (a suggestion).
      name: 'a TF op read with .numpy() in call(): keras.ops read with convert_to_numpy',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        print(tf.reduce_sum(x).numpy())\n        return x\n',
      errors: [{ line: 5, column: 15, message: 'use `keras.ops.sum`' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        print(keras.ops.convert_to_numpy(keras.ops.sum(x)))\n        return x\n'
    },
    {
      name: 'a TF op read with .numpy(...) with arguments gets no keras.ops rewrite',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        print(tf.reduce_sum(x).numpy(1))\n        return x\n',
      errors: [{ line: 5, column: 15, message: 'has no counterpart for `.numpy()` on its value' }]
    },
    {
      // python_kernel_hooks/tests/claims/tf_op_on_model_inputs.py: trains on PyTorch, fails on JAX.
      name: 'a TF op in the call of a layer used only on the model inputs blocks JAX only (nothing that requires grad reaches it)',
      code: 'import tensorflow as tf\nimport keras\nclass Patches(keras.layers.Layer):\n    def call(self, images):\n        return tf.image.extract_patches(images, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 2, 2, 1], padding="VALID")\nmodel = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Rescaling(1 / 255), Patches(), keras.layers.Dense(1)])\n',
      errors: [{ line: 5, column: 16, message: 'and on PyTorch where it gets tensors that require grad' }],
      blocks: ['jax']
    },
    {
      name: 'after an augmentation Sequential from an earlier cell the inputs still need no grad',
      code: [
        'import tensorflow as tf\nimport keras\nfrom keras import layers\naugment = keras.Sequential([layers.Normalization(), layers.RandomFlip("horizontal")])\n',
        'import tensorflow as tf\nimport keras\nclass Patches(keras.layers.Layer):\n    def call(self, images):\n        return tf.image.extract_patches(images, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 2, 2, 1], padding="VALID")\n',
        'def create():\n    inputs = layers.Input(shape=(4, 4, 1))\n    augmented = augment(inputs)\n    patches = Patches()(augmented)\n    return keras.Model(inputs, layers.Dense(1)(patches))\n'
      ],
      errors: [{ cell: 1, line: 5, column: 16 }],
      blocks: ['jax']
    },
    {
      name: 'the same layer used once after a layer with weights blocks PyTorch too',
      code: 'import tensorflow as tf\nimport keras\nclass Patches(keras.layers.Layer):\n    def call(self, images):\n        return tf.image.extract_patches(images, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 2, 2, 1], padding="VALID")\na = keras.Sequential([keras.Input((4, 4, 1)), Patches()])\nb = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Dense(1), Patches()])\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 16 }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a layer whose call makes tensors that require grad (a sublayer) blocks PyTorch even on the model inputs',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, x):\n        return tf.nn.relu(self.dense(x))\n\nmodel = keras.Sequential([keras.Input((3,)), L()])\nmodel.fit(x, y)\n',
      errors: [{ line: 8, column: 16 }],
      blocks: ['jax', 'torch'],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, x):\n        return keras.ops.relu(self.dense(x))\n\nmodel = keras.Sequential([keras.Input((3,)), L()])\nmodel.fit(x, y)\n'
    },
    {
      // keras.io conditional GAN: keras.ops.repeat(x, [n]) fails on JAX ("repeat requires ndarray or scalar arguments") and
      // PyTorch ("Invalid dtype: object"); TF broadcasts a one-element repeats, so its element is exact (safe-fix-snippets).
      name: 'tf.repeat with a one-element repeats list: keras.ops.repeat with its element',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return tf.repeat(x, repeats=[4 * 4])\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.repeat(x, repeats=4 * 4)\n'
    },
    {
      name: 'tf.repeat with several repeats: a tensor, as a suggestion (JAX needs the values at trace time)',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return tf.repeat(x, [1, 2], axis=0)\n',
      errors: [{ line: 5, column: 16 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.repeat(x, keras.ops.convert_to_tensor([1, 2]), axis=0)\n'
    },
    {
      // python_kernel_hooks/tests/claims/tf_op_in_shape_helper.py: trains on TF and PyTorch, fails on JAX.
      name: 'a TF op in a helper fed only shape values (its result going into a call) blocks JAX only; tf.tile multiples stacked from scalars become their tuple',
      code: 'import tensorflow as tf\nimport keras\ndef mask(batch, n):\n    m = keras.ops.reshape(keras.ops.arange(n), [1, n])\n    reps = keras.ops.stack([batch, 1])\n    return tf.tile(m, reps)\nclass L(keras.layers.Layer):\n    def call(self, x):\n        shape = keras.ops.shape(x)\n        m = mask(shape[0], shape[1])\n        return x + keras.ops.cast(keras.ops.sum(m), x.dtype)\n',
      errors: [{ line: 6, column: 12 }],
      blocks: ['jax'],
      output:
        'import tensorflow as tf\nimport keras\ndef mask(batch, n):\n    m = keras.ops.reshape(keras.ops.arange(n), [1, n])\n    return keras.ops.tile(m, (batch, 1))\nclass L(keras.layers.Layer):\n    def call(self, x):\n        shape = keras.ops.shape(x)\n        m = mask(shape[0], shape[1])\n        return x + keras.ops.cast(keras.ops.sum(m), x.dtype)\n'
    },
    {
      // examples/runnable/translation_causal_decoder.py (keras.io's causal mask): keras.ops.tile with a tensor of
      // multiples fails on JAX and in TF graphs; the tuple of the same scalars runs on all three (safe-fix-snippets).
      name: 'tf.tile multiples concatenated from expand_dims(batch) and tf.constant become (batch, 1, 1); the assignment read only there goes',
      code: "import tensorflow as tf\nimport keras\nclass Causal(keras.layers.Layer):\n    def call(self, inputs):\n        input_shape = keras.ops.shape(inputs)\n        batch_size, n = input_shape[0], input_shape[1]\n        mask = keras.ops.ones((1, n, n), \"int32\")\n        mult = tf.concat(\n            [tf.expand_dims(batch_size, -1), tf.constant([1, 1], dtype=tf.int32)], axis=0\n        )\n        return tf.tile(mask, mult)\n",
      errors: [{ line: 8, column: 16 }, { line: 9, column: 14 }, { line: 9, column: 46 }, { line: 11, column: 16 }],
      output: "import tensorflow as tf\nimport keras\nclass Causal(keras.layers.Layer):\n    def call(self, inputs):\n        input_shape = keras.ops.shape(inputs)\n        batch_size, n = input_shape[0], input_shape[1]\n        mask = keras.ops.ones((1, n, n), \"int32\")\n        return keras.ops.tile(mask, (batch_size, 1, 1))\n"
    },
    {
      name: 'the multiples kept where they are read again; tf.stack of a shape element and integers',
      code: "import tensorflow as tf\nimport keras\nclass Causal(keras.layers.Layer):\n    def call(self, inputs):\n        mask = keras.ops.ones((1, 4, 4), \"int32\")\n        mult = tf.stack([tf.shape(inputs)[0], 1, 1])\n        self.mult = mult\n        return tf.tile(mask, mult)\n",
      errors: [{ line: 6, column: 16 }, { line: 6, column: 26 }, { line: 8, column: 16 }],
      output: "import tensorflow as tf\nimport keras\nclass Causal(keras.layers.Layer):\n    def call(self, inputs):\n        mask = keras.ops.ones((1, 4, 4), \"int32\")\n        mult = keras.ops.stack([keras.ops.shape(inputs)[0], 1, 1])\n        self.mult = mult\n        return keras.ops.tile(mask, (keras.ops.shape(inputs)[0], 1, 1))\n"
    },
    {
      // test_ops_conversions.py runs the forms the message names, and the per-row form, against tf.gather on all three backends.
      name: 'tf.gather with batch_dims=1 (axis left out, equal, or positional) and indices of unknown rank: the per-row form with keras.ops.vectorized_map (a suggestion); batch_dims=2: no rewrite, the message names both forms',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, p, i):\n        a = tf.gather(p, i, batch_dims=1)\n        b = tf.gather(params=p, indices=i, axis=2, batch_dims=2)\n        return tf.gather(p, i, None, 1, 1) + a + b\n',
      errors: [
        { line: 5, column: 13, message: 'use `keras.ops.take`' },
        { line: 6, column: 13, message: '`keras.ops.squeeze(keras.ops.take_along_axis(params, keras.ops.expand_dims(indices, 2), axis=2), 2)`' },
        { line: 7, column: 16, message: 'use `keras.ops.take`' }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, p, i):\n' +
        '        a = keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=0), (p, i))\n' +
        '        b = tf.gather(params=p, indices=i, axis=2, batch_dims=2)\n' +
        '        return keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=0), (p, i)) + a + b\n'
    },
    {
      name: 'tf.gather with batch_dims=1 and indices of unknown rank: not a safe fix',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, p, i):\n        return tf.gather(p, i, axis=1, batch_dims=1)\n',
      errors: [{ line: 5, column: 16 }]
    },
    {
      // test_ops_conversions.py runs both forms against tf.gather on all three backends.
      name: 'tf.gather with batch_dims whose indices surely have b or b + 1 dimensions (a reshape to a written shape, through a cast): the matching form (a suggestion)',
      code: 'import tensorflow as tf\nimport keras\ndef pick_loss(y_true, log_probs):\n    y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)\n    picked = tf.gather(log_probs, y_true, axis=1, batch_dims=1)\n    table = tf.reshape(y_true, (-1, 2))\n    pairs = tf.gather(log_probs, table, batch_dims=1)\n    return -tf.reduce_mean(picked) + tf.reduce_sum(pairs)\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.compile(loss=pick_loss)\n',
      errors: [{ line: 4, column: 14 }, { line: 4, column: 22 }, { line: 5, column: 14 }, { line: 6, column: 13 }, { line: 7, column: 13 }, { line: 8, column: 13 }, { line: 8, column: 38 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\ndef pick_loss(y_true, log_probs):\n    y_true = keras.ops.cast(keras.ops.reshape(y_true, [-1]), "int32")\n    picked = keras.ops.squeeze(keras.ops.take_along_axis(log_probs, keras.ops.expand_dims(y_true, 1), axis=1), axis=1)\n    table = keras.ops.reshape(y_true, (-1, 2))\n    pairs = keras.ops.take_along_axis(log_probs, table, axis=1)\n    return -keras.ops.mean(picked) + keras.ops.sum(pairs)\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.compile(loss=pick_loss)\n'
    },
    {
      name: 'pieces of a complex FFT of real data: no rewrite of their own (KM198 rewrites the whole expression)',
      code: 'import tensorflow as tf\nimport keras\nclass F(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.real(tf.signal.fft2d(tf.complex(x, tf.zeros_like(x))))\n',
      errors: [
        { line: 5, column: 16, message: 'a complex tensor (keras.ops FFTs take a (real, imaginary) pair' },
        { line: 5, column: 29 },
        { line: 5, column: 45 },
        { line: 5, column: 59 }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'tf.gather with batch_dims=1 on another axis (a positive or negative literal): the per-row form on that axis less one; a negative or unknown batch_dims, an axis unknown: no rewrite, no form named',
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, p, i, n):\n        a = tf.gather(p, i, axis=2, batch_dims=1)\n        b = tf.gather(p, i, batch_dims=-1)\n        c = tf.gather(p, i, axis=-1, batch_dims=1)\n        d = tf.gather(p, i, axis=n, batch_dims=1)\n        return tf.gather(p, i, batch_dims=n) + a + b + c + d\n',
      errors: [
        { line: 5, column: 13, message: 'use `keras.ops.take`' },
        { line: 6, column: 13, message: 'no counterpart for `batch_dims=`, so' },
        { line: 7, column: 13, message: 'use `keras.ops.take`' },
        { line: 8, column: 13, message: 'no counterpart for `batch_dims=`, so' },
        { line: 9, column: 16, message: 'no counterpart for `batch_dims=`, so' }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, p, i, n):\n' +
        '        a = keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=1), (p, i))\n' +
        '        b = tf.gather(p, i, batch_dims=-1)\n' +
        '        c = keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=-1), (p, i))\n' +
        '        d = tf.gather(p, i, axis=n, batch_dims=1)\n' +
        '        return tf.gather(p, i, batch_dims=n) + a + b + c + d\n'
    },
    {
      name: 'multiples concatenated from a tensor argument (any length) get no tuple: no rewrite',
      code: 'import tensorflow as tf\nimport keras\nclass Rows(keras.layers.Layer):\n    def call(self, inputs, reps):\n        return tf.tile(inputs, tf.concat([reps, [1]], axis=0))\n',
      errors: [{ line: 5, column: 16, message: '`multiples` as a tensor' }, { line: 5, column: 32 }],
      // keras.ops.concatenate([reps, [1]]) failed on TensorFlow ("'list' object has no attribute 'dtype'"; og47c probe): a suggestion.
      output: 'import tensorflow as tf\nimport keras\nclass Rows(keras.layers.Layer):\n    def call(self, inputs, reps):\n        return tf.tile(inputs, tf.concat([reps, [1]], axis=0))\n'
    },
    {
      name: 'the same helper once called with a tensor that may require grad blocks PyTorch too',
      code: 'import tensorflow as tf\nimport keras\ndef mask(batch, n):\n    m = keras.ops.reshape(keras.ops.arange(n), [1, n])\n    reps = keras.ops.stack([batch, 1])\n    return tf.tile(m, reps)\nclass L(keras.layers.Layer):\n    def call(self, x):\n        m = mask(x, 3)\n        return keras.ops.sum(m)\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 12 }],
      blocks: ['jax', 'torch'],
      // Stacking a non-scalar with 1 fails as written already: the tuple changes nothing that ran.
      output:
        'import tensorflow as tf\nimport keras\ndef mask(batch, n):\n    m = keras.ops.reshape(keras.ops.arange(n), [1, n])\n    return keras.ops.tile(m, (batch, 1))\nclass L(keras.layers.Layer):\n    def call(self, x):\n        m = mask(x, 3)\n        return keras.ops.sum(m)\nmodel.fit(x, y)\n'
    },
    {
      // examples/runnable/tf_variable_layer.py as written runs on PyTorch: tf.Variable weights have no grad there.
      name: 'a layer keeping tf.Variables, called on eager data and first in a Sequential, blocks JAX only',
      code: 'import tensorflow as tf\nimport keras\nclass Linear(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(tf.ones((3, 2)))\n    def call(self, inputs):\n        return tf.matmul(inputs, self.w)\n\nx = tf.ones((2, 3))\nlayer = Linear()\ny = layer(x)\nmodel = keras.Sequential([keras.Input(shape=(3,)), Linear(), keras.layers.Dense(1)])\n',
      errors: [{ line: 6, column: 30 }, { line: 8, column: 16 }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nimport keras\nclass Linear(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(tf.ones((3, 2)))\n    def call(self, inputs):\n        return keras.ops.matmul(inputs, self.w)\n\nx = tf.ones((2, 3))\nlayer = Linear()\ny = layer(x)\nmodel = keras.Sequential([keras.Input(shape=(3,)), Linear(), keras.layers.Dense(1)])\n'
    },
    {
      // claims/tf_op_in_call_predict_only.py: predict and evaluate run under torch.no_grad() on PyTorch.
      name: 'a program that only predicts and evaluates: JAX only (PyTorch runs without grad)',
      code: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nmodel.compile("sgd", "mse")\nprint(model.predict(x), model.evaluate(x, y))\n',
      errors: [{ line: 4, column: 16, message: '`predict` and `evaluate` run it' }],
      blocks: ['jax'],
      output: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nmodel.compile("sgd", "mse")\nprint(model.predict(x), model.evaluate(x, y))\n'
    },
    {
      name: 'the same model called directly (grad on, even with training=False): JAX and PyTorch',
      code: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nprint(model(x, training=False))\n',
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nprint(model(x, training=False))\n'
    },
    {
      name: 'the same model trained in a GradientTape loop: JAX and PyTorch',
      code: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nwith tf.GradientTape() as tape:\n    loss = keras.ops.mean(out)\n',
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nwith tf.GradientTape() as tape:\n    loss = keras.ops.mean(out)\n'
    },
    {
      name: 'a sublayer of a model called directly (an attribute, not a Model method such as predict): JAX and PyTorch',
      code: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nprint(model.encoder(x), model.predict(x))\n',
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\nprint(model.encoder(x), model.predict(x))\n'
    },
    {
      name: "a model passed to a notebook function that calls it on data (claims/tf_op_in_call_model_passed_to_function.py): JAX and PyTorch",
      code: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\nprint(model.predict(x), run(model, x))\n",
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\nprint(model.predict(x), run(model, x))\n"
    },
    {
      name: "passed on through a second function and a keyword argument: JAX and PyTorch",
      code: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\ndef score(data, net=None):\n    return run(net, data)\nprint(score(x, net=model))\n",
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\ndef score(data, net=None):\n    return run(net, data)\nprint(score(x, net=model))\n"
    },
    {
      name: "a model passed to a function that only predicts: JAX only",
      code: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net.predict(data)\nprint(run(model, x))\n",
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net.predict(data)\nprint(run(model, x))\n"
    },
    {
      name: "a function that calls its parameter on data, given no model: JAX only",
      code: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\nprint(run(np.mean, x), model.predict(x))\n",
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef run(net, data):\n    return net(data)\nprint(run(np.mean, x), model.predict(x))\n"
    },
    {
      name: "a function applying a layer to KerasTensors (a Functional model is built, nothing runs): JAX only",
      code: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef apply(layer, t):\n    return layer(t)\nout = apply(keras.layers.Dense(2), hidden)\nprint(model.predict(x))\n",
      errors: [{ line: 4, column: 16 }],
      blocks: ['jax'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\ndef apply(layer, t):\n    return layer(t)\nout = apply(keras.layers.Dense(2), hidden)\nprint(model.predict(x))\n"
    },
    {
      name: "a model's own methods Keras never runs and no traced method calls, run from a callback (claims/tf_op_in_eager_model_method.py): eager, no backend",
      code: "import numpy as np, keras, tensorflow as tf\nclass Denoiser(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self, n=2):\n        samples = tf.zeros((n, 4))\n        return tf.clip_by_value(self.predict(samples, verbose=0), 0.0, 1.0)\n    def plot(self, epoch=None, logs=None):\n        return tf.cast(self.generate() * 255.0, tf.uint8)\nmodel = Denoiser()\nmodel.fit(x, y, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot)])\n",
      errors: [{ line: 9, column: 19 }, { line: 10, column: 16 }, { line: 12, column: 16 }],
      blocks: [],
      output: "import numpy as np, keras, tensorflow as tf\nclass Denoiser(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self, n=2):\n        samples = tf.zeros((n, 4))\n        return keras.ops.clip(self.predict(samples, verbose=0), 0.0, 1.0)\n    def plot(self, epoch=None, logs=None):\n        return keras.ops.cast(self.generate() * 255.0, \"uint8\")\nmodel = Denoiser()\nmodel.fit(x, y, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot)])\n"
    },
    {
      name: "an own eager method calling a sublayer directly (claims/tf_op_in_eager_model_method_layer_call.py): PyTorch only",
      code: "import numpy as np, keras, tensorflow as tf\nclass Classifier(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(3)\n    def call(self, x):\n        return self.net(x)\n    def classify(self, x):\n        return tf.argmax(self.net(x), axis=-1)\nmodel = Classifier()\nprint(model.classify(x))\n",
      errors: [{ line: 9, column: 16 }],
      blocks: ['torch']
    },
    {
      name: "an own method that call() reaches through self.head(...) is traced: JAX and PyTorch",
      code: "import numpy as np, keras, tensorflow as tf\nclass Classifier(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(3)\n    def call(self, x):\n        return self.head(self.net(x))\n    def head(self, h):\n        return tf.nn.softmax(h)\nmodel = Classifier()\nmodel.fit(x, y)\n",
      errors: [{ line: 9, column: 16 }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Classifier(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(3)\n    def call(self, x):\n        return self.head(self.net(x))\n    def head(self, h):\n        return keras.ops.softmax(h)\nmodel = Classifier()\nmodel.fit(x, y)\n"
    },
    {
      name: "a plain helper class's method that train_step calls (self.schedule.q_sample) is model code: JAX and PyTorch",
      code: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def __init__(self):\n        self.scale = np.ones(3, \"float32\")\n    def q_sample(self, x, t):\n        return x * tf.gather(self.scale, t)\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def train_step(self, x):\n        noisy = self.schedule.q_sample(x, 1)\n        return {\"loss\": keras.ops.mean(self.net(noisy))}\nmodel = Diffusion(Schedule())\nmodel.fit(x)\n",
      errors: [{ line: 6, column: 20 }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def __init__(self):\n        self.scale = np.ones(3, \"float32\")\n    def q_sample(self, x, t):\n        return x * keras.ops.take(self.scale, t, axis=0)\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def train_step(self, x):\n        noisy = self.schedule.q_sample(x, 1)\n        return {\"loss\": keras.ops.mean(self.net(noisy))}\nmodel = Diffusion(Schedule())\nmodel.fit(x)\n"
    },
    {
      // keras.io Zero-DCE's spatial-consistency loss is a plain class with TF ops in __call__, made in compile() and called in train_step
      // (ran after fix --unsafe on TensorFlow, JAX and PyTorch; unconverted, JAX raised TracerArrayConversionError, PyTorch "Can't call numpy() on Tensor that requires grad").
      name: "a plain callable object the model makes and calls in train_step (self.edge_penalty(...)): its __call__ is model code",
      code: "import numpy as np, keras, tensorflow as tf\nclass EdgePenalty:\n    def __init__(self):\n        self.kernel = np.array([[[[1.0]], [[-1.0]]]], \"float32\")\n    def __call__(self, images):\n        gray = tf.reduce_mean(images, 3, keepdims=True)\n        return keras.ops.mean(keras.ops.abs(keras.ops.conv(gray, self.kernel, padding=\"same\")))\nclass Smoother(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Conv2D(1, 3, padding=\"same\")\n    def compile(self, **kwargs):\n        super().compile(**kwargs)\n        self.edge_penalty = EdgePenalty()\n    def train_step(self, images):\n        return {\"loss\": self.edge_penalty(self.net(images))}\nmodel = Smoother()\nmodel.compile(optimizer=\"adam\")\nmodel.fit(x)\n",
      errors: [{ line: 6, column: 16, message: '(`EdgePenalty.__call__()` runs as model code)' }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass EdgePenalty:\n    def __init__(self):\n        self.kernel = np.array([[[[1.0]], [[-1.0]]]], \"float32\")\n    def __call__(self, images):\n        gray = keras.ops.mean(images, 3, keepdims=True)\n        return keras.ops.mean(keras.ops.abs(keras.ops.conv(gray, self.kernel, padding=\"same\")))\nclass Smoother(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Conv2D(1, 3, padding=\"same\")\n    def compile(self, **kwargs):\n        super().compile(**kwargs)\n        self.edge_penalty = EdgePenalty()\n    def train_step(self, images):\n        return {\"loss\": self.edge_penalty(self.net(images))}\nmodel = Smoother()\nmodel.compile(optimizer=\"adam\")\nmodel.fit(x)\n"
    },
    {
      // The callable handed in through the constructor, keras.io DDPM's style (ran after fix --unsafe on JAX and PyTorch; unconverted, JAX raised TracerArrayConversionError).
      name: "a plain callable object the constructor gets positionally and the model keeps and calls in train_step: model code",
      code: "import numpy as np, keras, tensorflow as tf\nclass Roughness:\n    def __call__(self, images):\n        return tf.reduce_mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n    def train_step(self, x):\n        return {\"loss\": self.penalty(self.net(x))}\nmodel = Smoother(Roughness())\nmodel.compile(optimizer=\"adam\")\nmodel.fit(x)\n",
      errors: [{ line: 4, column: 16, message: '(`Roughness.__call__()` runs as model code)' }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Roughness:\n    def __call__(self, images):\n        return keras.ops.mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n    def train_step(self, x):\n        return {\"loss\": self.penalty(self.net(x))}\nmodel = Smoother(Roughness())\nmodel.compile(optimizer=\"adam\")\nmodel.fit(x)\n"
    },
    {
      // Ran: as written JAX and PyTorch fail (the TF op on traced / grad-requiring tensors); after the fix all three run.
      name: "the plain callable bound to a module-level name (a statement with no Keras word) and handed to the constructor by that name: model code",
      code: "import numpy as np\nimport keras\nimport tensorflow as tf\n\n\nclass Roughness:\n    def __call__(self, images):\n        return tf.reduce_mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\n\n\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n\n    def call(self, x):\n        return self.net(x)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return super().compute_loss(x, y, y_pred, sample_weight, training=training) + 0.1 * self.penalty(y_pred)\n\n\nroughness = Roughness()\nmodel = Smoother(penalty=roughness)\nmodel.compile(optimizer=\"adam\", loss=\"mse\")\nmodel.fit(np.ones((8, 3), \"float32\"), np.ones((8, 4), \"float32\"), verbose=0)\nprint(\"ok\")\n",
      errors: [{ line: 8, column: 16, message: '(`Roughness.__call__()` runs as model code)' }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np\nimport keras\nimport tensorflow as tf\n\n\nclass Roughness:\n    def __call__(self, images):\n        return keras.ops.mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\n\n\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n\n    def call(self, x):\n        return self.net(x)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return super().compute_loss(x, y, y_pred, sample_weight, training=training) + 0.1 * self.penalty(y_pred)\n\n\nroughness = Roughness()\nmodel = Smoother(penalty=roughness)\nmodel.compile(optimizer=\"adam\", loss=\"mse\")\nmodel.fit(np.ones((8, 3), \"float32\"), np.ones((8, 4), \"float32\"), verbose=0)\nprint(\"ok\")\n"
    },
    {
      // Ran: as written JAX and PyTorch fail (the TF op in compute_loss); after the fix all three run.
      name: "a module-level instance of a plain callable class (a statement with no Keras word) called directly in compute_loss: model code",
      code: "import numpy as np\nimport keras\nimport tensorflow as tf\n\n\nclass Roughness:\n    def __call__(self, images):\n        return tf.reduce_mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\n\n\nroughness = Roughness()\n\n\nclass Smoother(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n\n    def call(self, x):\n        return self.net(x)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return super().compute_loss(x, y, y_pred, sample_weight, training=training) + 0.1 * roughness(y_pred)\n\n\nmodel = Smoother()\nmodel.compile(optimizer=\"adam\", loss=\"mse\")\nmodel.fit(np.ones((8, 3), \"float32\"), np.ones((8, 4), \"float32\"), verbose=0)\nprint(\"ok\")\n",
      errors: [{ line: 8, column: 16, message: '(`Roughness.__call__()` runs as model code)' }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np\nimport keras\nimport tensorflow as tf\n\n\nclass Roughness:\n    def __call__(self, images):\n        return keras.ops.mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\n\n\nroughness = Roughness()\n\n\nclass Smoother(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n\n    def call(self, x):\n        return self.net(x)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return super().compute_loss(x, y, y_pred, sample_weight, training=training) + 0.1 * roughness(y_pred)\n\n\nmodel = Smoother()\nmodel.compile(optimizer=\"adam\", loss=\"mse\")\nmodel.fit(np.ones((8, 3), \"float32\"), np.ones((8, 4), \"float32\"), verbose=0)\nprint(\"ok\")\n"
    },
    {
      name: "the same object handed in by keyword, in a later cell",
      code: ["import numpy as np, keras, tensorflow as tf\nclass Roughness:\n    def __call__(self, images):\n        return tf.reduce_mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n    def train_step(self, x):\n        return {\"loss\": self.penalty(self.net(x))}\n", "model = Smoother(penalty=Roughness())\nmodel.fit(x)\n"],
      errors: [{ cell: 0, line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: ["import numpy as np, keras, tensorflow as tf\nclass Roughness:\n    def __call__(self, images):\n        return keras.ops.mean(keras.ops.abs(images[:, 1:] - images[:, :-1]))\nclass Smoother(keras.Model):\n    def __init__(self, penalty, **kwargs):\n        super().__init__(**kwargs)\n        self.net = keras.layers.Dense(4)\n        self.penalty = penalty\n    def train_step(self, x):\n        return {\"loss\": self.penalty(self.net(x))}\n", "model = Smoother(penalty=Roughness())\nmodel.fit(x)\n"]
    },
    {
      name: "an own eager method calling the layers the model keeps in a list (for block in self.blocks: h = block(h)): PyTorch only (ran: TensorFlow and JAX run it, PyTorch raises \"Can't call numpy() on Tensor that requires grad\")",
      code: "import numpy as np, keras, tensorflow as tf\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [keras.layers.Dense(4), keras.layers.Dense(3)]\n    def call(self, x):\n        for block in self.blocks:\n            x = block(x)\n        return x\n    def predict_labels(self, x):\n        h = x\n        for block in self.blocks:\n            h = block(h)\n        return tf.argmax(h, 1).numpy()\nmodel = Net()\nmodel.compile(optimizer=\"sgd\", loss=\"mse\")\nmodel.fit(np.ones((8, 5), \"float32\"), np.ones((8, 3), \"float32\"), verbose=0)\nprint(model.predict_labels(np.ones((2, 5), \"float32\")))\n",
      errors: [{ line: 14, column: 16, message: 'fails on PyTorch where it meets what calling a layer directly returns' }],
      blocks: ['torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np, keras, tensorflow as tf\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [keras.layers.Dense(4), keras.layers.Dense(3)]\n    def call(self, x):\n        for block in self.blocks:\n            x = block(x)\n        return x\n    def predict_labels(self, x):\n        h = x\n        for block in self.blocks:\n            h = block(h)\n        return keras.ops.convert_to_numpy(keras.ops.argmax(h, 1))\nmodel = Net()\nmodel.compile(optimizer=\"sgd\", loss=\"mse\")\nmodel.fit(np.ones((8, 5), \"float32\"), np.ones((8, 3), \"float32\"), verbose=0)\nprint(model.predict_labels(np.ones((2, 5), \"float32\")))\n"
    },
    {
      name: "a plain helper class's method that only an own eager method calls runs eagerly: no backend",
      code: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def __init__(self):\n        self.scale = np.ones(3, \"float32\")\n    def p_sample(self, x, t):\n        return x * tf.gather(self.scale, t) + 1.0\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self):\n        return self.schedule.p_sample(self.predict(np.zeros((2, 4)), verbose=0), 2)\nmodel = Diffusion(Schedule())\nmodel.fit(x, y)\nmodel.generate()\n",
      errors: [{ line: 6, column: 20 }],
      blocks: [],
      output: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def __init__(self):\n        self.scale = np.ones(3, \"float32\")\n    def p_sample(self, x, t):\n        return x * keras.ops.take(self.scale, t, axis=0) + 1.0\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self):\n        return self.schedule.p_sample(self.predict(np.zeros((2, 4)), verbose=0), 2)\nmodel = Diffusion(Schedule())\nmodel.fit(x, y)\nmodel.generate()\n"
    },
    {
      name: "an own method of a layer that another class's call() runs (self.encoder.encode(x)) is traced: JAX and PyTorch",
      code: "import numpy as np, keras, tensorflow as tf\nclass Encoder(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(4)\n    def call(self, x):\n        return self.dense(x)\n    def encode(self, x):\n        return tf.nn.l2_normalize(self.dense(x), axis=-1)\nclass Model(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.encoder = Encoder()\n    def call(self, x):\n        return self.encoder.encode(x)\nmodel = Model()\nmodel.fit(x, y)\n",
      errors: [{ line: 9, column: 16 }],
      blocks: ['jax', 'torch'],
      output: "import numpy as np, keras, tensorflow as tf\nclass Encoder(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(4)\n    def call(self, x):\n        return self.dense(x)\n    def encode(self, x):\n        return keras.ops.normalize(self.dense(x), axis=-1, epsilon=1e-6)\nclass Model(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.encoder = Encoder()\n    def call(self, x):\n        return self.encoder.encode(x)\nmodel = Model()\nmodel.fit(x, y)\n"
    },
    {
      name: 'tf.signal.stft (keras.io MelGAN / audio spectrogram layers): a signal_stft helper on keras.ops with TF\'s arguments and complex result (a suggestion)',
      code: "import keras\nimport tensorflow as tf\n\nclass MelSpec(keras.layers.Layer):\n    def call(self, audio):\n        stft = tf.signal.stft(audio, 256, 64, pad_end=True)\n        return tf.abs(stft)\n",
      errors: [{ line: 6, column: 16, message: 'use `signal_stft`' }, { line: 7, column: 16 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\ndef signal_stft(signals, frame_length, frame_step, fft_length=None, window_fn=\"hann\", pad_end=False, name=None):\n    # tf.signal.stft on keras.ops (a complex result): frames from the start of the signal, TF's periodic\n    # window, each frame zero-padded at its end to fft_length (by default the next power of two), and\n    # with pad_end the end padded so that every sample starts a frame.\n    import math\n\n    if fft_length is None:\n        fft_length = 1 << (frame_length - 1).bit_length()\n    if pad_end:\n        # ceil(length / frame_step) frames, the last ending frame_length after its start; spelled so that\n        # JAX can tell a signal of unknown length gives at least one frame (keras.ops.max over them).\n        frame_count = (keras.ops.shape(signals)[-1] + frame_step - 1) // frame_step\n        pad = (frame_count - 1) * frame_step + max(frame_length, frame_step) - keras.ops.shape(signals)[-1]\n        signals = keras.ops.pad(signals, [[0, 0]] * (len(signals.shape) - 1) + [[0, pad]])\n    frames = keras.ops.extract_sequences(signals, frame_length, frame_step)\n    if window_fn is not None:\n        # TF's periodic window: the cosine over frame_length points, frame_length - 1 when odd.\n        a, b = {\"hann\": (0.5, 0.5), \"hamming\": (0.54, 0.46)}[window_fn]\n        n = max(frame_length - frame_length % 2, 1)\n        window = [a - b * math.cos(2 * math.pi * i / n) if frame_length > 1 else 1.0 for i in range(frame_length)]\n        frames = frames * keras.ops.convert_to_tensor(window, frames.dtype)\n    real, imag = keras.ops.rfft(frames, fft_length)\n    return keras.ops.view_as_complex(keras.ops.stack([real, imag], axis=-1))\n\n\nclass MelSpec(keras.layers.Layer):\n    def call(self, audio):\n        stft = signal_stft(audio, 256, 64, pad_end=True)\n        return keras.ops.absolute(stft)\n"
    },
    {
      name: 'tf.signal.stft with a window function the helper does not know, or a notebook function already named signal_stft: no fix',
      code: [
        'import keras\nimport tensorflow as tf\nclass Spec(keras.layers.Layer):\n    def call(self, audio):\n        return tf.signal.stft(audio, 256, 64, window_fn=tf.signal.kaiser_window)\n',
        'import keras\nimport tensorflow as tf\ndef signal_stft(x):\n    return x\nclass Spec2(keras.layers.Layer):\n    def call(self, audio):\n        return tf.signal.stft(audio, 256, 64)\n'
      ],
      errors: [
        { cell: 0, line: 5, column: 16, message: 'no counterpart for `window_fn=tf.signal.kaiser_window`' },
        { cell: 1, line: 7, column: 16, message: 'the notebook already names `signal_stft`' }
      ]
    },
    {
      name: 'the function that calls the model on data defined in an earlier cell than the model it is given (a cell naming TensorFlow: cells naming no Keras/TF name are not walked): JAX and PyTorch',
      code: ["import tensorflow as tf\ndef run(net, data):\n    return net(tf.constant(data))\n", "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\n", "print(run(model, x))\n"],
      errors: [{ cell: 1, line: 4, column: 16 }],
      blocks: ['jax', 'torch'],
      output: ["import tensorflow as tf\ndef run(net, data):\n    return net(tf.constant(data))\n", "import numpy as np, keras, tensorflow as tf\nclass Squeeze(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.squeeze(x, axis=1)\ninputs = keras.Input((1, 4))\nhidden = keras.layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))\n", "print(run(model, x))\n"]
    },
    {
      // examples/runnable/text_generation_rnn_tutorial.py's OneStep: `predicted_logits + self.prediction_mask`
      // mixed a TF tensor with the backend's (fails on JAX and PyTorch); fixed, the generator runs on both.
      name: 'a TF call with no keras.ops counterpart stored on self in __init__: suggestion to store keras.ops.convert_to_tensor of it',
      code: "import keras\nimport tensorflow as tf\nclass OneStep(keras.Model):\n    def __init__(self, model):\n        super().__init__()\n        self.model = model\n        sparse_mask = tf.SparseTensor(values=[-float(\"inf\")], indices=[[0]], dense_shape=[5])\n        self.prediction_mask = tf.sparse.to_dense(sparse_mask)\n\n    def generate_one_step(self, inputs):\n        return self.model(inputs)[:, -1, :] + self.prediction_mask\n",
      errors: [{ line: 8, column: 32, message: 'store `keras.ops.convert_to_tensor(...)` of it' }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass OneStep(keras.Model):\n    def __init__(self, model):\n        super().__init__()\n        self.model = model\n        sparse_mask = tf.SparseTensor(values=[-float(\"inf\")], indices=[[0]], dense_shape=[5])\n        self.prediction_mask = keras.ops.convert_to_tensor(tf.sparse.to_dense(sparse_mask))\n\n    def generate_one_step(self, inputs):\n        return self.model(inputs)[:, -1, :] + self.prediction_mask\n"
    },
    {
      // /work/og46a repro_2 (keras.io eikonal's `act = lambda z: tf.math.exp(-(z**2))`): JAX "Unable to
      // automatically build the model", PyTorch "Can't call numpy() on Tensor that requires grad"; the fix runs on all three.
      name: 'a lambda held by a name, a dict of lambdas and a parameter default, handed to a layer as its activation',
      code: HEAD + 'act = lambda z: tf.math.exp(-(z**2))\nACTS = {"sin": lambda z: tf.math.sin(z)}\ndef block(x, fn=lambda z: tf.math.cos(z)):\n    return keras.layers.Dense(4, activation=fn)(x)\nh = keras.layers.Dense(4, activation=act)(x)\ng = keras.layers.Dense(4, activation=ACTS["sin"])(h)\n',
      errors: [{ line: 3, column: 17 }, { line: 4, column: 26 }, { line: 5, column: 27 }],
      // PyTorch where the model trains (the repro's fit); nothing here does.
      blocks: ['jax'],
      output: 'import keras\nimport tensorflow as tf\nact = lambda z: keras.ops.exp(-(z**2))\nACTS = {"sin": lambda z: keras.ops.sin(z)}\ndef block(x, fn=lambda z: keras.ops.cos(z)):\n    return keras.layers.Dense(4, activation=fn)(x)\nh = keras.layers.Dense(4, activation=act)(x)\ng = keras.layers.Dense(4, activation=ACTS["sin"])(h)\n'
    },
    {
      // /work/og46a repro_7, variants/y_constraint_named.py: a constraint runs after the optimizer step without grad,
      // so PyTorch runs the TF op; JAX traces it ("For simplicity, JAX has removed its internal frames").
      name: 'a TF op in a constraint lambda, inline or held by a name used only as a constraint, claims JAX only',
      code: HEAD + 'clip = lambda w: tf.clip_by_value(w, -0.5, 0.5)\na = keras.layers.Dense(1, kernel_constraint=clip)\nb = keras.layers.Dense(1, bias_constraint=lambda w: tf.clip_by_value(w, -1.0, 1.0))\n',
      errors: [{ line: 3, column: 18 }, { line: 5, column: 53 }],
      blocks: ['jax'],
      output: 'import keras\nimport tensorflow as tf\nclip = lambda w: keras.ops.clip(keras.ops.convert_to_tensor(w), -0.5, 0.5)\na = keras.layers.Dense(1, kernel_constraint=clip)\nb = keras.layers.Dense(1, bias_constraint=lambda w: keras.ops.clip(keras.ops.convert_to_tensor(w), -1.0, 1.0))\n'
    },
    {
      // The tf.concat spelling of og47b's shape vector (/tmp/r6b_f.py ran on all three, the zeros too).
      name: 'tf.concat of a tf.shape slice and scalars: the shape vector becomes a tuple, wherever it goes',
      code: HEAD + 'class SplitHeads(keras.layers.Layer):\n    def call(self, inputs):\n        shape = tf.concat([tf.shape(inputs)[:-1], [2, -1]], axis=0)\n        z = tf.zeros(tf.concat([tf.shape(inputs)[:1], [4]], 0))\n        return tf.reshape(inputs, shape), z\n',
      errors: [
        { line: 5, column: 17, message: 'build the shape as a tuple' },
        { line: 5, column: 28 },
        { line: 6, column: 13 },
        { line: 6, column: 22 },
        { line: 6, column: 33 },
        { line: 7, column: 16 }
      ],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow as tf\nclass SplitHeads(keras.layers.Layer):\n    def call(self, inputs):\n        shape = (*keras.ops.shape(inputs)[:-1], 2, -1)\n        z = keras.ops.zeros((*keras.ops.shape(inputs)[:1], 4))\n' +
        '        return keras.ops.reshape(inputs, shape), z\n'
    },
    {
      // /work/og47a repro_1 (Géron's handson-ml2 ch. 12 `my_positive_weights`): Keras hands a constraint the variable
      // itself; keras.ops.zeros_like / keras.ops.where of it fail on JAX ("Could not convert <Variable ...> to a NumPy
      // dtype"). The fixed /tmp/c2f.py trained on all three; the original ran on TensorFlow and PyTorch.
      name: 'a constraint function, a Constraint subclass and a constraint lambda first make the variable a tensor; claims JAX only',
      code:
        HEAD +
        'def positive(weights):\n    """Keep them positive."""\n    return tf.where(weights < 0., tf.zeros_like(weights), weights)\n' +
        'class NonNeg(keras.constraints.Constraint):\n    def __call__(self, w):\n        return tf.where(w < 0., tf.zeros_like(w), w)\n' +
        'a = keras.layers.Dense(3, kernel_constraint=positive)\nb = keras.layers.Dense(2, kernel_constraint=NonNeg(), bias_constraint=lambda w: tf.zeros_like(w))\n',
      errors: [{ line: 5, column: 12 }, { line: 5, column: 35 }, { line: 8, column: 16 }, { line: 8, column: 33 }, { line: 10, column: 81 }],
      blocks: ['jax'],
      output:
        'import keras\nimport tensorflow as tf\n' +
        'def positive(weights):\n    """Keep them positive."""\n    weights = keras.ops.convert_to_tensor(weights)\n    return keras.ops.where(weights < 0., keras.ops.zeros_like(weights), weights)\n' +
        'class NonNeg(keras.constraints.Constraint):\n    def __call__(self, w):\n        w = keras.ops.convert_to_tensor(w)\n        return keras.ops.where(w < 0., keras.ops.zeros_like(w), w)\n' +
        'a = keras.layers.Dense(3, kernel_constraint=positive)\nb = keras.layers.Dense(2, kernel_constraint=NonNeg(), bias_constraint=lambda w: keras.ops.zeros_like(keras.ops.convert_to_tensor(w)))\n'
    },
    {
      name: 'a function used elsewhere than as a constraint is no constraint: no conversion of its parameter',
      code: HEAD + 'def positive(weights):\n    return tf.where(weights < 0., tf.zeros_like(weights), weights)\nx = keras.layers.Lambda(positive)\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 35 }],
      output: 'import keras\nimport tensorflow as tf\ndef positive(weights):\n    return keras.ops.where(weights < 0., keras.ops.zeros_like(weights), weights)\nx = keras.layers.Lambda(positive)\n'
    },
    {
      // /work/og47d repro_2 (Coursera course 2's weight penalty): keras.ops.stack of an empty list failed on JAX ("Need at
      // least one array to stack") and PyTorch; TF's sum of it is 0.0. The fixed /tmp/rsf.py gave 6.0 and 0.0 on all three.
      name: 'tf.reduce_sum of a list comprehension, which may be empty: stacked with a zero for the empty case',
      code: HEAD + 'def reg(model):\n    return tf.reduce_sum([tf.reduce_sum(w ** 2) for w in model.trainable_weights if "kernel" in w.name])\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x + reg(self) + tf.reduce_sum([x, x])\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 27 }, { line: 7, column: 32 }],
      output:
        'import keras\nimport tensorflow as tf\ndef reg(model):\n    return keras.ops.sum(keras.ops.stack([keras.ops.sum(w ** 2) for w in model.trainable_weights if "kernel" in w.name] or [0.0]))\n' +
        'class L(keras.layers.Layer):\n    def call(self, x):\n        return x + reg(self) + keras.ops.sum(keras.ops.stack([x, x]))\n'
    },
    {
      // /work/og48b repro_6 (Géron's handson-ml2 ch. 13 vocabulary table in adapt()): keras.ops.convert_to_tensor of bytes
      // failed on JAX ("dtype |S5 is not a valid JAX array type") and PyTorch where the original ran on all three.
      name: 'eager TF ops given strings, or read only by other TF calls: no rewrite',
      code:
        HEAD +
        'class Vocab(keras.layers.Layer):\n    def adapt(self, words_list):\n        self.vocab = [b"<pad>"] + sorted(set(words_list))\n        words = tf.constant(self.vocab)\n' +
        '        word_ids = tf.range(len(self.vocab), dtype=tf.int64)\n        init = tf.lookup.KeyValueTensorInitializer(words, word_ids)\n        self.table = tf.lookup.StaticVocabularyTable(init, 10)\n' +
        '        self.sizes = tf.range(3)\n',
      errors: [
        { line: 6, column: 17, message: 'it is given strings' },
        { line: 7, column: 20, message: 'its value goes only to other TensorFlow calls here' },
        { line: 10, column: 22 }
      ],
      blocks: [],
      output:
        HEAD +
        'class Vocab(keras.layers.Layer):\n    def adapt(self, words_list):\n        self.vocab = [b"<pad>"] + sorted(set(words_list))\n        words = tf.constant(self.vocab)\n' +
        '        word_ids = tf.range(len(self.vocab), dtype=tf.int64)\n        init = tf.lookup.KeyValueTensorInitializer(words, word_ids)\n        self.table = tf.lookup.StaticVocabularyTable(init, 10)\n' +
        '        self.sizes = keras.ops.arange(3)\n'
    },
    {
      // /work/og48d repro_6 (Atienza's policy-gradient agent: `Lambda(self.logp)`): the TF op in the bound method failed on
      // JAX and PyTorch with no finding.
      name: 'a plain class method given to a Lambda as self.method is model code',
      code:
        HEAD +
        'class Agent:\n    def logp(self, args):\n        mean, stddev = args\n        return tf.math.log(stddev) + mean\n' +
        '    def build(self):\n        inputs = keras.Input((2,))\n        mean = keras.layers.Dense(1)(inputs)\n        stddev = keras.layers.Dense(1)(inputs)\n' +
        '        return keras.Model(inputs, keras.layers.Lambda(self.logp, output_shape=(1,))([mean, stddev]))\n' +
        'm = Agent().build()\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, y)\n',
      errors: [{ line: 6, column: 16 }],
      blocks: ['jax', 'torch'],
      output:
        HEAD +
        'class Agent:\n    def logp(self, args):\n        mean, stddev = args\n        return keras.ops.log(stddev) + mean\n' +
        '    def build(self):\n        inputs = keras.Input((2,))\n        mean = keras.layers.Dense(1)(inputs)\n        stddev = keras.layers.Dense(1)(inputs)\n' +
        '        return keras.Model(inputs, keras.layers.Lambda(self.logp, output_shape=(1,))([mean, stddev]))\n' +
        'm = Agent().build()\nm.compile(loss="mse", optimizer="adam")\nm.fit(x, y)\n'
    },
    {
      // /work/og46a repro_3 (keras.io eikonal's `tf.gradients` in a Lambda): keras.ops has no gradient function.
      name: 'tf.gradients in a Lambda: the hint names the per-backend gradients, not a keras.ops function',
      code: HEAD + 'f = keras.layers.Lambda(lambda x: tf.gradients(x * x, x)[0])\n',
      errors: [{ line: 3, column: 35, message: '`keras.ops` has no gradient function' }]
    }
  ]
});
