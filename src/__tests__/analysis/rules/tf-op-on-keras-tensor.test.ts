import { ruleTester } from '../rule-tester';

ruleTester('tf-op-on-keras-tensor', {
  valid: [
    { name: 'unpacking plain values binds nothing symbolic', code: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\nbatch, dim = inputs.shape\na, b = 3, 4\ny = tf.zeros((a, b))\n' },
    { code: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\nx = keras.ops.relu(inputs)\nds = tf.data.Dataset.range(3)\n' },
    {
      name: 'a tf.data lambda inside a helper called with KerasTensors stays TensorFlow',
      code: [
        'import keras\nimport tensorflow as tf\ndef encode(feature, name, dataset):\n    norm = keras.layers.Normalization()\n    norm.adapt(dataset.map(lambda x, y: x[name]).map(lambda x: tf.expand_dims(x, -1)))\n    return norm(feature)\n',
        'age = keras.Input(shape=(1,))\nencoded = encode(age, "age", ds)\n'
      ]
    },
    { name: 'builtins do not propagate', code: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\nn = len(inputs)\ny = tf.zeros(n)\n' },
    { name: 'call() inputs are real tensors', code: ['import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\n', 'class L(keras.layers.Layer):\n    def call(self, inputs):\n        return tf.nn.relu(inputs)\n'] },
    // Keras 2 backend functions applied to KerasTensors give KerasTensors: the flow goes on through them.
    { name: 'shape helpers return Python values', code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.keras.Input((4,))\nn = K.int_shape(x)[1]\nr = tf.range(n)\n' }
,
    {
      name: 'TensorFlow Probability on eager values or inside a layer call(): not a KerasTensor',
      code: 'import keras\nimport tensorflow_probability as tfp\nprior = tfp.distributions.Categorical(logits=[0.2, 0.8]).sample()\n\n\nclass Sampler(keras.layers.Layer):\n    def call(self, logits):\n        return tfp.distributions.Categorical(logits=logits).sample()\n\n\nscores = keras.Input((5,))\nmodel = keras.Model(scores, Sampler()(scores))\n'
    }
  ],
  invalid: [
    {
      // og47c repro_1 (LynnHo's WGAN-GP modules): the layer class comes from a notebook function; tf.nn.relu / tf.tanh on
      // its outputs failed on all three ("A KerasTensor cannot be used as input to a TensorFlow function").
      name: 'a layer made in place from a class a function returned: its output is symbolic',
      code: 'import tensorflow as tf\nimport keras\ndef get_norm(norm):\n    return keras.layers.BatchNormalization\nNorm = get_norm("batch")\nh = inputs = keras.Input(shape=(4,))\nh = Norm()(h)\nh = tf.nn.relu(h)\nh = keras.layers.Dense(2)(h)\nh = tf.tanh(h)\n',
      errors: [{ line: 8, column: 5 }, { line: 10, column: 5 }],
      output: 'import tensorflow as tf\nimport keras\ndef get_norm(norm):\n    return keras.layers.BatchNormalization\nNorm = get_norm("batch")\nh = inputs = keras.Input(shape=(4,))\nh = Norm()(h)\nh = keras.ops.relu(h)\nh = keras.layers.Dense(2)(h)\nh = keras.ops.tanh(h)\n'
    },
    {
      name: 'TensorFlow Probability given a KerasTensor by keyword while a model is built (a sampler over logits), also through a distributions alias: fails on every backend, no rewrite',
      code: 'import keras\nimport tensorflow_probability as tfp\nfrom tensorflow_probability import distributions as tfd\n\nscores = keras.Input((6, 6, 8))\nlogits = keras.layers.Conv2D(8, 1)(scores)\npicked = tfp.distributions.Categorical(logits=logits).sample()\nspread = tfd.Normal(loc=logits, scale=1.0)\n',
      errors: [
        { line: 7, column: 10, message: '`tfp.distributions.Categorical` is applied to `logits`, a symbolic Keras tensor' },
        { line: 8, column: 10, message: '`tfp.distributions.Normal` is applied to `logits`' }
      ],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // examples/runnable/wide_deep_feature_space.py: the FeatureSpace's encoded features are the functional model's inputs.
      name: 'a FeatureSpace\'s get_encoded_features() is a dict of KerasTensors: a TF op on one of them',
      code: 'import keras\nimport tensorflow as tf\nencoded = feature_space.get_encoded_features()\nx = keras.layers.concatenate([encoded["a"], tf.zeros_like(encoded["b"])])\n',
      errors: [{ line: 4, column: 45, message: '`tf.zeros_like` is applied to `encoded["b"]`' }],
      output: 'import keras\nimport tensorflow as tf\nencoded = feature_space.get_encoded_features()\nx = keras.layers.concatenate([encoded["a"], keras.ops.zeros_like(encoded["b"])])\n'
    },
    {
      name: 'in the outputs of keras.Model(...), a layer call on a name unpacked from a helper\'s tuple (ELECTRA-style body helper) is symbolic',
      code: 'import keras\nimport tensorflow as tf\nfrom keras import layers\nd_in, d_hidden = body("discriminator")\ndisc = keras.Model(d_in, tf.squeeze(layers.Dense(1)(d_hidden), -1), name="disc")\n',
      errors: [{ line: 5, column: 26 }],
      output: 'import keras\nimport tensorflow as tf\nfrom keras import layers\nd_in, d_hidden = body("discriminator")\ndisc = keras.Model(d_in, keras.ops.squeeze(layers.Dense(1)(d_hidden), -1), name="disc")\n'
    },
    {
      name: 'keras.io DeepLabV3+: a backbone layer\'s output by get_layer(name).output, passed to helpers that apply TF ops',
      code:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ndef conv_block(x):\n    x = layers.Conv2D(4, 3, padding="same")(x)\n    return tf.nn.relu(x)\ndef build():\n    inputs = keras.Input((32, 32, 3))\n    resnet = keras.applications.ResNet50(weights=None, include_top=False, input_tensor=inputs)\n    x = conv_block(resnet.get_layer("conv4_block6_2_relu").output)\n    skip = resnet.get_layer("conv2_block3_2_relu").output\n    x = tf.image.resize(x, tf.shape(skip)[1:3])\n    return keras.Model(inputs, x)\n',
      // Measured (examples/runnable/deeplabv3plus_segmentation.py): "A KerasTensor cannot be used as input to a TensorFlow function" on every backend.
      errors: [
        { line: 6, column: 12, message: 'conv_block' },
        { line: 12, column: 9, message: '`x`' },
        { line: 12, column: 28, message: '`skip`' }
      ],
      output:
        'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\ndef conv_block(x):\n    x = layers.Conv2D(4, 3, padding="same")(x)\n    return keras.ops.relu(x)\ndef build():\n    inputs = keras.Input((32, 32, 3))\n    resnet = keras.applications.ResNet50(weights=None, include_top=False, input_tensor=inputs)\n    x = conv_block(resnet.get_layer("conv4_block6_2_relu").output)\n    skip = resnet.get_layer("conv2_block3_2_relu").output\n    x = tf.image.resize(x, tf.shape(skip)[1:3])\n    return keras.Model(inputs, x)\n'
      // (the resize conversion is unsafe, and the tf.shape inside it is left for it: `fix --unsafe` writes keras.ops.image.resize(x, keras.ops.shape(skip)[1:3]))
    },
    {
      name: 'keras.io structured data: a helper returns the dict of keras.Input it makes, another applies TF ops to it',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\ndef create_model_inputs():\n    inputs = {}\n    for name in ["age", "hours"]:\n        inputs[name] = layers.Input(name=name, shape=(), dtype=tf.float32)\n    return inputs\ndef encode_inputs(inputs):\n    return [tf.expand_dims(inputs[name], -1) for name in inputs]\ndef create_model():\n    inputs = create_model_inputs()\n    features = encode_inputs(inputs)\n    return features\n',
      // Measured (examples/runnable/structured_grn_vsn.py): "A KerasTensor cannot be used as input to a TensorFlow function" on every backend.
      errors: [{ line: 9, column: 13 }],
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nimport keras\ndef create_model_inputs():\n    inputs = {}\n    for name in ["age", "hours"]:\n        inputs[name] = layers.Input(name=name, shape=(), dtype=tf.float32)\n    return inputs\ndef encode_inputs(inputs):\n    return [keras.ops.expand_dims(inputs[name], -1) for name in inputs]\ndef create_model():\n    inputs = create_model_inputs()\n    features = encode_inputs(inputs)\n    return features\n'
    },
    {
      name: 'a helper returns a dict comprehension of inputs, one Input or another by a condition; another helper applies a TF op to one',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nNUMERIC = ["age"]\ndef make_inputs():\n    return {\n        col: layers.Input(name=col, shape=(), dtype=tf.float32)\n        if col in NUMERIC\n        else layers.Input(name=col, shape=(), dtype=tf.int64)\n        for col in ["age", "city"]\n    }\ndef featurize(inputs):\n    cols = []\n    for col in inputs:\n        value = inputs[col]\n        if value.shape[-1] is None:\n            value = tf.expand_dims(value, -1)\n        cols.append(value)\n    return layers.concatenate(cols)\ndef build():\n    inputs = make_inputs()\n    return featurize(inputs)\n',
      // Measured (keras.io neural decision forests, made runnable): "A KerasTensor cannot be used as input to a TensorFlow function" on every backend.
      errors: [{ line: 16, column: 21, message: '`featurize()`, which is called with symbolic Keras tensors' }],
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nimport keras\nNUMERIC = ["age"]\ndef make_inputs():\n    return {\n        col: layers.Input(name=col, shape=(), dtype=tf.float32)\n        if col in NUMERIC\n        else layers.Input(name=col, shape=(), dtype=tf.int64)\n        for col in ["age", "city"]\n    }\ndef featurize(inputs):\n    cols = []\n    for col in inputs:\n        value = inputs[col]\n        if value.shape[-1] is None:\n            value = keras.ops.expand_dims(value, -1)\n        cols.append(value)\n    return layers.concatenate(cols)\ndef build():\n    inputs = make_inputs()\n    return featurize(inputs)\n'
    },
    {
      name: 'outputs unpacked from a layer call (return_state=True) and from model.layers[i].output, through a layer taken from model.layers',
      code: [
        'import tensorflow as tf\nfrom tensorflow import keras\nenc_in = keras.Input(shape=(None, 4))\nenc_out, h, c = keras.layers.LSTM(8, return_sequences=True, return_state=True)(enc_in)\nmerged = tf.concat([enc_out, enc_out], axis=-1)\nmodel = keras.Model(enc_in, merged)\n',
        'seq, *states = model.layers[1].output\nlstm = model.layers[1]\nout, h2, c2 = lstm(model.input, initial_state=states)\ny = tf.nn.relu(out)\n'
      ],
      errors: [
        { cell: 0, line: 5, column: 10, message: '`[enc_out, enc_out]`' },
        { cell: 1, line: 4, column: 5, message: '`out`' }
      ],
      output: [
        'import tensorflow as tf\nfrom tensorflow import keras\nenc_in = keras.Input(shape=(None, 4))\nenc_out, h, c = keras.layers.LSTM(8, return_sequences=True, return_state=True)(enc_in)\nmerged = keras.ops.concatenate([enc_out, enc_out], axis=-1)\nmodel = keras.Model(enc_in, merged)\n',
        'seq, *states = model.layers[1].output\nlstm = model.layers[1]\nout, h2, c2 = lstm(model.input, initial_state=states)\ny = keras.ops.relu(out)\n'
      ]
    },
    {
      name: 'several assignments later, across cells',
      code: [
        'import tensorflow as tf\nfrom tensorflow import keras\n',
        'inputs = keras.Input(shape=(8,))\nx = keras.layers.Dense(4)(inputs)\n',
        'dense = keras.layers.Dense(2)\ny = dense(x)\nz = y[:, :1] * 2\nout = tf.nn.relu(z)\nsummed = tf.reduce_sum(z, axis=1, keepdims=True)\n'
      ],
      errors: [
        { cell: 2, line: 4, column: 7, endColumn: 17, message: 'keras.ops.relu' },
        { cell: 2, line: 5, column: 10, endColumn: 23 }
      ],
      output: [
        'import tensorflow as tf\nfrom tensorflow import keras\n',
        'inputs = keras.Input(shape=(8,))\nx = keras.layers.Dense(4)(inputs)\n',
        'dense = keras.layers.Dense(2)\ny = dense(x)\nz = y[:, :1] * 2\nout = keras.ops.relu(z)\nsummed = keras.ops.sum(z, axis=1, keepdims=True)\n'
      ]
    },
    {
      name: 'through layer factories and loop variables',
      code:
        'import tensorflow as tf\n\ndef downsample(filters):\n    result = tf.keras.Sequential()\n    result.add(tf.keras.layers.Conv2D(filters, 3))\n    return result\n\ndef generator():\n    inputs = tf.keras.layers.Input(shape=[256, 256, 3])\n    x = downsample(64)(inputs)\n    for down in [downsample(128), downsample(256)]:\n        x = down(x)\n    x = tf.image.resize(x, [64, 64])\n    return tf.keras.Model(inputs=inputs, outputs=x)\n',
      errors: [{ line: 13, column: 9, endColumn: 24 }]
    },
    {
      name: 'inside a model-building function; unsafe mapping is not applied',
      code: 'import keras\nimport tensorflow as tf\ndef build():\n    inp = keras.Input((4,))\n    h = keras.layers.Dense(3)(inp)\n    return tf.gather(h, [0, 1], batch_dims=1)\n',
      errors: [{ line: 6, column: 12 }]
    },
    {
      name: 'inputs kept in a dict filled by subscript, a list comprehension of them, and a helper that receives KerasTensors',
      code: [
        'import tensorflow as tf\nimport keras\ndef log_scale(t):\n    return tf.math.log1p(tf.abs(t))\n',
        'inputs = {}\nfor name in ["a", "b"]:\n    inputs[name] = keras.Input(shape=(1,), name=name)\ncols = [log_scale(inputs[n]) for n in ["a", "b"]]\nx = tf.concat(cols, axis=-1)\n'
      ],
      errors: [
        { cell: 0, line: 4, column: 12, message: 'in `log_scale()`, which is called with symbolic Keras tensors' },
        { cell: 0, line: 4, column: 26 },
        { cell: 1, line: 5, column: 5, message: '`cols`' }
      ],
      output: [
        'import tensorflow as tf\nimport keras\ndef log_scale(t):\n    return keras.ops.log1p(keras.ops.absolute(t))\n',
        'inputs = {}\nfor name in ["a", "b"]:\n    inputs[name] = keras.Input(shape=(1,), name=name)\ncols = [log_scale(inputs[n]) for n in ["a", "b"]]\nx = keras.ops.concatenate(cols, axis=-1)\n'
      ]
    },
    {
      name: 'a helper only called with plain tensors is not flagged',
      code: 'import tensorflow as tf\nimport keras\ndef log_scale(t):\n    return tf.math.log1p(tf.abs(t))\ninputs = keras.Input(shape=(1,))\nv = log_scale(tf.ones((2,)))\n',
      errors: []
    },
    {
      // keras.io StyleGAN's minibatch_std called on a KerasTensor. Measured on Keras 3.x: with keras.ops.shape the
      // batch entry is None and keras.ops.minimum(4, None) fails on tensorflow, jax and torch alike.
      name: 'tf.shape unpacked in a helper called with KerasTensors, its batch entry computed with: no keras.ops.shape rewrite',
      code:
        'import tensorflow as tf\nimport keras\ndef minibatch_std(t):\n    n, h, w, c = tf.shape(t)\n    g = tf.minimum(4, n)\n    x = tf.reshape(t, [g, -1, h, w, c])\n    return x\ninputs = keras.Input((4, 4, 3))\ny = minibatch_std(inputs)\n',
      errors: [
        { line: 4, column: 18, message: 'its batch entry is read, and `keras.ops.shape` gives None' },
        { line: 5, column: 9 },
        { line: 6, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\ndef minibatch_std(t):\n    n, h, w, c = tf.shape(t)\n    g = keras.ops.minimum(4, n)\n    x = keras.ops.reshape(t, [g, -1, h, w, c])\n    return x\ninputs = keras.Input((4, 4, 3))\ny = minibatch_std(inputs)\n'
    },
    {
      // The same helper once its other ops are keras.ops (what `fix --unsafe` leaves), called on the caller's `x`: the
      // helper's own `x` shadows it (the answer for `[t, x]` is not kept from a read before the local assignment).
      name: 'the helper\'s local x shadows the caller\'s symbolic x: the finding stays after the other ops are converted',
      code:
        'import tensorflow as tf\nimport keras\ndef minibatch_std(t):\n    n, h, w, c = tf.shape(t)\n    g = keras.ops.minimum(4, n)\n    x = keras.ops.reshape(t, [g, -1, h, w, c])\n    x = keras.ops.mean(x, axis=0)\n    return keras.ops.concatenate([t, x], axis=-1)\ninputs = keras.Input((4, 4, 3))\nx = keras.layers.Conv2D(3, 1)(inputs)\nx = minibatch_std(x)\n',
      errors: [{ line: 4, column: 18, message: 'batch entry' }],
      fixOptions: { unsafe: true }
    },
    {
      // github.com/keras-team/keras/issues/19314: tf_keras 2.21 runs it; with keras.ops.shape, `l` is None on Keras 3 and `l // 2` fails
      // ("unsupported operand type(s) for //: 'NoneType' and 'int'", run); a slice by the KerasTensor instead fails too (explain: keras-tensor-sliced-by-keras-tensor).
      name: 'tf.shape unpacked where its Input leaves a dimension None, that entry read: no keras.ops.shape rewrite',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ndef build():\n    x = keras.Input(batch_shape=(1, None))\n    b, l = tf.shape(x)\n    y = x[:, l // 2]\n    return keras.Model(inputs=x, outputs=y)\n',
      errors: [{ line: 5, column: 12, message: 'an entry its `keras.Input` leaves None is read' }]
    },
    {
      name: 'a dimension the Input leaves None, read by index and by a slice over it; a known one keeps the rewrite',
      code: 'import tensorflow as tf\nimport keras\nx = keras.Input((None, 3))\nt = tf.shape(x)[1]\nhw = tf.shape(x)[1:3]\nc = tf.shape(x)[2]\nprint(t, hw, c)\n',
      errors: [
        { line: 4, column: 5, message: 'leaves None' },
        { line: 5, column: 6, message: 'leaves None' },
        { line: 6, column: 5 }
      ],
      output: 'import tensorflow as tf\nimport keras\nx = keras.Input((None, 3))\nt = tf.shape(x)[1]\nhw = tf.shape(x)[1:3]\nc = keras.ops.shape(x)[2]\nprint(t, hw, c)\n'
    },
    {
      name: 'tf.shape(x)[0] of a KerasTensor, through a name and whole: no rewrite; [1:3], [-1] and an unread batch name keep it',
      code:
        'import tensorflow as tf\nimport keras\nx = keras.Input((4, 3))\nb = tf.shape(x)[0]\ns = tf.shape(x)\nz = tf.reshape(x, s)\nhw = tf.shape(x)[1:3]\nc = tf.shape(x)[-1]\nn, t, d = tf.shape(x)\nprint(b, z, hw, c, t, d)\n',
      errors: [
        { line: 4, column: 5, message: 'batch entry' },
        { line: 5, column: 5, message: 'batch entry' },
        { line: 6, column: 5 },
        { line: 7, column: 6 },
        { line: 8, column: 5 },
        { line: 9, column: 11 }
      ],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport keras\nx = keras.Input((4, 3))\nb = tf.shape(x)[0]\ns = tf.shape(x)\nz = keras.ops.reshape(x, s)\nhw = keras.ops.shape(x)[1:3]\nc = keras.ops.shape(x)[-1]\nn, t, d = keras.ops.shape(x)\nprint(b, z, hw, c, t, d)\n'
    },
    {
      name: 'VAE-style KL term built with K.* then reduced with tf',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nz_mean = tf.keras.layers.Dense(2)(tf.keras.Input((4,)))\nkl = -0.5 * K.mean(1 - K.square(z_mean), axis=-1)\nloss = tf.reduce_mean(kl)\n',
      errors: [{ line: 5, column: 8, message: '`kl`' }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nimport keras\nz_mean = tf.keras.layers.Dense(2)(tf.keras.Input((4,)))\nkl = -0.5 * K.mean(1 - K.square(z_mean), axis=-1)\nloss = keras.ops.mean(kl)\n'
    }
  ]
});
