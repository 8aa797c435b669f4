/**
 * Keras 2 APIs that break under Keras 3 without a guide section (`api-changes`), written the
 * way tutorials and Kaggle notebooks write them.
 */
import { ruleTester } from './rule-tester';

ruleTester('KM165', {
  valid: [
    { name: 'Keras 3 homes of the moved names', code: 'import keras\nfrom keras.layers import Rescaling\nfrom keras.utils import to_categorical\ns = keras.optimizers.schedules.CosineDecay(0.1, 100)\n' },
    { name: 'a user module named like a Keras one', code: 'from mylib.layers.core import Dense\n' }
  ],
  invalid: [
    {
      name: 'tf.keras spellings get the same fix, with import keras',
      code: 'import tensorflow as tf\nn = tf.keras.layers.experimental.preprocessing.Normalization()\nopt = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 7 }],
      output: 'import tensorflow as tf\nimport keras\nn = keras.layers.Normalization()\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n'
    },
    {
      name: 'from tensorflow.keras... imports of moved modules',
      code: 'from tensorflow.keras.layers.experimental.preprocessing import Rescaling, RandomFlip\nfrom tensorflow.keras.optimizers.experimental import AdamW\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }],
      output: 'from keras.layers import Rescaling, RandomFlip\nfrom keras.optimizers import AdamW\n'
    },
    {
      name: 'standalone Keras 2 layer submodules and utils modules',
      code: 'from keras.layers.core import Dense, Dropout\nfrom keras.layers.convolutional import Conv2D\nfrom keras.utils.np_utils import to_categorical\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }],
      output: 'from keras.layers import Dense, Dropout\nfrom keras.layers import Conv2D\nfrom keras.utils import to_categorical\n'
    },
    {
      name: 'keras.experimental: the schedules moved, the premade models are gone',
      code: 'import tensorflow as tf\ns = tf.keras.experimental.CosineDecay(0.1, 1000)\nm = tf.keras.experimental.WideDeepModel(a, b)\n',
      errors: [{ line: 2, column: 5, message: 'keras.optimizers.schedules.CosineDecay' }, { line: 3, column: 5 }],
      output: 'import tensorflow as tf\nimport keras\ns = keras.optimizers.schedules.CosineDecay(0.1, 1000)\nm = tf.keras.experimental.WideDeepModel(a, b)\n'
    },
    {
      name: 'Tokenizer: no replacement module',
      code: 'from tensorflow.keras.preprocessing.text import Tokenizer\n',
      errors: [{ line: 1, column: 1, message: 'TextVectorization' }]
    },
    {
      name: 'an alias of a moved module is reported at its import only',
      code: 'from tensorflow.keras.layers.experimental import preprocessing\nnorm = preprocessing.Normalization()\n',
      errors: [{ line: 1, column: 1 }],
      output: 'from keras import layers as preprocessing\nnorm = preprocessing.Normalization()\n'
    }
  ]
});

ruleTester('KM166', {
  valid: [
    { code: 'model.load_weights("w.weights.h5")\nmodel.load_weights("model.keras")\nmodel.load_weights("legacy.h5", by_name=True)\nmodel.load_weights(path)\n' },
    { name: 'save_weights_only decided at run time', code: 'import keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w", save_weights_only=weights_only)\n' }
  ],
  invalid: [
    {
      name: 'TensorFlow checkpoints',
      code: 'import tensorflow as tf\nmodel.load_weights("training/cp.ckpt")\nmodel.load_weights(tf.train.latest_checkpoint(checkpoint_dir))\n',
      errors: [
        { line: 2, column: 20, endColumn: 38, message: 'training/cp.ckpt' },
        { line: 3, column: 20, message: 'TensorFlow checkpoint prefix' }
      ]
    },
    {
      name: 'save_weights_only=False is a whole-model checkpoint',
      code: 'import keras\ncb = keras.callbacks.ModelCheckpoint("best.hdf5", save_best_only=True, save_weights_only=False)\n',
      errors: [{ line: 2, column: 38, message: '.keras' }],
      fixOptions: { unsafe: true },
      output: 'import keras\ncb = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True, save_weights_only=False)\n'
    }
  ]
});

ruleTester('KM169', {
  valid: [
    { name: 'keywords', code: 'import keras\nclass D(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight(name="w", shape=(s[-1], 2))\n' },
    { name: 'Keras 3 positional shape', code: 'import keras\nclass D(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight((s[-1], 2), "zeros")\n' },
    { name: 'not a Keras class', code: 'class Store:\n    def setup(self):\n        self.add_weight("w", 3)\n' }
  ],
  invalid: [
    {
      name: 'TF tutorial layer: name first, shape by keyword',
      code: [
        'import tensorflow as tf\n',
        'class MyDenseLayer(tf.keras.layers.Layer):\n  def build(self, input_shape):\n    self.kernel = self.add_weight("kernel",\n                                  shape=[int(input_shape[-1]), 10])\n'
      ],
      errors: [{ line: 3, column: 35, endColumn: 43, message: 'positional name' }],
      output: [
        'import tensorflow as tf\n',
        'class MyDenseLayer(tf.keras.layers.Layer):\n  def build(self, input_shape):\n    self.kernel = self.add_weight(name="kernel",\n                                  shape=[int(input_shape[-1]), 10])\n'
      ]
    },
    {
      name: 'every positional argument gets its Keras 2 name',
      code: 'import keras\nclass A(keras.layers.Layer):\n    def build(self, s):\n        self.b = self.add_weight("att_bias", (s[1], 1), "float32", "zeros", None, True)\n',
      errors: [{ line: 4, column: 34 }],
      output: 'import keras\nclass A(keras.layers.Layer):\n    def build(self, s):\n        self.b = self.add_weight(name="att_bias", shape=(s[1], 1), dtype="float32", initializer="zeros", regularizer=None, trainable=True)\n'
    },
    {
      name: 'metric: Keras 2 Metric.add_weight order',
      code: 'import keras\nclass F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight("tp", initializer="zeros")\n',
      errors: [{ line: 5, column: 35 }],
      output: 'import keras\nclass F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight(name="tp", initializer="zeros")\n'
    },
    {
      name: 'metric keyword Keras 3 does not take: suggestion only',
      code: 'import keras\nimport tensorflow as tf\nclass C(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.n = self.add_weight("n", aggregation=tf.VariableAggregation.SUM)\n',
      errors: [{ line: 6, column: 34 }]
    }
  ]
});

ruleTester('KM170', {
  valid: [
    { name: 'Keras 3 spelling', code: 'import keras\nm = keras.metrics.Mean()\nm.reset_state()\n' },
    { name: 'stateful recurrent layers keep reset_states', code: 'import keras\nlstm = keras.layers.LSTM(4, stateful=True)\nlstm.reset_states()\nmodel.layers[0].reset_states()\nself.rnn.reset_states()\n' },
    { name: 'a layer instance that may be recurrent', code: 'import keras\nenc = keras.layers.GRU(4, stateful=True)\nenc.reset_states()\n' },
    { name: 'reset_states of a non-metric class', code: 'class Tracker:\n    def reset_states(self):\n        pass\n' }
  ],
  invalid: [
    {
      name: 'TF custom-training loop: metrics made in another cell',
      code: [
        'import tensorflow as tf\nwith strategy.scope():\n  test_loss = tf.keras.metrics.Mean(name="test_loss")\n',
        'for epoch in range(3):\n  test_loss.reset_states()\n'
      ],
      errors: [{ line: 2, column: 13, endColumn: 25 }],
      fixOptions: { unsafe: true },
      output: ['import tensorflow as tf\nwith strategy.scope():\n  test_loss = tf.keras.metrics.Mean(name="test_loss")\n', 'for epoch in range(3):\n  test_loss.reset_state()\n']
    },
    {
      name: 'the cell shows a Keras metric: safe',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n    def on_epoch(self):\n        self.loss_tracker.reset_states()\n',
      errors: [{ line: 7, column: 27 }],
      output: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n    def on_epoch(self):\n        self.loss_tracker.reset_state()\n'
    },
    {
      name: 'custom metric overriding reset_states',
      code: 'import keras\nclass F1(keras.metrics.Metric):\n    def result(self):\n        return self.tp\n    def reset_states(self):\n        self.tp.assign(0.0)\n',
      errors: [{ line: 5, column: 9, endColumn: 21, message: 'never called' }],
      output: 'import keras\nclass F1(keras.metrics.Metric):\n    def result(self):\n        return self.tp\n    def reset_state(self):\n        self.tp.assign(0.0)\n'
    },
    {
      name: 'seq2seq encoder and decoder models',
      code: 'encoder.reset_states()\ndecoder_model.reset_states()\n',
      errors: [{ line: 1, column: 9, message: 'models have no' }, { line: 2, column: 15, message: 'models have no' }]
    },
    {
      name: 'the model of a callback has none either',
      code: 'import keras\nclass Reset(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        self.model.reset_states()\n',
      errors: [{ line: 4, column: 20, message: 'models have no' }]
    },
    {
      name: 'a model has none',
      code: 'import keras\nmodel = keras.Sequential([keras.layers.LSTM(4, stateful=True)])\nmodel.reset_states()\n',
      errors: [{ line: 3, column: 7, message: 'models have no' }]
    }
  ]
});

ruleTester('KM171', {
  valid: [
    { name: 'scikit-learn predict_proba', code: 'from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression().fit(X, y)\np = clf.predict_proba(X)\n' },
    { code: 'import keras\nmodel = keras.Sequential()\np = model.predict(x)\nmodel.make_predict_function()\n' }
  ],
  invalid: [
    {
      code: 'from tensorflow.keras.models import Sequential\nmodel = Sequential()\nlabels = model.predict_classes(x)\nprobs = model.predict_proba(x, batch_size=32)\nmodel._make_predict_function()\n',
      errors: [{ line: 3, column: 16, message: 'np.argmax(model.predict(x), axis=-1)' }, { line: 4, column: 15 }, { line: 5, column: 7 }],
      output: 'from tensorflow.keras.models import Sequential\nmodel = Sequential()\nlabels = model.predict_classes(x)\nprobs = model.predict(x, batch_size=32)\nmodel._make_predict_function()\n'
    }
  ]
});

ruleTester('KM164', {
  valid: [
    { name: 'Keras 3 spellings', code: 'import keras\nx = keras.Input(batch_shape=(32, 4))\ny = keras.layers.Input((4,), batch_size=32)\ne = keras.layers.Embedding(100, 8, weights=[matrix], trainable=False)\nr = keras.callbacks.ReduceLROnPlateau(min_delta=1e-4)\n' },
    { name: 'InputLayer keeps batch_input_shape', code: 'import keras\nl = keras.layers.InputLayer(batch_input_shape=(None, 4))\n' },
    { name: 'a notebook class with its own arguments', code: 'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self, batch_size, **kwargs):\n        super().__init__(**kwargs)\nb = Block(batch_size=8)\n' }
  ],
  invalid: [
    {
      name: 'Keras 2 base-layer arguments',
      code: 'from tensorflow.keras.layers import Dense, LSTM\nd = Dense(8, batch_input_shape=(None, 4))\nl = LSTM(4, stateful=True, batch_size=16, input_shape=(10, 3))\nw = Dense(8, weights=[kernel, bias])\n',
      errors: [{ line: 2, column: 14, message: 'batch_shape' }, { line: 3, column: 28 }, { line: 4, column: 14, message: 'set_weights' }]
    },
    {
      name: 'callbacks: ignored TensorBoard arguments and ReduceLROnPlateau(epsilon=)',
      code: 'import tensorflow as tf\ntb = tf.keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=1, write_grads=True, batch_size=32)\nlr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, epsilon=1e-4)\nck = tf.keras.callbacks.ModelCheckpoint("best.keras", period=5)\n',
      errors: [{ line: 2, column: 71 }, { line: 2, column: 89 }, { line: 3, column: 75, message: 'ignored by Keras 3' }, { line: 4, column: 55, message: 'save_freq' }],
      output: 'import tensorflow as tf\ntb = tf.keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=1)\nlr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, min_delta=1e-4)\nck = tf.keras.callbacks.ModelCheckpoint("best.keras", period=5)\n'
    }
  ]
});

// `from tensorflow.keras.layers import *` binds the layer names, so rules see through it.
ruleTester('KM168', {
  valid: [{ name: 'a module that binds nothing known', code: 'from mylib import *\na = LeakyReLU(alpha=0.2)\n' }],
  invalid: [
    {
      name: 'star import of tf.keras layers, in an earlier cell',
      code: ['from tensorflow.keras.layers import *\n', 'model.add(LeakyReLU(alpha=0.1))\n'],
      errors: [{ line: 1, column: 21 }],
      output: ['from tensorflow.keras.layers import *\n', 'model.add(LeakyReLU(negative_slope=0.1))\n']
    }
  ]
});

ruleTester('KM131', {
  valid: [{ name: 'a star-imported name redefined by the notebook', code: 'from keras.layers import *\nimport tensorflow as tf\ndef Lambda(f):\n    return f\ng = Lambda(lambda x: tf.abs(x))\n' }],
  invalid: [
    {
      name: 'Lambda from a star import',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import *\nnorm = Lambda(lambda x: tf.abs(x))\n',
      errors: [{ line: 3, column: 25 }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import *\nimport keras\nnorm = Lambda(lambda x: keras.ops.absolute(x))\n'
    }
  ]
});

ruleTester('KM161', {
  valid: [{ code: 'import keras\nlr = model.optimizer.learning_rate\nscheduler.lr = 0.1\n' }],
  invalid: [
    {
      name: 'the lr attribute in a callback and at top level',
      code: 'import keras\nfrom keras import backend as K\nclass Log(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(float(K.get_value(self.model.optimizer.lr)))\nmodel = keras.Sequential()\nmodel.optimizer.lr = 0.001\n',
      errors: [{ line: 5, column: 54 }, { line: 7, column: 17 }],
      output: 'import keras\nfrom keras import backend as K\nclass Log(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(float(K.get_value(self.model.optimizer.learning_rate)))\nmodel = keras.Sequential()\nmodel.optimizer.learning_rate = 0.001\n'
    }
  ]
});

ruleTester('KM172', {
  valid: [{ code: 'import tensorflow as tf\ntf.config.run_functions_eagerly(False)\ntf.compat.v1.enable_eager_execution()\n' }],
  invalid: [
    {
      code: 'import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\ntf.compat.v1.disable_eager_execution()\ntf1.disable_v2_behavior()\n',
      errors: [{ line: 3, column: 1, message: 'disable_eager_execution' }, { line: 4, column: 1 }]
    }
  ]
});

ruleTester('KM163', {
  valid: [{ code: 'import re\npattern = re.compile("a+")\nmodel.compile(optimizer="adam", loss="mse", jit_compile=False, steps_per_execution=4)\n' }],
  invalid: [
    {
      name: 'Keras 2 compile() arguments',
      code: 'model.compile(optimizer="adam", loss="mse", sample_weight_mode="temporal", experimental_run_tf_function=False)\n',
      errors: [{ line: 1, column: 45, message: 'sample_weight_mode' }, { line: 1, column: 76, message: 'experimental_run_tf_function' }],
      output: 'model.compile(optimizer="adam", loss="mse", sample_weight_mode="temporal")\n'
    }
  ]
});

ruleTester('KM165', {
  valid: [{ code: 'from tensorflow.keras import mixed_precision\nmixed_precision.set_global_policy("mixed_float16")\n' }],
  invalid: [
    {
      name: 'experimental mixed precision API',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.mixed_precision import experimental as mixed_precision\ntf.keras.mixed_precision.experimental.set_policy("mixed_float16")\n',
      errors: [{ line: 2, column: 1, message: 'set_global_policy' }, { line: 3, column: 1 }]
    }
  ]
});

ruleTester('KM173', {
  valid: [{ code: 'import keras\nencoder = keras.layers.TFSMLayer("encoder", call_endpoint="serving_default")\n' }],
  invalid: [
    {
      name: 'TF Hub layer in its own cell',
      code: ['import tensorflow_hub as hub\nimport tensorflow as tf\n', 'feature_extractor = hub.KerasLayer(url, input_shape=(224, 224, 3), trainable=False)\n'],
      errors: [{ line: 1, column: 21, endColumn: 35, message: 'TFSMLayer' }]
    }
  ]
});

ruleTester('KM165', {
  valid: [{ code: 'from tensorflow.keras.preprocessing.sequence import pad_sequences\nfrom tensorflow.keras.preprocessing.image import load_img, img_to_array\n' }],
  invalid: [
    {
      name: 'helpers that went with ImageDataGenerator and the sequence utilities',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.preprocessing.sequence import TimeseriesGenerator\nfrom keras.utils import multi_gpu_model\nimg = tf.keras.preprocessing.image.random_rotation(x, 20)\n',
      errors: [{ line: 2, column: 1, message: 'timeseries_dataset_from_array' }, { line: 3, column: 1 }, { line: 4, column: 7, message: 'Random' }]
    }
  ]
});

ruleTester('KM124', {
  valid: [{ name: 'a tensor inside call()', code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(0.01 * keras.ops.sum(keras.ops.square(x)))\n        return x\n' }],
  invalid: [
    {
      name: 'Keras 2 callable weight penalty',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([dense])\nmodel.add_loss(lambda: tf.reduce_mean(dense.kernel))\n',
      errors: [{ line: 3, column: 1, endColumn: 15, message: 'callable' }]
    }
  ]
});

// Paths held in a name assigned a literal earlier in the cell.
ruleTester('KM031', {
  valid: [
    { name: 'value changed after the literal', code: 'path = "model"\npath += ".keras"\nmodel.save(path)\n' },
    { name: 'a parameter shadows the notebook constant', code: 'p = "export"\ndef save(model, p):\n    model.save(p)\n' },
    { name: 'f-string', code: 'name = f"model_{i}"\nmodel.save(name)\n' }
  ],
  invalid: [
    {
      code: 'MODEL_DIR = "saved_model/my_model"  # SavedModel\nmodel.fit(x, y)\nmodel.save(MODEL_DIR)\n',
      errors: [{ line: 3, column: 1, message: 'saved_model/my_model' }],
      output: 'MODEL_DIR = "saved_model/my_model"  # SavedModel\nmodel.fit(x, y)\nmodel.export(MODEL_DIR)\n'
    }
  ]
});

ruleTester('KM166', {
  valid: [{ name: 'the TF tutorial after its Keras 3 update', code: 'import tensorflow as tf\ncheckpoint_path = "training_1/cp.weights.h5"\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\n' }],
  invalid: [
    {
      name: 'the TF tutorial before it: a TF checkpoint prefix',
      code: 'import tensorflow as tf\ncheckpoint_path = "training_1/cp.ckpt"\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.load_weights(checkpoint_path)\nmodel.save_weights(checkpoint_path)\n',
      errors: [{ line: 3, column: 50, message: 'training_1/cp.ckpt' }, { line: 4, column: 20 }, { line: 5, column: 20 }]
    }
  ]
});

ruleTester('KM041', {
  valid: [],
  invalid: [
    {
      code: 'import tensorflow as tf\nexport_path = "exported/1"\nreloaded = tf.keras.models.load_model(export_path)\n',
      errors: [{ line: 3, column: 12 }],
      output: 'import tensorflow as tf\nimport keras\nexport_path = "exported/1"\nreloaded = keras.layers.TFSMLayer(export_path, call_endpoint="serving_default")\n'
    }
  ]
});

ruleTester('KM174', {
  valid: [
    { name: 'models keep output_shape', code: 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nassert model.output_shape == (None, 2)\nprint(model.input_shape)\n' },
    { name: 'Keras 3 spelling', code: 'for layer in model.layers:\n    print(layer.output.shape)\n' }
  ],
  invalid: [
    {
      name: 'layer summaries and a BatchNorm-style update',
      code: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output_shape)\nshape = model.get_layer("conv").output_shape\nfirst = model.layers[0].input_shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n',
      errors: [{ line: 3, column: 29 }, { line: 4, column: 33 }, { line: 5, column: 25 }, { line: 8, column: 9, message: 'add_update' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfor layer in model.layers:\n    print(layer.name, layer.output.shape)\nshape = model.get_layer("conv").output.shape\nfirst = model.layers[0].input.shape\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        self.add_update(self.moving_mean.assign(x))\n        return x\n'
    }
  ]
});

ruleTester('KM163', {
  valid: [],
  invalid: [
    {
      name: 'positional arguments after the generator keep their Keras 2 meaning',
      code: 'model.fit_generator(gen, 100, 5, verbose=2)\nscore = model.evaluate_generator(val_gen, 20)\n',
      errors: [{ line: 1, column: 7 }, { line: 2, column: 15 }],
      output: 'model.fit(gen, steps_per_epoch=100, epochs=5, verbose=2)\nscore = model.evaluate(val_gen, steps=20)\n'
    }
  ]
});

ruleTester('KM165', {
  valid: [],
  invalid: [
    {
      name: 'experimental layers and callbacks that graduated',
      code: 'import tensorflow as tf\nd = tf.keras.layers.experimental.EinsumDense("ab,bc->ac", output_shape=4)\ncb = tf.keras.callbacks.experimental.BackupAndRestore(backup_dir="backup")\nbn = tf.keras.layers.experimental.SyncBatchNormalization()\n',
      errors: [{ line: 2, column: 5 }, { line: 3, column: 6 }, { line: 4, column: 6, message: 'synchronized=True' }],
      output: 'import tensorflow as tf\nimport keras\nd = keras.layers.EinsumDense("ab,bc->ac", output_shape=4)\ncb = keras.callbacks.BackupAndRestore(backup_dir="backup")\nbn = tf.keras.layers.experimental.SyncBatchNormalization()\n'
    }
  ]
});

ruleTester('KM165', {
  valid: [],
  invalid: [
    {
      name: 'Keras 2 engine and utils spellings of names that still exist',
      code: 'from keras.engine.topology import Layer\nfrom keras.engine.input_spec import InputSpec\nfrom keras.utils.generic_utils import get_custom_objects\nfrom keras.engine import training\n',
      errors: [{ line: 1, column: 1 }, { line: 2, column: 1 }, { line: 3, column: 1 }, { line: 4, column: 1, message: 'private Keras 2 API' }],
      output: 'from keras.layers import Layer\nfrom keras.layers import InputSpec\nfrom keras.utils import get_custom_objects\nfrom keras.engine import training\n'
    }
  ]
});

ruleTester('KM161', {
  valid: [],
  invalid: [
    {
      name: 'tf.optimizers alias',
      code: 'import tensorflow as tf\nopt = tf.optimizers.Adam(lr=1e-3)\n',
      errors: [{ line: 2, column: 26 }],
      output: 'import tensorflow as tf\nopt = tf.optimizers.Adam(learning_rate=1e-3)\n'
    }
  ]
});

ruleTester('KM164', {
  valid: [{ code: 'import keras\nr = keras.regularizers.l2(0.01)\ns = keras.regularizers.L1(l1=0.01)\n' }],
  invalid: [
    {
      name: 'regularizer factor spelled l=',
      code: 'import tensorflow as tf\nd = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(l=0.01))\n',
      errors: [{ line: 2, column: 74, message: 'l2=' }],
      output: 'import tensorflow as tf\nd = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(l2=0.01))\n'
    }
  ]
});

ruleTester('KM165', {
  valid: [],
  invalid: [
    {
      name: 'Estimator bridge and premade models',
      code: 'import tensorflow as tf\nest = tf.keras.estimator.model_to_estimator(keras_model=model)\nfrom tensorflow.keras.premade import WideDeepModel\n',
      errors: [{ line: 2, column: 7, message: 'Estimator' }, { line: 3, column: 1 }]
    }
  ]
});

ruleTester('KM031', {
  valid: [{ code: 'model.save("m.keras", save_format="keras")\n' }],
  invalid: [
    {
      name: 'save_format="keras" with a bare name: a .keras file, not a SavedModel',
      code: 'model.save("my_model", save_format="keras")\n',
      errors: [{ line: 1, column: 1, message: 'my_model.keras' }],
      fixOptions: { unsafe: true },
      output: 'model.save("my_model.keras")\n'
    }
  ]
});

ruleTester('KM161', {
  valid: [{ name: 'an argparse namespace called opt', code: 'import argparse\nimport keras\nopt = parser.parse_args()\nmodel.compile(optimizer=keras.optimizers.Adam(learning_rate=opt.lr))\n' }],
  invalid: [
    {
      name: 'a Keras optimizer held in a short name',
      code: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nprint(opt.lr)\n',
      errors: [{ line: 3, column: 11 }],
      output: 'import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nprint(opt.learning_rate)\n'
    }
  ]
});

ruleTester('KM166', {
  valid: [{ name: 'loaders of other formats', code: 'yolo.load_weights("yolov3.weights")\nnet.load_weights("model.pth")\n' }],
  invalid: [
    {
      name: 'TF checkpoint prefixes',
      code: 'model.load_weights("./checkpoints/my_checkpoint")\nmodel.load_weights("ckpt/model.ckpt-1000")\n',
      errors: [{ line: 1, column: 20 }, { line: 2, column: 20 }]
    }
  ]
});

ruleTester('KM170', {
  valid: [],
  invalid: [
    {
      name: 'a loop over model.metrics: safe',
      code: 'for m in model.metrics:\n    m.reset_states()\n',
      errors: [{ line: 2, column: 7 }],
      output: 'for m in model.metrics:\n    m.reset_state()\n'
    }
  ]
});
