import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nx = np.ones((2, 4), "float32")\n';

ruleTester('exported-savedmodel-called', {
  valid: [
    { name: 'the serve endpoint', code: HEAD + 'model.export("my_model")\nreloaded = tf.saved_model.load("my_model")\ny = reloaded.serve(x)\n' },
    { name: 'a SavedModel the program does not write (a TensorFlow module, a download)', code: HEAD + 'reloaded = tf.saved_model.load("downloaded_model")\ny = reloaded(x)\n' },
    { name: 'another path', code: HEAD + 'model.export("a")\nreloaded = tf.saved_model.load("b")\ny = reloaded(x)\n' },
    { name: 'a .keras file is no SavedModel', code: HEAD + 'model.save("m.keras")\nreloaded = keras.models.load_model("m.keras")\ny = reloaded(x)\n' }
  ],
  invalid: [
    {
      // keras.io serialization guide (helper oe41c): "'_UserObject' object is not callable" on TF and JAX after export.
      name: 'an exported folder loaded with tf.saved_model.load and called',
      code: HEAD + 'model.export("my_model")\nreloaded = tf.saved_model.load("my_model")\ny = reloaded(x).numpy()\n',
      errors: [{ line: 8, column: 5 }],
      blocks: ['tensorflow', 'jax'],
      output: HEAD + 'model.export("my_model")\nreloaded = tf.saved_model.load("my_model")\ny = reloaded.serve(x).numpy()\n'
    },
    {
      name: 'a Keras 2 save to a folder named by a variable, loaded in a later cell',
      code: [HEAD + 'MODEL_DIR = "saved/model"\nmodel.save(MODEL_DIR)\n', 'import tensorflow as tf\ngraph = tf.saved_model.load("saved/model")\nprint(graph(x))\n'],
      errors: [{ cell: 1, line: 3, column: 7 }],
      output: [HEAD + 'MODEL_DIR = "saved/model"\nmodel.save(MODEL_DIR)\n', 'import tensorflow as tf\ngraph = tf.saved_model.load("saved/model")\nprint(graph.serve(x))\n']
    }
  ]
});
