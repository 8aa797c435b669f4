import { ruleTester } from '../rule-tester';

ruleTester('tensor-numpy-method', {
  valid: [
    {
      name: "`.numpy()` of a notebook model method that returns a TensorFlow op's value (a tf.Tensor on every backend)",
      code: 'import tensorflow as tf\nimport keras\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(4)\n\n    def call(self, z):\n        return self.net(z)\n\n    def generate(self, n):\n        return tf.clip_by_value(self(tf.random.normal((n, 2))), 0.0, 1.0)\n\ng = Generator()\nimages = g.generate(3).numpy()\n'
    },

    {
      // keras.io's subclassing guide (tf.keras era): ComputeSum's call() returns its own Keras variable, whose `.numpy()`
      // runs on TensorFlow, JAX and PyTorch (/work/og46d repro_5, Keras 3.15).
      name: 'numpy() of what a layer returns when call() returns its own Keras variable',
      code: 'import keras\nclass ComputeSum(keras.layers.Layer):\n    def __init__(self, input_dim):\n        super().__init__()\n        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)\n    def call(self, inputs):\n        self.total.assign_add(keras.ops.sum(inputs, axis=0))\n        return self.total\nmy_sum = ComputeSum(2)\ny = my_sum(keras.ops.ones((2, 2)))\nprint(y.numpy())\n'
    },
    {
      name: 'a module name assigned twice (which value the method reads is not followed)',
      code: 'import keras\nlayer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)\nlayer.adapt(["a b c", "b c d"])\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(sample_tokens[0].numpy())\n\n\n' + 'sample_tokens = layer(["a b"])\nsample_tokens = [[1, 2]]\n'
    },
    {
      name: 'the method binds the name itself',
      code: 'import keras\nlayer = keras.layers.Dense(2)\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        sample_tokens = [[1.0]]\n        print(sample_tokens[0].numpy())\n\n\nsample_tokens = layer(keras.ops.ones((1, 2)))\n'
    },
    { name: 'the values of a dict of tf.data tensors through .items() (they have .numpy())', code: 'import keras\nimport tensorflow as tf\nfor x in ds.take(1):\n    print([v.numpy() for k, v in x.items()])\n' },
    { name: 'zip over plain data and a dataset batch', code: 'import keras\nimport tensorflow as tf\nfor name, t in zip(["a"], [tf.constant(1.0)]):\n    print(name, t.numpy())\n' },
    { name: 'a list of plain data iterated in a comprehension (tf.data batches have .numpy())', code: 'import keras\nimport tensorflow as tf\ndef show(batch, tar):\n    display_list = [batch[0], tar[0]]\n    return [image.numpy() for image in display_list]\n' },
    { name: 'a TF function called with training= is not a model call', code: 'import tensorflow as tf\ndef f(x):\n    y = tf.compat.v1.layers.dropout(x, training=True)\n    return y.numpy()\n' },
    { name: 'an __init__ argument the model neither trains nor calls with training= (a TF preprocessing function: .numpy() ran on every backend)', code: 'import keras\nimport numpy as np\nimport tensorflow as tf\nclass Wrapper(keras.Model):\n    def __init__(self, preprocess):\n        super().__init__()\n        self.preprocess = preprocess\nwrapper = Wrapper(lambda x: tf.constant(x) * 2)\nprint(wrapper.preprocess(np.ones((1, 2))).numpy())\n' },
    {
      name: 'a callback calling a method its model class defines (not a sub-model)',
      code: 'import keras\nclass GAN(keras.Model):\n    def sample(self, n):\n        return self.generator(n)\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.model.sample(2).numpy()\n'
    },
    { name: 'self.model outside a callback', code: 'class Runner:\n    def run(self):\n        self.model.generator(1).numpy()\n' },
    { name: 'a name rebound to arithmetic of a TF op (a TF tensor on every backend)', code: 'import keras\nimport tensorflow as tf\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        z = tf.random.normal((2, 8))\n        z = z * 2\n        return z.numpy()\n' },
    { name: 'a method whose class returns NumPy values, or a method Keras defines', code: 'import keras\nimport numpy as np\nclass M(keras.Model):\n    def decode(self, x):\n        return np.asarray(x)\nm = M()\nprint(m.decode([1]).numpy())\nprint(m.predict(x).numpy())\n' },
    {
      // Keras 3.15 (and 3.6): StringLookup keeps a TensorFlow input's TF output on every backend (IntegerLookup, TextVectorization convert theirs),
      // so `.numpy()` ran on tf/jax/torch (keras.io multi-label classification's make_dataset, run on all three).
      name: 'a StringLookup called on a TensorFlow tensor gives a TF tensor on every backend',
      code: 'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nterms = tf.ragged.constant([["a", "b"], ["b"]])\nlookup = keras.layers.StringLookup(output_mode="multi_hot")\nlookup.adapt(terms)\nprint(lookup(terms).numpy())\n\n\ndef make_dataset(values):\n    labels = tf.ragged.constant(values)\n    label_binarized = lookup(labels).numpy()\n    return label_binarized\n\n\nprint(lookup(tf.constant([["a"]])).numpy())\n'
    },
    { name: 'a TensorFlow tensor has .numpy() on every backend', code: 'import tensorflow as tf\nt = tf.constant([1.0])\nprint(t.numpy())\n' },
    { name: 'a Keras variable has .numpy()', code: 'import keras\nlayer = keras.layers.Dense(1)\nlayer.build((None, 2))\nprint(layer.kernel.numpy())\n' },
    { name: 'an unknown callable', code: 'import keras\nprint(f(x).numpy())\n' },
    { name: 'a notebook function returning a tuple with a TF op\'s value in it: not every element is a backend tensor', code: 'import keras\nimport tensorflow as tf\ndef render(x):\n    rgb = keras.ops.sigmoid(x)\n    depth = tf.reduce_sum(x)\n    return rgb, depth\nimages, depths = render(x)\nprint(depths.numpy())\n' },
    { name: 'a notebook function whose name is bound in a branch to a TF value', code: 'import keras\nimport tensorflow as tf\ndef render(x, rand):\n    if rand:\n        depth = keras.ops.sum(x)\n    else:\n        depth = tf.reduce_sum(x)\n    return (x, depth)\nprint(render(x, True)[1].numpy())\n' },
    { name: 'a notebook function returning a TF op\'s value (a TF tensor on every backend)', code: 'import tensorflow as tf\ndef scaled(x):\n    return tf.sigmoid(x) * 2.0\nprint(scaled(tf.ones(2)).numpy())\n' },
    { name: 'a nested function is not the module-level one called', code: 'import keras\nloss = keras.losses.MeanSquaredError()\ndef outer():\n    def f(a, b):\n        return loss(a, b)\n    return f\nprint(f(x, y).numpy())\n' },
    { name: 'a helper nested in another function is not the same-named helper of main() (nor a module-level call)', code: 'import keras\nimport tensorflow as tf\ndef build():\n    def render(x):\n        return keras.ops.sum(x)\n    return render\ndef main():\n    def render(x):\n        return tf.reduce_sum(x)\n    print(render(x).numpy())\nmain()\nprint(render(x).numpy())\n' },
    { name: 'predict() already returns NumPy', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\np = m.predict(x)\nprint(p)\n' },
    { name: 'keras.ops.shape gives a tuple', code: 'import keras\nprint(keras.ops.shape(x).numpy())\n' },
    { name: 'result() of a self attribute that is not a metric object', code: 'import keras\nclass Score(keras.callbacks.Callback):\n    def __init__(self, tracker):\n        super().__init__()\n        self.tracker = tracker\n\n    def on_epoch_end(self, epoch, logs=None):\n        print(self.tracker.result().numpy())\n' },
    { name: 'a metric object\'s other methods', code: 'import keras\nm = keras.metrics.Mean()\nprint(m.variables.numpy())\n' },
    { name: 'a name reassigned to something else', code: 'import keras\nm = keras.Sequential([keras.layers.Dense(1)])\ny = m(x)\ny = other(y)\nprint(y.numpy())\n' },
    {
      // tf_variable_layer.py: the call returns a tf.Variable (a TF tensor on every backend), checked by running.
      name: 'a layer whose call() returns TensorFlow values: .numpy() runs on every backend',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\n\nclass ComputeSum(keras.layers.Layer):\n    def __init__(self, input_dim):\n        super().__init__()\n        self.total = tf.Variable(initial_value=tf.zeros((input_dim,)), trainable=False)\n\n    def call(self, inputs):\n        self.total.assign_add(tf.reduce_sum(inputs, axis=0))\n        return self.total\n\nmy_sum = ComputeSum(3)\nprint(my_sum(tf.ones((2, 3))).numpy())\n'
    },
    // `global` declarations (the wrapped style of bench:variants): ran on JAX and PyTorch.
    { name: 'a local of another function with the name a `global` declaration binds at module level to a model stays local', code: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef step_1():\n    global model\n    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nstep_1()\ndef other():\n    model = tf.constant\n    print(model([1.0]).numpy())\nother()\n" },
    { name: 'a name a function declares `global` and binds to a TF tensor, read in another function (a same-named local elsewhere is not it)', code: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef step_1():\n    global y\n    y = tf.constant([1.0])\nstep_1()\ndef other():\n    y = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])(np.ones((1, 2)))\n    return y\ndef step_2():\n    print(y.numpy())\nstep_2()\n" },
  ],
  invalid: [
    {
      // og50a repro_3 (Foster's GAN/diffusion models): after KM131 turns the method's `tf.clip_by_value` into
      // `keras.ops.clip`, the method returns a backend tensor and the caller's `.numpy()` fails on JAX (ran so).
      name: "`.numpy()` of a notebook model method that returns a keras.ops value of the model's output",
      code: 'import keras\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(4)\n\n    def call(self, z):\n        return self.net(z)\n\n    def generate(self, n):\n        z = keras.random.normal((n, 2))\n        return keras.ops.clip(self(z), 0.0, 1.0)\n\ng = Generator()\nimages = g.generate(3).numpy()\n',
      errors: [{ line: 16, column: 10 }],
      output: 'import keras\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.net = keras.layers.Dense(4)\n\n    def call(self, z):\n        return self.net(z)\n\n    def generate(self, n):\n        z = keras.random.normal((n, 2))\n        return keras.ops.clip(self(z), 0.0, 1.0)\n\ng = Generator()\nimages = keras.ops.convert_to_numpy(g.generate(3))\n'
    },

    {
      // TensorFlow time-series tutorial (helper og42b): "'ArrayImpl' object has no attribute 'numpy'" on JAX,
      // "Can't call numpy() on Tensor that requires grad" on PyTorch; the whole variable's .numpy() runs everywhere.
      name: 'part of a layer\'s weight (a slice, arithmetic with a number): JAX and PyTorch',
      code: "import keras\nimport numpy as np\nlinear = keras.Sequential([keras.layers.Dense(units=1)])\nlinear(np.zeros((2, 3), \"float32\"))\nheight = linear.layers[0].kernel[:, 0].numpy()\ndense = keras.layers.Dense(2)\nscaled = (dense.kernel * 2.0).numpy()\nwhole = linear.layers[0].kernel.numpy()\n",
      errors: [{ line: 5, column: 10 }, { line: 7, column: 10 }],
      blocks: ['jax', 'torch'],
      output: "import keras\nimport numpy as np\nlinear = keras.Sequential([keras.layers.Dense(units=1)])\nlinear(np.zeros((2, 3), \"float32\"))\nheight = keras.ops.convert_to_numpy(linear.layers[0].kernel[:, 0])\ndense = keras.layers.Dense(2)\nscaled = keras.ops.convert_to_numpy((dense.kernel * 2.0))\nwhole = linear.layers[0].kernel.numpy()\n"
    },
    {
      // TensorFlow regression tutorial (helper og42b): an adapted Normalization's mean is a backend tensor, no grad: JAX only.
      name: 'an adapted Normalization layer\'s mean: JAX',
      code: "import keras\nimport numpy as np\nnormalizer = keras.layers.Normalization()\nnormalizer.adapt(np.array([[1.0, 2.0], [3.0, 4.0]], \"float32\"))\nprint(normalizer.mean.numpy())\n",
      errors: [{ line: 5, column: 7 }],
      blocks: ['jax'],
      output: "import keras\nimport numpy as np\nnormalizer = keras.layers.Normalization()\nnormalizer.adapt(np.array([[1.0, 2.0], [3.0, 4.0]], \"float32\"))\nprint(keras.ops.convert_to_numpy(normalizer.mean))\n"
    },
    {
      // A list (or NumPy array) given to a StringLookup comes back as the backend's tensor: no `.numpy()` on JAX (run on Keras 3.15).
      name: 'a StringLookup called on a Python list or a NumPy array gives the backend tensor',
      code: 'import keras\nimport numpy as np\nlookup = keras.layers.StringLookup(vocabulary=["a", "b"])\nids = lookup([["a", "b"]]).numpy()\nmore = lookup(np.array([["a"]])).numpy()\n',
      errors: [{ line: 4, column: 7 }, { line: 5, column: 8 }],
      blocks: ['jax'],
      output: 'import keras\nimport numpy as np\nlookup = keras.layers.StringLookup(vocabulary=["a", "b"])\nids = keras.ops.convert_to_numpy(lookup([["a", "b"]]))\nmore = keras.ops.convert_to_numpy(lookup(np.array([["a"]])))\n'
    },
    {
      // Measured on Keras 3.15 (Matplotlib's Agg backend): `.numpy()` raises on JAX ("'ArrayImpl' object has no attribute 'numpy'") and on
      // PyTorch ("Can't call numpy() on Tensor that requires grad"), runs on TensorFlow; converted, it runs on all three (keras.io DDIM's plot_images()).
      name: 'an element of what an own method returns after running the model\'s layers, in a model method run eagerly: JAX and PyTorch',
      code: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def denoise(self, x, training):\n        if training:\n            network = self.network\n        else:\n            network = self.ema_network\n        return network(x, training=training)\n\n    def generate(self, n):\n        return keras.ops.sigmoid(self.denoise(np.ones((n, 2), "float32"), training=False))\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(images[i].numpy())\n\n\nmodel = Generator()\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 2)), np.ones((8, 2, 2, 3)), epochs=1, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)])\nmodel.plot_images()\n',
      errors: [{ line: 28, column: 24 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def denoise(self, x, training):\n        if training:\n            network = self.network\n        else:\n            network = self.ema_network\n        return network(x, training=training)\n\n    def generate(self, n):\n        return keras.ops.sigmoid(self.denoise(np.ones((n, 2), "float32"), training=False))\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(keras.ops.convert_to_numpy(images[i]))\n\n\nmodel = Generator()\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 2)), np.ones((8, 2, 2, 3)), epochs=1, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)])\nmodel.plot_images()\n'
    },
    {
      // keras.io masked language modeling: the callback reads `sample_tokens`, which the module assigns below the class
      // (Python reads it when the method runs). Ran on JAX: "'ArrayImpl' object has no attribute 'numpy'".
      name: 'a callback method reading a module-level Keras result assigned once, after the class: JAX',
      code: 'import keras\nlayer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)\nlayer.adapt(["a b c", "b c d"])\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(sample_tokens[0].numpy())\n\n\n' + 'sample_tokens = layer(["a b"])\n',
      errors: [{ line: 8, column: 15 }],
      blocks: ['jax'],
      output: 'import keras\nlayer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)\nlayer.adapt(["a b c", "b c d"])\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(keras.ops.convert_to_numpy(sample_tokens[0]))\n\n\n' + 'sample_tokens = layer(["a b"])\n'
    },
    {
      // keras.io's scikit-learn metric callback: `self.keras_metric.result().numpy()` failed on JAX ("'ArrayImpl' object has no attribute 'numpy'"); the fixed callback ran on TensorFlow, JAX and PyTorch (examples/runnable/sklearn_metric_callback.py).
      name: 'the result() of a metric object a callback holds as an attribute',
      code: 'import keras\nclass Score(keras.callbacks.Callback):\n    def __init__(self):\n        super().__init__()\n        self.metric = keras.metrics.Mean("score")\n\n    def on_epoch_end(self, epoch, logs=None):\n        self.metric.update_state(1.0)\n        print(self.metric.result().numpy().astype(float))\n',
      errors: [{ line: 9, column: 15 }],
      blocks: ['jax'],
      output: 'import keras\nclass Score(keras.callbacks.Callback):\n    def __init__(self):\n        super().__init__()\n        self.metric = keras.metrics.Mean("score")\n\n    def on_epoch_end(self, epoch, logs=None):\n        self.metric.update_state(1.0)\n        print(keras.ops.convert_to_numpy(self.metric.result()).astype(float))\n'
    },
    {
      // examples/runnable/text_generation_rnn_tutorial.py after fix --unsafe: the epoch line failed on JAX ("'ArrayImpl' object has no attribute 'numpy'"); the fixed line ran on TensorFlow, JAX and PyTorch.
      name: 'inside an f-string interpolation with a format specifier',
      code: 'import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nmean.update_state(np.ones(3))\nprint(f"loss {mean.result().numpy():.4f} done")\n',
      errors: [{ line: 5, column: 15 }],
      blocks: ['jax'],
      output: 'import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nmean.update_state(np.ones(3))\nprint(f"loss {keras.ops.convert_to_numpy(mean.result()):.4f} done")\n'
    },
    {
      // Ran on JAX before the fix: AttributeError; after it on TensorFlow, JAX and PyTorch (Python 3.11).
      name: 'with a conversion (`!r`) and in an f-string nested in another, `{{` escapes around',
      code: "import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nprint(f\"{{ {mean.result().numpy()!r} {f'{mean.result().numpy()}'} }}\")\n",
      errors: [{ line: 4, column: 13 }, { line: 4, column: 42 }],
      blocks: ['jax'],
      output: "import keras\nimport numpy as np\nmean = keras.metrics.Mean()\nprint(f\"{{ {keras.ops.convert_to_numpy(mean.result())!r} {f'{keras.ops.convert_to_numpy(mean.result())}'} }}\")\n"
    },
    {
      // Ran: "'ArrayImpl' object has no attribute 'numpy'" on JAX, "Can't call numpy() on Tensor that requires grad" on PyTorch; the fix runs on both.
      name: 'the output of a model bound in a function that declares it `global`, assigned under `global` in another, read in a third (the wrapped style)',
      code: "import keras\nimport numpy as np\ndef step_1():\n    global model\n    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nstep_1()\ndef step_2():\n    global y\n    y = model(np.ones((1, 2)))\nstep_2()\ndef step_3():\n    print(y.numpy())\nstep_3()\n",
      errors: [{ line: 12, column: 11 }],
      blocks: ['jax', 'torch'],
      output: "import keras\nimport numpy as np\ndef step_1():\n    global model\n    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nstep_1()\ndef step_2():\n    global y\n    y = model(np.ones((1, 2)))\nstep_2()\ndef step_3():\n    print(keras.ops.convert_to_numpy(y))\nstep_3()\n"
    },
    {
      // TensorFlow style-transfer tutorial (/work/og43c st_zip_numpy, probe1): the outputs of a model with two
      // outputs taken by a loop: JAX "no attribute 'numpy'", PyTorch "requires grad" (Keras 3.15).
      name: 'the outputs of a multi-output model taken by iteration, zip and enumerate',
      code: 'import numpy as np\nimport keras\ninp = keras.Input((8,))\nextractor = keras.Model(inp, [keras.layers.Dense(2)(inp), keras.layers.Dense(3)(inp)])\noutputs = extractor(np.ones((1, 8), "float32"))\nfor output in outputs:\n    print(output.numpy().shape)\nfor name, out in zip(["a", "b"], outputs):\n    print(name, out.numpy().shape)\nfor i, o in enumerate(outputs):\n    print(i, o.numpy().shape)\n',
      errors: [{ line: 7, column: 11 }, { line: 9, column: 17 }, { line: 11, column: 14 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport keras\ninp = keras.Input((8,))\nextractor = keras.Model(inp, [keras.layers.Dense(2)(inp), keras.layers.Dense(3)(inp)])\noutputs = extractor(np.ones((1, 8), "float32"))\nfor output in outputs:\n    print(keras.ops.convert_to_numpy(output).shape)\nfor name, out in zip(["a", "b"], outputs):\n    print(name, keras.ops.convert_to_numpy(out).shape)\nfor i, o in enumerate(outputs):\n    print(i, keras.ops.convert_to_numpy(o).shape)\n'
    },
    {
      // /work/og43c st_dict_numpy: a model returning a dict of dicts, one of them sorted by key.
      name: 'the values of a nested dict output, sorted by key',
      code: 'import numpy as np\nimport keras\nclass StyleContentModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, inputs):\n        return {"style": {"a": self.dense(inputs)}}\nextractor = StyleContentModel()\nresults = extractor(np.ones((1, 8), "float32"))\nfor name, output in sorted(results["style"].items()):\n    print(name, output.numpy().shape)\n',
      errors: [{ line: 12, column: 17 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport keras\nclass StyleContentModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(2)\n    def call(self, inputs):\n        return {"style": {"a": self.dense(inputs)}}\nextractor = StyleContentModel()\nresults = extractor(np.ones((1, 8), "float32"))\nfor name, output in sorted(results["style"].items()):\n    print(name, keras.ops.convert_to_numpy(output).shape)\n'
    },
    {
      // examples/runnable/pix2pix_lite.py (TensorFlow pix2pix tutorial): ran after fix --unsafe, failed on JAX ("no attribute 'numpy'") and PyTorch ("requires grad").
      name: 'an element of a list holding the output of a model held in a parameter (called with training=), iterated in a comprehension',
      code: "import keras\nimport numpy as np\ndef generate_images(model, test_input, tar):\n    prediction = model(test_input, training=True)\n    display_list = [test_input[0], tar[0], prediction[0]]\n    return [(image.numpy() * 0.5 + 0.5) for image in display_list]\n",
      errors: [{ line: 6, column: 14 }],
      blocks: ['jax', 'torch'],
      output: "import keras\nimport numpy as np\ndef generate_images(model, test_input, tar):\n    prediction = model(test_input, training=True)\n    display_list = [test_input[0], tar[0], prediction[0]]\n    return [(keras.ops.convert_to_numpy(image) * 0.5 + 0.5) for image in display_list]\n"
    },
    {
      // keras.io FeatureSpace advanced use cases: a FeatureSpace is a layer without weights; its eager output is a JAX array on JAX (run: no
      // `.numpy()`), a PyTorch tensor without grad on PyTorch (run: converts). The dict's values through `.items()` in a comprehension.
      name: 'the values of a FeatureSpace\'s eager dict output iterated with .items() in a comprehension',
      code: "import keras\nfrom keras.utils import FeatureSpace\nfs = FeatureSpace(features={\"age\": FeatureSpace.float_normalized()}, output_mode=\"dict\")\ndef show(inputs):\n    preprocessed_x = fs(inputs)\n    print([{k: v.numpy()} for k, v in preprocessed_x.items()])\n",
      errors: [{ line: 6, column: 16 }],
      blocks: ['jax'],
      output: "import keras\nfrom keras.utils import FeatureSpace\nfs = FeatureSpace(features={\"age\": FeatureSpace.float_normalized()}, output_mode=\"dict\")\ndef show(inputs):\n    preprocessed_x = fs(inputs)\n    print([{k: keras.ops.convert_to_numpy(v)} for k, v in preprocessed_x.items()])\n"
    },
    {
      name: 'a FeatureSpace\'s eager output (keras.utils.FeatureSpace), its subscript, and a layer output\'s .values() in a for loop',
      code: "import keras\nfs = keras.utils.FeatureSpace(features={\"age\": \"float_normalized\"}, output_mode=\"dict\")\nout = fs(x)\nprint(out[\"age\"].numpy())\nfor v in out.values():\n    print(v.numpy())\n",
      errors: [{ line: 4, column: 7 }, { line: 6, column: 11 }],
      blocks: ['jax'],
      output: "import keras\nfs = keras.utils.FeatureSpace(features={\"age\": \"float_normalized\"}, output_mode=\"dict\")\nout = fs(x)\nprint(keras.ops.convert_to_numpy(out[\"age\"]))\nfor v in out.values():\n    print(keras.ops.convert_to_numpy(v))\n"
    },
    {
      // keras.io FeatureSpace advanced use cases: the helper's loop `x` was read as the module's KerasTensor `x` assigned further down.
      name: 'a function\'s loop variable is its own, not a module-level KerasTensor of the same name assigned below',
      code: "import keras\nnorm = keras.layers.Normalization()\ndef show(dataset):\n    for x in dataset:\n        y = norm(x)\n        print(y.numpy())\ninp = keras.Input((2,))\nx = keras.layers.Dense(2)(inp)\n",
      errors: [{ line: 6, column: 15 }],
      blocks: ['jax'],
      output: "import keras\nnorm = keras.layers.Normalization()\ndef show(dataset):\n    for x in dataset:\n        y = norm(x)\n        print(keras.ops.convert_to_numpy(y))\ninp = keras.Input((2,))\nx = keras.layers.Dense(2)(inp)\n"
    },
    {
      name: 'a subscript of a name bound to a call with training= (a model held in a parameter)',
      code: "import keras\nimport numpy as np\ndef show(model, x):\n    y = model(x, training=False)\n    print(y[0].numpy())\n",
      errors: [{ line: 5, column: 11 }],
      blocks: ['jax', 'torch'],
      output: "import keras\nimport numpy as np\ndef show(model, x):\n    y = model(x, training=False)\n    print(keras.ops.convert_to_numpy(y[0]))\n"
    },
    {
      name: 'a subscript of a model output (model(x)[0].numpy()): a JAX array, a tensor requiring grad on PyTorch (ran: fails on both)',
      code: 'import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(model(np.ones((1, 2)))[0].numpy())\n',
      errors: [{ line: 4, column: 7 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nprint(keras.ops.convert_to_numpy(model(np.ones((1, 2)))[0]))\n'
    },
    {
      name: 'a part of a notebook model called through it (keras.io CycleGAN: cycle_gan_model.gen_G(img)), the attribute set from an __init__ argument the class calls with training= (ran: fails on JAX and PyTorch)',
      code: 'import keras\nimport numpy as np\nclass GAN(keras.Model):\n    def __init__(self, generator):\n        super().__init__()\n        self.generator = generator\n    def train_step(self, data):\n        return {"n": keras.ops.sum(self.generator(data, training=True))}\ngan = GAN(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))\nprint(gan.generator(np.ones((1, 2))).numpy())\n',
      errors: [{ line: 10, column: 7 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport numpy as np\nclass GAN(keras.Model):\n    def __init__(self, generator):\n        super().__init__()\n        self.generator = generator\n    def train_step(self, data):\n        return {"n": keras.ops.sum(self.generator(data, training=True))}\ngan = GAN(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))\nprint(keras.ops.convert_to_numpy(gan.generator(np.ones((1, 2)))))\n'
    },
    {
      // keras.io DCGAN GANMonitor: "'jaxlib._jax.ArrayImpl' object has no attribute 'numpy'" on JAX, requires grad on PyTorch.
      name: 'a callback: the trained model and its sub-model (keras.io GANMonitor)',
      code: 'import keras\nclass GANMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images = self.model.generator(keras.random.normal((2, 8)))\n        images *= 255\n        images.numpy()\n        self.model(images).numpy()\n',
      errors: [{ line: 6, column: 9 }, { line: 7, column: 9 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass GANMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images = self.model.generator(keras.random.normal((2, 8)))\n        images *= 255\n        keras.ops.convert_to_numpy(images)\n        keras.ops.convert_to_numpy(self.model(images))\n'
    },
    {
      // keras.io WGAN-GP GANMonitor (tf.keras era): after fix --unsafe, "'jaxlib._jax.ArrayImpl' object has no attribute 'numpy'" on JAX
      // and "Can't call numpy() on Tensor that requires grad" on PyTorch (ran, Keras 3.15).
      name: 'a callback: a sub-model output rebound to arithmetic with numbers, then subscripted (keras.io WGAN-GP GANMonitor)',
      code: 'import keras\nclass GANMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images = self.model.generator(keras.random.normal((2, 8)))\n        images = (images * 127.5) + 127.5\n        first = images[0].numpy()\n        scaled = -images\n        return first, scaled.numpy()\n',
      errors: [{ line: 6, column: 17 }, { line: 8, column: 23 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nclass GANMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images = self.model.generator(keras.random.normal((2, 8)))\n        images = (images * 127.5) + 127.5\n        first = keras.ops.convert_to_numpy(images[0])\n        scaled = -images\n        return first, keras.ops.convert_to_numpy(scaled)\n'
    },
    {
      name: 'a model output rebound to arithmetic with numbers at module level: JAX and PyTorch',
      code: 'import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\npred = model(np.ones((1, 2)))\npred = pred * 2 + 1\nprint(pred.numpy())\n',
      errors: [{ line: 6, column: 7 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\npred = model(np.ones((1, 2)))\npred = pred * 2 + 1\nprint(keras.ops.convert_to_numpy(pred))\n'
    },
    {
      name: 'keras.io VQ-VAE: .numpy() on what a user helper method named get_* of a layer (get_code_indices, keras.ops inside) returns',
      code: "import keras\nimport numpy as np\n\n\nclass VectorQuantizer(keras.layers.Layer):\n    def build(self, input_shape):\n        self.embeddings = self.add_weight(shape=(input_shape[-1], 8))\n\n    def call(self, x):\n        return x\n\n    def get_code_indices(self, flat):\n        distances = keras.ops.sum(flat ** 2, axis=1, keepdims=True) - 2 * keras.ops.matmul(flat, self.embeddings)\n        encoding_indices = keras.ops.argmin(distances, axis=1)\n        return encoding_indices\n\n\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, VectorQuantizer(name=\"vq\")(inputs))\nquantizer = model.get_layer(\"vq\")\ncodes = quantizer.get_code_indices(np.ones((3, 4), \"float32\"))\ncodes = codes.numpy().reshape(3)\n",
      errors: [{ line: 22, column: 9 }],
      output: "import keras\nimport numpy as np\n\n\nclass VectorQuantizer(keras.layers.Layer):\n    def build(self, input_shape):\n        self.embeddings = self.add_weight(shape=(input_shape[-1], 8))\n\n    def call(self, x):\n        return x\n\n    def get_code_indices(self, flat):\n        distances = keras.ops.sum(flat ** 2, axis=1, keepdims=True) - 2 * keras.ops.matmul(flat, self.embeddings)\n        encoding_indices = keras.ops.argmin(distances, axis=1)\n        return encoding_indices\n\n\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, VectorQuantizer(name=\"vq\")(inputs))\nquantizer = model.get_layer(\"vq\")\ncodes = quantizer.get_code_indices(np.ones((3, 4), \"float32\"))\ncodes = keras.ops.convert_to_numpy(codes).reshape(3)\n"
    },
    {
      name: 'a helper method of a model class of the notebook returning keras.ops values (keras.io speech Transformer greedy decoding): JAX only, fixed',
      code: 'import keras\nimport numpy as np\n\n\nclass Decoder(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.head = keras.layers.Dense(5)\n\n    def call(self, x):\n        return self.head(x)\n\n    def generate(self, x):\n        ids = keras.ops.zeros((2, 1), \"int32\")\n        for _ in range(3):\n            ids = keras.ops.concatenate([ids, keras.ops.argmax(self(x), axis=-1)[:, None]], axis=-1)\n        return ids\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        preds = self.model.generate(np.ones((2, 3)))\n        print(preds.numpy())\n',
      errors: [{ line: 23, column: 15, message: 'fails on JAX' }],
      blocks: ['jax'],
      output: 'import keras\nimport numpy as np\n\n\nclass Decoder(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.head = keras.layers.Dense(5)\n\n    def call(self, x):\n        return self.head(x)\n\n    def generate(self, x):\n        ids = keras.ops.zeros((2, 1), \"int32\")\n        for _ in range(3):\n            ids = keras.ops.concatenate([ids, keras.ops.argmax(self(x), axis=-1)[:, None]], axis=-1)\n        return ids\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        preds = self.model.generate(np.ones((2, 3)))\n        print(keras.ops.convert_to_numpy(preds))\n'
    },
    {
      name: 'a helper that returns an adapted TextVectorization (no weights): fails on JAX only',
      code:
        'import keras\ndef get_vectorize_layer(texts):\n    layer = keras.layers.TextVectorization(max_tokens=20, output_mode="int")\n    layer.adapt(texts)\n    return layer\nvectorize_layer = get_vectorize_layer(["a b c"])\nids = vectorize_layer(["a b"]).numpy()\n',
      errors: [{ line: 7, column: 7 }],
      // Measured on Keras 3.15: AttributeError on JAX; PyTorch's output requires no grad and converts.
      blocks: ['jax'],
      output:
        'import keras\ndef get_vectorize_layer(texts):\n    layer = keras.layers.TextVectorization(max_tokens=20, output_mode="int")\n    layer.adapt(texts)\n    return layer\nvectorize_layer = get_vectorize_layer(["a b c"])\nids = keras.ops.convert_to_numpy(vectorize_layer(["a b"]))\n'
    },
    {
      // nerf_volume_rendering.py with its script code in `def main():` (bench:variants' main style):
      // after fix --unsafe the callback's `.numpy()` raised AttributeError on JAX; converted, it runs there.
      name: 'a helper nested in main() returning keras.ops values, called in a callback class nested in main() and in main()',
      code: 'import keras\n\ndef main():\n    model = keras.Sequential([keras.layers.Dense(2)])\n\n    def render(x):\n        rgb = keras.ops.sigmoid(model(x))\n        return rgb, keras.ops.sum(rgb, axis=-1)\n\n    class Monitor(keras.callbacks.Callback):\n        def on_epoch_end(self, epoch, logs=None):\n            images, depths = render(x)\n            print(images[0].numpy().shape)\n\n    print(render(x)[1].numpy())\n\nmain()\n',
      errors: [{ line: 13, column: 19 }, { line: 15, column: 11 }],
      blocks: ['jax'],
      output: 'import keras\n\ndef main():\n    model = keras.Sequential([keras.layers.Dense(2)])\n\n    def render(x):\n        rgb = keras.ops.sigmoid(model(x))\n        return rgb, keras.ops.sum(rgb, axis=-1)\n\n    class Monitor(keras.callbacks.Callback):\n        def on_epoch_end(self, epoch, logs=None):\n            images, depths = render(x)\n            print(keras.ops.convert_to_numpy(images[0]).shape)\n\n    print(keras.ops.convert_to_numpy(render(x)[1]))\n\nmain()\n'
    },
    {
      // custom_loss_metric_classes.py: fix --unsafe claimed JAX ready, then the print raised AttributeError there.
      name: 'a module-level function returning a loss object\'s value times weights, defined in an earlier cell',
      code: [
        'import tensorflow as tf\nfrom tensorflow import keras\nper_sample = keras.losses.BinaryCrossentropy(reduction="none")\n\ndef weighted_bce(y_true, y_pred):\n    weights = 1.0 + 2.0 * y_true[:, 0]\n    return per_sample(y_true, y_pred) * weights\n',
        'targets = tf.constant([[1.0], [0.0]])\nprint(weighted_bce(targets, tf.constant([[0.9], [0.2]])).numpy())\nloss = weighted_bce(targets, targets)\nprint(loss.numpy())\n'
      ],
      errors: [{ cell: 1, line: 2, column: 7 }, { cell: 1, line: 4, column: 7 }],
      blocks: ['jax'],
      output: [
        'import tensorflow as tf\nfrom tensorflow import keras\nper_sample = keras.losses.BinaryCrossentropy(reduction="none")\n\ndef weighted_bce(y_true, y_pred):\n    weights = 1.0 + 2.0 * y_true[:, 0]\n    return per_sample(y_true, y_pred) * weights\n',
        'targets = tf.constant([[1.0], [0.0]])\nprint(keras.ops.convert_to_numpy(weighted_bce(targets, tf.constant([[0.9], [0.2]]))))\nloss = weighted_bce(targets, targets)\nprint(keras.ops.convert_to_numpy(loss))\n'
      ]
    },
    {
      // nerf_volume_rendering.py: once render_rgb_depth's TF ops were keras.ops, the callback's `.numpy()` failed on JAX (claims/numpy_of_helper_tuple_output.py).
      name: 'keras.io NeRF: a helper returning a tuple of keras.ops values (one bound in branches), unpacked in a callback and subscripted',
      code: 'import keras\n\ndef render(model, x, rand=True):\n    rgb = keras.ops.sigmoid(model.predict(x))\n    if rand:\n        depth = keras.ops.sum(rgb, axis=-1)\n    else:\n        depth = keras.ops.mean(rgb, axis=-1)\n    return (rgb, depth)\n\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images, depths = render(self.model, x)\n        print(images[0].numpy().shape, depths.numpy())\n\nprint(render(model, x)[0].numpy())\n',
      errors: [{ line: 14, column: 15 }, { line: 14, column: 40 }, { line: 16, column: 7 }],
      blocks: ['jax'],
      output: 'import keras\n\ndef render(model, x, rand=True):\n    rgb = keras.ops.sigmoid(model.predict(x))\n    if rand:\n        depth = keras.ops.sum(rgb, axis=-1)\n    else:\n        depth = keras.ops.mean(rgb, axis=-1)\n    return (rgb, depth)\n\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        images, depths = render(self.model, x)\n        print(keras.ops.convert_to_numpy(images[0]).shape, keras.ops.convert_to_numpy(depths))\n\nprint(keras.ops.convert_to_numpy(render(model, x)[0]))\n'
    },
    {
      name: 'a layer class without Keras weights: its output has no grad on PyTorch, JAX only',
      code: 'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs * 2.0\n\nscale = Scale()\nprint(scale(np.ones((2, 3))).numpy())\n',
      errors: [{ line: 9, column: 7 }],
      blocks: ['jax'],
      output: 'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs * 2.0\n\nscale = Scale()\nprint(keras.ops.convert_to_numpy(scale(np.ones((2, 3)))))\n'
    },
    {
      name: 'a layer class with a Keras weight: its output requires grad on PyTorch',
      code: 'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1],))\n\n    def call(self, inputs):\n        return inputs * self.w\n\nout = Scale()(np.ones((2, 3)))\nprint(out.numpy())\n',
      errors: [{ line: 12, column: 7 }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(shape=(input_shape[-1],))\n\n    def call(self, inputs):\n        return inputs * self.w\n\nout = Scale()(np.ones((2, 3)))\nprint(keras.ops.convert_to_numpy(out))\n'
    },
    {
      name: 'tf.keras model output',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\npredictions = model(x_train[:1]).numpy()\n',
      errors: [{ line: 3, column: 15 }],
      blocks: ['jax', 'torch'],
      output:
        'import tensorflow as tf\nimport keras\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\npredictions = keras.ops.convert_to_numpy(model(x_train[:1]))\n'
    },
    {
      name: 'through a name, then chained',
      code: 'import keras\nlayer = keras.layers.Dense(2)\nout = layer(x)\nprint(out.numpy().argmax(axis=1))\n',
      errors: [{ line: 4, column: 7 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nlayer = keras.layers.Dense(2)\nout = layer(x)\nprint(keras.ops.convert_to_numpy(out).argmax(axis=1))\n'
    },
    {
      name: 'a loss object called eagerly (JAX arrays have no .numpy())',
      code: 'import keras\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nprint(loss_fn(y, p).numpy())\n',
      errors: [{ line: 3, column: 7 }],
      // On PyTorch a loss of NumPy data has no grad: .numpy() works there (checked by running).
      blocks: ['jax'],
      output: 'import keras\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nprint(keras.ops.convert_to_numpy(loss_fn(y, p)))\n'
    },
    {
      name: 'a metric result',
      code: 'import tensorflow as tf\nimport keras\nacc = tf.keras.metrics.Accuracy()\nacc.update_state(y, p)\nprint(acc.result().numpy())\n',
      errors: [{ line: 5, column: 7 }],
      blocks: ['jax'],
      output: 'import tensorflow as tf\nimport keras\nacc = tf.keras.metrics.Accuracy()\nacc.update_state(y, p)\nprint(keras.ops.convert_to_numpy(acc.result()))\n'
    },
    {
      name: 'keras.ops and loss functions',
      code: 'import keras\na = keras.ops.softmax(x).numpy()\nb = keras.losses.mean_squared_error(y, p).numpy()\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 5 }],
      blocks: ['jax'],
      output: 'import keras\na = keras.ops.convert_to_numpy(keras.ops.softmax(x))\nb = keras.ops.convert_to_numpy(keras.losses.mean_squared_error(y, p))\n'
    },
    {
      name: 'a loss or keras.ops value computed from a model output requires grad on PyTorch',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nout = model(x)\na = keras.losses.MeanSquaredError()(y, out).numpy()\nb = keras.ops.softmax(out * 2).numpy()\n',
      errors: [{ line: 4, column: 5 }, { line: 5, column: 5 }],
      blocks: ['jax', 'torch'],
      output: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nout = model(x)\na = keras.ops.convert_to_numpy(keras.losses.MeanSquaredError()(y, out))\nb = keras.ops.convert_to_numpy(keras.ops.softmax(out * 2))\n'
    },
    {
      name: 'an integer result or a metric of a model output has no grad: JAX only',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\na = keras.ops.argmax(model(x), axis=-1).numpy()\nm = keras.metrics.MeanSquaredError()\nm.update_state(y, model(x))\nb = m.result().numpy()\n',
      errors: [{ line: 3, column: 5 }, { line: 6, column: 5 }],
      blocks: ['jax'],
      output: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\na = keras.ops.convert_to_numpy(keras.ops.argmax(model(x), axis=-1))\nm = keras.metrics.MeanSquaredError()\nm.update_state(y, model(x))\nb = keras.ops.convert_to_numpy(m.result())\n'
    }
  ]
});
