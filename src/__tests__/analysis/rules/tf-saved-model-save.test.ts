import { ruleTester } from '../rule-tester';

ruleTester('tf-saved-model-save', {
  valid: [
    { name: 'tf.saved_model.save of a tf.Module of the cell named like a model (TensorFlow intro-to-modules guide, og44d r5): it has no export(); ran as written on TF, JAX and PyTorch', code: "import tensorflow as tf\n\nclass Dense(tf.Module):\n  def __init__(self, name=None):\n    super().__init__(name=name)\n    self.w = tf.Variable(tf.random.normal([3, 2]), name='w')\n  def __call__(self, x):\n    return tf.matmul(x, self.w)\n\nmy_model = Dense()\ncheckpoint = tf.train.Checkpoint(model=my_model)\ncheckpoint.write(\"my_checkpoint\")\n\nnew_model = Dense()\ntf.train.Checkpoint(model=new_model).restore(\"my_checkpoint\")\nprint(new_model(tf.constant([[2.0, 2.0, 2.0]])))\n\ntf.saved_model.save(my_model, \"the_saved_model\")\nprint(tf.saved_model.load(\"the_saved_model\"))\n\nclass MyDense(tf.keras.layers.Layer):  # the program also uses Keras\n  def call(self, x):\n    return x\nprint(MyDense()(tf.constant([[1.0]])))\nprint(\"DONE\")\n" },
    { name: 'a tf.Module is TensorFlow\'s own object', code: 'import tensorflow as tf\nmodule = tf.Module()\ntf.saved_model.save(module, "out")\n' },
    { code: 'import keras\nmodel = keras.Sequential()\nmodel.export("out")\n' }
  ],
  invalid: [
    {
      // TensorFlow distributed save-and-load tutorial (/work/og43d r3): the suggested export() of a subclassed model
      // never called raised "The model provided has not yet been built" on every backend, TensorFlow included,
      // where tf.saved_model.save ran on TensorFlow.
      name: 'a subclassed model never built: no export() fix',
      code: "# tf.saved_model.save of a subclassed model that was never called (the tutorial's \"Caveats\" cell).\nimport tensorflow as tf\nimport keras\n\nclass SubclassedModel(keras.Model):\n  def __init__(self):\n    super(SubclassedModel, self).__init__()\n    self._dense_layer = keras.layers.Dense(5)\n\n  def call(self, inputs):\n    return self._dense_layer(inputs)\n\nmy_model = SubclassedModel()\ntf.saved_model.save(my_model, \"tf_save\")\nprint(\"saved\")\n",
      errors: [{ line: 14, column: 1, message: 'is not built here' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the same model called on a batch first: export()',
      code: "# tf.saved_model.save of a subclassed model that was never called (the tutorial's \"Caveats\" cell).\nimport tensorflow as tf\nimport keras\n\nclass SubclassedModel(keras.Model):\n  def __init__(self):\n    super(SubclassedModel, self).__init__()\n    self._dense_layer = keras.layers.Dense(5)\n\n  def call(self, inputs):\n    return self._dense_layer(inputs)\n\nmy_model = SubclassedModel()\nmy_model(tf.ones((1, 3)))\ntf.saved_model.save(my_model, \"tf_save\")\nprint(\"saved\")\n",
      errors: [{ line: 15, column: 1 }],
      fixOptions: { unsafe: true },
      output: "# tf.saved_model.save of a subclassed model that was never called (the tutorial's \"Caveats\" cell).\nimport tensorflow as tf\nimport keras\n\nclass SubclassedModel(keras.Model):\n  def __init__(self):\n    super(SubclassedModel, self).__init__()\n    self._dense_layer = keras.layers.Dense(5)\n\n  def call(self, inputs):\n    return self._dense_layer(inputs)\n\nmy_model = SubclassedModel()\nmy_model(tf.ones((1, 3)))\nmy_model.export(\"tf_save\")\nprint(\"saved\")\n"
    },
    {
      name: 'a Keras model bound in an earlier cell',
      code: ['import tensorflow as tf\nimport keras\nnet = keras.Sequential([keras.layers.Dense(2)])\n', 'tf.saved_model.save(net, "saved/net")\n'],
      errors: [{ cell: 1, line: 1, column: 1, message: 'Trackable' }],
      fixOptions: { unsafe: true },
      output: ['import tensorflow as tf\nimport keras\nnet = keras.Sequential([keras.layers.Dense(2)])\n', 'net.export("saved/net")\n']
    },
    {
      name: 'named like a model, with a signatures argument: no rewrite',
      code: 'import tensorflow as tf\ntf.saved_model.save(model, "out", signatures=f)\n',
      errors: [{ line: 2, column: 1 }]
    },
    {
      name: 'not safe: only under --unsafe',
      code: 'import tensorflow as tf\ntf.saved_model.save(model, path)\n',
      errors: [{ line: 2, column: 1 }]
    }
  ]
});
