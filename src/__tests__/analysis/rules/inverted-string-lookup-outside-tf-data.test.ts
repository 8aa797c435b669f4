import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\nimport tensorflow as tf\n';
const LOOKUP = 'num_to_char = keras.layers.StringLookup(vocabulary=list("abc"), mask_token=None, invert=True)\n';

ruleTester('inverted-string-lookup-outside-tf-data', {
  valid: [
    { name: 'given a TensorFlow tensor', code: HEAD + LOOKUP + 'text = num_to_char(tf.constant([1, 2]))\n' },
    { name: 'a lookup that is not inverted (strings in)', code: HEAD + 'char_to_num = keras.layers.StringLookup(vocabulary=list("abc"))\nids = char_to_num(np.array(["a", "b"]))\n' },
    { name: 'in a function a tf.data pipeline maps (TF tensors there)', code: HEAD + LOOKUP + 'def to_text(ids, label):\n    return num_to_char(ids), label\nds = tf.data.Dataset.from_tensor_slices((np.array([[1, 2]]), np.array([0]))).map(to_text)\n' },
    { name: 'in a lambda (a tf.data map)', code: HEAD + LOOKUP + 'ds = tf.data.Dataset.from_tensor_slices(np.array([[1, 2]])).map(lambda ids: num_to_char(ids))\n' }
  ],
  invalid: [
    {
      name: "keras.io captcha OCR: decoded ids (NumPy/JAX) turned back into text in a loop (safe: a TF tensor in, as Keras 2 had)",
      code:
        HEAD + LOOKUP +
        'def decode_batch_predictions(results):\n    output_text = []\n    for res in results:\n        res = tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8")\n        output_text.append(res)\n    return output_text\n',
      errors: [{ line: 8, column: 38, message: 'An inverted `StringLookup` (ids to strings) called outside tf.data' }],
      blocks: ['jax'],
      output:
        HEAD + LOOKUP +
        'def decode_batch_predictions(results):\n    output_text = []\n    for res in results:\n        res = tf.strings.reduce_join(num_to_char(tf.convert_to_tensor(res))).numpy().decode("utf-8")\n        output_text.append(res)\n    return output_text\n'
    },
    {
      name: 'without a TensorFlow import: reported, no fix',
      code: 'import keras\nimport numpy as np\n' + LOOKUP + 'words = num_to_char(np.array([1, 2]))\n',
      errors: [{ line: 4, column: 9 }]
    }
  ]
});
