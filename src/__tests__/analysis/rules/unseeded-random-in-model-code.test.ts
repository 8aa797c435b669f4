import { ruleTester } from '../rule-tester';

ruleTester('unseeded-random-in-model-code', {
  valid: [
    { name: 'seeded from a generator', code: 'import keras\nclass N(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.gen = keras.random.SeedGenerator(1)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.gen)\n' },
    { name: 'seed given positionally', code: 'import keras\nclass N(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, None, self.gen)\n' },
    { name: 'in __init__ (eager, not traced)', code: 'import keras\nclass N(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.noise = keras.random.normal((3,))\n' },
    { name: 'outside model code', code: 'import keras\nx = keras.random.normal((2, 3))\n' },
    {
      // examples/runnable/molecule_graph_vae.py after fix --unsafe: ran on JAX (the per-backend step un-jitted, no symbolic build traces Sampling).
      name: 'a layer made only inside a model\'s call(), in a program whose model turns jit off in make_train_function() (the per-backend train_step rewrite)',
      code: 'import keras\n\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs + keras.random.normal(keras.ops.shape(inputs))\n\nclass Generator(keras.Model):\n    def call(self, x):\n        return Sampling()(x)\n\n    def make_train_function(self, force=False):\n        if keras.backend.backend() == "jax":\n            self.jit_compile = False\n        return super().make_train_function(force)\n'
    }
  ],
  invalid: [
    {
      name: 'the same layer in a Sequential (traced when the model is made, whatever the steps do: ran, fails on JAX)',
      code: 'import keras\n\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs + keras.random.normal(keras.ops.shape(inputs))\n\nclass Generator(keras.Model):\n    def make_train_function(self, force=False):\n        self.jit_compile = False\n        return super().make_train_function(force)\n\nmodel = keras.Sequential([keras.Input((3,)), Sampling()])\n',
      errors: [{ line: 5, column: 25 }],
      blocks: ['jax']
    },
    {
      name: 'a layer made only inside a model\'s call() where nothing turns jit off',
      code: 'import keras\n\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs + keras.random.normal(keras.ops.shape(inputs))\n\nclass Generator(keras.Model):\n    def call(self, x):\n        return Sampling()(x)\n',
      errors: [{ line: 5, column: 25 }],
      blocks: ['jax']
    },
    {
      name: 'a layer with __init__: the generator goes after super().__init__',
      code: 'import keras\nclass Jitter(keras.layers.Layer):\n    def __init__(self, stddev, **kwargs):\n        super(Jitter, self).__init__(**kwargs)\n        self.stddev = stddev\n\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), stddev=self.stddev)\n',
      errors: [{ line: 8, column: 20 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Jitter(keras.layers.Layer):\n    def __init__(self, stddev, **kwargs):\n        super(Jitter, self).__init__(**kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n        self.stddev = stddev\n\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), stddev=self.stddev, seed=self.seed_generator)\n'
    },
    {
      name: 'two draws share one generator; seed=None replaced',
      code: 'import keras\nclass Two(keras.layers.Layer):\n    """Doc."""\n    def call(self, x):\n        a = keras.random.uniform(keras.ops.shape(x), seed=None)\n        return x * a + keras.random.normal(keras.ops.shape(x))\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 24 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Two(keras.layers.Layer):\n    """Doc."""\n    def __init__(self, *args, **kwargs):\n        super().__init__(*args, **kwargs)\n        self.seed_generator = keras.random.SeedGenerator()\n\n    def call(self, x):\n        a = keras.random.uniform(keras.ops.shape(x), seed=self.seed_generator)\n        return x * a + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)\n'
    },
    {
      // keras.io molecule VAE: Sampling() is made in the model's call; a generator in its __init__
      // is a new variable at every trace, which TensorFlow refuses (checked by running).
      name: 'a layer the cell makes inside another class\'s call: no generator added',
      code: 'import keras\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        mean, log_var = inputs\n        return mean + keras.ops.exp(0.5 * log_var) * keras.random.normal(keras.ops.shape(mean))\nclass VAE(keras.Model):\n    def call(self, x):\n        return Sampling()([x, x])\n',
      errors: [{ line: 5, column: 54 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        mean, log_var = inputs\n        return mean + keras.ops.exp(0.5 * log_var) * keras.random.normal(keras.ops.shape(mean))\nclass VAE(keras.Model):\n    def call(self, x):\n        return Sampling()([x, x])\n'
    },
    {
      // Every Keras 2 VAE (og48d repro_4, Atienza's CVAE): ran on all three after the fix, drawing new
      // numbers per batch on JAX (a module-level generator repeats them there).
      name: 'a function a Lambda runs: it takes seed=None and the Lambda passes a generator through arguments=',
      code: 'import keras\nfrom keras import ops\n\ndef sampling(args):\n    z_mean, z_log_var = args\n    eps = keras.random.normal(shape=(ops.shape(z_mean)[0], 2))\n    return z_mean + ops.exp(0.5 * z_log_var) * eps\n\nx = keras.Input((4,))\nz = keras.layers.Lambda(sampling, output_shape=(2,), name="z")([x, x])\n',
      errors: [{ line: 6, column: 11 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nfrom keras import ops\n\ndef sampling(args, seed=None):\n    z_mean, z_log_var = args\n    eps = keras.random.normal(shape=(ops.shape(z_mean)[0], 2), seed=seed)\n    return z_mean + ops.exp(0.5 * z_log_var) * eps\n\nx = keras.Input((4,))\nz = keras.layers.Lambda(sampling, output_shape=(2,), name="z", arguments={"seed": keras.random.SeedGenerator()})([x, x])\n'
    },
    {
      name: 'two draws in a Lambda function, an arguments= dict already given',
      code: 'import keras\ndef noisy(t, scale):\n    return t * keras.random.uniform(keras.ops.shape(t)) + scale * keras.random.normal(keras.ops.shape(t))\ny = keras.layers.Lambda(noisy, arguments={"scale": 0.1})(keras.Input((3,)))\n',
      errors: [{ line: 3, column: 16 }, { line: 3, column: 67 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\ndef noisy(t, scale, seed=None):\n    return t * keras.random.uniform(keras.ops.shape(t), seed=seed) + scale * keras.random.normal(keras.ops.shape(t), seed=seed)\ny = keras.layers.Lambda(noisy, arguments={"seed": keras.random.SeedGenerator(), "scale": 0.1})(keras.Input((3,)))\n'
    },
    {
      name: 'a lambda expression given to Lambda',
      code: 'import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t + keras.random.normal(keras.ops.shape(t)))])\n',
      errors: [{ line: 2, column: 76 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t, seed=None: t + keras.random.normal(keras.ops.shape(t), seed=seed), arguments={"seed": keras.random.SeedGenerator()})])\n'
    },
    {
      name: 'a Lambda function taking **kwargs: no fix',
      code: 'import keras\ndef noisy(t, **kwargs):\n    return t + keras.random.normal(keras.ops.shape(t))\ny = keras.layers.Lambda(noisy)(keras.Input((3,)))\n',
      errors: [{ line: 3, column: 16 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ndef noisy(t, **kwargs):\n    return t + keras.random.normal(keras.ops.shape(t))\ny = keras.layers.Lambda(noisy)(keras.Input((3,)))\n'
    },
    {
      name: 'in a loss function: no fix (no layer to hold a generator)',
      code: 'import keras\ndef noisy_mse(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred + keras.random.normal((1,))))\n',
      errors: [{ line: 3, column: 62 }]
    }
  ]
});
