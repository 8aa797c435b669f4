import { ruleTester } from '../rule-tester';

const LAYER_HEAD = 'import keras\nimport tensorflow as tf\n';
const NESTED =
  'import numpy as np\nclass Bias(keras.layers.Layer):\n    def build(self, shape):\n        self.index = tf.Variable(tf.convert_to_tensor(np.arange(shape[-1])), trainable=False)\n' +
  'class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.bias = Bias()\n    def call(self, x):\n        return self.bias(x)\n';

ruleTester('tf-variable-in-layer', {
  valid: [
    { code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=shape[-1:], initializer="ones")\n' },
    { name: 'outside a layer', code: LAYER_HEAD + 'step = tf.Variable(0)\n' }
  ],
  invalid: [
    {
      // The TensorFlow basic-training-loops guide (/work/og44b r1): runs as written on TensorFlow, JAX and PyTorch (the
      // tape records the tf.Variable); with keras.Variable JAX raised "'Variable' object has no attribute '_id'" and
      // PyTorch "Can't call numpy() on Tensor that requires grad" (Keras 3.15).
      name: 'a variable a tape of the cell differentiates by attribute (t.gradient(loss, [model.w])): no fix',
      code: "import tensorflow as tf\n\nclass M(tf.keras.Model):\n  def __init__(self):\n    super().__init__()\n    self.w = tf.Variable(5.0)\n\n  def call(self, x):\n    return self.w * x\n\ndef train(model, x, y):\n  with tf.GradientTape() as t:\n    loss = tf.reduce_mean(tf.square(y - model(x)))\n  dw, = t.gradient(loss, [model.w])\n  model.w.assign_sub(0.1 * dw)\n\nm = M()\nx = tf.linspace(-2.0, 2.0, 8)\ny = 3.0 * x\ntrain(m, x, y)\nprint(m.w.numpy())\n",
      errors: [{ line: 6, column: 14, message: 'No fix: a `tf.GradientTape` of the cell takes the gradient with respect to `.w`' }],
      output: "import tensorflow as tf\n\nclass M(tf.keras.Model):\n  def __init__(self):\n    super().__init__()\n    self.w = tf.Variable(5.0)\n\n  def call(self, x):\n    return self.w * x\n\ndef train(model, x, y):\n  with tf.GradientTape() as t:\n    loss = tf.reduce_mean(tf.square(y - model(x)))\n  dw, = t.gradient(loss, [model.w])\n  model.w.assign_sub(0.1 * dw)\n\nm = M()\nx = tf.linspace(-2.0, 2.0, 8)\ny = 3.0 * x\ntrain(m, x, y)\nprint(m.w.numpy())\n",
      fixOptions: { unsafe: true }
    },
    {
      // keras.io serialization guide: tf.Variable(a) where the layer is made as CustomLayer(5); keras.Variable
      // trainable by default fails on PyTorch ("Only Tensors of floating point and complex dtype can require
      // gradients", /work/og41c r6). `b` gets a float from one construction: left as it is.
      name: 'an __init__ parameter every construction gives an integer keeps its int32 dtype, not trained',
      code: LAYER_HEAD + "class CustomLayer(keras.layers.Layer):\n    def __init__(self, a, b):\n        super().__init__()\n        self.var = tf.Variable(a, name=\"var_a\")\n        self.other = tf.Variable(b)\n\n\nlayer = CustomLayer(5, 1.5)\nother = CustomLayer(a=2, b=3)\n",
      errors: [{ line: 6, column: 20 }, { line: 7, column: 22 }],
      fixOptions: { unsafe: true },
      output: LAYER_HEAD + "class CustomLayer(keras.layers.Layer):\n    def __init__(self, a, b):\n        super().__init__()\n        self.var = keras.Variable(a, name=\"var_a\", dtype=\"int32\", trainable=False)\n        self.other = keras.Variable(b)\n\n\nlayer = CustomLayer(5, 1.5)\nother = CustomLayer(a=2, b=3)\n"
    },
    {
      name: 'the safe fix-all leaves tf.Variable alone',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]))\n',
      errors: [{ line: 5, column: 18 }],
      output: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]))\n'
    },
    {
      // python_kernel_hooks/tests/claims/tf_variable_untrained.py trains such a layer on all three
      // backends: it runs everywhere, the variable just stays as it was (a silent failure).
      name: 'an untracked tf.Variable blocks no backend: the program runs, untrained',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(tf.ones((3, 2)))\n    def call(self, x):\n        return keras.ops.matmul(x, self.w)\n',
      errors: [{ line: 6, column: 18, message: 'the layer runs on every backend, but the variable is not among its `weights` (code reading them misses it), neither trained nor saved' }],
      blocks: []
    },
    {
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]), name="w")\n        self.b = tf.Variable(initial_value=0.0, trainable=False)\n        self.c = tf.Variable(0.0, False)\n',
      errors: [
        { line: 5, column: 18 },
        { line: 6, column: 18 },
        { line: 7, column: 18 }
      ],
      // A suggestion: applied only with --unsafe (tracking changes what layer.weights holds).
      fixOptions: { unsafe: true },
      output:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = keras.Variable(initializer="ones", name="w", shape=shape[-1:])\n        self.b = keras.Variable(initializer=0.0, trainable=False)\n        self.c = tf.Variable(0.0, False)\n'
    },
    {
      name: 'integer and bool literals keep their TensorFlow dtype',
      code: LAYER_HEAD + 'class Counter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.count = tf.Variable(0, trainable=False)\n        self.flag = tf.Variable(False, trainable=False)\n        self.step = tf.Variable(-1, dtype=tf.int64, trainable=False)\n',
      errors: [{ line: 6, column: 22 }, { line: 7, column: 21 }, { line: 8, column: 21 }],
      // A suggestion: applied only with --unsafe (tracking changes what layer.weights holds).
      fixOptions: { unsafe: true },
      output:
        LAYER_HEAD +
        'class Counter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.count = keras.Variable(0, trainable=False, dtype="int32")\n        self.flag = keras.Variable(False, trainable=False, dtype="bool")\n        self.step = keras.Variable(-1, dtype="int64", trainable=False)\n'
    },
    {
      // examples/runnable/adamatch_domain_adaptation.py: keras.Variable(0, dtype="int64") is trainable by
      // default, which PyTorch refuses for an integer ("Only Tensors of floating point and complex dtype
      // can require gradients"); TensorFlow never trained an integer variable.
      name: 'an integer or bool counter without trainable= becomes a non-trainable keras.Variable',
      code: LAYER_HEAD + 'class Counter(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.step = tf.Variable(0, dtype="int64")\n        self.count = tf.Variable(0)\n        self.scale = tf.Variable(1.0)\n',
      errors: [{ line: 6, column: 21 }, { line: 7, column: 22 }, { line: 8, column: 22 }],
      fixOptions: { unsafe: true },
      output:
        LAYER_HEAD +
        'class Counter(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.step = keras.Variable(0, dtype="int64", trainable=False)\n        self.count = keras.Variable(0, dtype="int32", trainable=False)\n        self.scale = keras.Variable(1.0)\n'
    },
    {
      // claims/tf_variable_graph_initial_value.py: fails on TensorFlow alone ("could not be lifted
      // out of a `tf.function`"), keras.io Swin Transformer's WindowAttention inside SwinTransformer.
      name: 'a TF tensor made in build() of a sublayer first built inside a symbolic call fails on TensorFlow',
      code: LAYER_HEAD + NESTED + 'inputs = keras.Input((4,))\noutputs = Block()(inputs)\n',
      errors: [{ line: 6, column: 22, message: 'on TensorFlow it fails where the layer is first built inside another layer\'s call on KerasTensors' }],
      blocks: ['tensorflow']
    },
    {
      name: 'the same layer used directly in a functional model builds outside any graph',
      code: LAYER_HEAD + NESTED + 'inputs = keras.Input((4,))\noutputs = Bias()(inputs)\n',
      errors: [{ line: 6, column: 22 }],
      blocks: []
    },
    {
      name: 'a parent that builds the sublayer in its own build()',
      code: LAYER_HEAD + NESTED.replace('    def call(self, x):\n        return self.bias(x)', '    def build(self, shape):\n        self.bias.build(shape)\n    def call(self, x):\n        return self.bias(x)') + 'inputs = keras.Input((4,))\noutputs = Block()(inputs)\n',
      errors: [{ line: 6, column: 22 }],
      blocks: []
    },
    {
      name: 'NumPy data as the initial value is made outside any graph',
      code: LAYER_HEAD + NESTED.replace('tf.convert_to_tensor(np.arange(shape[-1]))', 'np.arange(shape[-1])') + 'inputs = keras.Input((4,))\noutputs = Block()(inputs)\n',
      errors: [{ line: 6, column: 22, message: 'the layer runs on every backend' }],
      blocks: []
    },
    {
      // A sublayer is built inside its parent's call, in a stateless scope where keras.Variable
      // takes only an initializer (keras.io Swin Transformer: checked on TF, JAX and PyTorch).
      name: 'a named value in build() becomes a Constant initializer with its shape and dtype',
      code:
        LAYER_HEAD +
        'import numpy as np\nclass WindowAttention(keras.layers.Layer):\n    def build(self, input_shape):\n        index = np.arange(16).reshape(4, 4)\n        self.index = tf.Variable(initial_value=tf.convert_to_tensor(index), trainable=False)\n        self.mask = tf.Variable(self.mask_array, trainable=False)\n        self.table = tf.Variable(index, dtype=tf.float32)\n',
      errors: [{ line: 7, column: 22 }, { line: 8, column: 21 }, { line: 9, column: 22 }],
      fixOptions: { unsafe: true },
      output:
        LAYER_HEAD +
        'import numpy as np\nclass WindowAttention(keras.layers.Layer):\n    def build(self, input_shape):\n        index = np.arange(16).reshape(4, 4)\n        self.index = keras.Variable(initializer=keras.initializers.Constant(index), trainable=False, shape=index.shape, dtype=index.dtype)\n        self.mask = keras.Variable(initializer=keras.initializers.Constant(self.mask_array), trainable=False, shape=self.mask_array.shape, dtype=self.mask_array.dtype)\n        self.table = keras.Variable(initializer=keras.initializers.Constant(index), dtype="float32", shape=index.shape)\n'
    },
    {
      // /work/og46e repro_1 (TensorFlow's intro-to-modules and custom-layers guides): `keras.Variable(keras.random.normal(...))`
      // made in build() left a subclassed model's build config empty, and load_model returned fresh random weights on all three
      // backends; as an initializer of the same draw (TensorFlow's defaults written out) the .keras round trip is exact.
      name: 'a TF op or a TF initializer call as the initial value in build() becomes an initializer with the shape',
      code:
        LAYER_HEAD +
        'class FlexibleDense(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = tf.Variable(tf.random.normal([input_shape[-1], 3], stddev=0.1), name="w")\n        self.b = tf.Variable(tf.zeros([3], dtype=tf.float32), name="b")\n        w_init = tf.random_normal_initializer()\n        self.v = tf.Variable(initial_value=w_init(shape=(input_shape[-1], 3), dtype="float32"), trainable=True)\n',
      errors: [{ line: 5, column: 18 }, { line: 6, column: 18 }, { line: 8, column: 18 }],
      fixOptions: { unsafe: true },
      output:
        LAYER_HEAD +
        'class FlexibleDense(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = keras.Variable(initializer=keras.initializers.RandomNormal(mean=0.0, stddev=0.1), name="w", shape=[input_shape[-1], 3])\n        self.b = keras.Variable(initializer="zeros", name="b", shape=[3], dtype="float32")\n        w_init = tf.random_normal_initializer()\n        self.v = keras.Variable(initializer=keras.initializers.RandomNormal(), trainable=True, shape=(input_shape[-1], 3), dtype="float32")\n'
    },
    {
      // /work/og46e repro_5 (TensorFlow's basic-training-loops guide; claims/tf_variable_in_trained_model.py): fit()
      // trains nothing of tf.Variable attributes on every backend. As keras.Variables the guide's tape step failed on JAX and
      // PyTorch with no finding left (the re-run after fix --unsafe), so beside a tape there is still no fix.
      name: 'tf.Variable attributes of a model the notebook trains with fit claim every backend; beside a tape step, still no fix',
      code:
        LAYER_HEAD +
        'class Linear(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(5.0)\n    def call(self, x):\n        return self.w * x\nmodel = Linear()\nwith tf.GradientTape() as t:\n    loss = model(1.0)\ndw = t.gradient(loss, [model.w])\nmodel.compile(loss="mse")\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 18, message: 'it trains nothing of the variable, on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
    },
    {
      // claims/tf_variable_in_trained_model.py: with keras.Variable, fit trains the model on all three.
      name: 'tf.Variable attributes of a model the notebook trains, without a tape: the fix',
      code: LAYER_HEAD + 'class Linear(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.w = tf.Variable(5.0)\n    def call(self, x):\n        return self.w * x\nmodel = Linear()\nmodel.compile(loss="mse")\nmodel.fit(x, y)\n',
      errors: [{ line: 6, column: 18, message: 'it trains nothing of the variable, on every backend' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: LAYER_HEAD + 'class Linear(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.w = keras.Variable(5.0)\n    def call(self, x):\n        return self.w * x\nmodel = Linear()\nmodel.compile(loss="mse")\nmodel.fit(x, y)\n'
    }
  ]
});
