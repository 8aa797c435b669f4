import { ruleTester } from '../rule-tester';

ruleTester('tf-saved-model-save', {
  valid: [
    { name: 'a tf.Module is TensorFlow\'s own object', code: 'import tensorflow as tf\nmodule = tf.Module()\ntf.saved_model.save(module, "out")\n' },
    { code: 'import keras\nmodel = keras.Sequential()\nmodel.export("out")\n' }
  ],
  invalid: [
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
