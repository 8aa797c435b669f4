import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tf-random-in-model-code', {
  valid: [
    { code: HEAD + 'class N(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)\n' },
    { name: 'module-level noise for plotting', code: HEAD + 'noise = tf.random.normal([1, 100])\n' }
  ],
  invalid: [
    {
      // TensorFlow data-augmentation tutorial (/work/oe40e invert_fit): JAX and PyTorch ran the program (the draw
      // is an eager TF tensor read by Python's `if`); TensorFlow's failure is the `if`'s (KM061). Keras 3.15.
      name: 'a draw of Python values read only by an `if` in a helper of call(): no backend',
      code: HEAD + 'def random_invert_img(x, p=0.5):\n    if tf.random.uniform([]) < p:\n        x = 255 - x\n    return x\nclass RandomInvert(keras.layers.Layer):\n    def call(self, x):\n        return random_invert_img(x)\n',
      errors: [{ line: 4, column: 8, message: 'JAX draws it once, when it traces the step' }],
      blocks: []
    },
    {
      // KM061's fix of the same (checked: runs on tf, jax and torch, Keras 3.15).
      name: 'a draw of Python values compared and converted for keras.ops.cond: no backend',
      code: HEAD + 'def random_invert_img(x, p=0.5):\n    return keras.ops.cond(keras.ops.convert_to_tensor(tf.random.uniform([]) < p), lambda: 255 - x, lambda: x)\nclass RandomInvert(keras.layers.Layer):\n    def call(self, x):\n        return random_invert_img(x)\n',
      errors: [{ line: 4, column: 55 }],
      blocks: []
    },
    {
      name: "in a helper only an own eager method calls (DDPM's p_sample): no backend, and an unsafe rewrite to keras.random without a SeedGenerator (Keras's global generator draws in eager code)",
      code: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def p_sample(self, x):\n        return x + tf.random.normal(shape=x.shape, dtype=x.dtype)\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self):\n        return self.schedule.p_sample(self.predict(np.zeros((2, 4)), verbose=0))\nmodel = Diffusion(Schedule())\nmodel.generate()\n",
      errors: [{ line: 4, column: 20 }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: "import numpy as np, keras, tensorflow as tf\nclass Schedule:\n    def p_sample(self, x):\n        return x + keras.random.normal(shape=x.shape, dtype=x.dtype)\nclass Diffusion(keras.Model):\n    def __init__(self, schedule):\n        super().__init__()\n        self.schedule = schedule\n        self.net = keras.layers.Dense(4)\n    def call(self, x):\n        return self.net(x)\n    def generate(self):\n        return self.schedule.p_sample(self.predict(np.zeros((2, 4)), verbose=0))\nmodel = Diffusion(Schedule())\nmodel.generate()\n"
    },
    {
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 20, endColumn: 36, message: 'fails on JAX' }],
      // The layer may follow a trainable one: on PyTorch its input then requires grad in training.
      blocks: ['jax', 'torch']
    },
    {
      name: 'suggestion: keras.random with a generator created in a new __init__',
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x), stddev=0.1, dtype=tf.float32, name="noise")\n',
      errors: [{ line: 5, column: 20 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class N(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, x):\n        return x + keras.random.normal(tf.shape(x), stddev=0.1, dtype="float32", seed=self.seed_generator)\n'
    },
    {
      name: 'suggestion: tf.random.shuffle as keras.random.shuffle with a generator (keras.io Forward-Forward)',
      code: HEAD + 'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        return {"y": tf.random.shuffle(y)}\n',
      errors: [{ line: 6, column: 22 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class M(keras.Model):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def train_step(self, data):\n        x, y = data\n        return {"y": keras.random.shuffle(y, seed=self.seed_generator)}\n'
    },
    {
      name: "no rewrite of tf.random.shuffle with a positional seed (keras.random.shuffle's second argument is the axis)",
      code: HEAD + 'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        return {"y": tf.random.shuffle(y, 3)}\n',
      errors: [{ line: 6, column: 22 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'suggestion: the integer seed seeds the generator, created after super().__init__',
      code: HEAD + 'class M(keras.layers.Layer):\n    def __init__(self, rate):\n        super().__init__()\n        self.rate = rate\n\n    def call(self, x):\n        return x * tf.cast(tf.random.uniform(tf.shape(x), 0, 1, None, 7) > self.rate, x.dtype)\n',
      errors: [{ line: 9, column: 28 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class M(keras.layers.Layer):\n    def __init__(self, rate):\n        super().__init__()\n        self.seed_generator = keras.random.SeedGenerator(7)\n        self.rate = rate\n\n    def call(self, x):\n        return x * tf.cast(keras.random.uniform(tf.shape(x), 0, 1, None, self.seed_generator) > self.rate, x.dtype)\n'
    },
    {
      name: 'no rewrite for an integer dtype without maxval, a computed dtype of a uniform draw with maxval (it may be an integer one), or outside a layer',
      code: HEAD + 'class M(keras.layers.Layer):\n    def call(self, x):\n        a = tf.random.uniform(tf.shape(x), 0, dtype=tf.int32)\n        return a + tf.random.uniform(tf.shape(x), 0, 5, dtype=x.dtype)\ndef loss(y_true, y_pred):\n    return y_pred * tf.random.normal([1])\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 20 }, { line: 8, column: 21 }],
      fixOptions: { unsafe: true }
    },
    {
      // TF raises "Must specify maxval for integer dtype" for an integer uniform draw without maxval, so a
      // tensor's dtype there is a float one; keras.random.uniform(shape, dtype=x.dtype) kept x's float dtype
      // on TensorFlow, JAX and PyTorch (ran, Keras 3.15: float16, bfloat16, float32).
      name: "keras.io Swin DropPath: a uniform draw without maxval keeps a tensor's dtype (a float one: TF refuses integer ones there)",
      code: HEAD + 'class DropPath(keras.layers.Layer):\n    def call(self, x):\n        return x * tf.floor(0.9 + tf.random.uniform((tf.shape(x)[0], 1, 1), dtype=x.dtype))\n',
      errors: [{ line: 5, column: 35 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class DropPath(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, x):\n        return x * tf.floor(0.9 + keras.random.uniform((tf.shape(x)[0], 1, 1), dtype=x.dtype, seed=self.seed_generator))\n'
    },
    {
      name: "keras.io DDPM: an integer uniform draw becomes keras.random.randint; a normal draw keeps a tensor's dtype",
      code: HEAD + 'class D(keras.Model):\n    def call(self, images):\n        t = tf.random.uniform(minval=0, maxval=10, shape=(4,), dtype=tf.int64)\n        noise = tf.random.normal(shape=tf.shape(images), dtype=images.dtype)\n        return images + noise, t\n',
      errors: [{ line: 5, column: 13, message: 'keras.random.randint' }, { line: 6, column: 17, message: 'keras.random.normal' }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class D(keras.Model):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, images):\n        t = keras.random.randint(minval=0, maxval=10, shape=(4,), dtype="int64", seed=self.seed_generator)\n        noise = keras.random.normal(shape=tf.shape(images), dtype=images.dtype, seed=self.seed_generator)\n        return images + noise, t\n'
    },
    {
      name: 'ELECTRA sampling: tf.random.categorical becomes keras.random.categorical (same logits, num_samples, dtype; TF\'s default int64 kept)',
      code: HEAD + 'class S(keras.layers.Layer):\n    def call(self, logits):\n        a = tf.random.categorical(tf.stop_gradient(logits), 1, dtype=tf.int32)\n        return a, tf.random.categorical(logits, 2)\n',
      errors: [{ line: 5, column: 13, message: 'keras.random.categorical' }, { line: 6, column: 19 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class S(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, logits):\n        a = keras.random.categorical(tf.stop_gradient(logits), 1, dtype="int32", seed=self.seed_generator)\n        return a, keras.random.categorical(logits, 2, dtype="int64", seed=self.seed_generator)\n'
    },
    {
      name: 'only stateless ops are said to repeat (a seeded tf.random.normal in a tf.function does not)',
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        a = tf.random.normal(tf.shape(x), seed=1)\n        return a + tf.random.stateless_normal(tf.shape(x), seed=[1, 2])\n',
      errors: [
        { line: 5, column: 13, message: 'fails on JAX' },
        { line: 6, column: 20, message: 'same values for the same seed' }
      ]
    },
    {
      name: 'a TF random value met by training tensors in a Lambda layer: JAX and PyTorch',
      code: HEAD + 'model = keras.Sequential([keras.layers.Dense(2), keras.layers.Lambda(lambda t: t + tf.random.normal((2,), stddev=0.1))])\nmodel.fit(x, y)\n',
      errors: [{ line: 3, column: 84, message: 'PyTorch' }],
      blocks: ['jax', 'torch'],
      // The fixed model (with data and compile) trained on TensorFlow, JAX and PyTorch.
      fixOptions: { unsafe: true },
      output: HEAD + "\nclass NormalDraw(keras.layers.Layer):\n    # The Lambda's function, drawing from a seed generator the layer holds (a Lambda holds none).\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, t):\n        return t + keras.random.normal((2,), stddev=0.1, seed=self.seed_generator)\n\n\nmodel = keras.Sequential([keras.layers.Dense(2), NormalDraw()])\nmodel.fit(x, y)\n"
    },
    {
      // examples/runnable/vq_vae_pixelcnn_prior.py's sampler: after the rewrite it ran on all three backends, and predict()
      // drew new numbers at every call on JAX (a generator outside the model draws the same ones there).
      name: 'a Lambda drawing categories, in a function: a layer class holding the generator (seeded from the draw\'s seed), its name kept; a Lambda with output_shape= left as it is',
      code: "import keras\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n\ndef make_sampler(model):\n    inputs = keras.Input((4,))\n    logits = model(inputs)\n    draw = layers.Lambda(lambda l: tf.random.categorical(l, 1, seed=7), name=\"draw\")(logits)\n    kept = layers.Lambda(lambda l: tf.random.uniform(keras.ops.shape(l)), output_shape=(4,))(logits)\n    return keras.Model(inputs, [draw, kept])\n",
      errors: [{ line: 8, column: 36 }, { line: 9, column: 36 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n\ndef make_sampler(model):\n    inputs = keras.Input((4,))\n    logits = model(inputs)\n\n    class CategoricalDraw(keras.layers.Layer):\n        # The Lambda's function, drawing from a seed generator the layer holds (a Lambda holds none).\n        def __init__(self, **kwargs):\n            super().__init__(**kwargs)\n            self.seed_generator = keras.random.SeedGenerator(7)\n\n        def call(self, l):\n            return keras.random.categorical(l, 1, seed=self.seed_generator, dtype=\"int64\")\n\n\n    draw = CategoricalDraw(name=\"draw\")(logits)\n    kept = layers.Lambda(lambda l: tf.random.uniform(keras.ops.shape(l)), output_shape=(4,))(logits)\n    return keras.Model(inputs, [draw, kept])\n"
    },
    {
      name: 'a TF random draw made a Python number in __init__ runs everywhere',
      code: HEAD + 'class Scale(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.scale = float(tf.random.uniform(()).numpy())\n',
      errors: [{ line: 6, column: 28, message: 'runs on every backend' }],
      blocks: []
    },
    {
      name: "a TF random draw that is a keras.Variable's initial value in __init__ (keras.io masked autoencoder's mask token) runs everywhere: the backend copies it",
      code:
        HEAD +
        'class Masker(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.mask_token = keras.Variable(tf.random.normal([1, 4]), trainable=True)\n    def call(self, x):\n        return x + keras.ops.repeat(self.mask_token, 2, axis=0)\nmodel = keras.Sequential([keras.layers.Dense(4), Masker()])\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 42, message: 'runs on every backend' }],
      blocks: []
    },
    {
      name: "through keras.ops to a keras.Variable's initial value in __init__ (keras.io NNCLR's feature queue): runs everywhere",
      code:
        HEAD +
        'class Queue(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(3)\n        self.queue = keras.Variable(keras.ops.normalize(tf.random.normal(shape=(8, 3)), axis=1), trainable=False)\n    def call(self, x):\n        return self.dense(x) + keras.ops.sum(self.queue)\nmodel = Queue()\nmodel.fit(x, y)\n',
      errors: [{ line: 7, column: 57, message: 'runs on every backend' }],
      blocks: []
    },
    {
      name: 'through keras.ops into a value used in call(): still claimed',
      code:
        HEAD +
        'class Noise(keras.layers.Layer):\n    def call(self, x):\n        return x + keras.ops.abs(tf.random.normal(keras.ops.shape(x)))\nmodel = keras.Sequential([keras.layers.Dense(4), Noise()])\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 34 }],
      blocks: ['jax', 'torch']
    }
  ]
});
