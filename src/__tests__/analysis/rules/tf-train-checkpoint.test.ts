import { ruleTester } from '../rule-tester';

const LOAD_NET = [
  'for _name, _model in ckpt.items():',
  '    _saved = glob.glob(os.path.join(manager.directory, "*-" + _name + ".weights.h5"))',
  '    if _saved and _model.built:',
  '        _model.load_weights(max(_saved, key=os.path.getmtime))',
  '    elif _saved:',
  '        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")'
].join('\n');
const LATEST = 'max(glob.glob(os.path.join(manager.directory, "ckpt-*.weights.h5")), key=os.path.getmtime, default=None)';

const SPLATTED =
  'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\nobjs = dict(model=model)\nckpt = tf.train.Checkpoint(**objs)\n' +
  'class Checkpoint:\n    def __init__(self, checkpoint_kwargs, directory):\n        self.checkpoint = tf.train.Checkpoint(**checkpoint_kwargs)\n' +
  'c = Checkpoint({"model": model, "optimizer": keras.optimizers.Adam()}, "d")\n';

ruleTester('tf-train-checkpoint', {
  valid: [
    { name: 'a tf.Module of the cell under model= (TensorFlow checkpoint guide, og44d r4): it has no save_weights; ran as written on TF, JAX and PyTorch', code: "import tensorflow as tf\n\nclass Dense(tf.Module):\n  def __init__(self, name=None):\n    super().__init__(name=name)\n    self.w = tf.Variable(tf.random.normal([3, 2]), name='w')\n  def __call__(self, x):\n    return tf.matmul(x, self.w)\n\nmy_model = Dense()\ncheckpoint = tf.train.Checkpoint(model=my_model)\ncheckpoint.write(\"my_checkpoint\")\n\nnew_model = Dense()\ntf.train.Checkpoint(model=new_model).restore(\"my_checkpoint\")\nprint(new_model(tf.constant([[2.0, 2.0, 2.0]])))\n\ntf.saved_model.save(my_model, \"the_saved_model\")\nprint(tf.saved_model.load(\"the_saved_model\"))\n\nclass MyDense(tf.keras.layers.Layer):  # the program also uses Keras\n  def call(self, x):\n    return x\nprint(MyDense()(tf.constant([[1.0]])))\nprint(\"DONE\")\n" },
    { name: 'a checkpoint of TensorFlow variables only', code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(step=tf.Variable(1))\nckpt.save("out/ckpt")\nckpt.restore(tf.train.latest_checkpoint("out"))\n' },
    { name: 'a tf.Module under a model-like keyword', code: 'import tensorflow as tf\nmodule = tf.Module()\nckpt = tf.train.Checkpoint(model=module)\nckpt.save("out/ckpt")\n' },
    {
      name: 'a manager of a checkpoint that stays (a step counter in it): its uses stay too',
      code: ['import tensorflow as tf\nckpt = tf.train.Checkpoint(step=tf.Variable(1))\n', 'manager = tf.train.CheckpointManager(ckpt, "out", max_to_keep=3)\nmanager.save()\nprint(manager.latest_checkpoint)\n']
    },
    { name: 'a model save without a checkpoint', code: 'import keras\nmodel = keras.Sequential()\nmodel.save("m.keras")\n' }
  ],
  invalid: [
    {
      // /work/og47c repros 2 and 2b (LynnHo's tf2lib Checkpoint wrapper): JAX and PyTorch raised "`Checkpoint` was
      // expecting model to be a trackable object"; TensorFlow saved.
      name: 'a dict splatted into tf.train.Checkpoint, assigned above or passed to a wrapper class (claim, no fix)',
      code: SPLATTED,
      errors: [{ line: 5, column: 8, message: '(`model`)' }, { line: 8, column: 27, message: '(`model`, `optimizer`)' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: SPLATTED
    },
    {
      // TensorFlow multi-worker tutorial (/work/og43d r5): the checkpoint is kept (its restore of
      // tf.train.latest_checkpoint(dir) has no rewrite), yet its manager's save() was rewritten for a dict:
      // "'Checkpoint' object has no attribute 'items'" on TensorFlow, where the original ran.
      name: 'a manager of a checkpoint kept by a restore without a rewrite: its save() is left alone',
      code: "# tf.train.Checkpoint(model=...) managed by a CheckpointManager, saved and restored (multi-worker tutorial).\nimport numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(np.zeros((8, 3), 'float32'), np.zeros((8, 2), 'float32'), epochs=1, verbose=0)\n\ncheckpoint_dir = 'ckpt'\ncheckpoint = tf.train.Checkpoint(model=model)\ncheckpoint_manager = tf.train.CheckpointManager(checkpoint, directory=checkpoint_dir, max_to_keep=1)\ncheckpoint_manager.save()\n\nlatest_checkpoint = tf.train.latest_checkpoint(checkpoint_dir)\nprint(\"latest:\", latest_checkpoint)\ncheckpoint.restore(latest_checkpoint)\nprint(\"ok\")\n",
      errors: [{ line: 11, column: 14, message: 'No fix' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the tutorial pattern: checkpoint, save in a loop, restore of the latest; the status is never read',
      code: [
        'import os',
        'import tensorflow as tf',
        'checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")',
        'checkpoint = tf.train.Checkpoint(optimizer=optimizer,',
        '                                 encoder=encoder,',
        '                                 decoder=decoder)',
        'for epoch in range(4):',
        '    if (epoch + 1) % 2 == 0:',
        '        checkpoint.save(file_prefix=checkpoint_prefix)',
        'status = checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))',
        ''
      ].join('\n'),
      errors: [
        { line: 4, column: 14, message: 'the optimizer\'s state (`optimizer`: its step count and moment estimates) is not saved' },
        { line: 9, column: 9, message: 'overwritten by each save' },
        { line: 10, column: 10, message: 'loads only into a model already built' }
      ],
      fixOptions: { unsafe: true },
      output: [
        'import os',
        'import tensorflow as tf',
        'import glob',
        'import warnings',
        'checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")',
        'checkpoint = {"encoder": encoder, "decoder": decoder}',
        'for epoch in range(4):',
        '    if (epoch + 1) % 2 == 0:',
        '        os.makedirs(os.path.dirname(checkpoint_prefix) or ".", exist_ok=True)',
        '        for _name, _model in checkpoint.items():',
        '            _model.save_weights(checkpoint_prefix + "-" + _name + ".weights.h5")',
        'for _name, _model in checkpoint.items():',
        '    _saved = glob.glob(os.path.join(checkpoint_dir, "*-" + _name + ".weights.h5"))',
              '    if _saved and _model.built:',
        '        _model.load_weights(max(_saved, key=os.path.getmtime))',
        '    elif _saved:',
        '        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")',
        ''
      ].join('\n')
    },
    {
      name: 'a CheckpointManager: restore before training, latest_checkpoint tested and printed, save per epoch; a second checkpoint restored with expect_partial()',
      code: [
        'import os',
        'import tensorflow as tf',
        'ckpt = tf.train.Checkpoint(optimizer=opt, net=net)',
        'manager = tf.train.CheckpointManager(ckpt, ckpt_dir, max_to_keep=3)',
        'ckpt.restore(manager.latest_checkpoint)',
        'if manager.latest_checkpoint:',
        '    print("Restored from {}".format(manager.latest_checkpoint))',
        'for epoch in range(3):',
        '    net.fit(x, y)',
        '    manager.save()',
        'new_ckpt = tf.train.Checkpoint(optimizer=new_opt, net=new_net)',
        'new_ckpt.restore(tf.train.latest_checkpoint(ckpt_dir)).expect_partial()',
        ''
      ].join('\n'),
      errors: [
        { line: 3, column: 8, message: 'ValueError: `Checkpoint` was expecting' },
        { line: 4, column: 11, message: 'namespace' },
        { line: 5, column: 1 },
        { line: 6, column: 4 },
        { line: 7, column: 37 },
        { line: 10, column: 5 },
        { line: 11, column: 12 },
        { line: 12, column: 1 }
      ],
      fixOptions: { unsafe: true },
      output: [
        'import os',
        'import tensorflow as tf',
        'import types',
        'import glob',
        'import warnings',
        'ckpt = {"net": net}',
        'manager = types.SimpleNamespace(checkpoint=ckpt, directory=ckpt_dir)',
        LOAD_NET,
        `if ${LATEST}:`,
        `    print("Restored from {}".format(${LATEST}))`,
        'for epoch in range(3):',
        '    net.fit(x, y)',
        '    os.makedirs(manager.directory, exist_ok=True)',
        '    for _name, _model in manager.checkpoint.items():',
        '        _model.save_weights(os.path.join(manager.directory, "ckpt") + "-" + _name + ".weights.h5")',
        'new_ckpt = {"net": new_net}',
        'for _name, _model in new_ckpt.items():',
        '    _saved = glob.glob(os.path.join(ckpt_dir, "*-" + _name + ".weights.h5"))',
              '    if _saved and _model.built:',
        '        _model.load_weights(max(_saved, key=os.path.getmtime))',
        '    elif _saved:',
        '        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")',
        ''
      ].join('\n')
    },
    {
      name: 'across cells (the DCGAN tutorial): the save in a training function, the restore in a later cell',
      code: [
        'import os\nimport tensorflow as tf\ncheckpoint = tf.train.Checkpoint(generator_optimizer=generator_optimizer,\n                                 generator=generator)\n',
        'def train(epochs):\n    for epoch in range(epochs):\n        checkpoint.save(file_prefix = checkpoint_prefix)\n',
        'checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))\n'
      ],
      errors: [
        { cell: 0, line: 3, column: 14 },
        { cell: 1, line: 3, column: 9 },
        { cell: 2, line: 1, column: 1 }
      ],
      fixOptions: { unsafe: true },
      output: [
        'import os\nimport tensorflow as tf\nimport glob\nimport warnings\ncheckpoint = {"generator": generator}\n',
        'def train(epochs):\n    for epoch in range(epochs):\n        os.makedirs(os.path.dirname(checkpoint_prefix) or ".", exist_ok=True)\n        for _name, _model in checkpoint.items():\n            _model.save_weights(checkpoint_prefix + "-" + _name + ".weights.h5")\n',
        'for _name, _model in checkpoint.items():\n    _saved = glob.glob(os.path.join(checkpoint_dir, "*-" + _name + ".weights.h5"))\n    if _saved and _model.built:\n        _model.load_weights(max(_saved, key=os.path.getmtime))\n    elif _saved:\n        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")\n'
      ]
    },
    {
      name: 'two-space indentation, the checkpoint made under a strategy scope (the distributed training tutorial)',
      code: 'import os\nimport tensorflow as tf\nwith strategy.scope():\n  model = create_model()\n  checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)\nfor epoch in range(3):\n  if epoch % 2 == 0:\n    checkpoint.save(checkpoint_prefix)\n',
      errors: [{ line: 5, column: 16 }, { line: 8, column: 5 }],
      fixOptions: { unsafe: true },
      output:
        'import os\nimport tensorflow as tf\nwith strategy.scope():\n  model = create_model()\n  checkpoint = {"model": model}\nfor epoch in range(3):\n  if epoch % 2 == 0:\n    os.makedirs(os.path.dirname(checkpoint_prefix) or ".", exist_ok=True)\n    for _name, _model in checkpoint.items():\n      _model.save_weights(checkpoint_prefix + "-" + _name + ".weights.h5")\n'
    },
    {
      name: 'names that say nothing: the optimizer known by its assignment, the model by its keyword',
      code: 'import tensorflow as tf\nv1 = tf.keras.optimizers.Adam(0.01)\nv0 = tf.train.Checkpoint(optimizer=v1, net=v2)\nv0.write(v3)\n',
      errors: [{ line: 3, column: 6, message: '(`optimizer`, `net`)' }, { line: 4, column: 1 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport os\nv1 = tf.keras.optimizers.Adam(0.01)\nv0 = {"net": v2}\nos.makedirs(os.path.dirname(v3) or ".", exist_ok=True)\nfor _name, _model in v0.items():\n    _model.save_weights(v3 + "-" + _name + ".weights.h5")\n'
    },
    {
      name: 'a step counter beside the model: flagged, no fix, its uses unflagged',
      code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net)\nckpt.step.assign_add(1)\nckpt.save("out/ckpt")\n',
      errors: [{ line: 2, column: 8, message: '(`optimizer`, `net`)' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net)\nckpt.step.assign_add(1)\nckpt.save("out/ckpt")\n'
    },
    {
      name: 'the path a save returns is read: the checkpoint stays',
      code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model)\nsave_path = ckpt.save("out/ckpt")\nprint(save_path)\n',
      errors: [{ line: 2, column: 8, message: 'No fix' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model)\nsave_path = ckpt.save("out/ckpt")\nprint(save_path)\n'
    },
    {
      // TensorFlow fault-tolerance / checkpoint_saver migration guides (og45c): the checkpoint became a dict while the
      // manager stayed, and `manager.save()` failed on all three ("'dict' object has no attribute 'save_counter'").
      name: 'the path a manager\'s save returns is read: the manager and its checkpoint stay',
      code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)\nmanager = tf.train.CheckpointManager(ckpt, "out", max_to_keep=2)\nsave_path = manager.save()\nprint(save_path)\n',
      errors: [{ line: 2, column: 8, message: 'No fix' }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)\nmanager = tf.train.CheckpointManager(ckpt, "out", max_to_keep=2)\nsave_path = manager.save()\nprint(save_path)\n'
    },
    {
      name: 'a checkpoint passed on: the checkpoint stays',
      code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model)\nhelper(ckpt)\n',
      errors: [{ line: 2, column: 8, message: 'No fix' }]
    },
    {
      name: 'a write/read pair',
      code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(model=model)\nckpt.write("w/ckpt")\nckpt.read("w/ckpt")\n',
      errors: [{ line: 2, column: 8 }, { line: 3, column: 1 }, { line: 4, column: 1 }],
      fixOptions: { unsafe: true },
      output:
        'import tensorflow as tf\nimport os\nimport warnings\nckpt = {"model": model}\nos.makedirs(os.path.dirname("w/ckpt") or ".", exist_ok=True)\nfor _name, _model in ckpt.items():\n    _model.save_weights("w/ckpt" + "-" + _name + ".weights.h5")\nfor _name, _model in ckpt.items():\n    if _model.built:\n        _model.load_weights("w/ckpt" + "-" + _name + ".weights.h5")\n    else:\n        warnings.warn(_name + " not restored: Keras 3 loads weights only into a built model (Keras 2 restored it once built); call it on a batch before this line")\n'
    }
  ]
});
