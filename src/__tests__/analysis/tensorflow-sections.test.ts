import { ruleTester } from './rule-tester';

const LAYER_HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('KM021', {
  valid: [
    { name: 'jit_compile=False elsewhere in the notebook', code: [LAYER_HEAD + 'class T(keras.layers.Layer):\n    def call(self, x):\n        return tf.strings.split(x)\n', 'model.compile(loss="mse", jit_compile=False)\n'] },
    { name: 'tf.strings in a tf.data pipeline', code: LAYER_HEAD + 'ds = ds.map(lambda s: tf.strings.split(s))\n' },
    { name: 'not a Keras class', code: LAYER_HEAD + 'class T:\n    def call(self, x):\n        return tf.strings.split(x)\n' }
  ],
  invalid: [
    {
      name: 'indirect subclass defined in an earlier cell',
      code: [LAYER_HEAD + 'class Base(keras.layers.Layer):\n    pass\n', 'class T(Base):\n    def call(self, x):\n        return tf.py_function(f, [x], tf.float32)\n'],
      errors: [{ line: 3, column: 16, endColumn: 30, message: 'XLA' }]
    },
    {
      code: LAYER_HEAD + '@tf.function(jit_compile=True)\ndef f(x):\n    return tf.io.decode_png(x)\n',
      errors: [{ line: 5, column: 12 }]
    }
  ]
});

ruleTester('KM031', {
  valid: [
    { code: 'model.save("m.keras")\nmodel.save("m.h5")\nmodel.export("serving")\n' },
    { code: 'import numpy as np\nnp.save("array", a)\nimg.save("out.png")\n' },
    { name: 'path in a variable', code: 'model.save(path)\n' },
    { name: 'not a model', code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=m)\nckpt.save("training/ckpt")\nimage.save("thumb")\n' }
  ],
  invalid: [
    {
      code: 'model.save("saved_model/my_model")\n',
      errors: [{ line: 1, column: 1, endColumn: 35 }],
      output: 'model.export("saved_model/my_model")\n'
    },
    {
      code: 'model.save("out", save_format="tf")\n',
      errors: [{ line: 1, column: 1 }],
      output: 'model.export("out")\n'
    },
    {
      name: 'extra arguments: suggestion only',
      code: 'import keras\nnet = keras.Sequential()\nnet.save("out/", overwrite=True)\n',
      errors: [{ line: 3, column: 1 }]
    },
    {
      code: 'import keras\nkeras.models.save_model(model, "exported")\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import keras\nmodel.export("exported")\n'
    },
    {
      name: 'save_format="h5" with a bare name: an HDF5 file, not a SavedModel',
      code: 'model.save("weights_model", save_format="h5")\n',
      errors: [{ line: 1, column: 1, message: 'weights_model.h5' }],
      fixOptions: { unsafe: true },
      output: 'model.save("weights_model.h5")\n'
    },
    {
      name: 'save_model with extra options: suggestion only',
      code: 'import tensorflow as tf\ntf.keras.models.save_model(self.model, "exported", include_optimizer=False)\n',
      errors: [{ line: 2, column: 1 }]
    }
  ]
});

ruleTester('KM041', {
  valid: [{ code: 'import keras\nm = keras.models.load_model("m.keras")\nl = keras.layers.TFSMLayer("sm", call_endpoint="serving_default")\n' }],
  invalid: [
    {
      name: 'tf.keras spelling, import keras added',
      code: ['import tensorflow as tf\n', 'm = tf.keras.models.load_model("saved_model/my_model")\n'],
      errors: [{ line: 1, column: 5, endColumn: 55 }],
      output: ['import tensorflow as tf\nimport keras\n', 'm = keras.layers.TFSMLayer("saved_model/my_model", call_endpoint="serving_default")\n']
    },
    {
      name: 'the result is used as a Model: suggestion only',
      code: 'import keras\nm = keras.models.load_model("sm")\nprint(m.predict(x))\n',
      errors: [{ line: 2, column: 5 }]
    },
    {
      name: 'extra arguments: suggestion only',
      code: 'from keras.models import load_model\nm = load_model("sm", compile=False)\n',
      errors: [{ line: 2, column: 5 }]
    }
  ]
});

ruleTester('KM051', {
  valid: [
    { code: 'import keras\nm = keras.Model({"a": a, "b": b}, out)\nm2 = keras.Model([a, b], [o1, o2])\n' },
    { name: 'Keras 3.4 accepts nesting', code: 'import keras\nm = keras.Model({"a": {"x": a}}, out)\n', options: { kerasVersion: '3.4' } }
  ],
  invalid: [
    {
      name: 'nested structure held in a variable',
      code: ['import keras\na = keras.Input((1,))\nb = keras.Input((2,))\nnested = {"a": {"x": a, "y": b}}\n', 'm = keras.Model(nested, a)\n'],
      errors: [{ line: 1, column: 17, endColumn: 23 }],
      options: { kerasVersion: '3.3' }
    },
    {
      code: 'import keras\nm = keras.Model(inputs={"a": {"x": a, "y": b}}, outputs=out)\n',
      errors: [{ line: 2, column: 24, endColumn: 47 }],
      options: { kerasVersion: '3.3' }
    }
  ]
});

ruleTester('KM061', {
  valid: [
    {
      name: 'configuration helpers return Python values',
      code:
        LAYER_HEAD +
        'from tensorflow.keras import backend as K\nclass Conv(keras.layers.Layer):\n    def call(self, x):\n        if K.image_data_format() == "channels_first":\n            x = keras.ops.transpose(x, (0, 2, 3, 1))\n        if tf.keras.backend.floatx() == "float16":\n            x = keras.ops.cast(x, "float16")\n        if K.int_shape(x)[-1] == 1:\n            x = x * 2\n        return x\n'
    },
    {
      code:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def call(self, x, training=None, mask=None):\n        if training:\n            x = x * 2\n        if mask is not None:\n            x = x * mask\n        if x.shape[-1] > 3:\n            x = x[..., :3]\n        while len(self.items) > 0:\n            pass\n        return x\n'
    },
    { name: 'RNN cell states are a Python list', code: LAYER_HEAD + 'class Cell(keras.layers.Layer):\n    def call(self, inputs, states):\n        if states:\n            return inputs, states\n        return inputs, []\n' },
    { name: '@tf.function keeps AutoGraph', code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    @tf.function\n    def call(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n        return -x\n' },
    { name: 'not in call()', code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def helper(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n' }
  ],
  invalid: [
    {
      code:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def call(self, inputs):\n        if tf.reduce_sum(inputs) > 0:\n            return inputs\n        s = keras.ops.mean(inputs)\n        while s > 1:\n            s = s / 2\n        return inputs if inputs > 0 else -inputs\n',
      errors: [
        { line: 5, column: 12, endColumn: 37 },
        { line: 8, column: 15, endColumn: 20 },
        { line: 10, column: 26, endColumn: 36 }
      ]
    }
  ]
});

ruleTester('KM071', {
  valid: [
    { code: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\nx = keras.ops.relu(inputs)\nds = tf.data.Dataset.range(3)\n' },
    { name: 'builtins do not propagate', code: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\nn = len(inputs)\ny = tf.zeros(n)\n' },
    { name: 'call() inputs are real tensors', code: ['import keras\nimport tensorflow as tf\ninputs = keras.Input((3,))\n', 'class L(keras.layers.Layer):\n    def call(self, inputs):\n        return tf.nn.relu(inputs)\n'] }
  ],
  invalid: [
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
    }
  ]
});

ruleTester('KM081', {
  valid: [
    { code: 'loss, acc = model.evaluate(x, y)\nresults = model.evaluate(x, y, return_dict=True)\n' },
    { name: 'single-output model', code: 'import keras\ni = keras.Input((2,))\nm = keras.Model(i, keras.layers.Dense(1)(i))\na, b, c = m.evaluate(x, y)\n', options: { kerasVersion: '3.0' } }
  ],
  invalid: [
    {
      name: 'known multi-output model, names not about losses',
      code: ['import keras\ni = keras.Input((2,))\nm = keras.Model(i, outputs=[keras.layers.Dense(1)(i), keras.layers.Dense(1)(i)])\n', 'total, first, second = m.evaluate(x, [y1, y2])\n'],
      errors: [{ line: 1, column: 1, endColumn: 21, message: 'total, first, second' }],
      options: { kerasVersion: '3.0' }
    },
    {
      code: 'loss, a_loss, b_loss = model.evaluate(x, [ya, yb])\n',
      errors: [{ line: 1, column: 1, endColumn: 21 }],
      options: { kerasVersion: '3.4' }
    }
  ]
});

ruleTester('KM091', {
  valid: [
    { code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = self.add_weight(shape=shape[-1:], initializer="ones")\n' },
    { name: 'outside a layer', code: LAYER_HEAD + 'step = tf.Variable(0)\n' }
  ],
  invalid: [
    {
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]), name="w")\n        self.b = tf.Variable(initial_value=0.0, trainable=False)\n        self.c = tf.Variable(0.0, False)\n',
      errors: [
        { line: 5, column: 18 },
        { line: 6, column: 18 },
        { line: 7, column: 18 }
      ],
      output:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def build(self, shape):\n        self.w = keras.Variable(tf.ones(shape[-1:]), name="w")\n        self.b = keras.Variable(initializer=0.0, trainable=False)\n        self.c = tf.Variable(0.0, False)\n'
    },
    {
      name: 'integer and bool literals keep their TensorFlow dtype',
      code: LAYER_HEAD + 'class Counter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.count = tf.Variable(0, trainable=False)\n        self.flag = tf.Variable(False, trainable=False)\n        self.step = tf.Variable(-1, dtype=tf.int64, trainable=False)\n',
      errors: [{ line: 6, column: 22 }, { line: 7, column: 21 }, { line: 8, column: 21 }],
      output:
        LAYER_HEAD +
        'class Counter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.count = keras.Variable(0, trainable=False, dtype="int32")\n        self.flag = keras.Variable(False, trainable=False, dtype="bool")\n        self.step = keras.Variable(-1, dtype="int64", trainable=False)\n'
    }
  ]
});

ruleTester('KM101', {
  valid: [{ code: 'import keras\nblock = keras.layers.Dense(3)\ny = block([x, x])\n' }],
  invalid: [
    {
      code: 'import keras\nblock = keras.layers.Concatenate()\ny = block([x, None])\nz = keras.layers.Add()({"a": x, "b": None})\n',
      errors: [
        { line: 3, column: 15, endColumn: 19 },
        { line: 4, column: 38 }
      ],
      options: { kerasVersion: '3.0' }
    }
  ]
});

ruleTester('KM111', {
  valid: [
    { code: 'import keras\nclass B(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def build(self, s):\n        self.d.build(s)\n    def call(self, x):\n        return self.d(x)\n' },
    { name: 'Models build themselves', code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def call(self, x):\n        return self.d(x)\n' }
  ],
  invalid: [
    {
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(3)\n    def call(self, x):\n        return self.d(x)\n',
      errors: [{ line: 2, column: 7, endColumn: 12 }]
    }
  ]
});

// Keras 2 backend functions applied to KerasTensors give KerasTensors: the flow goes on through them.
ruleTester('KM071', {
  valid: [{ name: 'shape helpers return Python values', code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nx = tf.keras.Input((4,))\nn = K.int_shape(x)[1]\nr = tf.range(n)\n' }],
  invalid: [
    {
      name: 'VAE-style KL term built with K.* then reduced with tf',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import backend as K\nz_mean = tf.keras.layers.Dense(2)(tf.keras.Input((4,)))\nkl = -0.5 * K.mean(1 - K.square(z_mean), axis=-1)\nloss = tf.reduce_mean(kl)\n',
      errors: [{ line: 5, column: 8, message: '`kl`' }]
    }
  ]
});
