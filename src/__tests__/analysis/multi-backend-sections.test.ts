import { ruleTester } from './rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('KM121', {
  valid: [{ code: 'import keras\nr = keras.layers.ReLU(threshold=0.5)\n' }],
  invalid: [
    {
      code: 'import keras\na = keras.layers.ThresholdedReLU(theta=0.5)\nb = keras.layers.ThresholdedReLU(0.2)\nc = keras.layers.ThresholdedReLU()\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 5 }, { line: 4, column: 5 }],
      output: 'import keras\na = keras.layers.ReLU(threshold=0.5)\nb = keras.layers.ReLU(threshold=0.2)\nc = keras.layers.ReLU(threshold=1.0)\n'
    }
  ]
});

ruleTester('KM122', {
  valid: [{ code: 'import keras\nx = keras.layers.Conv2D(3, 3)\n' }],
  invalid: [
    {
      code: 'from keras.layers import LocallyConnected2D\nimport keras\nx = LocallyConnected2D(8, 3)\ny = keras.layers.LocallyConnected1D(4, 2)\n',
      errors: [{ line: 3, column: 5, endColumn: 23 }, { line: 4, column: 5, endColumn: 36 }]
    }
  ]
});

ruleTester('KM123', {
  valid: [{ code: 'import keras\nr = keras.layers.LSTM(3, return_sequences=True)\n' }],
  invalid: [
    {
      code: 'import keras\nr = keras.layers.LSTM(3, time_major=True)\nmodel.train_on_batch(x, y, reset_metrics=False)\n',
      errors: [{ line: 2, column: 26 }, { line: 3, column: 28 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nr = keras.layers.LSTM(3)\nmodel.train_on_batch(x, y)\n'
    }
  ]
});

ruleTester('KM124', {
  valid: [{ code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(keras.ops.mean(x))\n        return x\n' }],
  invalid: [
    {
      code: 'import keras\ninp = keras.Input((3,))\nout = keras.layers.Dense(1)(inp)\nmodel = keras.Model(inp, out)\nmodel.add_loss(keras.ops.mean(out))\n',
      errors: [{ line: 5, column: 1, endColumn: 15 }]
    }
  ]
});

ruleTester('KM131', {
  valid: [
    { name: 'tf.data pipelines are fine', code: HEAD + 'ds = tf.data.Dataset.range(10).map(lambda x: tf.cast(x, tf.float32))\n' },
    { name: 'module-level data prep', code: HEAD + 'x = tf.reduce_sum(data, axis=1)\n' },
    { name: 'clean Keras 3', code: HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.sum(x, axis=1)\n' }
  ],
  invalid: [
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
        'class Norm(keras.layers.Layer):\n    def call(self, x):\n        s = keras.ops.sum(x, axis=1, keepdims=True)\n        c = keras.ops.concatenate([x, s], -1)\n        r = tf.range(3)\n        g = keras.ops.take(x, [0], axis=1)\n        return keras.ops.clip(c, x_min=0, x_max=1)\n    def build(self, shape):\n        self.k = keras.ops.cast(shape[-1], "float32")\n'
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
    }
  ]
});

ruleTester('KM132', {
  valid: [{ code: 'from keras import backend as K\nK.clear_session()\ne = K.epsilon()\n' }],
  invalid: [
    {
      code: 'from tensorflow.keras import backend as K\ndef loss(y_true, y_pred):\n    return K.mean(K.square(y_pred - y_true), axis=-1) + K.concatenate([y_true, y_pred])\n',
      errors: [{ line: 3, column: 12, endColumn: 18 }, { line: 3, column: 19 }, { line: 3, column: 57 }],
      // K.mean of integers truncates like tf.reduce_mean; K.concatenate without an axis joins on -1.
      output: 'from tensorflow.keras import backend as K\nimport keras\ndef loss(y_true, y_pred):\n    return K.mean(keras.ops.square(y_pred - y_true), axis=-1) + K.concatenate([y_true, y_pred])\n'
    }
  ]
});

ruleTester('KM132', {
  valid: [],
  invalid: [
    {
      name: 'K.sqrt keeps its clip at zero; nested rewrites compose',
      code: 'import keras\nfrom keras import backend as K\ndef rmse(y_true, y_pred):\n    return K.sqrt(K.sum(K.square(y_pred - y_true), axis=-1))\nd = K.sqrt(x, name="d")\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 19 }, { line: 4, column: 25 }, { line: 5, column: 5 }],
      output: 'import keras\nfrom keras import backend as K\ndef rmse(y_true, y_pred):\n    return keras.ops.sqrt(keras.ops.maximum(keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1), 0.0))\nd = keras.ops.sqrt(keras.ops.maximum(x, 0.0))\n'
    }
  ]
});

ruleTester('KM132', {
  valid: [],
  invalid: [
    {
      name: 'renamed arguments; K.expand_dims without axis stays a suggestion',
      code: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = K.pow(y_pred, 2) + K.clip(y_true, min_value=0, max_value=1)\n    return K.expand_dims(a)\n',
      errors: [{ line: 4, column: 9 }, { line: 4, column: 28 }, { line: 5, column: 12 }],
      output: 'import keras\nfrom keras import backend as K\ndef loss(y_true, y_pred):\n    a = keras.ops.power(y_pred, 2) + keras.ops.clip(y_true, x_min=0, x_max=1)\n    return K.expand_dims(a)\n'
    }
  ]
});

ruleTester('KM131', {
  valid: [],
  invalid: [
    {
      name: 'gelu keeps the exact form',
      code: 'import keras\nimport tensorflow as tf\nclass G(keras.layers.Layer):\n    def call(self, x):\n        return tf.nn.gelu(x)\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import keras\nimport tensorflow as tf\nclass G(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.gelu(x, approximate=False)\n'
    }
  ]
});

ruleTester('KM133', {
  valid: [{ code: 'import keras\nd = keras.layers.Dense(3, activation="relu")\n' }],
  invalid: [
    {
      code: HEAD + 'd = keras.layers.Dense(3, activation=tf.nn.relu)\n',
      errors: [{ line: 3, column: 38, endColumn: 48 }],
      output: HEAD + 'd = keras.layers.Dense(3, activation=keras.activations.relu)\n'
    }
  ]
});

ruleTester('KM141', {
  valid: [
    { code: HEAD + 'class M(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))\n' },
    { name: 'target tensorflow drops the section', code: HEAD + 'class M(keras.Model):\n    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            pass\n', options: { target: 'tensorflow' } }
  ],
  invalid: [
    {
      code:
        HEAD +
        'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x))\n        self.optimizer.apply_gradients(zip(g, self.trainable_variables))\n',
      errors: [{ line: 6, column: 14, endColumn: 29 }, { line: 7, column: 20, endColumn: 38 }, { line: 8, column: 9 }]
    }
  ]
});

ruleTester('KM151', {
  valid: [
    { code: HEAD + 'class N(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.seed = keras.random.SeedGenerator(1)\n    def call(self, x):\n        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed)\n' },
    { name: 'module-level noise for plotting', code: HEAD + 'noise = tf.random.normal([1, 100])\n' }
  ],
  invalid: [
    {
      code: HEAD + 'class N(keras.layers.Layer):\n    def call(self, x):\n        return x + tf.random.normal(tf.shape(x))\n',
      errors: [{ line: 5, column: 20, endColumn: 36 }]
    }
  ]
});

ruleTester('KM152', {
  valid: [{ code: 'import keras\nclass D(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=self.seed)\n' }],
  invalid: [
    {
      code: 'import keras\nclass D(keras.layers.Layer):\n    def call(self, x):\n        return keras.random.dropout(x, 0.5, seed=42)\n',
      errors: [{ line: 4, column: 50, endColumn: 52 }]
    }
  ]
});

ruleTester('KM161', {
  valid: [{ code: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n' }],
  invalid: [
    {
      code: 'import tensorflow as tf\nopt = tf.keras.optimizers.SGD(lr=0.01, momentum=0.9)\n',
      errors: [{ line: 2, column: 31, endColumn: 38 }],
      output: 'import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)\n'
    },
    {
      name: 'decay is a suggestion only',
      code: 'from keras.optimizers import Adam\nopt = Adam(decay=1e-6)\n',
      errors: [{ line: 2, column: 12 }]
    }
  ]
});

ruleTester('KM163', {
  valid: [{ code: 'model.fit(x, y, epochs=3)\n' }],
  invalid: [
    {
      code: 'model.fit_generator(gen, steps_per_epoch=10)\nmodel.fit(gen, workers=4)\n',
      errors: [{ line: 1, column: 7, endColumn: 20 }, { line: 2, column: 16 }],
      output: 'model.fit(gen, steps_per_epoch=10)\nmodel.fit(gen, workers=4)\n'
    }
  ]
});

ruleTester('KM164', {
  valid: [{ code: 'import keras\ne = keras.layers.Embedding(100, 8)\n' }],
  invalid: [
    {
      code: 'import keras\ne = keras.layers.Embedding(100, 8, input_length=20)\nb = keras.layers.BatchNormalization(fused=True)\n',
      errors: [{ line: 2, column: 36 }, { line: 3, column: 37 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ne = keras.layers.Embedding(100, 8)\nb = keras.layers.BatchNormalization()\n'
    }
  ]
});

ruleTester('KM165', {
  valid: [{ code: 'import keras\nr = keras.layers.Rescaling(1 / 255)\n' }],
  invalid: [
    {
      code: 'import keras\nfrom keras.layers.experimental.preprocessing import Rescaling\nfrom keras.layers.experimental import preprocessing\nopt = keras.optimizers.legacy.Adam()\n',
      errors: [{ line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 7, endColumn: 35 }],
      output: 'import keras\nfrom keras.layers import Rescaling\nfrom keras import layers as preprocessing\nopt = keras.optimizers.Adam()\n'
    }
  ]
});

ruleTester('KM166', {
  valid: [{ code: 'model.save_weights("w.weights.h5")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("best.keras")\n' }],
  invalid: [
    {
      code: 'model.save_weights("ckpt/model")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w", save_weights_only=True)\n',
      errors: [{ line: 1, column: 20, endColumn: 32 }, { line: 3, column: 38 }],
      fixOptions: { unsafe: true },
      output: 'model.save_weights("ckpt/model.weights.h5")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w.weights.h5", save_weights_only=True)\n'
    }
  ]
});

ruleTester('KM167', {
  valid: [{ code: 'import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n' }],
  invalid: [{ code: 'import keras\nd = keras.layers.Dense(2, input_shape=(4,))\n', errors: [{ line: 2, column: 27 }] }]
});

ruleTester('KM168', {
  valid: [{ code: 'import keras\na = keras.layers.LeakyReLU(negative_slope=0.2)\n' }],
  invalid: [
    {
      code: 'import keras\na = keras.layers.LeakyReLU(alpha=0.2)\n',
      errors: [{ line: 2, column: 28 }],
      output: 'import keras\na = keras.layers.LeakyReLU(negative_slope=0.2)\n'
    }
  ]
});

ruleTester('KM131', {
  valid: [{ name: 'not a loss signature', code: 'import tensorflow as tf\ndef scale(x, factor):\n    return tf.reduce_sum(x) * factor\n' }],
  invalid: [
    {
      name: 'camelCase loss parameters',
      code: 'import tensorflow as tf\nimport keras\ndef custom_loss(yTrue, yPred):\n    return tf.reduce_sum(tf.square(yTrue - yPred))\n',
      errors: [{ line: 4, column: 12 }, { line: 4, column: 26 }],
      output: 'import tensorflow as tf\nimport keras\ndef custom_loss(yTrue, yPred):\n    return keras.ops.sum(keras.ops.square(yTrue - yPred))\n'
    }
  ]
});

ruleTester('KM131', {
  valid: [],
  invalid: [
    {
      name: "TF's trailing positional `name` (or silu's beta) makes a rewrite a suggestion",
      code: 'import tensorflow as tf\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        a = tf.nn.relu(x, "relu")\n        b = tf.nn.silu(x, 2.0)\n        return tf.reduce_sum(a + b, 1, True, "total")\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 16 }]
    }
  ]
});

ruleTester('KM131', {
  valid: [],
  invalid: [
    {
      name: 'tf.gather: safe only with an explicit axis and no batch_dims',
      code: 'import tensorflow as tf\nimport keras\nclass Pick(keras.layers.Layer):\n    def call(self, x, idx):\n        a = tf.gather(params=x, indices=idx, axis=1)\n        b = tf.gather(x, idx)\n        c = tf.gather(x, idx, axis=1, batch_dims=1)\n        return a, b, c\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 13 }],
      output: 'import tensorflow as tf\nimport keras\nclass Pick(keras.layers.Layer):\n    def call(self, x, idx):\n        a = keras.ops.take(x=x, indices=idx, axis=1)\n        b = tf.gather(x, idx)\n        c = tf.gather(x, idx, axis=1, batch_dims=1)\n        return a, b, c\n'
    }
  ]
});

ruleTester('KM132', {
  valid: [],
  invalid: [
    {
      name: 'K.set_value on the learning rate becomes assign()',
      code: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        K.set_value(self.model.optimizer.learning_rate, 0.01 * 0.9 ** epoch)\n',
      errors: [{ line: 5, column: 9 }],
      output: 'import keras\nfrom keras import backend as K\nclass Decay(keras.callbacks.Callback):\n    def on_epoch_begin(self, epoch, logs=None):\n        self.model.optimizer.learning_rate.assign(0.01 * 0.9 ** epoch)\n'
    }
  ]
});

ruleTester('KM131', {
  valid: [],
  invalid: [
    {
      name: 'a layer deriving from keras.engine.topology.Layer (Keras 2.0-2.2)',
      code: 'import tensorflow as tf\nfrom keras.engine.topology import Layer\nclass Scale(Layer):\n    def call(self, x):\n        return tf.abs(x)\n',
      errors: [{ line: 5, column: 16 }],
      output: 'import tensorflow as tf\nfrom keras.engine.topology import Layer\nimport keras\nclass Scale(Layer):\n    def call(self, x):\n        return keras.ops.absolute(x)\n'
    }
  ]
});

ruleTester('KM131', {
  valid: [{ name: 'a helper installed on a plain class', code: 'import tensorflow as tf\nclass WindowGenerator:\n    pass\ndef split_window(self, features):\n    return tf.stack([features], axis=-1)\nWindowGenerator.split_window = split_window\n' }],
  invalid: [
    {
      name: 'call() defined at notebook level and installed on a Model subclass (TF time-series tutorial)',
      code: ['import tensorflow as tf\nclass FeedBack(tf.keras.Model):\n    pass\n', 'def call(self, inputs, training=None):\n    predictions = tf.stack([inputs])\n    return tf.transpose(predictions, [1, 0, 2])\n\nFeedBack.call = call\n'],
      errors: [{ line: 2, column: 19 }, { line: 3, column: 12 }],
      output: ['import tensorflow as tf\nimport keras\nclass FeedBack(tf.keras.Model):\n    pass\n', 'def call(self, inputs, training=None):\n    predictions = keras.ops.stack([inputs])\n    return keras.ops.transpose(predictions, [1, 0, 2])\n\nFeedBack.call = call\n']
    }
  ]
});

ruleTester('KM133', {
  valid: [{ name: 'a call, not a reference', code: 'import tensorflow as tf\nimport keras\nlayer = keras.layers.Lambda(lambda x: x * 2)\n' }],
  invalid: [
    {
      name: 'TF activation given positionally to Activation and Lambda layers',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Lambda\na = Activation(tf.nn.relu)\nb = Lambda(tf.nn.softmax)\n',
      errors: [{ line: 3, column: 16 }, { line: 4, column: 12 }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Lambda\nimport keras\na = Activation(keras.activations.relu)\nb = Lambda(keras.activations.softmax)\n'
    }
  ]
});

// Losses computed on KerasTensors are KerasTensors: adding one to a Functional model is KM124.
ruleTester('KM124', {
  valid: [{ name: 'graph-mode helpers are not KerasTensors', code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.keras.Input((4,))\nf = K.function([x], [x])\nmodel.add_loss(f)\n' }],
  invalid: [
    {
      name: 'Keras 2 VAE: reconstruction loss from keras.losses on the model tensors',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\ninputs = keras.Input((784,))\noutputs = keras.layers.Dense(784)(inputs)\nvae = keras.Model(inputs, outputs)\nreconstruction_loss = 784 * keras.losses.binary_crossentropy(inputs, outputs)\nvae.add_loss(tf.reduce_mean(reconstruction_loss))\n',
      errors: [{ line: 7, column: 1 }]
    }
  ]
});
