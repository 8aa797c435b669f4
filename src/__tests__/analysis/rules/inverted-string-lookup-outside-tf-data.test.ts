import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport numpy as np\nimport tensorflow as tf\n';
const LOOKUP = 'num_to_char = keras.layers.StringLookup(vocabulary=list("abc"), mask_token=None, invert=True)\n';

ruleTester('inverted-string-lookup-outside-tf-data', {
  valid: [
    { name: 'given a TensorFlow tensor', code: HEAD + LOOKUP + 'text = num_to_char(tf.constant([1, 2]))\n' },
    { name: 'a lookup that is not inverted (strings in)', code: HEAD + 'char_to_num = keras.layers.StringLookup(vocabulary=list("abc"))\nids = char_to_num(np.array(["a", "b"]))\n' },
    { name: 'in a function a tf.data pipeline maps (TF tensors there)', code: HEAD + LOOKUP + 'def to_text(ids, label):\n    return num_to_char(ids), label\nds = tf.data.Dataset.from_tensor_slices((np.array([[1, 2]]), np.array([0]))).map(to_text)\n' },
    { name: 'in a lambda (a tf.data map)', code: HEAD + LOOKUP + 'ds = tf.data.Dataset.from_tensor_slices(np.array([[1, 2]])).map(lambda ids: num_to_char(ids))\n' },
    {
      name: 'keras.io CTC ASR: labels of a dataset batch iterated in Python (TF tensors on every backend)',
      code:
        HEAD + LOOKUP +
        'train_dataset = tf.data.Dataset.from_tensor_slices((np.ones((4, 3)), np.ones((4, 2), "int64")))\n' +
        'train_dataset = (\n    train_dataset.map(lambda x, y: (x, y), num_parallel_calls=tf.data.AUTOTUNE)\n    .padded_batch(2)\n)\n' +
        'for batch in train_dataset.take(1):\n    label = batch[1][0]\n    label = tf.strings.reduce_join(num_to_char(label)).numpy()\n' +
        'for batch in train_dataset:\n    X, y = batch\n    for label in y:\n        label = tf.strings.reduce_join(num_to_char(label)).numpy()\n' +
        'class CallbackEval(keras.callbacks.Callback):\n    def __init__(self, dataset):\n        super().__init__()\n        self.dataset = dataset\n\n' +
        '    def on_epoch_end(self, epoch, logs=None):\n        for X, y in self.dataset:\n            for label in y:\n                print(num_to_char(label))\n'
    },
    { name: 'a lookup made on self in __init__, called in call() (traced model code: KM192\'s)', code: "import keras\nimport tensorflow as tf\nclass Decoder(keras.layers.Layer):\n    def __init__(self, vocab):\n        super().__init__()\n        self.chars_from_ids = keras.layers.StringLookup(vocabulary=vocab, invert=True, mask_token=None)\n\n    def call(self, ids):\n        return self.chars_from_ids(ids)\n" },
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
      name: 'a loop over predictions, not over a dataset',
      code: HEAD + LOOKUP + 'ds = tf.data.Dataset.from_tensor_slices(np.ones((4, 2), "int64")).batch(2)\nfor batch in ds:\n    preds = np.argmax(np.ones((2, 2, 3)), -1)\n    for ids in preds:\n        print(num_to_char(ids))\n',
      errors: [{ line: 9, column: 15 }],
      output: HEAD + LOOKUP + 'ds = tf.data.Dataset.from_tensor_slices(np.ones((4, 2), "int64")).batch(2)\nfor batch in ds:\n    preds = np.argmax(np.ones((2, 2, 3)), -1)\n    for ids in preds:\n        print(num_to_char(tf.convert_to_tensor(ids)))\n'
    },
    {
      name: 'without a TensorFlow import: reported, no fix',
      code: 'import keras\nimport numpy as np\n' + LOOKUP + 'words = num_to_char(np.array([1, 2]))\n',
      errors: [{ line: 4, column: 9 }]
    },
    {
      // examples/runnable/text_generation_rnn_tutorial.py's OneStep.generate_one_step (run eagerly on JAX once
      // KM265 makes its @tf.function TensorFlow-only): fixed, it runs on JAX.
      name: 'a lookup passed to the constructor and stored on self, called in a public method Keras never runs',
      code: "import keras\nimport tensorflow as tf\nlookup = keras.layers.StringLookup(vocabulary=list(\"abc\"), mask_token=None)\nchars_from_ids = keras.layers.StringLookup(vocabulary=lookup.get_vocabulary(), invert=True, mask_token=None)\nclass OneStep(keras.Model):\n    def __init__(self, model, chars_from_ids):\n        super().__init__()\n        self.model = model\n        self.chars_from_ids = chars_from_ids\n\n    def generate_one_step(self, inputs):\n        predicted_logits = self.model(inputs)[:, -1, :]\n        predicted_ids = keras.ops.argmax(predicted_logits, axis=-1)\n        return self.chars_from_ids(predicted_ids)\n\none_step_model = OneStep(model, chars_from_ids)\nprint(tf.strings.join(one_step_model.generate_one_step(x)))\n",
      errors: [{ line: 14, column: 16 }],
      blocks: ['jax'],
      output: "import keras\nimport tensorflow as tf\nlookup = keras.layers.StringLookup(vocabulary=list(\"abc\"), mask_token=None)\nchars_from_ids = keras.layers.StringLookup(vocabulary=lookup.get_vocabulary(), invert=True, mask_token=None)\nclass OneStep(keras.Model):\n    def __init__(self, model, chars_from_ids):\n        super().__init__()\n        self.model = model\n        self.chars_from_ids = chars_from_ids\n\n    def generate_one_step(self, inputs):\n        predicted_logits = self.model(inputs)[:, -1, :]\n        predicted_ids = keras.ops.argmax(predicted_logits, axis=-1)\n        return self.chars_from_ids(tf.convert_to_tensor(predicted_ids))\n\none_step_model = OneStep(model, chars_from_ids)\nprint(tf.strings.join(one_step_model.generate_one_step(x)))\n"
    }
  ]
});
