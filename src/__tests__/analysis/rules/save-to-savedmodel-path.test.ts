import { ruleTester } from '../rule-tester';

ruleTester('save-to-savedmodel-path', {
  valid: [
    { code: 'model.save("m.keras")\nmodel.save("m.h5")\nmodel.export("serving")\n' },
    {
      name: 'a weights-only ModelCheckpoint to .h5 is no model round trip',
      code: 'import keras\nmodel.compile(loss="mse")\ncb = keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=True)\nm = keras.models.load_model("w.h5")\n'
    },
    { code: 'import numpy as np\nnp.save("array", a)\nimg.save("out.png")\n' },
    { name: 'path in a variable', code: 'model.save(path)\n' },
    { name: 'not a model', code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=m)\nckpt.save("training/ckpt")\nimage.save("thumb")\n' },
    // Paths held in a name assigned a literal earlier in the cell.
    { name: 'value changed after the literal', code: 'path = "model"\npath += ".keras"\nmodel.save(path)\n' },
    { name: 'a parameter shadows the notebook constant', code: 'p = "export"\ndef save(model, p):\n    model.save(p)\n' },
    { name: 'f-string', code: 'name = f"model_{i}"\nmodel.save(name)\n' },
    { code: 'model.save("m.keras", save_format="keras")\n' },
    { name: 'a .keras save loaded in a later cell', code: ['import keras\nmodel.save("m.keras")\n', 'restored = keras.models.load_model("m.keras")\n'] }
  ],
  invalid: [
    {
      // /work/og48a repro_3 (Géron's ch. 10 rollback to the best checkpoint): the checkpointed model was compiled with
      // sparse_categorical_crossentropy; an earlier model of the same name with "mse" made all three claimed. It ran on all three.
      name: 'the claim reads the last compile of the model the checkpoint is given to, not an earlier model of the same name',
      code:
        'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer="sgd")\nmodel = keras.Sequential([keras.layers.Dense(10)])\n' +
        'model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")\ncheckpoint_cb = keras.callbacks.ModelCheckpoint("m.h5", save_best_only=True)\n' +
        'model.fit(X, y, callbacks=[checkpoint_cb])\nmodel = keras.models.load_model("m.h5")\n',
      errors: [{ line: 6, column: 17 }],
      blocks: [],
      fixOptions: { unsafe: true },
      output:
        'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss="mse", optimizer="sgd")\nmodel = keras.Sequential([keras.layers.Dense(10)])\n' +
        'model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")\ncheckpoint_cb = keras.callbacks.ModelCheckpoint("m.keras", save_best_only=True)\n' +
        'model.fit(X, y, callbacks=[checkpoint_cb])\nmodel = keras.models.load_model("m.keras")\n'
    },
    {
      // The same round trip with the checkpointed model compiled with "mse": "Could not deserialize 'keras.metrics.mse'" on all three.
      name: 'a checkpointed model last compiled with "mse" claims all three',
      code:
        'import keras\nmodel = keras.Sequential([keras.layers.Dense(10)])\nmodel.compile(loss="mse", optimizer="sgd")\ncheckpoint_cb = keras.callbacks.ModelCheckpoint("m.h5")\n' +
        'model.fit(X, y, callbacks=[checkpoint_cb])\nmodel = keras.models.load_model("m.h5")\n',
      errors: [{ line: 4, column: 17 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nmodel = keras.Sequential([keras.layers.Dense(10)])\nmodel.compile(loss="mse", optimizer="sgd")\ncheckpoint_cb = keras.callbacks.ModelCheckpoint("m.keras")\n' +
        'model.fit(X, y, callbacks=[checkpoint_cb])\nmodel = keras.models.load_model("m.keras")\n'
    },
    {
      // /work/og47d repro_8: an uncompiled feature extractor saved to .h5 and loaded back ran on all three.
      name: 'a model made in the cell and saved without being compiled claims nothing, whatever another model compiles',
      code:
        'import keras\nsmall = keras.Model(inp, out)\nsmall.save("vgg.h5")\nvgg = keras.models.load_model("vgg.h5")\nmodel.compile(optimizer="adam", loss="mse")\n',
      errors: [{ line: 3, column: 1 }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: 'import keras\nsmall = keras.Model(inp, out)\nsmall.save("vgg.keras")\nvgg = keras.models.load_model("vgg.keras")\nmodel.compile(optimizer="adam", loss="mse")\n'
    },
    {
      // og47a repro_4 (Géron's handson-ml2 ch. 12): Keras 2 saved `model.ckpt` as a SavedModel (every path not ending
      // .h5); Keras 3 "Invalid filepath extension for saving" on all three. The .keras round trip ran on all three.
      name: 'a save to a path with another extension (.ckpt) loaded back: a .keras file both sides (safe)',
      code: "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('my_model.ckpt')\nmodel = keras.models.load_model('my_model.ckpt')\n",
      errors: [{ line: 3, column: 1 }],
      output: "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('my_model.ckpt.keras')\nmodel = keras.models.load_model('my_model.ckpt.keras')\n"
    },
    {
      // TensorFlow saved_model migration guide (og45c): renamed to .keras, the SavedModel reader in load_tf2 failed on all
      // three ("SavedModel file does not exist at: keras-model"). No fix for the save nor for the load.
      name: 'a save loaded back with load_model and also given to a cell function that reads it as a SavedModel: no fix',
      code: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('keras-model', save_format='tf')\ndef load_tf2(path):\n    return tf.saved_model.load(path)\nload_tf2('keras-model')\nloaded = keras.models.load_model('keras-model')\n",
      errors: [{ line: 4, column: 1, message: 'No automatic fix: the path is also given to a function of the cell that reads it as a SavedModel' }],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('keras-model', save_format='tf')\ndef load_tf2(path):\n    return tf.saved_model.load(path)\nload_tf2('keras-model')\nloaded = keras.models.load_model('keras-model')\n"
    },
    {
      // TensorFlow saved_model migration guide (og45c): the rename kept signatures=, which Keras 3's save() rejects
      // ("The following argument(s) are not supported: ['signatures']") on TF, JAX and PyTorch; without it all three ran.
      name: 'a save with save_format="tf" and signatures, loaded with load_model: both arguments go (one span)',
      code: "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('keras-model', save_format='tf', signatures={'serving_default': serve})\nloaded = keras.models.load_model('keras-model')\n",
      errors: [{ line: 3, column: 1 }],
      fixOptions: { unsafe: true },
      output: "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save('keras-model.keras')\nloaded = keras.models.load_model('keras-model.keras')\n"
    },
    {
      // TensorFlow distributed save-and-load tutorial (/work/og43d r2): the renamed round trip kept options=, which
      // Keras 3's save() rejects ("The following argument(s) are not supported: ['options']") and load_model() does not take.
      name: 'a save and load with tf.saved_model options: the rename drops options=',
      code: "# model.save / load_model with tf.saved_model.SaveOptions / LoadOptions (distribute save_and_load tutorial).\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\nmodel.compile(loss='mse', optimizer='adam')\nsaved_model_path = \"tf_save\"\nsave_options = tf.saved_model.SaveOptions(experimental_io_device='/job:localhost')\nmodel.save(saved_model_path, options=save_options)\nload_options = tf.saved_model.LoadOptions(experimental_io_device='/job:localhost')\nloaded = keras.models.load_model(saved_model_path, options=load_options)\nprint(type(loaded).__name__)\n",
      errors: [{ line: 9, column: 1 }],
      fixOptions: { unsafe: true },
      output: "# model.save / load_model with tf.saved_model.SaveOptions / LoadOptions (distribute save_and_load tutorial).\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\nmodel.compile(loss='mse', optimizer='adam')\nsaved_model_path = \"tf_save.keras\"\nsave_options = tf.saved_model.SaveOptions(experimental_io_device='/job:localhost')\nmodel.save(saved_model_path)\nload_options = tf.saved_model.LoadOptions(experimental_io_device='/job:localhost')\nloaded = keras.models.load_model(saved_model_path)\nprint(type(loaded).__name__)\n"
    },
    {
      // TensorFlow distributed save-and-load tutorial (/work/og43d r1): one path name for a .keras round trip and,
      // later, a SavedModel read by tf.saved_model.load; renaming it broke that reader on all three backends.
      name: 'a path name also read by tf.saved_model.load: the round trip gets no rename',
      code: "# A path variable used by a model.save()+load_model() pair AND, later, by model.save()+tf.saved_model.load().\nimport tensorflow as tf\nimport keras\n\ndef get_model():\n  m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\n  m.compile(loss='mse', optimizer='adam')\n  return m\n\nkeras_model_path = \"keras_save\"\nmodel = get_model()\nmodel.save(keras_model_path)\nrestored = keras.models.load_model(keras_model_path)\n\nmodel = get_model()\nmodel.save(keras_model_path)\nloaded = tf.saved_model.load(keras_model_path)\nprint(list(loaded.signatures.keys()))\n",
      errors: [{ line: 12, column: 1, message: 'is also read as a SavedModel' }, { line: 16, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      // keras.io serialization guide (helper og41c): "my_model" is written three times; the last save is read by
      // tf.saved_model.load, which reads what export() writes ("SavedModel file does not exist" once renamed).
      name: 'a path saved again: each save pairs with the loads up to the next save (two load_model round trips, then a SavedModel reader)',
      code: "import keras\nimport tensorflow as tf\nmodel.save(\"my_model\")\nfirst = keras.models.load_model(\"my_model\")\nmodel.save(\"my_model\")\nsecond = keras.models.load_model(\"my_model\")\nmodel.save(\"my_model\")\ngraph = tf.saved_model.load(\"my_model\")\n",
      errors: [{ line: 3, column: 1 }, { line: 5, column: 1 }, { line: 7, column: 1 }],
      fixOptions: { unsafe: true },
      // Each load's own finding (KM041) renames it: the path is named elsewhere, so no save renames it.
      output: "import keras\nimport tensorflow as tf\nmodel.save(\"my_model.keras\")\nfirst = keras.models.load_model(\"my_model\")\nmodel.save(\"my_model.keras\")\nsecond = keras.models.load_model(\"my_model\")\nmodel.export(\"my_model\")\ngraph = tf.saved_model.load(\"my_model\")\n"
    },
    {
      // helper oe39c's probe: "Invalid filepath extension for saving" on TF/JAX/PyTorch (run); tf_keras wrote a SavedModel.
      name: 'a save path built with + (the folder a name, the file a literal)',
      code: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\ncheckpoint_dir = "./ckpt"\nmodel.save(checkpoint_dir + "/model")\n',
      errors: [{ line: 4, column: 1 }],
      output: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\ncheckpoint_dir = "./ckpt"\nmodel.save(checkpoint_dir + "/model.keras")\n'
    },
    {
      name: 'the same file reads the folder with tf.saved_model.load: export() is safe (the reader reads what it writes)',
      code: 'import tensorflow as tf\nmodel.save("exported")\nserved = tf.saved_model.load("exported")\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import tensorflow as tf\nmodel.export("exported")\nserved = tf.saved_model.load("exported")\n'
    },
    {
      name: 'a path name read by TFSMLayer too: export() is safe',
      code: 'import keras\nEXPORT_DIR = "serving"\nmodel.save(EXPORT_DIR)\nlayer = keras.layers.TFSMLayer(EXPORT_DIR)\n',
      errors: [{ line: 3, column: 1 }],
      output: 'import keras\nEXPORT_DIR = "serving"\nmodel.export(EXPORT_DIR)\nlayer = keras.layers.TFSMLayer(EXPORT_DIR)\n'
    },
    {
      name: 'saved in one cell, loaded in a later cell: the save moves to the .keras file the load will read (safe)',
      code: ['import keras\nmodel.save("saved_model/my_model")\n', 'x = 1\n', 'restored = keras.models.load_model("saved_model/my_model")\n'],
      errors: [{ cell: 0, line: 2, column: 1, message: 'in a later cell' }],
      // Across cells the folder always becomes part of the name: the load's cell makes the same name.
      output: ['import keras\nmodel.save("saved_model_my_model.keras")\n', 'x = 1\n', 'restored = keras.models.load_model("saved_model/my_model")\n']
    },
    {
      name: 'loaded in an earlier cell only: export() stays the fix',
      code: ['import keras\nrestored = keras.models.load_model("exported")\n', 'model.save("exported")\n'],
      errors: [{ cell: 1, line: 1, column: 1, message: 'no .keras/.h5 extension' }],
      output: ['import keras\nrestored = keras.models.load_model("exported")\n', 'model.export("exported")\n']
    },
    {
      name: 'save_format="tf" and a load in a later cell: the argument goes too',
      code: ['import keras\nMODEL_DIR = "exported"\nmodel.save(MODEL_DIR, save_format="tf")\n', 'restored = keras.models.load_model("exported")\n'],
      errors: [{ cell: 0, line: 3, column: 1, message: 'in a later cell' }],
      output: ['import keras\nMODEL_DIR = "exported.keras"\nmodel.save(MODEL_DIR)\n', 'restored = keras.models.load_model("exported")\n']
    },
    {
      name: 'nothing reads the folder: a .keras file, which runs on every backend (export() fails on PyTorch)',
      code: 'model.save("saved_model/my_model")\n',
      errors: [{ line: 1, column: 1, endColumn: 35, message: 'nothing in the program reads it as a SavedModel' }],
      output: 'model.save("saved_model_my_model.keras")\n'
    },
    {
      code: 'model.save("out", save_format="tf")\n',
      errors: [{ line: 1, column: 1 }],
      output: 'model.save("out.keras")\n'
    },
    {
      name: 'a later cell reads the folder with tf.saved_model.load: export() (a SavedModel) stays the fix',
      code: ['model.save("serving/model")\n', 'import tensorflow as tf\nreloaded = tf.saved_model.load("serving/model")\n'],
      errors: [{ cell: 0, line: 1, column: 1, message: 'no .keras/.h5 extension' }],
      output: ['model.export("serving/model")\n', 'import tensorflow as tf\nreloaded = tf.saved_model.load("serving/model")\n']
    },
    {
      name: 'a later cell inspects the folder with a `!saved_model_cli` shell line (a cell with no Python to walk): export()',
      code: ['model.save("serving/model")\n', '!saved_model_cli show --dir serving/model --all\n'],
      errors: [{ cell: 0, line: 1, column: 1, message: 'no .keras/.h5 extension' }],
      output: ['model.export("serving/model")\n', '!saved_model_cli show --dir serving/model --all\n']
    },
    {
      name: 'the same cell serves it through TFSMLayer under another name: export()',
      code: 'import keras\nmodel.save("serving/model")\nlayer = keras.layers.TFSMLayer(SERVING_DIR, call_endpoint="serving_default")\n',
      errors: [{ line: 2, column: 1, message: 'no .keras/.h5 extension' }],
      output: 'import keras\nmodel.export("serving/model")\nlayer = keras.layers.TFSMLayer(SERVING_DIR, call_endpoint="serving_default")\n'
    },
    {
      name: 'a folder made by os.path.join that nothing reads (keras.io dual encoder): the .keras file in that folder',
      code: 'import os\nimport tempfile\nimport keras\nvision_encoder = keras.Model(inputs, outputs, name="vision_encoder")\nsave_dir = tempfile.mkdtemp()\nvision_encoder.save(os.path.join(save_dir, "vision_encoder"))\n',
      errors: [{ line: 6, column: 1, message: 'vision_encoder.keras' }],
      output: 'import os\nimport tempfile\nimport keras\nvision_encoder = keras.Model(inputs, outputs, name="vision_encoder")\nsave_dir = tempfile.mkdtemp()\nos.makedirs(os.path.dirname(os.path.join(save_dir, "vision_encoder")) or ".", exist_ok=True)\nvision_encoder.save(os.path.join(save_dir, "vision_encoder.keras"))\n'
    },
    {
      name: 'overwrite=True with nothing reading the folder: the .keras file as a suggestion',
      code: 'model.save("out", overwrite=True)\n',
      errors: [{ line: 1, column: 1 }],
      fixOptions: { unsafe: true },
      output: 'model.save("out.keras", overwrite=True)\n'
    },
    {
      name: 'extra arguments: suggestion only',
      code: 'import keras\nnet = keras.Sequential()\nnet.save("out/", overwrite=True)\n',
      errors: [{ line: 3, column: 1 }]
    },
    {
      code: 'import keras\nkeras.models.save_model(model, "exported")\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import keras\nkeras.models.save_model(model, "exported.keras")\n'
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
    },
    {
      code: 'MODEL_DIR = "saved_model/my_model"  # SavedModel\nmodel.fit(x, y)\nmodel.save(MODEL_DIR)\n',
      errors: [{ line: 3, column: 1, message: 'saved_model/my_model' }],
      output: 'MODEL_DIR = "saved_model_my_model.keras"  # SavedModel\nmodel.fit(x, y)\nmodel.save(MODEL_DIR)\n'
    },
    {
      name: 'saved, then loaded from the same path: not export() (load_model cannot read it) but one .keras file on both sides',
      code: 'import keras\nmodel.save("saved_model/my_model")\nrestored = keras.models.load_model("saved_model/my_model")\n',
      errors: [{ line: 2, column: 1, message: 'loads it back' }],
      // Keras 3 writes a .keras file only into an existing folder: the folder becomes part of the name.
      output: 'import keras\nmodel.save("saved_model_my_model.keras")\nrestored = keras.models.load_model("saved_model_my_model.keras")\n'
    },
    {
      name: 'a legacy .h5 round trip: both sides to .keras, as a suggestion',
      code: 'import os\nimport keras\npath = os.path.join(workdir, "my_model.h5")\nmodel.save(path)\nrestored = keras.models.load_model(path, custom_objects={"Scale": Scale})\n',
      errors: [{ line: 4, column: 1, message: 'keras.metrics.mse' }],
      // Never compiled: the round trip runs on every backend (claims/h5_round_trip_uncompiled.py).
      blocks: [],
      fixOptions: { unsafe: true },
      // Keras 2 and 3 create a legacy .h5 model's folder, Keras 3 writes .keras only into an existing one.
      output: 'import os\nimport keras\npath = os.path.join(workdir, "my_model.keras")\nos.makedirs(os.path.dirname(path) or ".", exist_ok=True)\nmodel.save(path)\nrestored = keras.models.load_model(path, custom_objects={"Scale": Scale})\n'
    },
    {
      name: 'a legacy .h5 round trip of a model compiled in another cell blocks every backend',
      code: ['import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\n', 'model.save("m.h5")\nrestored = keras.models.load_model("m.h5")\n'],
      // "Could not deserialize 'keras.metrics.mse'" on TF, JAX and PyTorch (claims/h5_round_trip_compiled.py).
      errors: [{ cell: 1, line: 1, column: 1, message: 'keras.metrics.mse' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // claims/h5_round_trip_submodel_of_compiled.py: compiling `vae` compiles no sub-model; the decoder loads back and trains on TF, JAX and PyTorch.
      name: 'a legacy .h5 round trip of a sub-model of the compiled model: a suggestion that blocks nothing',
      code: 'import keras\nvae.compile(optimizer="sgd", loss="mse")\nvae.decoder.save("decoder.h5")\nrestored = keras.models.load_model("decoder.h5")\n',
      errors: [{ line: 3, column: 1, message: 'keras.metrics.mse' }],
      blocks: []
    },
    {
      // claims/h5_round_trip_compiled_submodel.py: "Could not deserialize 'keras.metrics.mse'" on TF, JAX and PyTorch.
      name: 'the same round trip of a sub-model compiled under its own name blocks every backend',
      code: 'import keras\ndecoder.compile(optimizer="sgd", loss="mse")\ngan.decoder = decoder\ngan.decoder.save("decoder.h5")\nrestored = keras.models.load_model("decoder.h5")\n',
      errors: [{ line: 4, column: 1, message: 'keras.metrics.mse' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // Checked by running Keras 3.15: a model compiled with loss="mse", saved to .h5, loaded with compile=False, predicts, compiles and trains on TF, JAX and PyTorch.
      name: 'a legacy .h5 round trip of a compiled model loaded with compile=False: a suggestion that blocks nothing',
      code: ['import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\n', 'model.save("m.h5")\nrestored = keras.models.load_model("m.h5", compile=False)\n'],
      errors: [{ cell: 1, line: 1, column: 1, message: 'keras.metrics.mse' }],
      blocks: []
    },
    {
      // claims/h5_round_trip_keras_tensor_operator.py: "too many positional arguments" at load_model on TF, JAX and PyTorch, compiled or not.
      name: 'a legacy .h5 round trip of a model with an operator on KerasTensors in a block function of another cell blocks every backend',
      code: [
        'import keras\nfrom keras import layers\ndef block(inputs):\n    x = layers.Dense(8)(inputs)\n    return x + inputs\n',
        'inputs = keras.Input((8,))\nmodel = keras.Model(inputs, block(inputs))\nmodel.save("m.h5")\nrestored = keras.models.load_model("m.h5", compile=False)\n'
      ],
      errors: [{ cell: 1, line: 3, column: 1, message: 'too many positional arguments' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'operators only on Python values in the block function: a suggestion that blocks nothing',
      code: [
        'import keras\nfrom keras import layers\ndef block(inputs):\n    units = inputs.shape[-1] * 2\n    return layers.Dense(units)(inputs)\n',
        'inputs = keras.Input((8,))\nmodel = keras.Model(inputs, block(inputs))\nmodel.save("m.h5")\nrestored = keras.models.load_model("m.h5")\n'
      ],
      errors: [{ cell: 1, line: 3, column: 1 }],
      blocks: []
    },
    {
      name: 'an operator on KerasTensors at the top of the cell blocks every backend',
      code: 'import keras\ninputs = keras.Input((8,))\noutputs = keras.layers.Dense(8)(inputs) * 2.0\nmodel = keras.Model(inputs, outputs)\nmodel.save("m.h5")\nrestored = keras.models.load_model("m.h5")\n',
      errors: [{ line: 5, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // claims/h5_round_trip_across_cells_uncompiled.ipynb: it loads back and predicts on TF, JAX and PyTorch.
      name: 'a legacy .h5 path variable saved and loaded in later cells, never compiled: a suggestion that blocks nothing',
      code: ['import os\nimport keras\nPATH = os.path.join(BASE, "model.h5")\n', 'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save(PATH)\n', 'restored = keras.models.load_model(PATH)\n'],
      errors: [{ cell: 0, line: 3, column: 27, message: 'other uncompiled models load back' }],
      blocks: []
    },
    {
      // claims/h5_round_trip_across_cells_compiled.ipynb: "Could not deserialize 'keras.metrics.mse'" on all three.
      name: 'the same path variable of a compiled model blocks every backend',
      code: ['import os\nimport keras\nPATH = os.path.join(BASE, "model.h5")\n', 'model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\nmodel.save(PATH)\n', 'restored = keras.models.load_model(PATH)\n'],
      errors: [{ cell: 0, line: 3, column: 27 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a literal .h5 path saved in one cell and loaded in a later one, never compiled: blocks nothing, no fix (each cell sees one side)',
      code: ['import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.save("m.h5")\n', 'restored = keras.models.load_model("m.h5")\n'],
      errors: [{ cell: 0, line: 3, column: 1, message: 'a later cell loads `m.h5` back' }],
      blocks: []
    },
    {
      name: 'the same literal round trip across cells of a compiled model blocks every backend',
      code: ['import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\nmodel.save("m.h5")\n', 'restored = keras.models.load_model("m.h5")\n'],
      errors: [{ cell: 0, line: 4, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // "Could not deserialize 'keras.metrics.mse'" on TF, JAX and PyTorch (claims/h5_checkpoint_round_trip.py).
      name: 'the same checkpoint of a model compiled with loss="mse" blocks every backend',
      code: 'import keras\nmodel.compile(loss="mse")\ncallbacks = [keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True)]\nmodel.fit(x, y, callbacks=callbacks)\nbest = keras.models.load_model("best_model.h5")\n',
      errors: [{ line: 3, column: 14 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // Keras 3.15: "Argument `optimizer_variables` must be a list of tensors ..." on every backend; recompiled, it trains.
      name: 'a loaded model trained without recompiling blocks every backend; recompiled, nothing',
      code: 'import keras\nmodel.compile(optimizer="adam", loss="binary_crossentropy")\nmodel.save("m.h5")\nrestored = keras.models.load_model("m.h5")\nrestored.fit(x, y)\n',
      errors: [{ line: 3, column: 1 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a loaded model recompiled before training: blocks nothing',
      code: 'import keras\nmodel.compile(optimizer="adam", loss="binary_crossentropy")\nmodel.save("m.h5")\nrestored = keras.models.load_model("m.h5")\nrestored.compile(optimizer="adam", loss="binary_crossentropy")\nrestored.fit(x, y)\n',
      errors: [{ line: 3, column: 1 }],
      blocks: []
    },
    {
      name: 'a full-model ModelCheckpoint to .h5 loaded back (keras.io timeseries classification): both sides to .keras',
      code: 'import keras\nmodel.compile(loss="sparse_categorical_crossentropy")\ncallbacks = [keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True)]\nmodel.fit(x, y, callbacks=callbacks)\nbest = keras.models.load_model("best_model.h5")\n',
      // Checked on Keras 3.15 (JAX, PyTorch): a sparse_categorical_crossentropy model loads back from .h5 and evaluates;
      // only the short loss aliases fail to load, and a loaded model fails to train until recompiled.
      errors: [{ line: 3, column: 14, message: 'keras.metrics.mse' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: 'import keras\nmodel.compile(loss="sparse_categorical_crossentropy")\ncallbacks = [keras.callbacks.ModelCheckpoint("best_model.keras", save_best_only=True)]\nmodel.fit(x, y, callbacks=callbacks)\nbest = keras.models.load_model("best_model.keras")\n'
    },
    {
      name: 'the path held in a name, saved and loaded: the name gets the .keras file',
      code: 'import keras\nMODEL_DIR = "exported"\nmodel.save(MODEL_DIR, save_format="tf")\nrestored = keras.models.load_model(MODEL_DIR)\n',
      errors: [{ line: 3, column: 1 }],
      output: 'import keras\nMODEL_DIR = "exported.keras"\nmodel.save(MODEL_DIR)\nrestored = keras.models.load_model(MODEL_DIR)\n'
    },
    {
      name: 'the path assigned over several lines (a multi-line os.path.join): its last literal gets the .keras file',
      code: 'import os\nimport keras\nEXPORT_DIR = os.path.join(\n    WORK_DIR,\n    "residual_mlp",  # the export\n)\nmodel.save(EXPORT_DIR)\nrestored = keras.models.load_model(EXPORT_DIR)\n',
      errors: [{ line: 7, column: 1 }],
      output: 'import os\nimport keras\nEXPORT_DIR = os.path.join(\n    WORK_DIR,\n    "residual_mlp.keras",  # the export\n)\nos.makedirs(os.path.dirname(EXPORT_DIR) or ".", exist_ok=True)\nmodel.save(EXPORT_DIR)\nrestored = keras.models.load_model(EXPORT_DIR)\n'
    },
    {
      name: 'a SavedModel path built with os.path.join: Keras 2 created its folders, the .keras file needs them (created before the save)',
      code: 'import os\nimport keras\nmodel.save(os.path.join(BASE, "saved", "model"))\nrestored = keras.models.load_model(os.path.join(BASE, "saved", "model"))\n',
      errors: [{ line: 3, column: 1 }],
      fixOptions: { unsafe: true },
      output: 'import os\nimport keras\nos.makedirs(os.path.dirname(os.path.join(BASE, "saved", "model")) or ".", exist_ok=True)\nmodel.save(os.path.join(BASE, "saved", "model.keras"))\nrestored = keras.models.load_model(os.path.join(BASE, "saved", "model"))\n'
    },
    {
      name: 'an f-string SavedModel path, no `import os`: the folder creation brings the import',
      code: 'import tensorflow as tf\nmodel.save(f"{base}/saved/model")\nrestored = tf.keras.models.load_model(f"{base}/saved/model")\n',
      errors: [{ line: 2, column: 1 }],
      output: 'import tensorflow as tf\nimport os\nos.makedirs(os.path.dirname(f"{base}/saved/model") or ".", exist_ok=True)\nmodel.save(f"{base}/saved/model.keras")\nrestored = tf.keras.models.load_model(f"{base}/saved/model.keras")\n'
    },
    {
      name: 'a SavedModel folder in a path variable that later cells save and load: renamed at the value, its folder created after it',
      code: ['import os\nimport keras\nMODEL_DIR = os.path.join(BASE, "saved", "model")\n', 'model.save(MODEL_DIR)\n', 'restored = keras.models.load_model(MODEL_DIR)\n'],
      errors: [{ cell: 0, line: 3, column: 41 }],
      fixOptions: { unsafe: true },
      output: ['import os\nimport keras\nMODEL_DIR = os.path.join(BASE, "saved", "model.keras")\nos.makedirs(os.path.dirname(MODEL_DIR) or ".", exist_ok=True)\n', 'model.save(MODEL_DIR)\n', 'restored = keras.models.load_model(MODEL_DIR)\n']
    },
    {
      name: 'the path is read by something else too: the pair rename is a suggestion',
      code: 'import keras, shutil\nmodel.save("exported")\nrestored = keras.models.load_model("exported")\nshutil.make_archive("exported", "zip", "exported")\n',
      errors: [{ line: 2, column: 1 }],
      fixOptions: { unsafe: true },
      output: 'import keras, shutil\nmodel.save("exported.keras")\nrestored = keras.models.load_model("exported")\nshutil.make_archive("exported", "zip", "exported")\n'
    },
    {
      name: 'save_format="keras" with a bare name: a .keras file, not a SavedModel',
      code: 'model.save("my_model", save_format="keras")\n',
      errors: [{ line: 1, column: 1, message: 'my_model.keras' }],
      fixOptions: { unsafe: true },
      output: 'model.save("my_model.keras")\n'
    }
  ]
});
