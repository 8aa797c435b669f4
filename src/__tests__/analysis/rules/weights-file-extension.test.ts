import { ruleTester } from '../rule-tester';

ruleTester('weights-file-extension', {
  valid: [
    { code: 'model.save_weights("w.weights.h5")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("best.keras")\n' },
    { code: 'model.load_weights("w.weights.h5")\nmodel.load_weights("model.keras")\nmodel.load_weights("legacy.h5", by_name=True)\nmodel.load_weights(path)\n' },
    { name: 'a template ending in a field: the file name is a value the code does not show', code: 'import keras\nmodel.save_weights("weights_{}".format(name))\nmodel.save_weights("w_%s" % name)\n' },
    { name: 'save_weights_only decided at run time', code: 'import keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w", save_weights_only=weights_only)\n' },
    { name: 'the TF tutorial after its Keras 3 update', code: 'import tensorflow as tf\ncheckpoint_path = "training_1/cp.weights.h5"\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\n' },
    { name: 'loaders of other formats', code: 'yolo.load_weights("yolov3.weights")\nnet.load_weights("model.pth")\n' }
  ],
  invalid: [
    {
      // /work/og47e repro_5 (Atienza's SSD): the checkpoint's name is built with `+=` and os.path.join; Keras 3 raised
      // "must end in .weights.h5" on all three. Fixed (/tmp/p5f.py), it ran on all three.
      name: 'a weights checkpoint path built with += and os.path.join, and the load of a file its template writes',
      code:
        'import os\nimport keras\nmodel_name = "ResNet"\nmodel_name += "-{epoch:03d}.h5"\nfilepath = os.path.join("weights", model_name)\n' +
        'checkpoint = keras.callbacks.ModelCheckpoint(filepath=filepath, save_weights_only=True)\nmodel.fit(x, y, callbacks=[checkpoint])\nmodel.load_weights(os.path.join("weights", "ResNet-001.h5"))\n',
      errors: [{ line: 6, column: 55 }, { line: 8, column: 20, message: 'written above by a weights-only `ModelCheckpoint`' }],
      fixOptions: { unsafe: true },
      output:
        'import os\nimport keras\nmodel_name = "ResNet"\nmodel_name += "-{epoch:03d}.weights.h5"\nfilepath = os.path.join("weights", model_name)\n' +
        'checkpoint = keras.callbacks.ModelCheckpoint(filepath=filepath, save_weights_only=True)\nmodel.fit(x, y, callbacks=[checkpoint])\nmodel.load_weights(os.path.join("weights", "ResNet-001.weights.h5"))\n'
    },
    {
      // /work/og47e repro_6: renaming the template alone left the load reading a file nothing wrote (FileNotFoundError on all three).
      name: 'a literal checkpoint template and the load of one of its files',
      code: 'import keras\ncheckpoint = keras.callbacks.ModelCheckpoint(filepath="w/m-{epoch:03d}.h5", save_weights_only=True)\nmodel.fit(x, y, callbacks=[checkpoint])\nmodel.load_weights("w/m-001.h5")\nother.load_weights("w/other-001.h5")\n',
      errors: [{ line: 2, column: 55 }, { line: 4, column: 20 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ncheckpoint = keras.callbacks.ModelCheckpoint(filepath="w/m-{epoch:03d}.weights.h5", save_weights_only=True)\nmodel.fit(x, y, callbacks=[checkpoint])\nmodel.load_weights("w/m-001.weights.h5")\nother.load_weights("w/other-001.h5")\n'
    },
    {
      // TensorFlow's checkpoint_saver migration guide (og45c): its next line lists the callback's folder; with the path
      // made a file in it, os.listdir failed on all three ("Not a directory") and check said ready.
      name: 'a ModelCheckpoint into a tempfile.mkdtemp() folder whose filepath is read later: no fix',
      code: 'import os\nimport tempfile\nimport keras\nlog_dir = tempfile.mkdtemp()\ncb = keras.callbacks.ModelCheckpoint(filepath=log_dir)\nprint(os.listdir(cb.filepath))\n',
      errors: [{ line: 5, column: 47, message: '`log_dir` is a folder' }],
      fixOptions: { unsafe: true },
      output: 'import os\nimport tempfile\nimport keras\nlog_dir = tempfile.mkdtemp()\ncb = keras.callbacks.ModelCheckpoint(filepath=log_dir)\nprint(os.listdir(cb.filepath))\n'
    },
    {
      // TensorFlow's checkpoint_saver migration guide (og45c): "The filepath provided must end in `.keras`" on TF, JAX and
      // PyTorch, and check said every backend was ready.
      name: 'a ModelCheckpoint into a tempfile.mkdtemp() folder, whole models and weights only: a file in the folder',
      code: 'import tempfile\nimport keras\nlog_dir = tempfile.mkdtemp()\ncb = keras.callbacks.ModelCheckpoint(filepath=log_dir)\nwb = keras.callbacks.ModelCheckpoint(log_dir, save_weights_only=True)\n',
      errors: [
        { line: 4, column: 47, message: '`log_dir` is a folder (`tempfile.mkdtemp()`): Keras 3 ModelCheckpoint saves whole models only to `.keras`' },
        { line: 5, column: 38, message: 'weights only to a file ending in `.weights.h5`' }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import os\nimport tempfile\nimport keras\nlog_dir = tempfile.mkdtemp()\ncb = keras.callbacks.ModelCheckpoint(filepath=os.path.join(log_dir, "checkpoint.keras"))\nwb = keras.callbacks.ModelCheckpoint(os.path.join(log_dir, "checkpoint.weights.h5"), save_weights_only=True)\n'
    },
    {
      // keras.io distributed-training guide (helper oe39c): Keras 3 fails on TF/JAX/PyTorch with "The filepath provided must end in `.keras`"; with the extension it runs on all three (run).
      name: 'a ModelCheckpoint path built with + (the folder a name, the file a literal)',
      code: 'import keras\ncheckpoint_dir = "./ckpt"\ncb = keras.callbacks.ModelCheckpoint(filepath=checkpoint_dir + "/ckpt-{epoch}", save_freq="epoch")\n',
      errors: [{ line: 3, column: 47 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ncheckpoint_dir = "./ckpt"\ncb = keras.callbacks.ModelCheckpoint(filepath=checkpoint_dir + "/ckpt-{epoch}.keras", save_freq="epoch")\n'
    },
    {
      name: "an f-string ModelCheckpoint path whose {{epoch}} is an escaped brace (ModelCheckpoint's own field)",
      code: 'import keras\ncheckpoint_dir = "./ckpt"\ncb = keras.callbacks.ModelCheckpoint(filepath=f"{checkpoint_dir}/ckpt-{{epoch}}", save_freq="epoch")\n',
      errors: [{ line: 3, column: 47 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ncheckpoint_dir = "./ckpt"\ncb = keras.callbacks.ModelCheckpoint(filepath=f"{checkpoint_dir}/ckpt-{{epoch}}.keras", save_freq="epoch")\n'
    },
    {
      // Run (Keras 3.15, tf/jax/torch): the fixed program saves, loads and checkpoints; tf_keras ran the original.
      name: 'paths formatted from templates (% and str.format): a save in a loop and its load share the template, both renamed',
      code: 'import keras\nfor epoch in range(2):\n    model.save_weights("weights_%02d.h5" % epoch)\nmodel.load_weights("weights_%02d.h5" % 1)\ncb = keras.callbacks.ModelCheckpoint("{}/best-{{epoch}}".format(d), save_weights_only=True)\n',
      errors: [{ line: 3, column: 24 }, { line: 4, column: 20 }, { line: 5, column: 38 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nfor epoch in range(2):\n    model.save_weights("weights_%02d.weights.h5" % epoch)\nmodel.load_weights("weights_%02d.weights.h5" % 1)\ncb = keras.callbacks.ModelCheckpoint("{}/best-{{epoch}}.weights.h5".format(d), save_weights_only=True)\n'
    },
    {
      // og48d repro_5 (Atienza's policy gradient): the fixed program ran on all three (Keras 3.15); the original raised there.
      name: 'a template assigned to a name, joined to a folder under the same name and passed through a plain class\'s method parameter',
      code: 'import os\nimport keras\n\nclass Agent:\n    def __init__(self, model):\n        self.actor_model = model\n\n    def save_weights(self, actor_weights):\n        self.actor_model.save_weights(actor_weights)\n\n    def load_weights(self, actor_weights):\n        self.actor_model.load_weights(actor_weights)\n\nfileid = "reinforce-%d" % 1\nactor_weights = "actor_weights-%s.h5" % fileid\nactor_weights = os.path.join("/tmp", actor_weights)\nagent = Agent(keras.Sequential([keras.layers.Dense(1)]))\nagent.save_weights(actor_weights)\nagent.load_weights(actor_weights)\n',
      errors: [{ line: 18, column: 20 }, { line: 19, column: 20 }],
      fixOptions: { unsafe: true },
      output: 'import os\nimport keras\n\nclass Agent:\n    def __init__(self, model):\n        self.actor_model = model\n\n    def save_weights(self, actor_weights):\n        self.actor_model.save_weights(actor_weights)\n\n    def load_weights(self, actor_weights):\n        self.actor_model.load_weights(actor_weights)\n\nfileid = "reinforce-%d" % 1\nactor_weights = "actor_weights-%s.weights.h5" % fileid\nactor_weights = os.path.join("/tmp", actor_weights)\nagent = Agent(keras.Sequential([keras.layers.Dense(1)]))\nagent.save_weights(actor_weights)\nagent.load_weights(actor_weights)\n'
    },
    {
      name: 'a str.format template assigned to a name, saved and loaded (safe)',
      code: 'import keras\npath = "w-{}.h5".format(3)\nmodel.save_weights(path)\nmodel.load_weights(path)\n',
      errors: [{ line: 3, column: 20 }, { line: 4, column: 20 }],
      output: 'import keras\npath = "w-{}.weights.h5".format(3)\nmodel.save_weights(path)\nmodel.load_weights(path)\n'
    },
    {
      name: 'a save_weights path built with +',
      code: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\ncheckpoint_dir = "./ckpt"\nmodel.save_weights(checkpoint_dir + "/w")\n',
      errors: [{ line: 4, column: 20 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\ncheckpoint_dir = "./ckpt"\nmodel.save_weights(checkpoint_dir + "/w.weights.h5")\n'
    },
    {
      name: 'weights saved in one cell and loaded in a later one: both cells renamed alike (safe)',
      code: ['model.save_weights("w.h5")\n', 'fresh.load_weights("w.h5")\n'],
      errors: [
        { cell: 0, line: 1, column: 20, message: 'A later cell loads these weights' },
        { cell: 1, line: 1, column: 20, message: 'saved in an earlier cell' }
      ],
      output: ['model.save_weights("w.weights.h5")\n', 'fresh.load_weights("w.weights.h5")\n']
    },
    {
      name: 'a ModelCheckpoint of weights loaded in a later cell; a TF checkpoint prefix gets the same name',
      code: ['import keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/best", save_weights_only=True, save_best_only=True)\n', 'model.load_weights("ckpt/best")\n'],
      errors: [{ cell: 0, line: 2, column: 38 }, { cell: 1, line: 1, column: 20, message: 'load `ckpt/best.weights.h5`' }],
      output: ['import keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/best.weights.h5", save_weights_only=True, save_best_only=True)\n', 'model.load_weights("ckpt/best.weights.h5")\n']
    },
    {
      name: 'loaded in an earlier cell only: the save alone is a suggestion',
      code: ['model.load_weights("w.h5")\n', 'model.save_weights("w.h5")\n'],
      errors: [{ cell: 1, line: 1, column: 20, message: 'not `w.h5`' }]
    },
    {
      code: 'model.save_weights("ckpt/model")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w", save_weights_only=True)\n',
      errors: [{ line: 1, column: 20, endColumn: 32 }, { line: 3, column: 38 }],
      fixOptions: { unsafe: true },
      // No `import os` in the program: the folder's creation brings it (ModelCheckpoint creates its folder itself).
      output: 'import os\nos.makedirs(os.path.dirname("ckpt/model") or ".", exist_ok=True)\nmodel.save_weights("ckpt/model.weights.h5")\nimport keras\ncb = keras.callbacks.ModelCheckpoint("ckpt/w.weights.h5", save_weights_only=True)\n'
    },
    {
      name: 'TensorFlow checkpoints',
      code: 'import tensorflow as tf\nmodel.load_weights("training/cp.ckpt")\nmodel.load_weights(tf.train.latest_checkpoint(checkpoint_dir))\n',
      errors: [
        { line: 2, column: 20, endColumn: 38, message: 'training/cp.ckpt' },
        { line: 3, column: 20, message: 'TensorFlow checkpoint prefix' }
      ]
    },
    {
      name: 'TF distributed-training tutorial: latest_checkpoint of the folder a weights-only ModelCheckpoint writes into',
      code:
        'import os\nimport tensorflow as tf\ncheckpoint_dir = "./training_checkpoints"\ncheckpoint_prefix = os.path.join(checkpoint_dir, "ckpt_{epoch}")\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_prefix, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nmodel.load_weights(tf.train.latest_checkpoint(checkpoint_dir))\n',
      errors: [{ line: 5, column: 50, message: 'not `ckpt_{epoch}`' }, { line: 7, column: 20, message: 'load the newest of them' }],
      fixOptions: { unsafe: true },
      output:
        'import os\nimport tensorflow as tf\nimport glob\ncheckpoint_dir = "./training_checkpoints"\ncheckpoint_prefix = os.path.join(checkpoint_dir, "ckpt_{epoch}.weights.h5")\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_prefix, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nmodel.load_weights(max(glob.glob(os.path.join(checkpoint_dir, "*.weights.h5")), key=os.path.getmtime))\n'
    },
    {
      name: 'TF save-and-load tutorial: the folder is os.path.dirname of the saved path; the safe fixes alone',
      code:
        'import os\nimport tensorflow as tf\ncheckpoint_path = "training_2/cp-{epoch:04d}.ckpt"\ncheckpoint_dir = os.path.dirname(checkpoint_path)\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nmodel.load_weights(tf.train.latest_checkpoint(checkpoint_dir))\n',
      errors: [{ line: 5, column: 50 }, { line: 7, column: 20, message: 'load the newest of them' }],
      output:
        'import os\nimport tensorflow as tf\nimport glob\ncheckpoint_path = "training_2/cp-{epoch:04d}.ckpt"\ncheckpoint_dir = os.path.dirname(checkpoint_path)\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nmodel.load_weights(max(glob.glob(os.path.join(checkpoint_dir, "*.weights.h5")), key=os.path.getmtime))\n'
    },
    {
      // helper oe40e: the tutorial's exact code; before, no finding, and all three failed ("stat: path should be string ... not NoneType").
      name: 'TF save-and-load tutorial: latest_checkpoint assigned to a name, then load_weights(latest)',
      code:
        'import os\nimport tensorflow as tf\ncheckpoint_path = "training_2/cp-{epoch:04d}.ckpt"\ncheckpoint_dir = os.path.dirname(checkpoint_path)\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nlatest = tf.train.latest_checkpoint(checkpoint_dir)\nmodel.load_weights(latest)\n',
      errors: [{ line: 5, column: 50 }, { line: 8, column: 20, message: 'load the newest of them' }],
      output:
        'import os\nimport tensorflow as tf\nimport glob\ncheckpoint_path = "training_2/cp-{epoch:04d}.ckpt"\ncheckpoint_dir = os.path.dirname(checkpoint_path)\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.fit(x, y, callbacks=[cb])\nlatest = max(glob.glob(os.path.join(checkpoint_dir, "*.weights.h5")), key=os.path.getmtime)\nmodel.load_weights(latest)\n'
    },
    {
      // helper oe40e (TF save-and-load tutorial): the folder made further down is another one; before, no
      // makedirs was added and the renamed save failed on all three ("unable to open file ... my_checkpoint.weights.h5").
      name: 'a save into a new folder while the program makes another folder later: the save\'s folder is still created',
      code: 'import os\nimport keras\nmodel.save_weights("./checkpoints/my_checkpoint")\nmodel.load_weights("./checkpoints/my_checkpoint")\nos.makedirs("saved_model", exist_ok=True)\n',
      errors: [{ line: 3, column: 20 }, { line: 4, column: 20 }],
      output: 'import os\nimport keras\nos.makedirs(os.path.dirname("./checkpoints/my_checkpoint") or ".", exist_ok=True)\nmodel.save_weights("./checkpoints/my_checkpoint.weights.h5")\nmodel.load_weights("./checkpoints/my_checkpoint.weights.h5")\nos.makedirs("saved_model", exist_ok=True)\n'
    },
    {
      name: 'the program makes the save\'s folder itself first: no makedirs added',
      code: 'import os\nimport keras\nos.makedirs("./checkpoints", exist_ok=True)\nmodel.save_weights("./checkpoints/my_checkpoint")\nmodel.load_weights("./checkpoints/my_checkpoint")\n',
      errors: [{ line: 4, column: 20 }, { line: 5, column: 20 }],
      output: 'import os\nimport keras\nos.makedirs("./checkpoints", exist_ok=True)\nmodel.save_weights("./checkpoints/my_checkpoint.weights.h5")\nmodel.load_weights("./checkpoints/my_checkpoint.weights.h5")\n'
    },
    {
      // TF save-and-load tutorial (helper oe40e): the template's first file saved by hand before fit; Keras 2's
      // checkpoint made training_2/, Keras 3's .weights.h5 writer does not ("unable to open file" on all three).
      name: 'save_weights(path.format(epoch=0)) of a ModelCheckpoint template: renamed at the assignment, its folder made',
      code: 'import os\nimport keras\ncheckpoint_path = "training_2/cp-{epoch:04d}.ckpt"\ncb = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.save_weights(checkpoint_path.format(epoch=0))\nmodel.fit(x, y, callbacks=[cb])\n',
      errors: [{ line: 4, column: 47 }, { line: 5, column: 20, message: 'not `training_2/cp-{epoch:04d}.ckpt`' }],
      fixOptions: { unsafe: true },
      output: 'import os\nimport keras\ncheckpoint_path = "training_2/cp-{epoch:04d}.weights.h5"\ncb = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nos.makedirs(os.path.dirname(checkpoint_path.format(epoch=0)) or ".", exist_ok=True)\nmodel.save_weights(checkpoint_path.format(epoch=0))\nmodel.fit(x, y, callbacks=[cb])\n'
    },
    {
      name: 'latest_checkpoint of a folder the cell saves nothing into: no fix',
      code:
        'import os\nimport tensorflow as tf\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=os.path.join("a", "ckpt"), save_weights_only=True)\nmodel.load_weights(tf.train.latest_checkpoint("b"))\n',
      errors: [{ line: 3, column: 50 }, { line: 4, column: 20, message: 'TensorFlow checkpoint prefix' }]
    },
    {
      name: 'save_weights_only=False is a whole-model checkpoint',
      code: 'import keras\ncb = keras.callbacks.ModelCheckpoint("best.hdf5", save_best_only=True, save_weights_only=False)\n',
      errors: [{ line: 2, column: 38, message: '.keras' }],
      fixOptions: { unsafe: true },
      output: 'import keras\ncb = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True, save_weights_only=False)\n'
    },
    {
      name: 'the TF tutorial before it: a TF checkpoint prefix',
      code: 'import tensorflow as tf\ncheckpoint_path = "training_1/cp.ckpt"\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.load_weights(checkpoint_path)\nmodel.save_weights(checkpoint_path)\n',
      errors: [{ line: 3, column: 50, message: 'training_1/cp.ckpt' }, { line: 4, column: 20, message: 'load `training_1/cp.weights.h5`' }, { line: 5, column: 20 }],
      // Saved and loaded through one variable and named nowhere else: the rename is safe and keeps the pair together.
      // Keras 2 created the prefix's folder at save_weights(); Keras 3 does not: `import os` comes with the folder's creation.
      output: 'import tensorflow as tf\nimport os\ncheckpoint_path = "training_1/cp.weights.h5"\ncb = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True)\nmodel.load_weights(checkpoint_path)\nos.makedirs(os.path.dirname(checkpoint_path) or ".", exist_ok=True)\nmodel.save_weights(checkpoint_path)\n'
    },
    {
      name: 'a save/load pair built with os.path.join: both sides renamed alike (safe)',
      code: 'import os\nmodel.save_weights(os.path.join(workdir, "weights.h5"))\nfresh.load_weights(os.path.join(workdir, "weights.h5"))\n',
      errors: [{ line: 2, column: 20, message: 'weights.h5' }, { line: 3, column: 20, message: 'load `weights.weights.h5`' }],
      output: 'import os\nmodel.save_weights(os.path.join(workdir, "weights.weights.h5"))\nfresh.load_weights(os.path.join(workdir, "weights.weights.h5"))\n'
    },
    {
      name: 'a TF checkpoint prefix in a folder: Keras 3 writes .weights.h5 only into a folder that exists, so the fix creates it before the save',
      code: 'import os\nCKPT = os.path.join(workdir, "checkpoints", "mlp_ckpt")\ndef roundtrip(model, fresh):\n    model.save_weights(CKPT)\n    fresh.load_weights(CKPT)\n',
      errors: [{ line: 4, column: 24, message: 'mlp_ckpt' }, { line: 5, column: 24, message: 'load `mlp_ckpt.weights.h5`' }],
      output: 'import os\nCKPT = os.path.join(workdir, "checkpoints", "mlp_ckpt")\ndef roundtrip(model, fresh):\n    os.makedirs(os.path.dirname(CKPT) or ".", exist_ok=True)\n    model.save_weights(CKPT)\n    fresh.load_weights(CKPT)\n'.replace('"mlp_ckpt"', '"mlp_ckpt.weights.h5"')
    },
    {
      name: 'a folder in the literal, CR LF line endings: the created folder keeps them',
      code: 'import os\r\nmodel.save_weights("ckpt/model")\r\nfresh.load_weights("ckpt/model")\r\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import os\r\nos.makedirs(os.path.dirname("ckpt/model") or ".", exist_ok=True)\r\nmodel.save_weights("ckpt/model.weights.h5")\r\nfresh.load_weights("ckpt/model.weights.h5")\r\n'
    },
    {
      name: 'no `import os` in the program: the folder creation brings it, after the TensorFlow import (the doc example)',
      code: 'import tensorflow as tf\nmodel.save_weights("ckpt/model")\nfresh.load_weights("ckpt/model")\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import tensorflow as tf\nimport os\nos.makedirs(os.path.dirname("ckpt/model") or ".", exist_ok=True)\nmodel.save_weights("ckpt/model.weights.h5")\nfresh.load_weights("ckpt/model.weights.h5")\n'
    },
    {
      name: 'CR-only line endings: the import and the folder creation keep them',
      code: 'import tensorflow as tf\rmodel.save_weights("ckpt/model")\r',
      errors: [{ line: 2, column: 20 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\rimport os\ros.makedirs(os.path.dirname("ckpt/model") or ".", exist_ok=True)\rmodel.save_weights("ckpt/model.weights.h5")\r'
    },
    {
      name: 'CR-only line endings after a statement ending in a name: the save and its load are still found and renamed together',
      // tree-sitter-python reads a lone CR as whitespace: unless the parser sees a line end there,
      // `m = tf.keras.layers\rmodel.save_weights(...)` would be one attribute chain.
      code: 'import tensorflow as tf\rm = tf.keras.layers\rmodel.save_weights("w.h5")\rmodel.load_weights("w.h5")\r',
      errors: [{ line: 3, column: 20 }, { line: 4, column: 20 }],
      output: 'import tensorflow as tf\rm = tf.keras.layers\rmodel.save_weights("w.weights.h5")\rmodel.load_weights("w.weights.h5")\r'
    },
    {
      name: 'a .py file whose `import os` comes after the save: a NameError before it, so `import os` goes to the top',
      code: 'model.save_weights("ckpt/model")\nfresh.load_weights("ckpt/model")\nimport os\n',
      errors: [{ line: 1, column: 20 }, { line: 2, column: 20 }],
      output: 'import os\nos.makedirs(os.path.dirname("ckpt/model") or ".", exist_ok=True)\nmodel.save_weights("ckpt/model.weights.h5")\nfresh.load_weights("ckpt/model.weights.h5")\nimport os\n'
    },
    {
      name: 'a notebook without `import os`: one import, in the cell of the TensorFlow import',
      code: ['import tensorflow as tf\n', 'model.save_weights("ckpt/a")\nfresh.load_weights("ckpt/a")\n', 'model.save_weights("ckpt/b")\nfresh.load_weights("ckpt/b")\n'],
      errors: [{ cell: 1, line: 1, column: 20 }, { cell: 1, line: 2, column: 20 }, { cell: 2, line: 1, column: 20 }, { cell: 2, line: 2, column: 20 }],
      output: [
        'import tensorflow as tf\nimport os\n',
        'os.makedirs(os.path.dirname("ckpt/a") or ".", exist_ok=True)\nmodel.save_weights("ckpt/a.weights.h5")\nfresh.load_weights("ckpt/a.weights.h5")\n',
        'os.makedirs(os.path.dirname("ckpt/b") or ".", exist_ok=True)\nmodel.save_weights("ckpt/b.weights.h5")\nfresh.load_weights("ckpt/b.weights.h5")\n'
      ]
    },
    {
      name: 'an f-string path: its folders are created too (read twice: no calls in it)',
      code: 'import tensorflow as tf\nmodel.save_weights(f"{base}/ckpt/model")\nfresh.load_weights(f"{base}/ckpt/model")\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import tensorflow as tf\nimport os\nos.makedirs(os.path.dirname(f"{base}/ckpt/model") or ".", exist_ok=True)\nmodel.save_weights(f"{base}/ckpt/model.weights.h5")\nfresh.load_weights(f"{base}/ckpt/model.weights.h5")\n'
    },
    {
      name: 'an f-string that calls something: not read twice, no folder created',
      code: 'import os\nmodel.save_weights(f"{next_dir()}/model")\nfresh.load_weights(f"{next_dir()}/model")\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import os\nmodel.save_weights(f"{next_dir()}/model.weights.h5")\nfresh.load_weights(f"{next_dir()}/model.weights.h5")\n'
    },
    {
      name: 'a path variable renamed at its value for a later cell\'s save: its folder is created after the assignment',
      code: ['import os\nCKPT = os.path.join(BASE, "ckpt", "model")\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n'],
      errors: [{ cell: 0, line: 2, column: 35 }],
      fixOptions: { unsafe: true },
      output: ['import os\nCKPT = os.path.join(BASE, "ckpt", "model.weights.h5")\nos.makedirs(os.path.dirname(CKPT) or ".", exist_ok=True)\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n']
    },
    {
      name: 'a path variable holding an f-string, no `import os`: the import comes with the folder creation',
      code: ['import tensorflow as tf\nCKPT = f"{BASE}/ckpt/model"  # weights\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n'],
      errors: [{ cell: 0, line: 2, column: 8 }],
      fixOptions: { unsafe: true },
      output: ['import tensorflow as tf\nimport os\nCKPT = f"{BASE}/ckpt/model.weights.h5"  # weights\nos.makedirs(os.path.dirname(CKPT) or ".", exist_ok=True)\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n']
    },
    {
      name: 'a path variable holding a bare file name: no folder to create',
      code: ['import os\nCKPT = "mlp_ckpt"\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n'],
      errors: [{ cell: 0, line: 2, column: 8 }],
      fixOptions: { unsafe: true },
      output: ['import os\nCKPT = "mlp_ckpt.weights.h5"\n', 'model.save_weights(CKPT)\n', 'fresh.load_weights(CKPT)\n']
    },
    {
      name: 'a bare prefix: no folder to create',
      code: 'import os\nmodel.save_weights("net_ckpt")\nfresh.load_weights("net_ckpt")\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import os\nmodel.save_weights("net_ckpt.weights.h5")\nfresh.load_weights("net_ckpt.weights.h5")\n'
    },
    {
      name: 'a program that makes its folders: none created',
      code: 'import os\nos.makedirs("ckpt", exist_ok=True)\nmodel.save_weights("ckpt/model")\nfresh.load_weights("ckpt/model")\n',
      errors: [{ line: 3, column: 20 }, { line: 4, column: 20 }],
      output: 'import os\nos.makedirs("ckpt", exist_ok=True)\nmodel.save_weights("ckpt/model.weights.h5")\nfresh.load_weights("ckpt/model.weights.h5")\n'
    },
    {
      name: 'a path computed by a call is not evaluated twice: no folder created',
      code: 'import os\nmodel.save_weights(os.path.join(next_dir(), "mlp"))\nfresh.load_weights(os.path.join(next_dir(), "mlp"))\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      output: 'import os\nmodel.save_weights(os.path.join(next_dir(), "mlp.weights.h5"))\nfresh.load_weights(os.path.join(next_dir(), "mlp.weights.h5"))\n'
    },
    {
      name: 'the file name is read elsewhere too: a suggestion only',
      code: 'import os\nmodel.save_weights("w.h5")\nmodel.load_weights("w.h5")\nprint(os.path.getsize("w.h5"))\n',
      errors: [{ line: 2, column: 20 }, { line: 3, column: 20 }],
      fixOptions: { unsafe: true },
      output: 'import os\nmodel.save_weights("w.weights.h5")\nmodel.load_weights("w.weights.h5")\nprint(os.path.getsize("w.h5"))\n'
    },
    {
      name: 'ModelCheckpoint weights in a path expression',
      code: 'import os\nimport keras\ncb = keras.callbacks.ModelCheckpoint(os.path.join(ckpt_dir, "weights.{epoch:02d}.h5"), save_weights_only=True)\n',
      errors: [{ line: 3, column: 38, message: 'weights.{epoch:02d}.h5' }],
      fixOptions: { unsafe: true },
      output: 'import os\nimport keras\ncb = keras.callbacks.ModelCheckpoint(os.path.join(ckpt_dir, "weights.{epoch:02d}.weights.h5"), save_weights_only=True)\n'
    },
    {
      name: 'TF checkpoint prefixes',
      code: 'model.load_weights("./checkpoints/my_checkpoint")\nmodel.load_weights("ckpt/model.ckpt-1000")\n',
      errors: [{ line: 1, column: 20 }, { line: 2, column: 20 }]
    }
  ]
});
