import { ruleTester } from '../rule-tester';

const MODEL = 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\nx = np.ones((2, 4), "float32")\n';

ruleTester('tf-tensor-index-into-backend-tensor', {
  valid: [
    { name: 'an index from NumPy', code: MODEL + 'preds = model(x)\nscore = preds[:, np.argmax(preds[0])]\n' },
    { name: 'an index from keras.ops', code: MODEL + 'preds = model(x)\nscore = preds[:, keras.ops.argmax(preds[0])]\n' },
    { name: 'predict() output is NumPy, which takes a TF index', code: MODEL + 'preds = model.predict(x)\nscore = preds[:, tf.argmax(preds[0])]\n' },
    { name: 'a TF tensor indexed with a TF tensor', code: MODEL + 't = tf.constant([[1.0, 2.0]])\nscore = t[:, tf.argmax(t[0])]\n' },
    { name: 'a TF scalar inside a slice (runs everywhere)', code: MODEL + 'preds = model(x)\nn = tf.constant(1)\nhead = preds[:n]\n' },
    { name: 'under a GradientTape (KM218 says what the tape needs)', code: MODEL + 'with tf.GradientTape() as tape:\n    preds = model(x)\n    score = preds[:, tf.argmax(preds[0])]\n' },
    { name: 'in a layer call (KM131 converts the TF op)', code: 'import tensorflow as tf\nimport keras\nclass Pick(keras.layers.Layer):\n    def call(self, x):\n        y = keras.ops.relu(x)\n        return y[:, tf.argmax(y[0])]\n' },
    { name: 'already converted', code: MODEL + 'preds = model(x)\ntop = tf.argmax(keras.ops.convert_to_numpy(preds[0]))\nscore = preds[:, keras.ops.convert_to_numpy(top)]\n' }
  ],
  invalid: [
    {
      name: 'keras.io integrated gradients: an index taken with tf.argmax, through a name',
      code: MODEL + 'preds = model(x)\ntop_pred_idx = tf.argmax(preds[0])\ntop_class = preds[:, top_pred_idx]\n',
      errors: [{ line: 8, column: 22, message: 'a TensorFlow tensor (from `tf.argmax`)' }],
      blocks: ['jax', 'torch'],
      output: MODEL + 'preds = model(x)\ntop_pred_idx = tf.argmax(preds[0])\ntop_class = preds[:, keras.ops.convert_to_numpy(top_pred_idx)]\n'
    },
    {
      name: 'a TF op right in the subscript, an element of an element',
      code: MODEL + 'out = model(x)\nrow = out[0][tf.constant(2)]\n',
      errors: [{ line: 7, column: 14, message: '`tf.constant(...)`' }],
      output: MODEL + 'out = model(x)\nrow = out[0][keras.ops.convert_to_numpy(tf.constant(2))]\n'
    },
    {
      name: 'top_k indices, unpacked',
      code: MODEL + 'scores = keras.ops.softmax(model(x))\nvalues, indices = tf.math.top_k(scores[0], 2)\nbest = scores[0, indices[0]]\n',
      errors: [{ line: 8, column: 18 }],
      output: MODEL + 'scores = keras.ops.softmax(model(x))\nvalues, indices = tf.math.top_k(scores[0], 2)\nbest = scores[0, keras.ops.convert_to_numpy(indices[0])]\n'
    },
    {
      name: 'in a notebook function, keras imported in another cell',
      code: [MODEL, 'def best(batch):\n    p = model(batch)\n    i = tf.argmax(p, axis=1)[0]\n    return p[0, i]\n'],
      errors: [{ line: 4, column: 17 }],
      output: [MODEL, 'def best(batch):\n    p = model(batch)\n    i = tf.argmax(p, axis=1)[0]\n    return p[0, keras.ops.convert_to_numpy(i)]\n']
    }
  ]
});
