import { ruleTester } from '../rule-tester';

ruleTester('removed-keras-name', {
  valid: [
    { name: 'names Keras 3 kept', code: 'import tensorflow as tf\nm = tf.keras.models.model_from_json(text)\nd = tf.keras.utils.PyDataset\n' },
    { name: 'a removed module another rule owns (KM165)', code: 'import tensorflow as tf\nx = tf.keras.layers.experimental.preprocessing.Rescaling(1.0)\nfrom tensorflow.keras.layers.experimental import preprocessing\n' },
    { name: 'a removed layer another rule owns (KM122)', code: 'import tensorflow as tf\ny = tf.keras.layers.experimental.RandomFourierFeatures(4)\n' },
    { name: 'not Keras', code: 'import mylib\nm = mylib.models.model_from_yaml(text)\n' }
  ],
  invalid: [
    {
      // TensorFlow's evaluator migration guide (og45c): KM012 rewrote it to keras.utils.SidecarEvaluator, which raised
      // AttributeError on TF, JAX and PyTorch, and check said every backend was ready.
      name: 'attribute chains through tf.keras and keras, an import by name and an import from a removed module',
      code: 'import tensorflow as tf\nimport keras\nfrom tensorflow.keras.models import model_from_yaml, model_from_json\nfrom tensorflow.keras.utils.experimental import DatasetCreator\ne = tf.keras.utils.SidecarEvaluator(model, data)\nq = keras.utils.OrderedEnqueuer(seq)\nr = tf.keras.applications.RegNetX002(weights=None)\n',
      errors: [
        { line: 3, column: 37, message: '`keras.models.model_from_yaml` does not exist in Keras 3 (neither `keras` nor TensorFlow\'s `tf.keras` has it): it raises AttributeError or ImportError on every backend; Keras 3 reads no YAML' },
        { line: 4, column: 6, message: '`keras.utils.experimental` does not exist' },
        { line: 5, column: 5, message: 'model.load_weights()' },
        { line: 6, column: 5, message: 'keras.utils.PyDataset' },
        { line: 7, column: 5, message: '`keras.applications.RegNetX002` does not exist' }
      ],
      blocks: ['tensorflow', 'jax', 'torch']
    }
  ]
});
