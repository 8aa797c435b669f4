import { ruleTester } from '../rule-tester';

ruleTester('tf-op-on-model-output', {
  valid: [
    { name: 'np.argmax of a keras.ops value (NumPy converts it; no method call)', code: 'import numpy as np\nimport keras\nscores = keras.ops.softmax(np.ones((2, 3), "float32"))\nbest = np.argmax(scores)\n' },
    { name: 'np.mean of predict() output (NumPy)', code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\np = model.predict(np.ones((2, 4)))\nm = np.mean(p)\n' },
    { name: "NumPy given the element of a cell function's return that is not a model output", code: 'import numpy as np\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\ndef step():\n    out = generator(np.ones((2, 4)))\n    return np.ones(3), out\n\n\nscale, images = step()\nprint(np.asarray(scale))\n' },
    { name: 'a TF op on a model output in a @tf.function (traced on every backend as written: KM175 says what the loop needs)', code: 'import tensorflow as tf\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n@tf.function\ndef train_step(real_images):\n    generated_images = generator(tf.random.normal((2, 4)))\n    return tf.concat([generated_images, real_images], axis=0)\n' },
    {
      // What predict() returns is NumPy: a keyword argument holding it requires no grad.
      name: 'a notebook function given predict() output by keyword and plotting it',
      code: "import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\n\n\nclass Gate(keras.layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.proj = keras.layers.Dense(2)\n\n    def call(self, x):\n        self.gates = keras.ops.softmax(self.proj(x))\n        return x * keras.ops.sum(self.gates, axis=-1, keepdims=True)\n\n\ndef show(images, gates=None):\n    plt.imshow(gates[0:1])\n\n\ngate = Gate()\nmodel = keras.Sequential([keras.Input((4,)), gate, keras.layers.Dense(1)])\nx = np.ones((3, 4), \"float32\")\n_ = model(x)\nshow(x, gates=model.predict(x, verbose=0))\n"
    },
    {
      // Measured on Keras 3.15 with PyTorch: runs (the own method converts what its sub-model returns before handing it back).
      name: 'an eager plotting method of a Keras model given what an own method returns converted to NumPy (convert_to_numpy, or predict())',
      code: ["import matplotlib.pyplot as plt\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])\n\n    def sample(self, n):\n        out = self.decoder(keras.random.normal((n, 4)), training=False)\n        return keras.ops.convert_to_numpy(out)\n\n    def show(self):\n        curves = self.sample(2)\n        plt.plot(curves[0])\n\n\nSampler().show()\nprint(\"ok\")\n", "import matplotlib.pyplot as plt\nimport keras\n\n\nclass Sampler(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])\n\n    def sample(self, n):\n        self.decoder(keras.random.normal((n, 4)), training=False)\n        return self.decoder.predict(keras.random.normal((n, 4)), verbose=0)\n\n    def show(self):\n        curves = self.sample(2)\n        plt.plot(curves[0])\n\n\nSampler().show()\nprint(\"ok\")\n"]
    },
    {
      name: 'Keras image utilities given NumPy data or predict() output, and a method named like an Axes on a name that is not one (`axis_x`)',
      code: 'import numpy as np\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\nkeras.utils.array_to_img(np.ones((2, 2, 3)))\nkeras.utils.save_img("a.png", gen.predict(np.ones((1, 2)))[0])\naxis_x = object()\naxis_x.imshow(gen(np.ones((1, 2)))[0])\n'
    },
    { name: 'a non-trainable variable, and a function of the program that does not compute with the variable it is given', code: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\nscale = keras.Variable(2.0, trainable=False)\nplt.plot(scale * np.ones(3))\ndef first(x, v):\n    return x * 2\nw = keras.Variable(1.0)\nprint(np.mean(first(np.ones(3), w)))\n' },
    { name: 'Matplotlib given predict() output, a history, data, or a method of something not named like an Axes', code: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\nplt.imshow(gen.predict(np.ones((1, 2)))[0:1])\nplt.plot(np.ones(3))\nfig, ax = plt.subplots()\nax.plot([1.0, 2.0])\nfigure = gen(np.ones((1, 2)))\nfigure.plot\n' },
    {
      // Measured: runs on TensorFlow, JAX and PyTorch as written; the former finding's convert_to_numpy made it fail on all three ("Cannot convert a symbolic tf.Tensor").
      name: 'a preprocessing Pipeline called in a function that tf.data maps (traced with symbolic TF tensors on every backend): its output given to a TF op is no eager tensor',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\njitter = keras.layers.Pipeline([keras.layers.RandomFlip(\"horizontal\"), keras.layers.RandomContrast(0.2)])\n\n\ndef load(pixels):\n    img = jitter(tf.expand_dims(pixels, 0))[0]\n    return tf.image.convert_image_dtype(img, tf.float32)\n\n\nds = tf.data.Dataset.from_tensor_slices(np.ones((4, 8, 8, 3), \"float32\")).map(load).batch(2)\nprint(next(iter(ds)).shape)\n"
    },
    {
      // Measured: this program runs on PyTorch (and TensorFlow, JAX): the layer makes no weights, so its output on NumPy data needs no grad.
      name: 'a notebook layer class without weights (keras.io ViT Patches), made and called at once or through a name, in a later cell',
      code: ['import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers, ops\n\n\nclass Patches(layers.Layer):\n    def __init__(self, patch_size):\n        super().__init__()\n        self.patch_size = patch_size\n\n    def call(self, images):\n        patches = ops.image.extract_patches(images, size=self.patch_size)\n        return ops.reshape(patches, [ops.shape(images)[0], -1, patches.shape[-1]])\n\n\n', 'image = np.zeros((1, 32, 32, 3), "float32")\npatches = Patches(8)(image)\nfor patch in patches[0]:\n    print(tf.reshape(patch, (8, 8, 3)).numpy())\npatcher = Patches(8)\nprint(np.array(patcher(image)).shape)\n']
    },
    {
      name: 'a notebook function handing a parameter to a TF op, every call passing NumPy data; an enumerate index beside model outputs',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\ndef rollout(scores):\n    return tf.stack([scores[k] for k in scores])\nprint(rollout({"a": np.ones(2)}))\nfor i, out in enumerate(model(np.ones((2, 4)))):\n    print(tf.one_hot(i, 3))\n'
    },
    { name: 'a function parameter called without training= and never given a model', code: 'import numpy as np\ndef apply(fn, x):\n    y = fn(x)\n    return np.min(y)\nprint(apply(np.square, np.ones(3)))\n' },
    { name: 'a plain class\'s method handing a parameter to NumPy, given NumPy data', code: 'import numpy as np\nimport keras\nclass Buffer:\n    def finish(self, last_value=0):\n        return np.append(self.r, last_value)\nbuffer = Buffer()\nbuffer.finish(np.zeros(3))\n' },
    { name: 'a name bound later to something other than a model', code: 'import tensorflow as tf\nimport keras\ndef policy(state):\n    return tf.squeeze(scale(state))\nscale = lambda s: s * 2\n' },
    {
      name: 'a callback reading an attribute no call() assigns (a config value), and a TF op on NumPy data in a callback',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.scale = 2.0\n    def call(self, x):\n        return x * self.scale\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(tf.square(self.model.layers[0].scale), tf.reduce_mean(np.ones(3)))\n'
    },
    {
      name: 'a plain function a model keeps as an attribute (no training=, no variables read): not a sub-model',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Wrapper(keras.Model):\n    def __init__(self, preprocess):\n        super().__init__()\n        self.preprocess = preprocess\nwrapper = Wrapper(lambda x: tf.constant(x) * 2)\nprint(tf.argmax(wrapper.preprocess(np.ones((1, 2)))))\n'
    },
    {
      name: 'a method the code defines on its model class, and a Keras Model method, are not sub-model calls',
      code: 'import tensorflow as tf\nimport keras\nclass Distiller(keras.Model):\n    def __init__(self, student):\n        super().__init__()\n        self.student = student\n    def score(self, x):\n        return 1.0\ndistiller = Distiller(keras.Sequential([keras.layers.Dense(3)]))\nprint(tf.argmax(distiller.score(x)), tf.argmax(distiller.predict(x)))\n'
    },
    {
      name: 'a TF op on a layer call inside the outputs of keras.Model(...): symbolic, even where the input comes from unpacking a helper\'s result (ELECTRA-style body helper)',
      code: 'import keras\nimport tensorflow as tf\nfrom keras import layers\nd_in, d_hidden = body("discriminator")\ndisc = keras.Model(d_in, tf.squeeze(layers.Dense(1)(d_hidden), -1), name="disc")\nm = keras.models.Model(inputs=[d_in], outputs=[tf.nn.sigmoid(layers.Dense(1)(d_hidden))])\n'
    },
    {
      name: 'a functional helper given get_layer(name).output: its layer calls are symbolic (KM071\'s)',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ndef conv_block(x):\n    x = layers.BatchNormalization()(x)\n    return tf.nn.relu(x)\ndef build(backbone):\n    x = conv_block(backbone.get_layer("conv4").output)\n    return keras.Model(backbone.input, x)\n'
    },
    {
      // Checked on Keras 3.15 with PyTorch: TensorFlow converts a layer's variable itself (tf.nn.moments(layer.kernel) runs).
      name: 'a TF op given a layer\'s weight itself, and arithmetic on the weight with no TF operand',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.build((None, 2))\nkernel = model.layers[0].kernel\nmean, var = tf.nn.moments(kernel, axes=[0])\nscaled = (kernel - 1.0) / 2.0\n'
    },
    { name: 'on NumPy data', code: 'import numpy as np\nimport tensorflow as tf\nprint(tf.argmax(np.ones((2, 3)), axis=-1))\n' },
    { name: 'on predict() output (NumPy already)', code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(1)])\np = m.predict(x)\nprint(tf.argmax(p, axis=-1))\n' },
    {
      name: 'inside a GradientTape block (a custom training loop: KM175)',
      code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(1)])\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_mean(m(x))\n'
    },
    {
      name: 'in model code (KM131 converts the op)',
      code: 'import tensorflow as tf\nimport keras\nclass M(keras.Model):\n    def call(self, x):\n        return tf.nn.relu(self.dense(x))\n'
    },
    {
      name: 'on a symbolic Functional tensor (KM071)',
      code: 'import tensorflow as tf\nimport keras\ninputs = keras.Input((3,))\ny = tf.nn.relu(keras.layers.Dense(2)(inputs))\n'
    },
    { name: 'NumPy on predict() output', code: 'import numpy as np\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\np = m.predict(x)\nprint(np.argmax(p[0, -1]))\n' },
    { name: 'NumPy functions that only read the shape', code: 'import numpy as np\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\nprint(np.shape(m(x)), np.ndim(m(x)))\n' },
    { name: 'NumPy on data that is not a model output', code: 'import numpy as np\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\ny = keras.ops.convert_to_numpy(m(x))\nprint(np.argmax(y[0]))\n' },
    {
      name: 'NumPy inside model code (runs on symbolic or traced tensors: other rules)',
      code: 'import numpy as np\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return x * np.sqrt(3.0)\n'
    },
    {
      // examples/runnable/ops_functional_helpers.py: the helper runs on KerasTensors (Functional construction).
      name: 'TF op in a helper function that builds Functional layers',
      code: 'import tensorflow as tf\nimport keras\ndef block(x, units):\n    x = keras.layers.Dense(units)(x)\n    return tf.nn.relu(x)\ninputs = keras.Input((3,))\ny = block(inputs, 4)\n'
    },
    {
      // examples/runnable/visualizing_convnet_filters.py: converting to NumPy there fails in the trace and cuts the gradient.
      name: 'a helper called under a GradientTape in a @tf.function',
      code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\ndef compute_loss(img):\n    act = m(img)\n    return tf.reduce_mean(act[:, 0])\n@tf.function\ndef step(img):\n    with tf.GradientTape() as tape:\n        tape.watch(img)\n        loss = compute_loss(img)\n    return tape.gradient(loss, img)\n'
    },
    {
      name: 'a helper called from a @tf.function (no tape)',
      code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\ndef score(x):\n    return tf.reduce_mean(m(x))\n@tf.function\ndef serve(x):\n    return score(x)\n'
    },
    {
      name: 'a helper decorated with @tf.function',
      code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(3)])\n@tf.function\ndef score(x):\n    return tf.reduce_mean(m(x))\n'
    },
    {
      name: 'a model method run eagerly (a LambdaCallback\'s) plotting what an own method returns from predict(); and one train_step calls (model code, traced)',
      code: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def generate(self, n):\n        return self.ema_network.predict(np.ones((n, 2)))\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(images[i])\n\n\nmodel = Generator()\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 2)), np.ones((8, 2, 2, 3)), epochs=1, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)])\nmodel.plot_images()\n'
    },
    {
      name: 'an own method plotting generated images that train_step calls: not run eagerly',
      code: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def denoise(self, x, training):\n        if training:\n            network = self.network\n        else:\n            network = self.ema_network\n        return network(x, training=training)\n\n    def generate(self, n):\n        return keras.ops.sigmoid(self.denoise(np.ones((n, 2), "float32"), training=False))\n\n    def train_step(self, data):\n        self.plot_images()\n        return super().train_step(data)\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(images[i])\n\n\nmodel = Generator()\n'
    },
    { name: 'tf.data is not an op', code: 'import tensorflow as tf\nimport keras\nm = keras.Sequential([keras.layers.Dense(1)])\nds = tf.data.Dataset.from_tensor_slices(m(x))\n' }
  ],
  invalid: [
    {
      // /work/og48b repro_9 (Géron's handson-ml2 ch. 18 DQN training_step): converting `all_Q_values` to NumPy cut the tape
      // ("No gradients provided for any variable" on TF, where the original ran). The mask becomes the backend's tensor:
      // TF still trains, and after the tape's own rewrite JAX and PyTorch too (/tmp/r9s.py, /tmp/r9f.py).
      name: 'a TF op result met by a model output under a GradientTape: the TF result is converted, not the output',
      code:
        'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nmask = tf.one_hot(actions, 2)\n' +
        'with tf.GradientTape() as tape:\n    all_Q_values = model(states)\n    Q_values = tf.reduce_sum(all_Q_values * mask, axis=1)\n',
      errors: [{ line: 5, column: 8, message: 'a NumPy copy of the output would cut the tape' }],
      output:
        'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nmask = keras.ops.convert_to_tensor(tf.one_hot(actions, 2))\n' +
        'with tf.GradientTape() as tape:\n    all_Q_values = model(states)\n    Q_values = tf.reduce_sum(all_Q_values * mask, axis=1)\n'
    },
    {
      // /work/og44b r3 (the TensorFlow quickstart's test step with a TF-op loss): converting `y - model(x)` whole left
      // PyTorch failing at the subtraction ("unsupported operand type(s) for -: 'numpy.ndarray' and 'Tensor'");
      // the fixed line runs on TensorFlow, JAX and PyTorch (Keras 3.15).
      name: 'arithmetic of a NumPy array and the model output: each operand is converted, not the whole expression',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nx = np.random.rand(8, 3).astype(\"float32\")\ny = np.random.rand(8, 1).astype(\"float32\")\n\ndef test_step(x, y):\n  return tf.reduce_mean(tf.square(y - model(x, training=False)))\n\nprint(float(test_step(x, y)))\n",
      errors: [{ line: 10, column: 25 }],
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nx = np.random.rand(8, 3).astype(\"float32\")\ny = np.random.rand(8, 1).astype(\"float32\")\n\ndef test_step(x, y):\n  return tf.reduce_mean(tf.square(keras.ops.convert_to_numpy(y) - keras.ops.convert_to_numpy(model(x, training=False))))\n\nprint(float(test_step(x, y)))\n"
    },
    {
      // keras.io serialization guide (helper oe41c): "Can't call numpy() on Tensor that requires grad" on PyTorch.
      name: 'a NumPy test assertion given a direct model call',
      code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])\nx = np.ones((1, 5), "float32")\nnp.testing.assert_allclose(model(x), model.predict(x), rtol=1e-5)\n',
      errors: [{ line: 5, column: 1 }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])\nx = np.ones((1, 5), "float32")\nnp.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), model.predict(x), rtol=1e-5)\n'
    },
    {
      // helper oe40e, TF autoencoder tutorial: ran on PyTorch "mean() got an unexpected keyword argument 'axis'" (tf, jax run).
      name: 'np.mean and np.std of a Keras loss value (no grad): PyTorch',
      code: 'import numpy as np\nimport keras\nreconstructions = np.random.rand(8, 140).astype("float32")\ntrain_loss = keras.losses.mean_absolute_error(reconstructions, np.ones((8, 140), "float32"))\nthreshold = np.mean(train_loss) + np.std(train_loss)\n',
      errors: [
        { line: 5, column: 13, message: "a torch tensor refuses on PyTorch (\"mean() got an unexpected keyword argument 'axis'\")" },
        { line: 5, column: 35 }
      ],
      blocks: ['torch'],
      output: 'import numpy as np\nimport keras\nreconstructions = np.random.rand(8, 140).astype("float32")\ntrain_loss = keras.losses.mean_absolute_error(reconstructions, np.ones((8, 140), "float32"))\nthreshold = np.mean(keras.ops.convert_to_numpy(train_loss)) + np.std(keras.ops.convert_to_numpy(train_loss))\n'
    },
    {
      // Ran on PyTorch: "Can't call numpy() on Tensor that requires grad" at the comparison (JAX and TF run).
      name: 'a TF constant held by a name, compared with a model output later',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nthreshold = tf.constant(0.5)\nout = model(np.ones((2, 4), "float32"))\nhits = out > threshold\n',
      errors: [{ line: 5, column: 13, message: 'a comparison combines with `out`' }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nthreshold = tf.constant(0.5)\nout = model(np.ones((2, 4), "float32"))\nhits = keras.ops.convert_to_numpy(out) > threshold\n'
    },
    {
      name: 'a TF tensor on the left of an operator with a model output',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nout = model(np.ones((2, 4), "float32"))\nscaled = tf.ones((3,)) * out\n',
      errors: [{ line: 6, column: 10, message: 'an arithmetic operator combines with `out`' }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nout = model(np.ones((2, 4), "float32"))\nscaled = tf.ones((3,)) * keras.ops.convert_to_numpy(out)\n'
    },
    {
      // helper oe40d: keras.io actor-critic's sampling outside the tape. JAX: "probabilities do not sum to 1"
      // (a float32 JAX array checked at float64 precision); PyTorch: "Can't call numpy() on Tensor that requires grad".
      name: 'np.random.choice with p from np.squeeze of a model output: JAX and PyTorch',
      code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])\naction_probs = model(np.ones((1, 4), "float32"))\naction = np.random.choice(2, p=np.squeeze(action_probs))\n',
      errors: [{ line: 5, column: 32, message: 'On JAX it fails too' }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])\naction_probs = model(np.ones((1, 4), "float32"))\naction = np.random.choice(2, p=np.squeeze(keras.ops.convert_to_numpy(action_probs)))\n'
    },
    {
      name: 'np.random.choice given an element of a model output as p: JAX and PyTorch',
      code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])\nprobs = model(np.ones((1, 4), "float32"))\naction = np.random.choice(2, p=probs[0])\n',
      errors: [{ line: 5, column: 10, message: 'On JAX it fails too' }],
      blocks: ['jax', 'torch'],
      output: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])\nprobs = model(np.ones((1, 4), "float32"))\naction = np.random.choice(2, p=keras.ops.convert_to_numpy(probs[0]))\n'
    },
    {
      // Run (Keras 3.15): fails on PyTorch ("Can't call numpy() on Tensor that requires grad"), runs on TF and JAX; fixed, runs on all three.
      name: "NumPy given what a cell function returns, the model output it computed (one element of an unpacked return too)",
      code: 'import numpy as np\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\ndef step():\n    out = generator(np.ones((2, 4)))\n    return 1.0, out\n\n\nloss, images = step()\nprint(np.asarray(images * 255.0))\n',
      errors: [{ line: 12, column: 7 }],
      output: 'import numpy as np\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\ndef step():\n    out = generator(np.ones((2, 4)))\n    return 1.0, out\n\n\nloss, images = step()\nprint(np.asarray(keras.ops.convert_to_numpy(images * 255.0)))\n'
    },
    {
      // The keras.io training-loop guide after fix --unsafe (helper oe39d): KM191's NumPy conversion here failed on
      // TensorFlow ("Cannot convert a symbolic tf.Tensor"); tf.concat as written fails on PyTorch; keras.ops.concatenate runs on all three (run).
      name: "a TF op on a model output in a function KM175 made @(tf.function if ... else ...): the keras.ops conversion, not NumPy",
      code: 'import tensorflow as tf\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef train_step(real_images):\n    generated_images = generator(keras.random.normal((2, 4)))\n    combined_images = tf.concat([generated_images, real_images], axis=0)\n    return combined_images\n',
      errors: [{ line: 9, column: 23, message: 'traced by `tf.function` on TensorFlow only' }],
      output: 'import tensorflow as tf\nimport keras\ngenerator = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef train_step(real_images):\n    generated_images = generator(keras.random.normal((2, 4)))\n    combined_images = keras.ops.concatenate([generated_images, real_images], axis=0)\n    return combined_images\n'
    },
    {
      // Run on Keras 3.15: fails on PyTorch ("Can't call numpy() on Tensor that requires grad"), runs on TensorFlow and JAX;
      // the fixed program runs on all three (keras.io Focal Modulation Network's display_grid(gates=gates, ...)).
      name: 'a tensor a layer stores in call(), handed to a notebook function by keyword and plotted there: PyTorch',
      code: "import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\n\n\nclass Gate(keras.layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.proj = keras.layers.Dense(2)\n\n    def call(self, x):\n        self.gates = keras.ops.softmax(self.proj(x))\n        return x * keras.ops.sum(self.gates, axis=-1, keepdims=True)\n\n\ndef show(images, gates=None):\n    plt.imshow(gates[0:1])\n\n\ngate = Gate()\nmodel = keras.Sequential([keras.Input((4,)), gate, keras.layers.Dense(1)])\nx = np.ones((3, 4), \"float32\")\n_ = model(x)\nshow(x, gates=gate.gates)\n",
      errors: [{ line: 17, column: 5, message: 'read from a parameter to which a call of `show()` passes the output of calling a Keras model or layer' }],
      blocks: ['torch'],
      output: "import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\n\n\nclass Gate(keras.layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.proj = keras.layers.Dense(2)\n\n    def call(self, x):\n        self.gates = keras.ops.softmax(self.proj(x))\n        return x * keras.ops.sum(self.gates, axis=-1, keepdims=True)\n\n\ndef show(images, gates=None):\n    plt.imshow(keras.ops.convert_to_numpy(gates[0:1]))\n\n\ngate = Gate()\nmodel = keras.Sequential([keras.Input((4,)), gate, keras.layers.Dense(1)])\nx = np.ones((3, 4), \"float32\")\n_ = model(x)\nshow(x, gates=gate.gates)\n"
    },
    {
      // Measured on Keras 3.15 (this program, Matplotlib's Agg backend): the imshow raises on PyTorch ("Can't call numpy() on Tensor
      // that requires grad") and runs on TensorFlow and JAX; converted, it runs on all three (keras.io DDIM's plot_images()).
      name: 'a model method run eagerly (a LambdaCallback\'s and at the top level) plotting what an own method returns through the layers it calls (an attribute given a local name)',
      code: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def denoise(self, x, training):\n        if training:\n            network = self.network\n        else:\n            network = self.ema_network\n        return network(x, training=training)\n\n    def generate(self, n):\n        return keras.ops.sigmoid(self.denoise(np.ones((n, 2), "float32"), training=False))\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(images[i])\n\n\nmodel = Generator()\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 2)), np.ones((8, 2, 2, 3)), epochs=1, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)])\nmodel.plot_images()\n',
      errors: [{ line: 28, column: 13, message: '`plt.imshow` is given `images[i]`, computed from the output of calling a Keras model or layer' }],
      output: 'import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\n\n\nclass Generator(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n        self.ema_network = keras.Sequential([keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\n\n    def call(self, x):\n        return self.network(x)\n\n    def denoise(self, x, training):\n        if training:\n            network = self.network\n        else:\n            network = self.ema_network\n        return network(x, training=training)\n\n    def generate(self, n):\n        return keras.ops.sigmoid(self.denoise(np.ones((n, 2), "float32"), training=False))\n\n    def plot_images(self, epoch=None, logs=None):\n        images = self.generate(4)\n        for i in range(4):\n            plt.imshow(keras.ops.convert_to_numpy(images[i]))\n\n\nmodel = Generator()\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 2)), np.ones((8, 2, 2, 3)), epochs=1, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)])\nmodel.plot_images()\n'
    },
    {
      // Measured on Keras 3.15: keras.utils.array_to_img and save_img of a Dense output raise on PyTorch
      // ("Can't call numpy() on Tensor that requires grad"), run on TensorFlow and JAX, and run everywhere converted.
      name: 'Keras image utilities (also the tf.keras spelling) given a model output, in a callback and at the top level; an Axes unpacked by role (`ax_style`)',
      code: 'import numpy as np\nimport tensorflow as tf\nimport matplotlib.pyplot as plt\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        out = self.model(np.ones((1, 2)))\n        tf.keras.preprocessing.image.array_to_img(out[0])\nimgs = gen(np.ones((2, 2)))\nkeras.utils.save_img("a.png", imgs[0])\nfig, axes = plt.subplots(2, 2)\nfor (ax_in, ax_out), img in zip(axes, imgs):\n    ax_out.imshow(img)\n',
      errors: [
        { line: 9, column: 9, message: '`tf.keras.preprocessing.image.array_to_img` is given `out[0]`' },
        { line: 11, column: 1, message: '`keras.utils.save_img` is given `imgs[0]`' },
        { line: 14, column: 5, message: '`ax_out.imshow` is given `img`' }
      ],
      output: 'import numpy as np\nimport tensorflow as tf\nimport matplotlib.pyplot as plt\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(12), keras.layers.Reshape((2, 2, 3))])\nclass Monitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        out = self.model(np.ones((1, 2)))\n        tf.keras.preprocessing.image.array_to_img(keras.ops.convert_to_numpy(out[0]))\nimgs = gen(np.ones((2, 2)))\nkeras.utils.save_img("a.png", keras.ops.convert_to_numpy(imgs[0]))\nfig, axes = plt.subplots(2, 2)\nfor (ax_in, ax_out), img in zip(axes, imgs):\n    ax_out.imshow(keras.ops.convert_to_numpy(img))\n'
    },
    {
      name: 'arithmetic on trainable keras.Variables (a curve fitted by a tape loop), directly or through a one-line function of the program',
      code: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\ndef curve(x, a, b):\n    return a * x ** b\n\na = keras.Variable(0.5)\nb = keras.Variable(0.5)\nxs = np.arange(1.0, 4.0)\nplt.plot(xs, curve(xs, a, b))\nprint(np.max(a * xs))\n',
      errors: [{ line: 10, column: 1, message: '`plt.plot` is given `curve(xs, a, b)`, computed from a trainable `keras.Variable`' }, { line: 11, column: 7 }],
      output: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\ndef curve(x, a, b):\n    return a * x ** b\n\na = keras.Variable(0.5)\nb = keras.Variable(0.5)\nxs = np.arange(1.0, 4.0)\nplt.plot(xs, keras.ops.convert_to_numpy(curve(xs, a, b)))\nprint(np.max(keras.ops.convert_to_numpy(a * xs)))\n'
    },
    {
      name: 'Matplotlib plots a model output: plt functions and Axes methods (a subscripted axes array too)',
      code: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\nout = gen(np.ones((3, 2)))\nplt.imshow(out[0:1])\nfig, axes = plt.subplots(1, 2)\naxes[0].plot(out[0])\nax2 = axes[1]\nax2.hist(gen(np.ones((3, 2)))[:, 0] * 2)\n',
      errors: [{ line: 6, column: 1, message: '`plt.imshow` is given `out[0:1]`' }, { line: 8, column: 1 }, { line: 10, column: 1 }],
      output: 'import matplotlib.pyplot as plt\nimport numpy as np\nimport keras\ngen = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])\nout = gen(np.ones((3, 2)))\nplt.imshow(keras.ops.convert_to_numpy(out[0:1]))\nfig, axes = plt.subplots(1, 2)\naxes[0].plot(keras.ops.convert_to_numpy(out[0]))\nax2 = axes[1]\nax2.hist(keras.ops.convert_to_numpy(gen(np.ones((3, 2)))[:, 0] * 2))\n'
    },
    {
      // Ran: "Can't call numpy() on Tensor that requires grad" on PyTorch; the fix runs (JAX ran both).
      name: 'a model a helper calls, bound later by a function that declares it `global` (keras.io DDPG, wrapped style)',
      code: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef policy(state):\n    return tf.squeeze(actor_model(state))\ndef step_1():\n    global actor_model\n    actor_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nstep_1()\nprint(policy(np.ones((1, 2))).shape)\n",
      errors: [{ line: 5, column: 12 }],
      blocks: ['torch'],
      output: "import keras\nimport numpy as np\nimport tensorflow as tf\ndef policy(state):\n    return tf.squeeze(keras.ops.convert_to_numpy(actor_model(state)))\ndef step_1():\n    global actor_model\n    actor_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nstep_1()\nprint(policy(np.ones((1, 2))).shape)\n"
    },
    {
      name: 'the same layer class holding a Dense sub-layer: its output requires grad on PyTorch',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers, ops\n\n\nclass Patches(layers.Layer):\n    def __init__(self, patch_size):\n        super().__init__()\n        self.patch_size = patch_size\n        self.proj = layers.Dense(4)\n\n    def call(self, images):\n        patches = ops.image.extract_patches(images, size=self.patch_size)\n        return self.proj(ops.reshape(patches, [ops.shape(images)[0], -1, patches.shape[-1]]))\n\n\nimage = np.zeros((1, 32, 32, 3), "float32")\npatches = Patches(8)(image)\nfor patch in patches[0]:\n    print(tf.reshape(patch, (8, 8, 3)).numpy())\npatcher = Patches(8)\nprint(np.array(patcher(image)).shape)\n',
      errors: [{ line: 21, column: 11 }, { line: 23, column: 7 }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers, ops\n\n\nclass Patches(layers.Layer):\n    def __init__(self, patch_size):\n        super().__init__()\n        self.patch_size = patch_size\n        self.proj = layers.Dense(4)\n\n    def call(self, images):\n        patches = ops.image.extract_patches(images, size=self.patch_size)\n        return self.proj(ops.reshape(patches, [ops.shape(images)[0], -1, patches.shape[-1]]))\n\n\nimage = np.zeros((1, 32, 32, 3), "float32")\npatches = Patches(8)(image)\nfor patch in patches[0]:\n    print(tf.reshape(keras.ops.convert_to_numpy(patch), (8, 8, 3)).numpy())\npatcher = Patches(8)\nprint(np.array(keras.ops.convert_to_numpy(patcher(image))).shape)\n'
    },
    {
      // examples/runnable/vit_representations_debugging.py (keras.io's ViT representations): ran on TensorFlow, and on PyTorch
      // failed in tf.stack with "Can't call numpy() on Tensor that requires grad"; the fixed program runs on all three.
      name: 'model outputs reaching a notebook function through a dict comprehension and a list comprehension: the TF ops on its parameter',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\ninputs = keras.Input((4,))\nextractor = keras.Model(inputs, [keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)])\nscores = extractor(np.ones((2, 4)))\nby_block = {f"block_{i}": s for i, s in enumerate(scores)}\ndef rollout(score_dict):\n    return tf.stack([score_dict[k] for k in score_dict.keys()])\ndef mean_distance(weights):\n    weights = weights[:, 1:]\n    return tf.reduce_mean(weights, axis=-1).numpy()\nprint(rollout(by_block).shape)\nprint([mean_distance(w).shape for w in scores])\n',
      errors: [
        { line: 9, column: 12, message: 'a call of `rollout()`' },
        { line: 12, column: 12, message: 'a call of `mean_distance()`' }
      ],
      blocks: ['torch'],
      output:
        'import numpy as np\nimport tensorflow as tf\nimport keras\ninputs = keras.Input((4,))\nextractor = keras.Model(inputs, [keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)])\nscores = extractor(np.ones((2, 4)))\nby_block = {f"block_{i}": s for i, s in enumerate(scores)}\ndef rollout(score_dict):\n    return tf.stack([keras.ops.convert_to_numpy(score_dict[k]) for k in score_dict.keys()])\ndef mean_distance(weights):\n    weights = weights[:, 1:]\n    return tf.reduce_mean(keras.ops.convert_to_numpy(weights), axis=-1).numpy()\nprint(rollout(by_block).shape)\nprint([mean_distance(w).shape for w in scores])\n'
    },
    {
      name: 'the function in one cell, the call passing a model output in a later one; a for loop over model outputs',
      code: [
        'import numpy as np\nimport tensorflow as tf\nimport keras\ndef summarize(t):\n    return tf.reduce_max(t)\n',
        'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nouts = [model(np.ones((2, 4))), model(np.zeros((2, 4)))]\nprint(summarize(outs[0]))\nfor out in outs:\n    print(tf.argmax(out, axis=-1))\n'
      ],
      errors: [
        { cell: 0, line: 5, column: 12 },
        { cell: 1, line: 5, column: 11 }
      ],
      blocks: ['torch'],
      output: [
        'import numpy as np\nimport tensorflow as tf\nimport keras\ndef summarize(t):\n    return tf.reduce_max(keras.ops.convert_to_numpy(t))\n',
        'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nouts = [model(np.ones((2, 4))), model(np.zeros((2, 4)))]\nprint(summarize(outs[0]))\nfor out in outs:\n    print(tf.argmax(keras.ops.convert_to_numpy(out), axis=-1))\n'
      ]
    },
    {
      // The TF text-generation tutorial: `for x, y in dataset.take(1): predictions = model(x)`, read after the loop (ran on TensorFlow, failed on PyTorch).
      name: 'a model output assigned in a for loop body and read after the loop; a loop variable of the same name is not followed',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])\npreds = np.zeros((2, 4))\nfor batch in [np.ones((2, 3), "float32")]:\n    preds = model(batch)\nsampled = tf.random.categorical(preds, num_samples=1)\nfor preds in [np.zeros((2, 4))]:\n    ok = tf.random.categorical(preds, num_samples=1)\n',
      errors: [{ line: 8, column: 11 }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])\npreds = np.zeros((2, 4))\nfor batch in [np.ones((2, 3), "float32")]:\n    preds = model(batch)\nsampled = tf.random.categorical(keras.ops.convert_to_numpy(preds), num_samples=1)\nfor preds in [np.zeros((2, 4))]:\n    ok = tf.random.categorical(preds, num_samples=1)\n'
    },
    {
      // claims/tf_stack_of_forward_tensor_list.py: fails on PyTorch only; the fixed program runs on all three.
      name: 'a list a call() appends forward tensors to, given to tf.stack: each tensor converted (one array would make tf.stack fail)',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Scores(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(3)\n        self.scores = []\n    def call(self, x):\n        y = self.dense(x)\n        self.scores.append(y)\n        return y\nlayer = Scores()\nout = layer(np.ones((2, 4)))\nmaps = tf.stack(layer.scores, axis=1)\nnp_maps = np.stack(layer.scores)\n',
      errors: [{ line: 15, column: 8 }, { line: 16, column: 11 }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Scores(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(3)\n        self.scores = []\n    def call(self, x):\n        y = self.dense(x)\n        self.scores.append(y)\n        return y\nlayer = Scores()\nout = layer(np.ones((2, 4)))\nmaps = tf.stack([keras.ops.convert_to_numpy(t) for t in layer.scores], axis=1)\nnp_maps = np.stack(keras.ops.convert_to_numpy(layer.scores))\n'
    },
    {
      // claims/numpy_of_model_parameter_output.py: np.min fails on PyTorch only (the TensorFlow DCGAN tutorial's generate_and_save_images).
      name: 'a model given to a notebook function as a parameter: called with training=, or passed a model by a call in the cell',
      code: 'import numpy as np\nimport keras\ndef describe(model, noise):\n    images = model(noise, training=False)\n    return np.min(images)\ndef summarize(net, batch):\n    return np.mean(net(batch))\ngenerator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprint(describe(generator, x), summarize(generator, x))\n',
      errors: [{ line: 5, column: 12 }, { line: 7, column: 12 }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport keras\ndef describe(model, noise):\n    images = model(noise, training=False)\n    return np.min(keras.ops.convert_to_numpy(images))\ndef summarize(net, batch):\n    return np.mean(keras.ops.convert_to_numpy(net(batch)))\ngenerator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprint(describe(generator, x), summarize(generator, x))\n'
    },
    {
      // examples/runnable/conv2d_convolution_op_override.py, checked on Keras 3.15 with PyTorch: `layer.kernel - mean` is a
      // torch tensor that requires grad, and dividing it by a TF tensor (or a TF op given it) makes TensorFlow convert it.
      name: 'arithmetic on a layer\'s weight meeting a TF op\'s result in an operator, or given to a TF op: PyTorch',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.build((None, 2))\nlayer = model.layers[0]\nkernel = layer.kernel\nmean, var = tf.nn.moments(kernel, axes=[0])\nstandardized = (kernel - mean) / tf.sqrt(var + 1e-10)\nprint(tf.reduce_mean(kernel * 2))\n',
      errors: [
        { line: 8, column: 34, message: '`tf.sqrt` makes a TensorFlow tensor that an arithmetic operator combines with `(kernel - mean)`' },
        { line: 9, column: 7, message: '`tf.reduce_mean` is given `kernel * 2`' }
      ],
      output: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.build((None, 2))\nlayer = model.layers[0]\nkernel = layer.kernel\nmean, var = tf.nn.moments(kernel, axes=[0])\nstandardized = keras.ops.convert_to_numpy((kernel - mean)) / tf.sqrt(var + 1e-10)\nprint(tf.reduce_mean(keras.ops.convert_to_numpy(kernel * 2)))\n',
      blocks: ['torch']
    },
    {
      name: 'keras.io PPO Buffer: a plain class\'s method hands a parameter to NumPy, a call in the cell gives it `0 if done else critic(obs)`',
      code: 'import numpy as np\nimport keras\nclass Buffer:\n    def finish(self, last_value=0):\n        return np.append(self.r, last_value)\ninputs = keras.Input(shape=(3,))\ncritic = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nbuffer = Buffer()\nlast_value = 0 if done else critic(obs)\nbuffer.finish(last_value)\n',
      errors: [{ line: 5, column: 16, message: 'read from a parameter to which a call of `finish()` passes the output of calling a Keras model or layer' }],
      blocks: ['torch'],
      output: 'import numpy as np\nimport keras\nclass Buffer:\n    def finish(self, last_value=0):\n        return np.append(self.r, keras.ops.convert_to_numpy(last_value))\ninputs = keras.Input(shape=(3,))\ncritic = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nbuffer = Buffer()\nlast_value = 0 if done else critic(obs)\nbuffer.finish(last_value)\n'
    },
    {
      name: 'keras.io DDPG policy(): a function defined above the module-level binding of the model it calls (its body runs after it)',
      code: 'import tensorflow as tf\nimport keras\ndef get_actor():\n    inputs = keras.Input(shape=(3,))\n    return keras.Model(inputs, keras.layers.Dense(1)(inputs))\ndef policy(state):\n    return tf.squeeze(actor_model(state)).numpy()\nactor_model = get_actor()\naction = policy(x)\n',
      errors: [{ line: 7, column: 12, message: 'the output of a Keras model or layer' }],
      blocks: ['torch'],
      output: 'import tensorflow as tf\nimport keras\ndef get_actor():\n    inputs = keras.Input(shape=(3,))\n    return keras.Model(inputs, keras.layers.Dense(1)(inputs))\ndef policy(state):\n    return tf.squeeze(keras.ops.convert_to_numpy(actor_model(state))).numpy()\nactor_model = get_actor()\naction = policy(x)\n'
    },
    {
      name: 'keras.io PPO sample_action: tf.random.categorical on the actor\'s logits in a plain function',
      code: 'import tensorflow as tf\nimport keras\ninputs = keras.Input(shape=(3,))\nactor = keras.Model(inputs, keras.layers.Dense(2)(inputs))\ndef sample_action(observation):\n    logits = actor(observation)\n    return tf.random.categorical(logits, 1)\naction = sample_action(x)\n',
      errors: [{ line: 7, column: 12, message: 'the output of a Keras model or layer' }],
      blocks: ['torch'],
      output: 'import tensorflow as tf\nimport keras\ninputs = keras.Input(shape=(3,))\nactor = keras.Model(inputs, keras.layers.Dense(2)(inputs))\ndef sample_action(observation):\n    logits = actor(observation)\n    return tf.random.categorical(keras.ops.convert_to_numpy(logits), 1)\naction = sample_action(x)\n'
    },
    {
      name: 'a callback: a tensor a layer keeps from its last call(), read after self.model(x) and upsampled (keras.io FocalNet monitor)',
      code:
        'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Mod(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.proj = keras.layers.Dense(4)\n    def call(self, x):\n        q, self.gates = tf.split(x, 2, -1)\n        self.modulator = self.proj(x)\n        return q * self.modulator\nclass TrainMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        upsampler = keras.layers.UpSampling2D(size=(2, 2))\n        _ = self.model(np.ones((1, 2, 2, 4)))\n        modulator = upsampler(self.model.layers[1].modulator)\n        print(tf.norm(modulator, axis=-1), tf.reduce_mean(self.model.layers[1].gates))\n',
      errors: [{ line: 17, column: 15, message: 'requires grad' }, { line: 17, column: 44 }],
      blocks: ['torch'],
      output:
        'import numpy as np\nimport tensorflow as tf\nimport keras\nclass Mod(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.proj = keras.layers.Dense(4)\n    def call(self, x):\n        q, self.gates = tf.split(x, 2, -1)\n        self.modulator = self.proj(x)\n        return q * self.modulator\nclass TrainMonitor(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        upsampler = keras.layers.UpSampling2D(size=(2, 2))\n        _ = self.model(np.ones((1, 2, 2, 4)))\n        modulator = upsampler(self.model.layers[1].modulator)\n        print(tf.norm(keras.ops.convert_to_numpy(modulator), axis=-1), tf.reduce_mean(keras.ops.convert_to_numpy(self.model.layers[1].gates)))\n'
    },
    {
      // examples/runnable/distillation_function_matching.py: the student a Distiller holds, called on data after training.
      name: 'TF op on the output of a sub-model a model holds as an attribute (`distiller.student(x)`)',
      code: 'import tensorflow as tf\nimport keras\nclass Distiller(keras.Model):\n    def __init__(self, student):\n        super().__init__()\n        self.student = student\ndistiller = Distiller(keras.Sequential([keras.layers.Dense(3)]))\nlogits = distiller.student(x, training=False)\nprint(tf.argmax(logits, axis=-1).numpy())\n',
      errors: [{ line: 9, column: 7, message: 'the output of a Keras model or layer' }],
      blocks: ['torch'],
      output:
        'import tensorflow as tf\nimport keras\nclass Distiller(keras.Model):\n    def __init__(self, student):\n        super().__init__()\n        self.student = student\ndistiller = Distiller(keras.Sequential([keras.layers.Dense(3)]))\nlogits = distiller.student(x, training=False)\nprint(tf.argmax(keras.ops.convert_to_numpy(logits), axis=-1).numpy())\n'
    },
    {
      // examples/runnable/involution_layer.py: one element of a layer's outputs, re-assigned by the TF op itself.
      name: 'TF op on an element of an unpacked layer output (the name re-assigned by that statement)',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\nlayer = model.get_layer(index=0)\n_, kernel = layer(x), 1\n_, kernel = layer(x)\nkernel = tf.reduce_sum(kernel, axis=[-1])\n',
      errors: [{ line: 7, column: 10, message: 'the output of a Keras model or layer' }],
      blocks: ['torch'],
      output:
        'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\nlayer = model.get_layer(index=0)\n_, kernel = layer(x), 1\n_, kernel = layer(x)\nkernel = tf.reduce_sum(keras.ops.convert_to_numpy(kernel), axis=[-1])\n'
    },
    {
      // examples/runnable/zero_dce_enhancement.py: `infer()` cast a slice of the model output with tf.cast.
      name: 'TF op on arithmetic with a model output in a plain helper function',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\ndef infer(image):\n    output = model(image)\n    output = tf.cast((output[0] * 255), dtype=np.uint8)\n    return output.numpy()\n',
      errors: [{ line: 7, column: 14, message: 'computed from the output of calling a Keras model' }],
      blocks: ['torch'],
      output:
        'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\ndef infer(image):\n    output = model(image)\n    output = tf.cast(keras.ops.convert_to_numpy((output[0] * 255)), dtype=np.uint8)\n    return output.numpy()\n'
    },
    {
      // examples/runnable/translation_causal_decoder.py: greedy decoding on a direct model call failed on PyTorch.
      name: 'NumPy on a slice of a model call output in a plain helper function',
      code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\ndef decode(x):\n    tokens = []\n    for _ in range(3):\n        predictions = model(x)\n        tokens.append(int(np.argmax(predictions[0, :])))\n    return tokens\n',
      errors: [{ line: 8, column: 27, message: 'computed from the output of calling a Keras model' }],
      blocks: ['torch'],
      output:
        'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\ndef decode(x):\n    tokens = []\n    for _ in range(3):\n        predictions = model(x)\n        tokens.append(int(np.argmax(keras.ops.convert_to_numpy(predictions[0, :]))))\n    return tokens\n'
    },
    {
      name: 'NumPy on arithmetic with a model output, and np.array of it',
      code: 'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\nprobs = model(x)\ntotal = np.sum(probs * 2)\narr = np.array(model(x))\n',
      errors: [{ line: 5, column: 9 }, { line: 6, column: 7 }],
      blocks: ['torch'],
      output:
        'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\nprobs = model(x)\ntotal = np.sum(keras.ops.convert_to_numpy(probs * 2))\narr = np.array(keras.ops.convert_to_numpy(model(x)))\n'
    },
    {
      name: 'through a name assigned the model output',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nprobs = model(tf.constant(x[:5]))\nprint(tf.argmax(probs, axis=-1).numpy())\n',
      errors: [{ line: 5, column: 7 }],
      blocks: ['torch'],
      output:
        'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\nprobs = model(tf.constant(x[:5]))\nprint(tf.argmax(keras.ops.convert_to_numpy(probs), axis=-1).numpy())\n'
    },
    {
      name: 'directly, with tf.keras (adds import keras)',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(3)])\nlabels = tf.nn.softmax(model(x))\n',
      errors: [{ line: 3, column: 10 }],
      output: 'import tensorflow as tf\nimport keras\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(3)])\nlabels = tf.nn.softmax(keras.ops.convert_to_numpy(model(x)))\n'
    }
  ]
});
