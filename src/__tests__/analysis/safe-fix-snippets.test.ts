/**
 * Runnable Keras 2 programs and their safe-fixed Keras 3 versions, written to
 * safe-fix-snippets.json for the Python test suite, which runs each `output` under every
 * backend listed. This test keeps the JSON equal to what the fixer produces today
 * (regenerate with KERAS_MIGRATE_UPDATE_SNIPPETS=1). Snippets write files into the current
 * directory: run them in a temporary one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getAnalyzer } from './helpers';

const ALL = ['tensorflow', 'jax', 'torch'];

// `unsafe`: the snippet exercises a suggestion (a fix applied only with --unsafe), whose
// output must run all the same.
// `cells`: a notebook's code cells, fixed together and run one after the other (`input` is left out).
const SNIPPETS: Array<{ id: string; backends: string[]; input?: string; cells?: string[]; note?: string; unsafe?: boolean }> = [
  {
    id: 'test-and-predict-step-on-jax',
    backends: ALL,
    note: 'test_step(self, data) and predict_step(self, data) overrides (KM243): Keras 3 on JAX calls them with (state, data) (TypeError). The safe fix keeps each step as written under _test_step/_predict_step and dispatches: TensorFlow and PyTorch run it as before; JAX assigns the state to the variables, runs it un-jitted and hands back (logs, state) / (outputs, non-trainable values). evaluate() equals the loss of the weights, fit(validation_data=) logs val_l, predict() the sigmoid of the model, training continues after evaluation.',
    input: "import numpy as np\nimport keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"l\")\n\n    def call(self, x):\n        return self.d(x)\n\n    def test_step(self, data):\n        x, y = data\n        loss = keras.ops.mean(keras.ops.square(y - self(x, training=False)))\n        self.tracker.update_state(loss)\n        return {\"l\": self.tracker.result()}\n\n    def predict_step(self, data):\n        x = data[0] if isinstance(data, tuple) else data\n        return keras.ops.sigmoid(self(x, training=False))\n\n\nm = M()\nm.compile(\"sgd\", \"mse\")\nx, y = np.random.rand(8, 3).astype(\"float32\"), np.ones((8, 1), \"float32\")\nhistory = m.fit(x, y, validation_data=(x, y), epochs=2, verbose=0)\nexpected = float(np.mean(np.square(y - np.asarray(m(x)))))\nlogs = m.evaluate(x, y, verbose=0, return_dict=True)\nassert abs(logs[\"l\"] - expected) < 1e-4 and len(history.history[\"val_l\"]) == 2, (logs, expected, history.history)\np = m.predict(x, batch_size=3, verbose=0)\nassert p.shape == (8, 1) and np.allclose(p, 1 / (1 + np.exp(-np.asarray(m(x)))), atol=1e-5)\nm.fit(x, y, verbose=0)\nassert abs(m.evaluate(x, y, verbose=0, return_dict=True)[\"l\"] - float(np.mean(np.square(y - np.asarray(m(x)))))) < 1e-4\n"
  },
  {
    id: 'legacy-h5-model-loaded-for-inference',
    backends: ALL,
    note: "A legacy .h5 model file the program did not write, compiled with a short loss name (loss=\"mse\"), loaded and only run (KM381): load_model fails on every backend (\"Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass\"); with the safe fix's compile=False it loads and predicts.",
    cells: ["import subprocess, sys\nimport numpy as np\nimport keras\n\n# The file comes from elsewhere (an earlier run, another program): a child process writes it.\nWRITER = \"\"\"\nimport keras, numpy as np\nnet = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nnet.compile(optimizer=\"adam\", loss=\"mse\", metrics=[\"mae\"])\nnet.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0)\nnet.save(\"regressor.h5\")\n\"\"\"\nsubprocess.run([sys.executable, \"-c\", WRITER], check=True, capture_output=True)\n", "model = keras.models.load_model(\"regressor.h5\")\nmodel.summary()\n", "p = model.predict(np.ones((2, 3)), verbose=0)\nassert p.shape == (2, 2) and np.isfinite(p).all()\n"]
  },
  {
    id: 'keras-2-loss-and-metric-strings',
    backends: ALL,
    note: 'Keras 2 loss and metric names as strings that Keras 3 rejects on every backend (KM225): the safe fix gives the Keras 3 strings of the same functions.',
    input:
      'import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])\nmodel.compile(optimizer="adam", loss="logcosh", metrics=["kld", "logcosh"])\nhistory = model.fit(np.ones((8, 3)), np.full((8, 2), 0.5), epochs=1, verbose=0)\nassert np.isfinite(history.history["loss"][0])\n'
  },
  {
    id: 'tf-keras-only-loss-and-metric-names',
    backends: ALL,
    note: 'Keras 2 loss and metric aliases Keras 3 keeps only in tf.keras (KM224): spelled from tf, imported from tensorflow.keras and from keras itself; the safe fixes give the Keras 3 names of the same functions (rewriting only the tf.keras prefix gave "module \'keras.losses\' has no attribute \'logcosh\'").',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.metrics import mae, mse as squared\n\ninputs = tf.keras.Input((4,))\nmodel = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))\nmodel.compile(optimizer="adam", loss=tf.keras.losses.logcosh, metrics=[mae, squared, tf.keras.metrics.kld])\nhistory = model.fit(np.ones((8, 4)), np.ones((8, 1)), epochs=1, verbose=0)\nassert np.isfinite(history.history["loss"][0])\n'
  },
  {
    id: 'compiled-metrics-metrics-override-dropped',
    backends: ['tensorflow'],
    unsafe: true,
    note: 'keras.io AdaMatch / FixMatch shape: a metrics property adding self.compiled_metrics.metrics to the trackers (AttributeError on Keras 3) is deleted, and self.compiled_metrics.update_state(y, p) becomes self.compute_metrics(None, y, p): the shim would update every Mean tracker of self.metrics with the predictions (the ones tracker read 0.42, not 1.0). The train_step itself (a nested batch) becomes one step per backend (unsafe; this snippet runs its TensorFlow path).',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass TwoViews(keras.Model):\n    def __init__(self, net):\n        super().__init__()\n        self.net = net\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n        self.ones_tracker = keras.metrics.Mean(name="ones")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker, self.ones_tracker] + self.compiled_metrics.metrics\n\n    def call(self, x):\n        return self.net(x)\n\n    def train_step(self, data):\n        (x, y), (u,) = data\n        with tf.GradientTape() as tape:\n            p = self.net(x, training=True)\n            loss = self.compiled_loss(y, p) + 0.1 * tf.reduce_mean(tf.square(self.net(u, training=True)))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, p)\n        self.loss_tracker.update_state(loss)\n        self.ones_tracker.update_state(1.0)\n        return {m.name: m.result() for m in self.metrics}\n\n\nnet = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nmodel = TwoViews(net)\nmodel.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])\nx = np.random.rand(16, 4).astype("float32")\ny = np.random.randint(0, 3, size=(16,))\nlabelled = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)\nunlabelled = tf.data.Dataset.from_tensor_slices((x,)).batch(4)\nhistory = model.fit(tf.data.Dataset.zip((labelled, unlabelled)), epochs=1, verbose=0)\nassert history.history["ones"][-1] == 1.0 and 0.0 <= history.history["accuracy"][-1] <= 1.0, history.history\n'
  },
  {
    id: 'complex-fft-over-statements',
    backends: ALL,
    unsafe: true,
    note: 'keras.io FNet written over several statements (a cast to complex, tf.signal.fft, a transpose, fft again, tf.math.real): each TF FFT becomes keras.ops.fft of the (real, imag) parts joined back with keras.ops.view_as_complex, so the complex tensor flows between the statements as in TF; fit runs and the values equal NumPy\'s 2-D FFT on every backend.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass FourierMixing(keras.layers.Layer):\n    def call(self, inputs):\n        x = tf.cast(inputs, tf.complex64)\n        x = tf.signal.fft(x)\n        x = tf.transpose(x, perm=[0, 2, 1])\n        x = tf.signal.fft(x)\n        x = tf.transpose(x, perm=[0, 2, 1])\n        return tf.math.real(x) + inputs\n\n\ninputs = keras.Input((6, 4))\noutputs = keras.layers.Dense(1)(keras.layers.Flatten()(FourierMixing()(keras.layers.Dense(4)(inputs))))\nmodel = keras.Model(inputs, outputs)\nmodel.compile("adam", "mse")\nx = np.random.rand(8, 6, 4).astype("float32")\nhistory = model.fit(x, x[:, :1, 0], epochs=1, batch_size=4, verbose=0)\nassert np.isfinite(history.history["loss"][0])\nexpected = np.real(np.fft.fft2(x)).astype("float32") + x\nassert np.allclose(np.asarray(FourierMixing()(x)), expected, atol=1e-3)\n'
  },
  {
    id: 'numpy-of-a-model-part',
    backends: ALL,
    note: 'keras.io CycleGAN GANMonitor shape: .numpy() on a sub-model the GAN holds, called through the GAN instance, and on a subscript of its output: keras.ops.convert_to_numpy on every backend (a JAX array has no .numpy(); on PyTorch the output requires grad).',
    input: 'import keras\nimport numpy as np\nclass GAN(keras.Model):\n    def __init__(self, generator):\n        super().__init__()\n        self.generator = generator\n    def train_step(self, data):\n        return {"n": keras.ops.sum(self.generator(data, training=True))}\ngan = GAN(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))\nprint(gan.generator(np.ones((1, 2))).numpy())\nprint(gan.generator(np.ones((1, 2)))[0].numpy())\n'
  },
  {
    id: 'numpy-of-model-outputs-in-a-list',
    backends: ALL,
    note: "TensorFlow pix2pix tutorial's generate_images(model, test_input, tar): .numpy() on each element of a list holding the output of a model passed as a parameter (called with training=True) and tf.data tensors: keras.ops.convert_to_numpy on every backend (failed on JAX: no .numpy(); PyTorch: requires grad).",
    input: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\ndef generate_images(model, test_input, tar):\n    prediction = model(test_input, training=True)\n    display_list = [test_input[0], tar[0], prediction[0]]\n    return [(image.numpy() * 0.5 + 0.5) for image in display_list]\n\n\ngenerator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation=\"tanh\")])\nfor x, y in tf.data.Dataset.from_tensor_slices((np.ones((2, 4), \"float32\"), np.zeros((2, 4), \"float32\"))).batch(2).take(1):\n    shown = generate_images(generator, x, y)\nassert all(isinstance(s, np.ndarray) for s in shown) and shown[2].shape == (4,)\n"
  },
  {
    id: 'average-pooling-without-pool-size',
    backends: ALL,
    note: 'keras.io MelGAN multi-scale discriminator: AveragePooling1D() and AveragePooling2D(padding="same") without a pool size get Keras 2\'s default (2 / (2, 2)); the model trains and keeps Keras 2\'s output shapes on every backend.',
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\ninp = keras.Input((16, 1))\npooled = layers.AveragePooling1D()(inp)\nimg = keras.Input((8, 8, 3))\npooled_img = layers.AveragePooling2D(padding="same")(img)\nassert tuple(pooled.shape) == (None, 8, 1) and tuple(pooled_img.shape) == (None, 4, 4, 3)\nout = layers.Dense(1)(layers.concatenate([layers.Flatten()(pooled), layers.Flatten()(pooled_img)]))\nmodel = keras.Model([inp, img], out)\nmodel.compile("adam", "mse")\nmodel.fit([np.ones((4, 16, 1)), np.ones((4, 8, 8, 3))], np.ones((4, 1)), verbose=0)\n'
  },
  {
    id: 'sequence-sampling-helpers',
    backends: ALL,
    note: 'keras.io Node2Vec / TF word2vec: keras.preprocessing.sequence.skipgrams and make_sampling_table (gone from Keras 3 keras.preprocessing.sequence) become Keras 2\'s own functions defined in the notebook, so `from tensorflow import keras` can become `import keras`; the pairs and the table equal tf.keras\'s for the same seed, and a skip-gram model trains on them.',
    input: "import random\n\nimport numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nwalks = [[1, 2, 3, 4, 5, 2], [3, 1, 4, 1, 5, 9], [2, 6, 5, 3, 5, 8]]\ntable = keras.preprocessing.sequence.make_sampling_table(10, sampling_factor=1.0)\npairs, labels = [], []\nfor walk in walks:\n    p, l = keras.preprocessing.sequence.skipgrams(walk, vocabulary_size=10, window_size=2, negative_samples=2, sampling_table=table, seed=7)\n    pairs += p\n    labels += l\npairs = np.array(pairs)\ninputs = {\"target\": keras.Input(shape=(), dtype=\"int32\"), \"context\": keras.Input(shape=(), dtype=\"int32\")}\nembed = keras.layers.Embedding(10, 4)\nlogits = keras.layers.Dot(axes=1)([embed(inputs[\"target\"]), embed(inputs[\"context\"])])\nmodel = keras.Model(inputs, logits)\nmodel.compile(\"adam\", keras.losses.BinaryCrossentropy(from_logits=True))\nmodel.fit({\"target\": pairs[:, 0], \"context\": pairs[:, 1]}, np.array(labels), epochs=1, verbose=0)\n# The same pairs and table as TensorFlow's copy of Keras 2's functions.\nrandom.seed(3)\nours = skipgrams if \"skipgrams\" in dir() else keras.preprocessing.sequence.skipgrams\na = ours([1, 2, 3, 4], vocabulary_size=6, window_size=1, seed=11)\nrandom.seed(3)\nb = tf.keras.preprocessing.sequence.skipgrams([1, 2, 3, 4], vocabulary_size=6, window_size=1, seed=11)\nassert a == b, (a, b)\nassert np.allclose(table, tf.keras.preprocessing.sequence.make_sampling_table(10, sampling_factor=1.0))\n"
  },
  {
    id: 'tf-image-quality-functions',
    backends: ALL,
    unsafe: true,
    note: 'keras.io monocular depth / image denoising: an SSIM + edge loss on tf.image.ssim and tf.image.image_gradients and a tf.image.psnr metric become image_ssim / image_gradients / image_psnr helpers on keras.ops, defined once after the imports; fit runs on every backend.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\ndef depth_loss(target, pred):\n    dy_true, dx_true = tf.image.image_gradients(target)\n    dy_pred, dx_pred = tf.image.image_gradients(pred)\n    edges = tf.reduce_mean(tf.abs(dy_pred - dy_true)) + tf.reduce_mean(tf.abs(dx_pred - dx_true))\n    ssim = tf.reduce_mean(1 - tf.image.ssim(target, pred, max_val=1.0, filter_size=7, k1=0.01**2, k2=0.03**2))\n    return ssim + edges\n\n\ndef psnr(y_true, y_pred):\n    return tf.image.psnr(y_true, y_pred, max_val=1.0)\n\n\ninputs = keras.Input((16, 16, 2))\nmodel = keras.Model(inputs, keras.layers.Conv2D(2, 3, padding="same", activation="sigmoid")(inputs))\nmodel.compile("adam", loss=depth_loss, metrics=[psnr])\nx = np.random.rand(8, 16, 16, 2).astype("float32")\nhistory = model.fit(x, x, epochs=1, batch_size=4, verbose=0)\nassert np.isfinite(history.history["loss"][0]) and np.isfinite(history.history["psnr"][0])\n'
  },
  {
    id: 'string-lookups-moved-in-two-cells',
    backends: ALL,
    unsafe: true,
    note: 'TF preprocessing-layers tutorial shape: string Inputs and their StringLookups in two cells, the model built in the second; each cell gets the moved_lookup helpers, and the second copy keeps the lookups the first registered (a fresh registry dropped them: "Invalid dtype: object" on every backend).',
    cells: [
      'import keras, numpy as np, tensorflow as tf\ncolor = keras.Input(name="color", shape=(1,), dtype="string")\ncolor_ids = keras.layers.StringLookup(vocabulary=["red", "blue"])(color)\n',
      'size = keras.Input(name="size", shape=(1,), dtype="string")\nsize_ids = keras.layers.StringLookup(vocabulary=["s", "m"])(size)\nx = keras.layers.concatenate([keras.layers.Embedding(3, 2)(color_ids), keras.layers.Embedding(3, 2)(size_ids)])\nmodel = keras.Model({"color": color, "size": size}, keras.layers.Dense(1)(keras.layers.Flatten()(x)))\nmodel.compile("adam", "mse")\ndata = {"color": np.array([["red"], ["blue"]], dtype=object), "size": np.array([["s"], ["m"]], dtype=object)}\nmodel.fit(data, np.ones((2, 1)), verbose=0)\n'
    ]
  },
  {
    id: 'string-lookups-nested-map-function-and-unused-input',
    backends: ALL,
    unsafe: true,
    note: 'keras.io Behavior Sequence Transformer shape: the tf.strings parsing in a function nested in the dataset helper and given to .map (data code, it used to refuse the fix), and a string Input the model does not use (include_user_id=False): its data becomes zeros (it stayed strings: "Invalid dtype: object" on JAX and PyTorch); the eager predict path on a dict of object arrays too.',
    input: "import keras, numpy as np, tensorflow as tf\n\n\ndef get_dataset(batch_size=4):\n    def process(features):\n        movies = tf.strings.split(features[\"movies\"], \",\").to_tensor(shape=[None, 2])\n        features[\"movies\"] = movies\n        return features, tf.ones((tf.shape(movies)[0], 1))\n\n    data = {\"user\": [\"u1\", \"u2\", \"u1\", \"u3\"], \"movies\": [\"a,b\", \"b,c\", \"c,a\", \"a,a\"]}\n    return tf.data.Dataset.from_tensor_slices(data).batch(batch_size).map(process)\n\n\ndef create_inputs():\n    return {\n        \"user\": keras.Input(name=\"user\", shape=(), dtype=tf.string),\n        \"movies\": keras.Input(name=\"movies\", shape=(2,), dtype=tf.string),\n    }\n\n\ndef build(inputs, include_user=False):\n    movie_lookup = keras.layers.StringLookup(vocabulary=[\"a\", \"b\", \"c\"], num_oov_indices=0)\n    ids = movie_lookup(inputs[\"movies\"])\n    x = keras.layers.Flatten()(keras.layers.Embedding(3, 2)(ids))\n    if include_user:\n        user_ids = keras.layers.StringLookup(vocabulary=[\"u1\", \"u2\", \"u3\"])(inputs[\"user\"])\n        x = keras.layers.concatenate([x, keras.layers.Embedding(4, 2)(user_ids)])\n    return keras.Model(inputs, keras.layers.Dense(1)(x))\n\n\nmodel = build(create_inputs())\nmodel.compile(\"adam\", \"mse\")\nmodel.fit(get_dataset(), epochs=2, verbose=0)\nprint(model.evaluate(get_dataset(), verbose=0))\nprint(model.predict({\"user\": np.array([\"u1\", \"u9\"], dtype=object), \"movies\": np.array([[\"a\", \"b\"], [\"c\", \"c\"]], dtype=object)}, verbose=0).shape)\n"
  },
  {
    id: 'layer-on-constant-added-to-derived-name',
    backends: ALL,
    note: 'keras.io Behavior Sequence Transformer: the position Embedding on tf.range added to a name its helper computed from its parameter (through a nested helper); keras.ops.stop_gradient keeps the constant (PyTorch: "Trying to backward through the graph a second time").',
    input: "import numpy as np\nimport tensorflow as tf\nimport keras\n\n\ndef encode(inputs, seq_len=4):\n    movie_embedding = keras.layers.Embedding(10, 8)\n\n    def encode_movie(movie_id):\n        return movie_embedding(movie_id)\n\n    encoded = encode_movie(inputs[\"movies\"])\n    position_embedding = keras.layers.Embedding(seq_len, 8)\n    positions = tf.range(start=0, limit=seq_len, delta=1)\n    encoded_positions = position_embedding(positions)\n    return keras.layers.Multiply()([(encoded + encoded_positions), inputs[\"ratings\"]])\n\n\ninputs = {\"movies\": keras.Input(shape=(4,), dtype=\"int64\"), \"ratings\": keras.Input(shape=(4, 1))}\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(encode(inputs))))\nmodel.compile(\"adam\", \"mse\")\ndata = {\"movies\": np.arange(16).reshape(4, 4) % 10, \"ratings\": np.ones((4, 4, 1), \"float32\")}\nmodel.fit(data, np.ones((4, 1)), epochs=2, batch_size=2, verbose=0)\n"
  },
  {
    id: 'legacy-optimizer-api-shim',
    backends: ALL,
    unsafe: true,
    note: 'An OptimizerV2 subclass (AdaBelief/RAdam style: _set_hyper with the lr alias and decay, two slots with add_slot, _resource_apply_dense with _decayed_lr/_get_hyper/get_slot, var.dtype.base_dtype, TF ops, get_config with _serialize_hyperparameter) derived from the added Keras2Optimizer; trains and round-trips its config on every backend (as written: "Argument(s) not recognized: {\'lr\': 0.05}").',
    input: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass AdaMomentum(keras.optimizers.legacy.Optimizer):\n    def __init__(self, learning_rate=0.01, beta=0.9, name=\"AdaMomentum\", **kwargs):\n        super().__init__(name, **kwargs)\n        self._set_hyper(\"learning_rate\", kwargs.get(\"lr\", learning_rate))\n        self._set_hyper(\"decay\", self._initial_decay)\n        self._set_hyper(\"beta\", beta)\n\n    def _create_slots(self, var_list):\n        for var in var_list:\n            self.add_slot(var, \"m\")\n        for var in var_list:\n            self.add_slot(var, \"v\", initializer=\"ones\")\n\n    def _resource_apply_dense(self, grad, var, apply_state=None):\n        var_dtype = var.dtype.base_dtype\n        lr_t = self._decayed_lr(var_dtype)\n        beta = self._get_hyper(\"beta\", var_dtype)\n        m = self.get_slot(var, \"m\")\n        v = self.get_slot(var, \"v\")\n        m_t = m.assign(beta * m + (1.0 - beta) * grad)\n        v_t = v.assign(0.99 * v + 0.01 * tf.square(grad))\n        return var.assign_sub(lr_t * m_t / (tf.sqrt(v_t) + 1e-7))\n\n    def get_config(self):\n        config = super().get_config()\n        config.update({\"learning_rate\": self._serialize_hyperparameter(\"learning_rate\"), \"decay\": self._initial_decay, \"beta\": self._serialize_hyperparameter(\"beta\")})\n        return config\n\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.compile(optimizer=AdaMomentum(lr=0.05, decay=0.01), loss=\"mse\")\nx = np.random.default_rng(0).normal(size=(32, 4)).astype(\"float32\")\nhistory = model.fit(x, x.sum(axis=1, keepdims=True), epochs=3, batch_size=8, verbose=0)\nassert history.history[\"loss\"][-1] < history.history[\"loss\"][0], history.history\nrestored = AdaMomentum.from_config(model.optimizer.get_config())\nprint(restored.get_config()[\"beta\"])\n"
  },
  {
    id: 'activation-in-conditional-expression',
    backends: ALL,
    note: 'keras.io CaiT mlp helper: Dense(units, activation=tf.nn.gelu if idx == 0 else None): the TF activation in a branch of the conditional becomes keras.activations.gelu (same approximate=False default).',
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\ndef mlp(x, hidden_units):\n    for idx, units in enumerate(hidden_units):\n        x = keras.layers.Dense(units, activation=tf.nn.gelu if idx == 0 else None)(x)\n    return x\n\n\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, mlp(inputs, [8, 2]))\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 4)), np.ones((8, 2)), epochs=1, verbose=0)\n'
  },
  {
    id: 'layer-on-constant-in-helper-of-keras-tensor',
    backends: ALL,
    note: "keras.io TokenLearner: position_embedding(projected_patches) calls an Embedding on tf.range and adds it to its parameter, a KerasTensor: the constant is kept with keras.ops.stop_gradient (PyTorch's second backward pass failed).",
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\ndef position_embedding(projected_patches, num_patches=4, projection_dim=8):\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n    encoded_positions = keras.layers.Embedding(input_dim=num_patches, output_dim=projection_dim)(positions)\n    return projected_patches + encoded_positions\n\n\ninputs = keras.Input(shape=(4, 8))\nx = keras.layers.Dense(8)(inputs)\nmodel = keras.Model(inputs, position_embedding(x))\nmodel.compile("adam", "mse")\nmodel.fit(np.ones((8, 4, 8)), np.ones((8, 4, 8)), epochs=2, batch_size=4, verbose=0)\n'
  },
  {
    id: 'matmul-transpose-b-on-tf-variable',
    backends: ['tensorflow'],
    note: "keras.io VQ-VAE: the codebook kept as a tf.Variable attribute and tf.matmul(..., transpose_b=True) against it; keras.ops.swapaxes cannot take a ResourceVariable on TensorFlow, so that matmul is left to --unsafe (where the tf.Variable becomes a keras.Variable); the safe fixes keep it running on TensorFlow.",
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass VectorQuantizer(keras.layers.Layer):\n    def __init__(self, num_embeddings, embedding_dim, **kwargs):\n        super().__init__(**kwargs)\n        w_init = tf.random_uniform_initializer()\n        self.embeddings = tf.Variable(initial_value=w_init(shape=(embedding_dim, num_embeddings), dtype="float32"), trainable=True)\n        self.num_embeddings = num_embeddings\n\n    def call(self, x):\n        indices = tf.argmin(tf.matmul(x, self.embeddings), axis=1)\n        encodings = tf.one_hot(indices, self.num_embeddings)\n        return tf.matmul(encodings, self.embeddings, transpose_b=True)\n\n\ninputs = keras.Input((4,))\nmodel = keras.Model(inputs, VectorQuantizer(8, 4)(inputs))\nprint(model.predict(np.ones((2, 4), "float32"), verbose=0).shape)\n'
  },
  {
    id: 'numpy-on-model-helper-method',
    backends: ALL,
    note: "keras.io speech Transformer's callback: .numpy() on what a helper method of the model (greedy decoding with keras.ops) returns (a JAX array has none).",
    input:
      'import keras\nimport numpy as np\n\n\nclass Decoder(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.head = keras.layers.Dense(5)\n\n    def call(self, x):\n        return self.head(x)\n\n    def generate(self, x):\n        ids = keras.ops.zeros((2, 1), "int32")\n        for _ in range(3):\n            ids = keras.ops.concatenate([ids, keras.ops.argmax(self(x), axis=-1)[:, None]], axis=-1)\n        return ids\n\n\nclass Show(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        preds = self.model.generate(np.ones((2, 3)))\n        print(preds.numpy())\nm = Decoder()\nm.compile("adam", "mse")\nm.fit(np.ones((4, 3)), np.ones((4, 5)), epochs=1, verbose=0, callbacks=[Show()])\n'
  },
  {
    id: 'input-integer-shape',
    backends: ALL,
    note: "keras.io DDPG's critic: layers.Input(shape=(num_states)) with a module constant (an int, not a tuple), keras.Input(n) and InputLayer(input_shape=len(...)); Keras 3 raises \"Cannot convert '3' to a shape.\"",
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\nnum_states = 3\nchars = "ab"\n\n\ndef get_critic():\n    state_input = layers.Input(shape=(num_states))\n    action_input = keras.Input(1)\n    concat = layers.Concatenate()([state_input, action_input])\n    return keras.Model([state_input, action_input], layers.Dense(1)(concat))\n\n\ncritic = get_critic()\nprint(critic([np.ones((2, 3)), np.ones((2, 1))]).shape)\nseq = keras.Sequential([layers.InputLayer(input_shape=len(chars)), layers.Dense(2)])\nprint(seq(np.ones((1, 2))).shape)\n'
  },
  {
    id: 'tf-function-soft-target-update',
    backends: ALL,
    note: "keras.io DDPG's @tf.function update_target assigning into target_model.variables (KerasVariables become tensors inside a tf.function in Keras 3); the decorator removed, the loop runs eagerly.",
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef get_actor():\n    inputs = layers.Input(shape=(3,))\n    outputs = layers.Dense(1, activation="tanh")(inputs)\n    return keras.Model(inputs, outputs)\n\n\n@tf.function\ndef update_target(target_weights, weights, tau):\n    for (a, b) in zip(target_weights, weights):\n        a.assign(b * tau + a * (1 - tau))\n\n\nactor_model = get_actor()\ntarget_actor = get_actor()\nfor _ in range(3):\n    update_target(target_actor.variables, actor_model.variables, 0.5)\nprint(np.abs(np.asarray(target_actor.variables[0]) - np.asarray(actor_model.variables[0])).max())\n'
  },
  {
    id: 'weights-legacy-arguments',
    backends: ALL,
    note: "keras.io Zero-DCE's save_weights override forwarded save_format= and options= (TypeError in Keras 3).",
    input:
      'import numpy as np\nimport keras\n\n\nclass Wrapper(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n\n    def call(self, x):\n        return self.inner(x)\n\n    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):\n        self.inner.save_weights(filepath, overwrite=overwrite, save_format=save_format, options=options)\n\n    def load_weights(self, filepath, skip_mismatch=False, options=None):\n        self.inner.load_weights(filepath, skip_mismatch=skip_mismatch, options=options)\n\n\nmodel = Wrapper()\nmodel(np.ones((2, 3), "float32"))\nmodel.save_weights("w.weights.h5")\nmodel.load_weights("w.weights.h5")\n'
  },
  {
    id: 'tf-op-on-unpacked-layer-output',
    backends: ALL,
    note: 'keras.io involution / Zero-DCE: a TF op on one element of a layer\'s outputs at the top level, and on arithmetic with a model output in a helper.',
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Pair(keras.layers.Layer):\n    def build(self, input_shape):\n        self.dense = keras.layers.Dense(2)\n\n    def call(self, x):\n        y = self.dense(x)\n        return y, y * 2\n\n\nlayer = Pair()\n_, kernel = layer(np.ones((1, 3), "float32"))\nkernel = tf.reduce_sum(kernel, axis=[-1])\nprint(float(kernel[0]))\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])\n\n\ndef infer(image):\n    output = model(image)\n    output = tf.cast((output[0] * 255), dtype=np.uint8)\n    return output.numpy()\n\n\nprint(infer(np.ones((1, 3), "float32")).dtype)\n'
  },
  {
    id: 'fill-scalar-shape',
    backends: ALL,
    note: "keras.io DDPM's sampling loop: tf.fill(num_images, t) with an integer shape; keras.ops.full needs (num_images,) (an int fails on TensorFlow and PyTorch).",
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Sampler(keras.layers.Layer):\n    def call(self, x, num_images=4):\n        steps = 3\n        tt = tf.cast(tf.fill(num_images, steps), dtype=tf.int64)\n        return x + tf.cast(tf.reduce_sum(tt), x.dtype) + tf.fill(x.shape, 1.0) + tf.fill([2, 3], 0.5)\n\n\nlayer = Sampler()\nprint(layer(np.ones((2, 3), "float32")))\n'
  },
  {
    id: 'keras-backend-segmentation-helpers',
    backends: ALL,
    note: 'Kaggle-style Dice metric with K.flatten and a CoordConv layer with K.int_shape, K.expand_dims without axis, K.tile over K.stack of scalars, K.concatenate without axis and K.dtype, trained (TensorFlow graph mode).',
    input:
      'import numpy as np\nimport keras\nfrom keras import backend as K\n\n\ndef dice_coef(y_true, y_pred, smooth=1.0):\n    y_true_f = K.flatten(y_true)\n    y_pred_f = K.flatten(y_pred)\n    intersection = K.sum(y_true_f * y_pred_f)\n    return (2.0 * intersection + smooth) / (K.sum(y_true_f) + K.sum(y_pred_f) + smooth)\n\n\nclass AddCoords(keras.layers.Layer):\n    def call(self, inputs):\n        batch_size = keras.ops.shape(inputs)[0]\n        _, h, w, c = K.int_shape(inputs)\n        rows = keras.ops.arange(0, h, dtype="float32") / (h - 1)\n        rows = K.expand_dims(K.expand_dims(rows))\n        rows = K.tile(rows, [1, w, 1])\n        rows = K.expand_dims(rows, 0)\n        rows = K.tile(rows, K.stack([batch_size, 1, 1, 1]))\n        return K.concatenate([inputs, K.cast(rows, K.dtype(inputs))])\n\n\ninputs = keras.Input((4, 4, 1))\noutputs = keras.layers.Conv2D(1, 1, activation="sigmoid")(AddCoords()(inputs))\nmodel = keras.Model(inputs, outputs)\nmodel.compile(optimizer="adam", loss=lambda t, p: 1.0 - dice_coef(t, p), metrics=[dice_coef])\nx = np.random.rand(8, 4, 4, 1).astype("float32")\nmodel.fit(x, (x > 0.5).astype("float32"), batch_size=4, epochs=1, verbose=0)\nprint(model.predict(x[:2], verbose=0).shape)\n'
  },
  {
    id: 'sequential-output-attribute',
    backends: ALL,
    note: "keras.io Grad-CAM's grad model on a Sequential model never called on a tensor (model.output -> model.outputs[0]).",
    input:
      'import numpy as np\nimport keras\n\nmodel = keras.Sequential(\n    [keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)]\n)\ngrad_model = keras.models.Model([model.inputs], [model.get_layer("conv").output, model.output])\nconv, preds = grad_model(np.ones((1, 8, 8, 3), "float32"))\nprint(conv.shape, preds.shape)\n'
  },
  {
    id: 'top-k-values-field',
    backends: ALL,
    note: "keras.io-style `tf.math.top_k(x, k=...).values` in a layer: keras.ops.top_k returns a plain tuple (JAX's has no `.values`), so the field becomes `[0]`; trained (TensorFlow graph mode) and compared with the expected values.",
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass TopValues(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.top_k(x, k=2).values + tf.nn.top_k(x, 2, sorted=True).values\n\n\nx = np.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]], "float32")\nout = keras.ops.convert_to_numpy(TopValues()(x))\nassert np.allclose(out, [[6.0, 4.0], [8.0, 1.0]]), out\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(TopValues()(keras.layers.Dense(4)(inputs))))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.random.rand(8, 3), np.random.rand(8, 1), batch_size=4, epochs=1, verbose=0)\n'
  },
  {
    id: 'band-part-look-ahead-mask',
    backends: ALL,
    note: "TF tutorials' look-ahead mask `1 - tf.linalg.band_part(ones, -1, 0)` and a band with literal bounds in a layer: keras.ops.tril / triu give the same values; trained (TensorFlow graph mode).",
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Masked(keras.layers.Layer):\n    def call(self, x):\n        mask = 1.0 - tf.linalg.band_part(keras.ops.ones((4, 4)), -1, 0)\n        band = tf.linalg.band_part(x, 1, 2)\n        return x * mask + band\n\n\nx = np.arange(16, dtype="float32").reshape(1, 4, 4)\nm = np.triu(np.ones((4, 4)), 1)\nout = keras.ops.convert_to_numpy(Masked()(x))\nassert np.allclose(out, x * m + np.triu(np.tril(x, 2), -1)), out\ninputs = keras.Input((4, 4))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(Masked()(keras.layers.Dense(4)(inputs)))))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.random.rand(8, 4, 4), np.random.rand(8, 1), batch_size=4, epochs=1, verbose=0)\n'
  },
  {
    id: 'imports',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), layers.Dense(1)])\nprint(model(np.zeros((1, 2), "float32")).shape)\n'
  },
  {
    id: 'layer-name-slash',
    backends: ALL,
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\ninputs = keras.Input((3,))\nx = layers.Dense(4, name="encoder_{}/dense".format(0))(inputs)\nx = layers.LayerNormalization(name=f"encoder_{0}/norm")(x)\nmodel = keras.Model(inputs, layers.Dense(1)(x))\nbody = keras.Model(model.input, model.get_layer("encoder_0/norm").output)\nprint(body(np.zeros((1, 3), "float32")).shape)\n'
  },
  {
    id: 'csv-dataset-ordered-dict',
    backends: ALL,
    note: 'Columns not in sorted order: Keras 3 would match them to the inputs by position.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nwith open("t.csv", "w") as f:\n    for i in range(16):\n        f.write(f"{i * 0.5},{i % 3},{i % 2}\\n")\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, column_names=["zeta", "job", "y"], column_defaults=[0.0, 0, 0], label_name="y", num_epochs=1, header=False, shuffle=False)\ninputs = {"zeta": keras.Input((), name="zeta"), "job": keras.Input((), dtype="int32", name="job")}\nx = keras.layers.concatenate([keras.layers.Reshape((1,))(inputs["zeta"]), keras.layers.Flatten()(keras.layers.Embedding(3, 2)(inputs["job"]))])\nmodel = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))\nmodel.compile("adam", "binary_crossentropy")\nmodel.fit(ds, epochs=1, verbose=0)\n'
  },
  {
    id: 'savedmodel-save',
    backends: ALL,
    note: 'Nothing reads the folder as a SavedModel: the fix saves a .keras file, which runs on every backend (model.export() raises on PyTorch).',
    input:
      'from tensorflow import keras\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.save("exported_model")\n'
  },
  {
    id: 'savedmodel-load',
    backends: ['tensorflow'],
    note: 'TFSMLayer runs TensorFlow code: TensorFlow backend only.',
    input:
      'import numpy as np\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])\nmodel.export("sm")\nrestored = tf.keras.models.load_model("sm")\nprint(restored(np.zeros((1, 2), "float32")))\n'
  },
  {
    id: 'tf-variable-tracking',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = tf.Variable(np.ones(input_shape[-1:], "float32"))\n\n    def call(self, x):\n        return x * self.w\n\nlayer = Scale()\nlayer(np.ones((1, 3), "float32"))\nassert len(layer.trainable_weights) == 1\n'
  },
  {
    id: 'tf-variable-counter',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Counter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.calls = tf.Variable(0, trainable=False)\n        self.total = tf.Variable(0, dtype=tf.int64, trainable=False)\n\n    def call(self, x):\n        self.calls.assign_add(1)\n        return x\n\nlayer = Counter()\nlayer(np.ones((1, 2), "float32"))\nassert len(layer.non_trainable_weights) == 2\nassert keras.backend.standardize_dtype(layer.calls.dtype) == "int32", layer.calls.dtype\nassert keras.backend.standardize_dtype(layer.total.dtype) == "int64", layer.total.dtype\nassert int(keras.ops.convert_to_numpy(layer.calls)) == 1\n'
  },
  {
    id: 'train-step-submodel',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'def net(width):\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(width, activation="relu"), keras.layers.Dense(3)])\n\n' +
      'class Distiller(keras.Model):\n    def __init__(self, student, teacher):\n        super().__init__()\n        self.teacher = teacher\n        self.student = student\n\n' +
      '    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn):\n        super().compile(optimizer=optimizer, metrics=metrics)\n        self.student_loss_fn = student_loss_fn\n        self.distillation_loss_fn = distillation_loss_fn\n\n' +
      '    def train_step(self, data):\n        x, y = data\n        teacher_logits = self.teacher(x, training=False)\n        with tf.GradientTape() as tape:\n            student_logits = self.student(x, training=True)\n            student_loss = self.student_loss_fn(y, student_logits)\n            distillation_loss = self.distillation_loss_fn(tf.nn.softmax(teacher_logits / 3.0, axis=1), tf.nn.softmax(student_logits / 3.0, axis=1))\n            loss = 0.1 * student_loss + 0.9 * distillation_loss\n' +
      '        trainable_vars = self.student.trainable_variables\n        gradients = tape.gradient(loss, trainable_vars)\n        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n        self.compiled_metrics.update_state(y, student_logits)\n        results = {m.name: m.result() for m in self.metrics}\n        results.update({"student_loss": student_loss, "distillation_loss": distillation_loss})\n        return results\n\n' +
      '    def test_step(self, data):\n        x, y = data\n        y_prediction = self.student(x, training=False)\n        student_loss = self.student_loss_fn(y, y_prediction)\n        self.compiled_metrics.update_state(y, y_prediction)\n        results = {m.name: m.result() for m in self.metrics}\n        results.update({"student_loss": student_loss})\n        return results\n\n' +
      'x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")\ny = np.arange(32) % 3\nteacher, student = net(8), net(2)\nteacher.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nteacher.fit(x, y, epochs=1, verbose=0)\n' +
      'teacher_before = [w.copy() for w in teacher.get_weights()]\nstudent_before = [w.copy() for w in student.get_weights()]\n' +
      'distiller = Distiller(student, teacher)\ndistiller.compile(optimizer=keras.optimizers.Adam(0.01), metrics=[keras.metrics.SparseCategoricalAccuracy()], student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True), distillation_loss_fn=keras.losses.KLDivergence())\n' +
      'history = distiller.fit(x, y, epochs=2, batch_size=8, verbose=0)\nassert "sparse_categorical_accuracy" in history.history, history.history\n' +
      '# Only the student learns, as with the Keras 2 step.\nassert all(np.array_equal(a, b) for a, b in zip(teacher_before, teacher.get_weights()))\nassert not all(np.array_equal(a, b) for a, b in zip(student_before, student.get_weights()))\n' +
      'print(distiller.evaluate(x, y, verbose=0))\n'
  },
  {
    id: 'preprocessing-model-in-tf-data',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n' +
      'aug_in = keras.Input(shape=(8, 8, 3))\naug_out = layers.RandomFlip("horizontal")(aug_in)\naug_out = layers.RandomTranslation(0.1, 0.1)(aug_out)\naugmenter = keras.Model(aug_in, aug_out, name="augmenter")\n\n\n' +
      'def augment(image, label):\n    return augmenter(image, training=True), label\n\n\n' +
      'images = np.random.default_rng(0).uniform(0, 255, size=(8, 8, 8, 3)).astype("float32")\n' +
      'ds = tf.data.Dataset.from_tensor_slices((images, np.arange(8))).batch(4).map(augment)\n' +
      'batches = [b for b, _ in ds]\nassert len(batches) == 2 and tuple(batches[0].shape) == (4, 8, 8, 3)\n'
  },
  {
    id: 'removed-features',
    backends: ALL,
    input: 'import numpy as np\nimport keras\n\nact = keras.layers.ThresholdedReLU(theta=0.5)\nprint(act(np.array([[0.2, 0.7]], "float32")))\n'
  },
  {
    id: 'keras-ops',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Normalize(keras.layers.Layer):\n    def call(self, x):\n        total = tf.reduce_sum(x, axis=1, keepdims=True)\n        return tf.concat([x / total, total], -1)\n\ndef loss_fn(y_true, y_pred):\n    return tf.abs(y_true - y_pred)\n\nprint(Normalize()(np.ones((2, 3), "float32")))\nprint(loss_fn(np.ones(2, "float32"), np.zeros(2, "float32")))\nlayer = keras.layers.Dense(2, activation=tf.nn.relu)\nprint(layer(np.ones((1, 2), "float32")))\n'
  },
  {
    id: 'keras-backend',
    backends: ALL,
    input:
      'import numpy as np\nfrom keras import backend as K\n\ndef loss(y_true, y_pred):\n    err = K.square(y_pred - y_true) + K.abs(y_pred)\n    both = K.concatenate([K.expand_dims(err, axis=-1), K.expand_dims(K.relu(y_pred), -1)], axis=-1)\n    return K.sum(K.squeeze(both[..., :1], axis=-1), axis=-1)\n\nout = loss(np.ones((2, 3), "float32"), np.zeros((2, 3), "float32"))\nassert np.allclose(np.asarray(out), [3.0, 3.0]), out\n'
  },
  {
    id: 'keras-backend-sqrt',
    backends: ALL,
    note: 'Keras 2 K.sqrt clipped negative inputs to 0; the rewrite must too.',
    input:
      'import numpy as np\nfrom keras import backend as K\n\ndef rmse(y_true, y_pred):\n    return K.sqrt(K.sum(K.square(y_pred - y_true), axis=-1))\n\nroots = K.sqrt(np.array([-1.0, 4.0], "float32"))\nassert np.allclose(np.asarray(roots), [0.0, 2.0]), roots\nassert np.allclose(np.asarray(rmse(np.zeros((1, 2), "float32"), np.full((1, 2), 3.0, "float32"))), [np.sqrt(18.0)])\n'
  },
  {
    id: 'kerastensor-tf-op',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\ninputs = keras.Input((4,))\nx = keras.layers.Dense(3)(inputs)\ny = tf.nn.relu(x)\nmodel = keras.Model(inputs, y)\nprint(model(np.ones((1, 4), "float32")).shape)\n'
  },
  {
    id: 'tf-keras-aliases',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1, kernel_initializer=tf.initializers.zeros())])\nmodel.compile(optimizer=tf.keras.optimizers.legacy.Adam(learning_rate=1e-3), loss=tf.losses.MeanSquaredError(), metrics=[tf.metrics.MeanAbsoluteError()])\nmodel.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)\n'
  },
  {
    id: 'moved-modules',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom keras.layers.core import Dense\nfrom keras.utils.np_utils import to_categorical\n\nschedule = tf.keras.experimental.CosineDecay(0.1, 100)\nlayer = Dense(2)\nprint(layer(np.ones((1, 3), "float32")).shape, to_categorical([0, 1]).shape, float(schedule(0)))\n'
  },
  {
    id: 'add-weight',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")\n\n    def call(self, x):\n        return x * self.w\n\nlayer = Scale()\nprint(layer(np.ones((1, 3), "float32")))\nassert layer.w.name == "w" and tuple(layer.w.shape) == (3,)\n'
  },
  {
    id: 'reset-states',
    backends: ALL,
    note: 'The custom reset writes -1 so that the run shows it is the method Keras 3 calls.',
    input:
      'import numpy as np\nimport keras\n\nclass Total(keras.metrics.Metric):\n    def __init__(self, name="total", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.total = self.add_weight(name="total", initializer="zeros")\n\n    def update_state(self, values, sample_weight=None):\n        self.total.assign_add(keras.ops.sum(values))\n\n    def result(self):\n        return self.total\n\n    def reset_states(self):\n        self.total.assign(-1.0)\n\ntotal = Total()\ntotal.update_state(np.ones(3, "float32"))\ntotal.reset_state()\nassert float(total.result()) == -1.0\nmean = keras.metrics.Mean()\nmean.update_state(np.ones(3, "float32"))\nmean.reset_states()\nassert float(mean.result()) == 0.0\n'
  },
  {
    id: 'removed-model-method',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])\nprobs = model.predict_proba(np.ones((4, 2), "float32"))\nassert probs.shape == (4, 3) and np.allclose(probs.sum(axis=-1), 1.0, atol=1e-5)\n'
  },
  {
    id: 'callback-arguments',
    backends: ALL,
    input:
      'import keras\n\nreduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, epsilon=0.25)\nassert reduce_lr.min_delta == 0.25\nboard = keras.callbacks.TensorBoard(log_dir="logs", write_grads=True, batch_size=32)\n'
  },
  {
    id: 'optimizer-lr-attribute',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")\nmodel.optimizer.lr = 0.01\nmodel.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)\nassert abs(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) - 0.01) < 1e-7\n'
  },
  {
    id: 'optimizer-lr-traced-instance',
    backends: ALL,
    input:
      'import keras\n\n\nclass Centralized(keras.optimizers.SGD):\n    pass\n\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer=Centralized(learning_rate=0.1), loss="mse")\ncurrent = model.optimizer\nrestored = Centralized.from_config(current.get_config())\nfetched = keras.optimizers.get("adam")\nrebuilt = keras.optimizers.Adam.from_config(fetched.get_config())\nprint(float(keras.ops.convert_to_numpy(current.lr)), float(keras.ops.convert_to_numpy(restored.lr)))\nprint(float(keras.ops.convert_to_numpy(fetched.lr)), float(keras.ops.convert_to_numpy(rebuilt.lr)))\n'
  },
  {
    id: 'keras-backend-set-value',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\nfrom keras import backend as K\n\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        K.set_value(self.model.optimizer.lr, 0.5 ** (epoch + 1))\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")\nmodel.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=2, verbose=0, callbacks=[Decay()])\nassert abs(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) - 0.25) < 1e-7\n'
  },
  {
    id: 'regularizer-factor',
    backends: ALL,
    input: 'import keras\n\nreg = keras.regularizers.l2(l=0.01)\nassert abs(reg.l2 - 0.01) < 1e-9\nlayer = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.l1(l=0.5))\n'
  },
  {
    id: 'compile-metrics-not-a-list',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])\nmodel.compile(optimizer="adam", loss="binary_crossentropy", metrics=keras.metrics.BinaryAccuracy(), weighted_metrics="mae")\nhistory = model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)\nassert "binary_accuracy" in history.history and "mae" in history.history, history.history\n'
  },
  {
    id: 'tensor-numpy-method',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(3)])\nout = model(np.ones((4, 2), "float32"))\nlabels = out.numpy().argmax(axis=1)\nassert labels.shape == (4,) and isinstance(model(np.ones((1, 2), "float32")).numpy(), np.ndarray)\n'
  },
  {
    id: 'tensor-numpy-method-results',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\nloss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nprint(loss_fn(np.array([1]), np.array([[0.2, 0.8]], "float32")).numpy())\nacc = tf.keras.metrics.Accuracy()\nacc.update_state(np.array([1, 0]), np.array([1, 1]))\nassert float(acc.result().numpy()) == 0.5\nprint(tf.keras.ops.softmax(np.ones((1, 3), "float32")).numpy())\n'
  },
  {
    id: 'tf-op-on-model-output',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nprobs = model(tf.constant(np.ones((2, 4), "float32")))\nlabels = tf.argmax(probs, axis=-1).numpy()\nassert labels.shape == (2,)\nprint(tf.nn.softmax(model(np.ones((1, 4), "float32"))).numpy())\n'
  },
  {
    id: 'rng-seed-generator',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Jitter(keras.layers.Layer):\n    def __init__(self, stddev, **kwargs):\n        super().__init__(**kwargs)\n        self.stddev = stddev\n\n    def call(self, x, training=False):\n        if training:\n            return x + tf.random.normal(keras.ops.shape(x), stddev=self.stddev, seed=1)\n        return x\n\nclass Sampling(keras.layers.Layer):\n    def call(self, inputs):\n        mean, log_var = inputs\n        return mean + keras.ops.exp(0.5 * log_var) * keras.random.normal(keras.ops.shape(mean))\n\ninputs = keras.Input((4,))\nh = Jitter(0.1)(inputs)\nz = Sampling()([keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)])\nmodel = keras.Model(inputs, keras.layers.Dense(1)(z))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)\nassert model.predict(np.ones((2, 4), "float32"), verbose=0).shape == (2, 1)\n'
  },
  {
    id: 'batch-input-shape',
    backends: ['tensorflow', 'jax'],
    note: 'Training a stateful RNN fails on the PyTorch backend (KM193), with or without the fix.',
    input:
      'import numpy as np\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential([\n    tf.keras.layers.LSTM(4, stateful=True, batch_input_shape=(2, 5, 1)),\n    tf.keras.layers.Dense(1),\n])\nmodel.compile(loss="mse", optimizer="adam")\nmodel.fit(np.ones((4, 5, 1), "float32"), np.ones((4, 1), "float32"), batch_size=2, epochs=1, shuffle=False, verbose=0)\nassert model.input_shape == (2, 5, 1)\n'
  },
  {
    id: 'model-reset-states',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nforecaster = keras.Sequential([keras.Input(batch_shape=(2, 3, 1)), keras.layers.LSTM(4, stateful=True), keras.layers.Dense(1)])\nfirst = forecaster.predict(np.ones((2, 3, 1), "float32"), verbose=0)\nforecaster.predict(np.ones((2, 3, 1), "float32"), verbose=0)\nforecaster.reset_states()\nassert np.allclose(forecaster.predict(np.ones((2, 3, 1), "float32"), verbose=0), first, atol=1e-6)\n'
  },
  {
    id: 'call-training-without-default',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\nclass Block(tf.keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = tf.keras.layers.Dense(2)\n        self.dropout = tf.keras.layers.Dropout(0.5)\n\n    def call(self, inputs, training):\n        return self.dropout(self.dense(inputs), training=training)\n\ninputs = tf.keras.Input((3,))\nmodel = tf.keras.Model(inputs, Block()(inputs))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), epochs=1, verbose=0)\nassert model.predict(np.ones((2, 3), "float32"), verbose=0).shape == (2, 2)\n'
  },
  {
    id: 'positional-training-argument',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\nclass Encoder(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(4)\n        self.dropout = keras.layers.Dropout(0.5)\n\n    def call(self, x, training, mask):\n        return self.dropout(self.dense(x), training) * mask\n\nclass Stack(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [Encoder() for _ in range(2)]\n        self.head = keras.layers.Dense(1)\n\n    def call(self, x, training=False):\n        mask = keras.ops.ones_like(x[:, :1])\n        h = keras.ops.concatenate([x, x], axis=-1)\n        for block in self.blocks:\n            h = block(h, training, mask)\n        return self.head(h)\n\nmodel = Stack()\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)\nassert model.predict(np.ones((2, 2), "float32"), verbose=0).shape == (2, 1)\n'
  },
  {
    id: 'positional-training-argument-functional',
    backends: ALL,
    note: 'A layer constructed and called in one expression of the Functional API (Keras 2 always-on dropout).',
    input:
      'import numpy as np\nimport keras\n\ninputs = keras.Input((3,))\nx = keras.layers.Dropout(0.5)(inputs, True)\nmodel = keras.Model(inputs, keras.layers.Dense(1)(x))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)\n'
  },
  {
    id: 'lr-schedule-returns-tensor',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\ndef scheduler(epoch, lr):\n    if epoch < 1:\n        return lr\n    return lr * tf.math.exp(-0.1)\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01), loss="mse")\nmodel.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), epochs=2, verbose=0, callbacks=[tf.keras.callbacks.LearningRateScheduler(scheduler)])\nassert abs(float(tf.keras.ops.convert_to_numpy(model.optimizer.learning_rate)) - 0.01 * np.exp(-0.1)) < 1e-6\n'
  },
  {
    id: 'sequential-in-tf-data-map',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nx = np.random.rand(8, 16, 16, 3).astype("float32")\ny = np.random.randint(0, 2, 8)\naugment = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.1)])\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (augment(a, training=True), b))\nmodel = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nmodel.fit(ds, epochs=1, verbose=0)\n'
  },
  {
    id: 'sequential-in-tf-data-map-named',
    backends: ALL,
    note: 'keras.layers.Pipeline(layers, name=None) takes the Sequential\'s name=.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\nx = np.random.rand(8, 16, 16, 3).astype("float32")\ny = np.random.randint(0, 2, 8)\ndata_augmentation = keras.Sequential(\n    [layers.RandomCrop(12, 12), layers.RandomFlip("horizontal"),],\n    name="data_augmentation",\n)\nds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: (data_augmentation(a), b))\nmodel = keras.Sequential([keras.Input((12, 12, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nmodel.fit(ds, epochs=1, verbose=0)\n'
  },
  {
    id: 'single-target-for-multi-output-model',
    backends: ALL,
    note: 'Keras 2 used the one target for every output; [labels] * 2 does the same in Keras 3.',
    input:
      'import numpy as np\nfrom tensorflow import keras\n\ninputs = keras.Input((4,))\nhidden = keras.layers.Dense(8, activation="relu")(inputs)\nsimilarity = keras.layers.Dense(3, activation="softmax")(hidden)\nclusters = keras.layers.Dense(3, activation="softmax")(hidden)\nmodel = keras.Model(inputs=inputs, outputs=[similarity, clusters])\nmodel.compile(optimizer="adam", loss=["categorical_crossentropy", "categorical_crossentropy"])\nx = np.random.rand(16, 4).astype("float32")\nlabels = keras.utils.to_categorical(np.random.randint(0, 3, 16), 3)\nmodel.fit(x, labels, batch_size=8, epochs=1, verbose=0, validation_data=(x, labels))\nassert len(model.evaluate(x, labels, verbose=0)) == 3\n'
  },
  {
    id: 'to-categorical-dtype',
    backends: ALL,
    input:
      'import numpy as np\nfrom tensorflow import keras\n\nlabels = np.random.randint(0, 3, 8)\ny = keras.utils.to_categorical(labels, num_classes=3, dtype="float32")\nassert y.dtype == np.float32 and y.shape == (8, 3)\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])\nmodel.compile(optimizer="adam", loss="categorical_crossentropy")\nmodel.fit(np.random.rand(8, 4).astype("float32"), y, verbose=0)\n'
  },
  {
    id: 'build-extra-argument',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\n\nclass Scale(tf.keras.layers.Layer):\n    def build(self, input_shape, extra=None):\n        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")\n\n    def call(self, inputs):\n        return inputs * self.w\n\ninputs = tf.keras.Input((3,))\nmodel = tf.keras.Model(inputs, Scale()(inputs))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(np.ones((4, 3), "float32"), np.ones((4, 3), "float32"), verbose=0)\n'
  },
  {
    id: 'weights-prefix-folders',
    backends: ALL,
    note: 'Keras 2 created a checkpoint prefix\'s folders; Keras 3 writes .weights.h5 only into an existing folder: the fix creates it (and imports os).',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'def net():\n    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n\n' +
      'base = "runs"\ntrained, fresh = net(), net()\ntrained.save_weights("ckpt/mlp")\nfresh.load_weights("ckpt/mlp")\n' +
      'assert all(np.array_equal(a, b) for a, b in zip(trained.get_weights(), fresh.get_weights()))\n' +
      'other = net()\ntrained.save_weights(f"{base}/prefix/net")\nother.load_weights(f"{base}/prefix/net")\n' +
      'assert all(np.array_equal(a, b) for a, b in zip(trained.get_weights(), other.get_weights()))\n'
  },
  {
    id: 'savedmodel-folders',
    backends: ALL,
    unsafe: true,
    note: 'A SavedModel path built with os.path.join or an f-string: Keras 2 created its folders, the .keras file needs them.',
    input:
      'import os\nimport tempfile\nimport numpy as np\nimport tensorflow as tf\n\n' +
      'base = tempfile.mkdtemp()\nx = np.ones((1, 3), "float32")\nmodel = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\n' +
      'model.save(os.path.join(base, "saved", "net"))\nrestored = tf.keras.models.load_model(os.path.join(base, "saved", "net"))\n' +
      'assert np.allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0))\n' +
      'model.save(f"{base}/exported/net")\nagain = tf.keras.models.load_model(f"{base}/exported/net")\n' +
      'assert np.allclose(model.predict(x, verbose=0), again.predict(x, verbose=0))\n'
  },
  {
    id: 'path-variable-folders-across-cells',
    backends: ALL,
    unsafe: true,
    note: 'Path variables renamed at their value for saves in later cells: the folders are created after the assignments.',
    cells: [
      'import os\nimport tempfile\nimport numpy as np\nimport tensorflow as tf\n\nBASE = tempfile.mkdtemp()\nCKPT = os.path.join(BASE, "ckpt", "mlp")\nMODEL_DIR = f"{BASE}/models/mlp"\n',
      'model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nmodel.save_weights(CKPT)\nmodel.save(MODEL_DIR)\n',
      'fresh = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\nfresh.load_weights(CKPT)\nrestored = tf.keras.models.load_model(MODEL_DIR)\n' +
        'x = np.ones((1, 3), "float32")\nassert np.allclose(fresh.predict(x, verbose=0), restored.predict(x, verbose=0))\n'
    ]
  },
  {
    id: 'api-changes',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\nfrom keras.layers.experimental.preprocessing import Rescaling\n\ndef batches():\n    while True:\n        yield np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")\n\nmodel = keras.Sequential([keras.Input((2,)), Rescaling(0.5), keras.layers.Dense(1), keras.layers.LeakyReLU(alpha=0.1)])\nmodel.compile(optimizer=keras.optimizers.SGD(lr=0.01), loss="mse")\nmodel.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)\n'
  },
  {
    id: 'tile-multiples-from-concat',
    backends: ALL,
    // The tile rewrite is safe; `input_shape = tf.shape(inputs)` (not indexed there) is a suggestion.
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n' +
      'class CausalMask(keras.layers.Layer):\n    def call(self, inputs):\n        input_shape = tf.shape(inputs)\n        batch_size, length = input_shape[0], input_shape[1]\n' +
      '        i = tf.range(length)[:, None]\n        j = tf.range(length)\n        mask = tf.cast(i >= j, dtype="int32")\n        mask = tf.reshape(mask, (1, length, length))\n' +
      '        mult = tf.concat([tf.expand_dims(batch_size, -1), tf.constant([1, 1], dtype=tf.int32)], axis=0)\n        return tf.tile(mask, mult)\n\n' +
      'inputs = keras.Input((None,))\nmodel = keras.Model(inputs, CausalMask()(inputs))\n' +
      'out = keras.ops.convert_to_numpy(model.predict(np.zeros((3, 4), "float32"), verbose=0))\n' +
      'assert out.shape == (3, 4, 4) and (out[2] == np.tril(np.ones((4, 4)))).all(), out\n'
  },
  {
    id: 'numpy-on-model-call-output',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\n' +
      'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5, activation="softmax")])\n\n' +
      'def decode(x):\n    tokens = []\n    for step in range(3):\n        predictions = model(x)\n        tokens.append(int(np.argmax(predictions[0, :])))\n    return tokens\n\n' +
      'probs = model(np.ones((2, 3), "float32"))\nassert abs(float(np.sum(probs * 2) / 4) - 1.0) < 1e-5\nassert len(decode(np.ones((1, 3), "float32"))) == 3\n'
  },
  {
    id: 'metric-result-variable',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\n' +
      'class CountPositives(keras.metrics.Metric):\n    def __init__(self, name="count_positives", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.total = self.add_weight(name="total", initializer="zeros")\n\n' +
      '    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.total.assign_add(keras.ops.sum(keras.ops.cast(y_true > 0.5, "float32")))\n\n' +
      '    def result(self):\n        return self.total\n\n' +
      'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", "mse", metrics=[CountPositives()])\n' +
      'history = model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, epochs=1, verbose=0)\n' +
      'assert history.history["count_positives"] == [8.0], history.history\n'
  },
  {
    id: 'preprocessing-argument-aliases',
    backends: ALL,
    input:
      'import numpy as np\nfrom tensorflow.keras.layers.experimental import preprocessing\n\n' +
      'bucket = preprocessing.Discretization(bins=[0.5, 1.5])\nonehot = preprocessing.CategoryEncoding(max_tokens=3, output_mode="one_hot")\n' +
      'ids = bucket(np.array([0.1, 1.0, 2.0], "float32"))\nout = np.asarray(onehot(ids))\n' +
      'assert out.shape == (3, 3) and (out.argmax(-1) == [0, 1, 2]).all(), out\n'
  },
  {
    id: 'learning-rate-key',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'class ShowLR(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.seen = float(logs.get("lr"))\n        self.opt_lr = float(keras.backend.get_value(getattr(self.model.optimizer, "lr")))\n\n' +
      'model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.compile(keras.optimizers.SGD(0.1), "mse")\nshow = ShowLR()\n' +
      'history = model.fit(np.ones((8, 2), "float32"), np.zeros((8, 1), "float32"), epochs=2, verbose=0,\n                    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=1e9), show])\n' +
      'assert len(history.history["lr"]) == 2, history.history\nassert 0 < show.opt_lr <= show.seen <= 0.1 + 1e-6, (show.seen, show.opt_lr)\n'
  },
  {
    id: 'lambda-layer-load',
    backends: ALL,
    input:
      'import numpy as np\nfrom tensorflow import keras\n\n' +
      'inputs = keras.Input((3,))\noutputs = keras.layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 2.0})(inputs)\nmodel = keras.Model(inputs, outputs)\n' +
      'model.save("double.keras")\nrestored = keras.models.load_model("double.keras")\n' +
      'assert np.allclose(restored.predict(np.ones((1, 3), "float32"), verbose=0), 2.0)\n'
  },
  {
    id: 'keras-dtype-name',
    backends: ALL,
    input:
      'from tensorflow import keras\n\n' +
      'inputs = keras.Input(shape=(4,))\nx = keras.layers.Dense(2, name="logits")(inputs)\noutputs = keras.layers.Activation("softmax", dtype="float32")(x)\nmodel = keras.Model(inputs, outputs)\n' +
      'assert outputs.dtype.name == "float32"\nassert model.get_layer("logits").output.dtype.name == "float32"\n'
  },
  {
    id: 'zeros-like-variable',
    backends: ALL,
    unsafe: true,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'class Positives(keras.metrics.Metric):\n    def __init__(self, name="positives", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.total = self.add_weight(name="total", initializer="zeros")\n\n' +
      '    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.total.assign_add(tf.reduce_sum(tf.cast(y_true > 0.5, tf.float32)))\n\n' +
      '    def result(self):\n        return tf.identity(self.total)\n\n' +
      '    def reset_state(self):\n        for variable in self.variables:\n            variable.assign(tf.zeros_like(variable))\n\n' +
      'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", "mse", metrics=[Positives()])\n' +
      'history = model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, epochs=2, verbose=0)\n' +
      'assert history.history["positives"] == [8.0, 8.0], history.history\n'
  },
  {
    id: 'number-list-layer-input',
    backends: ALL,
    input:
      'import tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'class Lookup(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.emb = keras.layers.Embedding(200, 4)\n\n    def call(self, ids):\n        return self.emb(ids)\n\n' +
      'model = Lookup()\nassert tuple(model([1, 10, 100]).shape) == (3, 4)\ndense = keras.layers.Dense(2)\nassert tuple(dense([[0.5, -1.0]]).shape) == (1, 2)\n'
  },
  {
    id: 'sublayer-before-super-init',
    backends: ALL,
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n' +
      'class Router(layers.Layer):\n    def __init__(self, num_experts):\n        self.num_experts = num_experts\n        self.route = layers.Dense(units=num_experts)\n        super(Router, self).__init__()\n\n    def call(self, x):\n        return self.route(x)\n\n' +
      'router = Router(3)\nassert router(np.ones((2, 4), "float32")).shape == (2, 3)\nassert len(router.trainable_weights) == 2\n'
  },
  {
    id: 'one-hot-index-past-depth',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\n' +
      'def dispatch(expert_mask, capacity):\n    position = keras.ops.cast(keras.ops.cumsum(expert_mask, axis=0) * expert_mask, "int32")\n    return keras.ops.one_hot(position, capacity)\n\n' +
      '# Four tokens for one expert of capacity 2: the third and fourth overflow and get zero rows.\n' +
      'out = keras.ops.convert_to_numpy(dispatch(np.ones((4, 1), "float32"), 2))\n' +
      'assert out.shape == (4, 1, 2), out.shape\nassert out[:, 0].tolist() == [[0, 1], [0, 0], [0, 0], [0, 0]], out[:, 0].tolist()\n'
  },
  {
    id: 'lambda-function-registration',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\ndef sinusoidal(x):\n    return tf.sin(x) + 1.0\n\ninputs = keras.Input((3,))\nnetwork = keras.Model(inputs, keras.layers.Lambda(sinusoidal)(inputs))\nema_network = keras.models.clone_model(network)\nnetwork.save("net.keras")\nrestored = keras.models.load_model("net.keras")\nout = keras.ops.convert_to_numpy(ema_network(np.zeros((1, 3), "float32")))\nassert np.allclose(out, 1.0), out\n'
  },
  {
    id: 'lambda-output-shape-registration',
    backends: ALL,
    note: 'keras.io siamese (Keras 2): a Lambda with a named output_shape function, saved to .h5 and loaded with custom_objects for the Lambda function only. The fix is computed where `keras` is still `tensorflow.keras` (the tf_keras shim, which has no `saving`), so it writes keras.utils.register_keras_serializable (the same function).',
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras import backend as K\n\n' +
      'def distance(vects):\n    x, y = vects\n    return K.sum(K.square(x - y), axis=1, keepdims=True)\n\n' +
      'def dist_output_shape(shapes):\n    shape1, shape2 = shapes\n    return (shape1[0], 1)\n\n' +
      'a = layers.Input((3,))\nb = layers.Input((3,))\nd = layers.Lambda(distance, output_shape=dist_output_shape)([a, b])\nmodel = keras.Model([a, b], d)\nmodel.save("pair.h5")\n' +
      'restored = keras.models.load_model("pair.h5", custom_objects={"distance": distance})\nout = restored.predict([np.ones((2, 3), "float32"), np.zeros((2, 3), "float32")], verbose=0)\nassert np.allclose(out, 3.0), out\n'
  },
  {
    id: 'repeat-one-element-repeats',
    backends: ALL,
    note: 'keras.io conditional GAN: one-hot labels repeated over the image grid with tf.repeat(x, repeats=[n]); keras.ops.repeat rejects a list on JAX and PyTorch, its one element is what TF broadcast.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'class Grid(keras.layers.Layer):\n    def call(self, labels):\n        x = labels[:, :, None]\n        x = tf.repeat(x, repeats=[2 * 2])\n        return tf.reshape(x, (-1, 2, 2, 3))\n\n' +
      'out = keras.ops.convert_to_numpy(Grid()(np.eye(3, dtype="float32")))\nassert out.shape == (3, 2, 2, 3), out.shape\n' +
      'expected = tf.reshape(tf.repeat(np.eye(3, dtype="float32")[:, :, None], repeats=[4]), (-1, 2, 2, 3)).numpy()\nassert np.allclose(out, expected)\n'
  },
  {
    id: 'noisy-targets-clipped',
    backends: ALL,
    unsafe: true,
    note: 'keras.io DCGAN label noise on ones and zeros with a binary cross-entropy on probabilities: PyTorch rejected the targets above 1; clipped, the loss is computed on every backend.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'loss_fn = keras.losses.BinaryCrossentropy()\nlabels = tf.concat([tf.ones((4, 1)), tf.zeros((4, 1))], axis=0)\nlabels += 0.05 * tf.random.uniform(tf.shape(labels))\n' +
      'loss = loss_fn(labels, np.full((8, 1), 0.6, "float32"))\nassert np.isfinite(float(keras.ops.convert_to_numpy(loss)))\n'
  },
  {
    id: 'random-crop-inference-size',
    backends: ALL,
    note: 'keras.io ShiftViT augmentation in the model: Resizing up, RandomCrop back, then Flatten + Dense. Keras 3.8+ leaves inference inputs uncropped, so predict failed on every backend; the added Resizing(crop_to_aspect_ratio=True) gives the crop size at inference (Keras 2 did the same) and leaves the cropped training images as they are.',
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n' +
      'augment = keras.Sequential(\n    [\n        layers.Resizing(12, 12),\n        layers.RandomCrop(8, 8),\n    ]\n)\n' +
      'inputs = keras.Input((8, 8, 3))\nx = layers.Flatten()(augment(inputs))\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nmodel.compile("adam", "mse")\n' +
      'images = np.random.rand(4, 8, 8, 3).astype("float32")\nmodel.fit(images, np.zeros((4, 2)), validation_data=(images, np.zeros((4, 2))), epochs=1, verbose=0)\n' +
      'assert model.predict(images, verbose=0).shape == (4, 2)\n' +
      'cropped = keras.ops.convert_to_numpy(augment(images, training=True))\nassert cropped.shape == (4, 8, 8, 3), cropped.shape\n' +
      'same = keras.ops.convert_to_numpy(layers.Resizing(8, 8, crop_to_aspect_ratio=True)(images))\nassert np.allclose(same, images, atol=1e-5)\n'
  },
  {
    id: 'clone-compiled-custom-objects',
    backends: ALL,
    note: 'Hyperparameter sweep keeping the best model with clone_model: Keras 3 compiles the clone from the compile config, so the custom schedule class, loss function and metric function are registered.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, peak):\n        self.peak = peak\n\n    def __call__(self, step):\n        return self.peak * tf.math.minimum(1.0, (tf.cast(step, tf.float32) + 1.0) / 5.0)\n\n    def get_config(self):\n        return {"peak": self.peak}\n\ndef my_loss(y_true, y_pred):\n    return tf.reduce_mean(tf.square(y_true - y_pred))\n\ndef my_metric(y_true, y_pred):\n    return tf.reduce_mean(tf.abs(y_true - y_pred))\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(Warmup(0.01)), loss=my_loss, metrics=[my_metric])\nmodel.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=1, verbose=0)\nbest = keras.models.clone_model(model)\nbest.set_weights(model.get_weights())\nassert best.compiled\nbest.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=1, verbose=0)\n'
  },
  {
    id: 'boolean-mask-reduction',
    backends: ALL,
    unsafe: true,
    note: 'NER-style masked loss and accuracy: tf.boolean_mask selections reduced with tf.reduce_mean become keras.ops.where masked sums divided by the mask count; fit runs on every backend.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nloss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")\n\ndef masked_loss(y_true, y_pred):\n    mask = tf.math.not_equal(y_true, 0)\n    loss_ = loss_object(y_true, y_pred)\n    loss_ = tf.boolean_mask(loss_, mask)\n    return tf.reduce_mean(loss_)\n\ndef masked_accuracy(y_true, y_pred):\n    y_true = tf.cast(y_true, tf.int64)\n    pred = tf.argmax(y_pred, axis=-1)\n    mask = tf.not_equal(y_true, 0)\n    return tf.reduce_mean(tf.cast(tf.equal(tf.boolean_mask(y_true, mask), tf.boolean_mask(pred, mask)), tf.float32))\n\ninputs = keras.Input((6,))\nx = keras.layers.Embedding(10, 4)(inputs)\nmodel = keras.Model(inputs, keras.layers.Dense(3)(x))\nmodel.compile("adam", loss=masked_loss, metrics=[masked_accuracy])\ny = np.array([[1, 2, 1, 0, 0, 0], [2, 2, 1, 1, 0, 0]])\nhistory = model.fit(np.ones((2, 6)), y, epochs=1, verbose=0)\nassert np.isfinite(history.history["loss"][0])\n'
  },
  {
    id: 'embedding-on-constant-in-functional-model',
    backends: ALL,
    note: 'keras.io MLP-Mixer: the Embedding over tf.range is a constant of the model (not trained, in Keras 2 as in Keras 3); stop_gradient keeps it and lets PyTorch train twice.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n' +
      'def build(num_patches=4, dim=8):\n    inputs = layers.Input(shape=(num_patches, dim))\n    x = layers.Dense(dim)(inputs)\n    positions = tf.range(start=0, limit=num_patches, delta=1)\n    position_embedding = layers.Embedding(input_dim=num_patches, output_dim=dim)(positions)\n    x = x + position_embedding\n    return keras.Model(inputs, layers.Dense(1)(layers.GlobalAveragePooling1D()(x)))\n\n' +
      'model = build()\nmodel.compile(optimizer="adam", loss="mse")\nhistory = model.fit(np.ones((8, 4, 8), "float32"), np.zeros((8, 1), "float32"), batch_size=4, epochs=2, verbose=0)\nassert len(history.history["loss"]) == 2\n'
  },
  {
    id: 'inverted-string-lookup-on-decoded-ids',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n\n' +
      'num_to_char = layers.StringLookup(vocabulary=list("abc"), mask_token=None, invert=True)\n\n' +
      'def decode(ids):\n    out = []\n    for res in ids:\n        out.append(tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8"))\n    return out\n\n' +
      'texts = decode(np.array([[1, 2], [3, 1]]))\nassert texts == ["ab", "ca"], texts\n'
  },
  {
    id: 'cast-dimension-as-shape',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\n\n' +
      'class Lengths(keras.layers.Layer):\n    def call(self, y_true, y_pred):\n        batch_len = keras.ops.cast(keras.ops.shape(y_true)[0], dtype="int64")\n        input_length = keras.ops.cast(keras.ops.shape(y_pred)[1], dtype="int64")\n        return input_length * keras.ops.ones(shape=(batch_len, 1), dtype="int64")\n\n' +
      'inputs = keras.Input((3,))\npreds = keras.Input((5, 2))\nmodel = keras.Model([inputs, preds], Lengths()(inputs, preds))\nmodel.compile(loss="mse")\nout = model.predict([np.zeros((4, 3), "float32"), np.zeros((4, 5, 2), "float32")], verbose=0)\nassert out.shape == (4, 1) and (out == 5).all(), out\n'
  },
  {
    id: 'complex-fft-real-part',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n' +
      'class FourierMix(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.real(tf.signal.fft2d(tf.complex(x, tf.zeros_like(x)))) + x\n\n' +
      'x = np.random.default_rng(0).normal(size=(2, 4, 8)).astype("float32")\nout = keras.ops.convert_to_numpy(FourierMix()(x))\nassert np.allclose(out, np.fft.fft2(x).real + x, atol=1e-4), out\n'
  },
  {
    id: 'train-step-two-views-ema',
    backends: ALL,
    unsafe: true,
    note: 'BYOL: both views of a pair batch through an online network and a target, gradients over the online sub-models only, an EMA of the online weights into the target after the optimizer step and a metric input computed after it: call() on the whole batch, the EMA in compute_loss() when training (under stop_gradient), the target frozen.',
    input:
      "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\ntau = 0.9\n\n\ndef encoder():\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, keras.layers.Dense(3)(inputs))\n\n\nclass TwoViews(keras.Model):\n    def __init__(self, online, target, tau):\n        super().__init__()\n        self.online = online\n        self.head = keras.layers.Dense(3)\n        self.target = target\n        self.tau = tau\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n        self.std_tracker = keras.metrics.Mean(name=\"std\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker, self.std_tracker]\n\n    def train_step(self, data):\n        one, two = data\n        with tf.GradientTape() as tape:\n            p_one = self.head(self.online(one, training=True))\n            p_two = self.head(self.online(two, training=True))\n            z_one = self.target(one, training=True)\n            z_two = self.target(two, training=True)\n            loss = tf.reduce_mean(tf.square(p_one - z_two) + tf.square(p_two - z_one))\n        trainable = self.online.trainable_variables + self.head.trainable_variables\n        gradients = tape.gradient(loss, trainable)\n        self.optimizer.apply_gradients(zip(gradients, trainable))\n        for w, target_w in zip(self.online.weights, self.target.weights):\n            target_w.assign(self.tau * target_w + (1 - self.tau) * w)\n        normalized = tf.math.l2_normalize(p_one, axis=1)\n        self.std_tracker.update_state(tf.reduce_mean(tf.math.reduce_std(normalized, axis=0)))\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n\n\nonline, target = encoder(), encoder()\nmodel = TwoViews(online, target, tau)\nmodel.compile(optimizer=keras.optimizers.Adam(0.01))\nviews = np.random.rand(16, 4).astype(\"float32\")\nds = tf.data.Dataset.from_tensor_slices((views, views + 0.1)).batch(8)\nbefore = target.get_weights()[0].copy()\nhistory = model.fit(ds, epochs=2, verbose=0)\nassert sorted(history.history) == [\"loss\", \"std\"], history.history\n# The target moved towards the online network by assignment only.\nassert not np.allclose(before, target.get_weights()[0])\n"
  },
  {
    id: 'train-step-pair-inputs-without-call',
    backends: ALL,
    unsafe: true,
    note: 'A model without call() whose train_step unpacks a pair batch and runs each part through a layer of its own (neither part is a target): call() takes the whole batch (batch_as_x mapped over the dataset), compute_loss() the loss.',
    input:
      "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass TwoInputs(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.left = keras.layers.Dense(3)\n        self.right = keras.layers.Dense(3)\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker]\n\n    def train_step(self, data):\n        a, b = data\n        with tf.GradientTape() as tape:\n            za = self.left(a, training=True)\n            zb = self.right(b, training=True)\n            loss = tf.reduce_mean(tf.square(za - zb))\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n\n\nmodel = TwoInputs()\nmodel.compile(optimizer=keras.optimizers.Adam(0.01))\nviews = np.random.rand(16, 4).astype(\"float32\")\nds = tf.data.Dataset.from_tensor_slices((views, views + 0.1)).batch(8)\nhistory = model.fit(ds, epochs=2, verbose=0)\nassert sorted(history.history) == [\"loss\"], history.history\nassert len(model.trainable_weights) == 4\n"
  },
  {
    id: 'train-step-forward-and-ema',
    backends: ALL,
    unsafe: true,
    note: 'keras.io DDIM: a model without call() whose train_step samples noise, calls a helper method and updates an EMA copy after the optimizer step.',
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nema = 0.9\n\n' +
      'def get_network():\n    inputs = keras.Input((4,))\n    return keras.Model(inputs, keras.layers.Dense(4)(inputs))\n\n' +
      'class Denoiser(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.network = get_network()\n        self.ema_network = keras.models.clone_model(self.network)\n\n' +
      '    def compile(self, **kwargs):\n        super().compile(**kwargs)\n        self.noise_loss_tracker = keras.metrics.Mean(name="n_loss")\n\n' +
      '    @property\n    def metrics(self):\n        return [self.noise_loss_tracker]\n\n' +
      '    def denoise(self, noisy, training):\n        network = self.network if training else self.ema_network\n        return network(noisy, training=training)\n\n' +
      '    def train_step(self, images):\n        noises = tf.random.normal(shape=(8, 4))\n        noisy = images + noises\n        with tf.GradientTape() as tape:\n            pred_noises = self.denoise(noisy, training=True)\n            noise_loss = self.loss(noises, pred_noises)\n' +
      '        gradients = tape.gradient(noise_loss, self.network.trainable_weights)\n        self.optimizer.apply_gradients(zip(gradients, self.network.trainable_weights))\n        self.noise_loss_tracker.update_state(noise_loss)\n' +
      '        for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):\n            ema_weight.assign(ema * ema_weight + (1 - ema) * weight)\n        return {m.name: m.result() for m in self.metrics}\n\n' +
      '    def test_step(self, images):\n        noises = tf.random.normal(shape=(8, 4))\n        noisy = images + noises\n        pred_noises = self.denoise(noisy, training=False)\n        noise_loss = self.loss(noises, pred_noises)\n        self.noise_loss_tracker.update_state(noise_loss)\n        return {m.name: m.result() for m in self.metrics}\n\n' +
      'model = Denoiser()\nmodel.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.mean_absolute_error)\n' +
      'data = tf.data.Dataset.from_tensor_slices(np.ones((32, 4), "float32")).batch(8)\nbefore = [w.copy() for w in model.ema_network.get_weights()]\n' +
      'history = model.fit(data, epochs=2, validation_data=data, verbose=0)\nassert sorted(history.history) == ["n_loss", "val_n_loss"], history.history\n' +
      '# The EMA copy moved towards the trained network, by assignment only.\nassert not all(np.array_equal(a, b) for a, b in zip(before, model.ema_network.get_weights()))\nassert len(model.ema_network.trainable_weights) == 0\n'
  },
  {
    id: 'divide-of-known-floats',
    backends: ALL,
    note: 'keras.io supervised contrastive learning: tf.divide of a matmul of l2-normalised features by a temperature, and a masked mean over tf.maximum(count, 1.0): float operands, so keras.ops.divide gives the same dtype.',
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass SupervisedContrastiveLoss(keras.losses.Loss):\n    def __init__(self, temperature=1, name=None):\n        super().__init__(name=name)\n        self.temperature = temperature\n\n' +
      '    def __call__(self, labels, feature_vectors, sample_weight=None):\n        normalized = tf.math.l2_normalize(feature_vectors, axis=1)\n        logits = tf.divide(tf.matmul(normalized, tf.transpose(normalized)), self.temperature)\n' +
      '        same = tf.cast(tf.equal(labels, tf.transpose(labels)), tf.float32)\n        count = tf.maximum(tf.reduce_sum(same, axis=1), 1.0)\n        return tf.reduce_mean(tf.divide(tf.reduce_sum(same * logits, axis=1), count))\n\n\n' +
      'inputs = keras.Input((6,))\nmodel = keras.Model(inputs, keras.layers.Dense(4)(inputs))\nmodel.compile(optimizer="adam", loss=SupervisedContrastiveLoss(0.05))\n' +
      'history = model.fit(np.random.rand(16, 6).astype("float32"), np.random.randint(0, 3, (16, 1)).astype("float32"), batch_size=8, epochs=1, verbose=0)\nassert np.isfinite(history.history["loss"][0])\n'
  },
  {
    id: 'add-weight-integer-shape',
    backends: ALL,
    note: "keras.io MPNN's EdgeNetwork: add_weight(shape=(UNITS * UNITS)) with a module constant (an int, not a tuple); Keras 3 raises \"Cannot convert '16' to a shape.\" when the layer is built.",
    input:
      'import numpy as np\nfrom tensorflow import keras\n\nUNITS = 4\n\n\nclass Edge(keras.layers.Layer):\n    def build(self, input_shape):\n        self.bias = self.add_weight(shape=(UNITS * UNITS), initializer="zeros", name="bias")\n\n    def call(self, x):\n        return keras.ops.reshape(x, (-1, UNITS * UNITS)) + self.bias\n\n\ninputs = keras.Input((UNITS, UNITS))\nmodel = keras.Model(inputs, Edge()(inputs))\nprint(model.predict(np.ones((2, UNITS, UNITS)), verbose=0).shape)\n'
  },
  {
    id: 'parenthesized-parameter-shapes',
    backends: ALL,
    unsafe: true,
    note: "keras.io MPNN: layers.Input((atom_dim), ...) with a function parameter and add_weight(shape=(self.atom_dim * self.atom_dim)) with attributes read from input_shape: the 1-tuple rewrite is a suggestion (the values are not known to be ints).",
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\nclass EdgeNetwork(layers.Layer):\n    def build(self, input_shape):\n        self.atom_dim = input_shape[-1]\n        self.bias = self.add_weight(shape=(self.atom_dim * self.atom_dim), initializer="zeros", name="bias")\n        self.built = True\n\n    def call(self, inputs):\n        x = tf.reshape(tf.tile(inputs, [1, self.atom_dim]), (-1, self.atom_dim * self.atom_dim))\n        return x + self.bias\n\n\ndef build_model(atom_dim):\n    atom_features = layers.Input((atom_dim), dtype="float32", name="atom_features")\n    return keras.Model(atom_features, EdgeNetwork()(atom_features))\n\n\nmodel = build_model(3)\nprint(model.predict(np.ones((2, 3)), verbose=0).shape)\n'
  },
  {
    id: 'random-fourier-features-layer',
    backends: ALL,
    unsafe: true,
    note: "keras.io quasi-SVM: layers.experimental.RandomFourierFeatures (gone in Keras 3) by attribute and by a from-import, Gaussian and Laplacian kernels, a trainable kernel scale, and a .keras save / load round trip: the program gets Keras 2's layer written with keras.ops.",
    input:
      'import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras.layers.experimental import RandomFourierFeatures\n\nmodel = keras.Sequential(\n    [\n        keras.Input(shape=(6,)),\n        layers.experimental.RandomFourierFeatures(output_dim=32, scale=10.0, kernel_initializer="gaussian"),\n        layers.Dense(units=3),\n    ]\n)\nmodel.compile(optimizer="adam", loss=keras.losses.hinge)\nmodel.fit(np.random.rand(16, 6), np.eye(3)[np.arange(16) % 3], epochs=1, verbose=0)\nmodel.save("svm.keras")\nreloaded = keras.models.load_model("svm.keras")\nnp.testing.assert_allclose(reloaded.predict(np.ones((2, 6)), verbose=0), model.predict(np.ones((2, 6)), verbose=0), atol=1e-5)\ninputs = keras.Input(shape=(6,))\nfeatures = RandomFourierFeatures(output_dim=16, kernel_initializer="laplacian", trainable=True)(inputs)\nlaplacian = keras.Model(inputs, layers.Dense(3)(features))\nlaplacian.compile(optimizer="sgd", loss=keras.losses.squared_hinge)\nlaplacian.fit(np.random.rand(16, 6), np.eye(3)[np.arange(16) % 3], epochs=1, verbose=0)\nprint(laplacian.layers[1].kernel_scale.numpy())\n'
  },
  {
    id: 'checkpoint-dir-then-load-model',
    backends: ALL,
    note: "keras.io weather forecasting: ModelCheckpoint(save_best_only=True) to a SavedModel directory path held in a variable, then load_model of that variable: the checkpoint and the load move to one .keras file together.",
    input:
      'import os\nimport tempfile\nimport numpy as np\nfrom tensorflow import keras\n\nckpt = os.path.join(tempfile.mkdtemp(), "best_model")\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile("adam", "mse")\ncb = keras.callbacks.ModelCheckpoint(monitor="val_loss", filepath=ckpt, save_best_only=True)\nmodel.fit(np.ones((8, 3)), np.ones((8, 1)), validation_split=0.25, epochs=1, verbose=0, callbacks=[cb])\nbest = keras.models.load_model(ckpt)\nprint(best.predict(np.ones((2, 3)), verbose=0).shape)\n'
  },
  {
    id: 'gan-two-optimizers-per-backend-step',
    backends: ALL,
    unsafe: true,
    note: "keras.io DCGAN shape: a model with no call(), a compile(d_optimizer, g_optimizer, loss_fn) override and a train_step with two tapes, each applied by its own optimizer: KM141 writes one train_step per backend (TF as written; PyTorch under no_grad with the tapes under enable_grad; JAX un-jitted with each tape a function of its variables) once the other fixes have converted the step's TF calls; every weight and BatchNormalization statistic trains on each backend.",
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n\n    def compile(self, d_optimizer, g_optimizer, loss_fn):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n        self.loss_fn = loss_fn\n        self.d_loss_metric = keras.metrics.Mean(name="d_loss")\n\n    def train_step(self, real):\n        batch_size = tf.shape(real)[0]\n        noise = tf.random.normal((batch_size, 2))\n        combined = tf.concat([self.generator(noise), real], axis=0)\n        labels = tf.concat([tf.zeros((batch_size, 1)), tf.ones((batch_size, 1))], axis=0)\n        with tf.GradientTape() as tape:\n            predictions = self.discriminator(combined, training=True)\n            d_loss = self.loss_fn(labels, predictions)\n        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = self.loss_fn(tf.ones((batch_size, 1)), self.discriminator(self.generator(noise)))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        self.d_loss_metric.update_state(d_loss)\n        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.round(predictions), labels), "float32"))\n        return {"d_loss": self.d_loss_metric.result(), "g_loss": g_loss, "accuracy": accuracy}\n\n\ndiscriminator = keras.Sequential(\n    [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dropout(0.2), keras.layers.BatchNormalization(), keras.layers.Dense(1, activation="sigmoid")]\n)\ngenerator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])\ngan = GAN(discriminator, generator)\ngan.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2), keras.losses.BinaryCrossentropy())\nweights = discriminator.weights + generator.weights\nbefore = [np.array(w) for w in weights]\nhistory = gan.fit(np.random.rand(32, 3).astype("float32"), batch_size=8, epochs=2, verbose=0)\nchanged = [not np.allclose(a, np.array(w)) for a, w in zip(before, weights)]\nassert all(changed), changed\nprint(sorted(history.history), history.history["d_loss"])\n'
  },
  {
    id: 'gan-two-tapes-in-one-with',
    backends: ALL,
    unsafe: true,
    note: "TensorFlow pix2pix / DCGAN tutorial shape: two tapes opened in one `with` statement over one forward pass, each gradient applied by its own optimizer, BatchNormalization and Dropout in both networks, a tf.data dataset: KM141 rewrites it as one persistent tape per backend; every weight and statistic trains on each backend.",
    input: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass Pix2Pix(keras.Model):\n    def __init__(self, generator, discriminator):\n        super().__init__()\n        self.generator = generator\n        self.discriminator = discriminator\n\n    def compile(self, generator_optimizer, discriminator_optimizer):\n        super().compile()\n        self.generator_optimizer = generator_optimizer\n        self.discriminator_optimizer = discriminator_optimizer\n\n    def train_step(self, data):\n        input_image, target = data\n        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n            gen_output = self.generator(input_image, training=True)\n            disc_real = self.discriminator([input_image, target], training=True)\n            disc_fake = self.discriminator([input_image, gen_output], training=True)\n            gen_loss = tf.reduce_mean(tf.square(disc_fake - 1.0)) + 10.0 * tf.reduce_mean(tf.abs(target - gen_output))\n            disc_loss = tf.reduce_mean(tf.square(disc_real - 1.0)) + tf.reduce_mean(tf.square(disc_fake))\n        gen_grads = gen_tape.gradient(gen_loss, self.generator.trainable_variables)\n        disc_grads = disc_tape.gradient(disc_loss, self.discriminator.trainable_variables)\n        self.generator_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n        self.discriminator_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n        return {\"gen_loss\": gen_loss, \"disc_loss\": disc_loss}\n\n\ngenerator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.BatchNormalization(), keras.layers.Dropout(0.2), keras.layers.Dense(4)])\ninp, tar = keras.Input((4,)), keras.Input((4,))\nhidden = keras.layers.BatchNormalization()(keras.layers.Dense(8)(keras.layers.concatenate([inp, tar])))\ndiscriminator = keras.Model([inp, tar], keras.layers.Dense(1)(keras.layers.Dropout(0.2)(hidden)))\nmodel = Pix2Pix(generator, discriminator)\nmodel.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))\nweights = generator.weights + discriminator.weights\nbefore = [np.array(w) for w in weights]\nx = np.random.rand(16, 4).astype(\"float32\")\ndataset = tf.data.Dataset.from_tensor_slices((x, 2.0 * x)).batch(4)\nhistory = model.fit(dataset, epochs=2, verbose=0)\nchanged = [not np.allclose(a, np.array(w)) for a, w in zip(before, weights)]\nassert all(changed), changed\nprint(sorted(history.history), history.history[\"disc_loss\"])\n"
  },
  {
    id: 'wgan-gp-critic-loop-gradient-penalty',
    backends: ALL,
    unsafe: true,
    note: "keras.io WGAN-GP shape: the critic trained in a loop, its tape calling a gradient_penalty() method whose tape watches the interpolated batch (a gradient of a gradient): KM141 writes PyTorch (requires_grad_, torch.autograd.grad with create_graph=True) and JAX (jax.grad inside the critic's tape function) variants; with fixed weights and SGD the trained weights equal what TensorFlow computes for the step as written, on each backend (without create_graph the PyTorch weights differ).",
    input: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass WGAN(keras.Model):\n    def __init__(self, critic, generator):\n        super().__init__()\n        self.critic = critic\n        self.generator = generator\n\n    def compile(self, c_optimizer, g_optimizer):\n        super().compile()\n        self.c_optimizer = c_optimizer\n        self.g_optimizer = g_optimizer\n\n    def gradient_penalty(self, real, fake):\n        interpolated = 0.25 * real + 0.75 * fake\n        with tf.GradientTape() as gp_tape:\n            gp_tape.watch(interpolated)\n            pred = self.critic(interpolated, training=True)\n        grads = gp_tape.gradient(pred, [interpolated])[0]\n        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1))\n        return tf.reduce_mean((norm - 1.0) ** 2)\n\n    def train_step(self, real):\n        for i in range(2):\n            with tf.GradientTape() as tape:\n                fake = self.generator(real, training=True)\n                c_cost = tf.reduce_mean(self.critic(fake, training=True)) - tf.reduce_mean(self.critic(real, training=True))\n                c_loss = c_cost + 10.0 * self.gradient_penalty(real, fake)\n            grads = tape.gradient(c_loss, self.critic.trainable_variables)\n            self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n        with tf.GradientTape() as tape:\n            g_loss = -tf.reduce_mean(self.critic(self.generator(real, training=True), training=True))\n        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n        return {\"c_loss\": c_loss, \"g_loss\": g_loss}\n\n\ncritic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation=\"tanh\"), keras.layers.Dense(1)])\ngenerator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])\nfor model in (critic, generator):\n    model.set_weights([np.linspace(-0.5, 0.6, np.prod(w.shape)).reshape(w.shape).astype(\"float32\") for w in model.get_weights()])\nwgan = WGAN(critic, generator)\nwgan.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))\nwgan.fit(np.linspace(-1, 1, 12).reshape(4, 3).astype(\"float32\"), batch_size=4, epochs=1, verbose=0)\ntrained = np.concatenate([np.ravel(w) for w in critic.get_weights() + generator.get_weights()])\n# What TensorFlow computes for this step as written (the critic's gradient goes through the penalty's gradient).\nexpected = [0.17151, 0.01004, -0.22612, -0.30325, 0.20216, 0.20308, 0.17794, 0.22612, 0.2328, 0.39612, 0.58201, 0.7555, -0.20299, -0.02199, 0.26153, 0.66067, 0.48822, 0.1989, 0.18306, 0.51915, -0.5, -0.49863, -0.36728, -0.23594, -0.08574, 0.04853, 0.1828, 0.32715, 0.46434, 0.60154, -0.49785, 0.06823, 0.63431]\nassert np.allclose(trained, expected, atol=2e-4), np.round(trained, 5).tolist()\n"
  }
];

test('safe-fix snippets: the committed JSON matches the fixer', async () => {
  const analyzer = await getAnalyzer();
  const generated = SNIPPETS.map(s => {
    const options = s.unsafe ? { unsafe: true } : undefined;
    const result = s.cells
      ? (({ cells, applied }) => ({ source: cells.join('\n'), applied }))(analyzer.fixCells(s.cells, options))
      : analyzer.fixFile(s.input!, options);
    return {
      id: s.id,
      rules: [...new Set(result.applied.map(f => f.rule))].sort(),
      backends: s.backends,
      ...(s.note ? { note: s.note } : {}),
      ...(s.unsafe ? { unsafe: true } : {}),
      input: s.input ?? s.cells!.join('\n'),
      output: result.source
    };
  });
  for (const g of generated) {
    expect({ id: g.id, changed: g.output !== g.input }).toEqual({ id: g.id, changed: true });
    // Nothing safe is left to fix in the output.
    expect(analyzer.analyzeFile(g.output).filter(f => f.fix?.safe)).toEqual([]);
  }
  const file = path.join(__dirname, 'safe-fix-snippets.json');
  const text = JSON.stringify(generated, null, 2) + '\n';
  if (process.env.KERAS_MIGRATE_UPDATE_SNIPPETS) {
    fs.writeFileSync(file, text);
  }
  expect(fs.readFileSync(file, 'utf8')).toBe(text);
});
