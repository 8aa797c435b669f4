import { ruleTester } from '../rule-tester';

ruleTester('csv-dataset-ordered-dict', {
  valid: [
    {
      name: 'already mapped to plain dicts',
      code: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8, label_name="y").map(lambda f, y: (dict(f), y))\n'
    },
    { name: 'another CSV reader', code: 'import tensorflow as tf\nds = tf.data.experimental.CsvDataset("t.csv", [0.0, 0.0])\n' }
  ],
  invalid: [
    {
      name: 'keras.io structured data: label_name and a mapped process()',
      code:
        'import tensorflow as tf\ndef get_dataset(path):\n    return tf.data.experimental.make_csv_dataset(\n        path, batch_size=32, column_names=["age", "job", "y"], label_name="y", num_epochs=1, header=False\n    ).map(process)\n',
      errors: [{ line: 3, column: 12 }],
      // No claim: measured on Keras 3.15, numeric columns before categorical ones fail on TF, JAX and torch; sorted columns run.
      blocks: [],
      output:
        'import tensorflow as tf\ndef get_dataset(path):\n    return tf.data.experimental.make_csv_dataset(\n        path, batch_size=32, column_names=["age", "job", "y"], label_name="y", num_epochs=1, header=False\n    ).map(lambda features, label: (dict(features), label)).map(process)\n'
    },
    {
      name: 'no label: the features alone',
      code: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8)\n',
      errors: [{ line: 2, column: 6 }],
      output: 'import tensorflow as tf\nds = tf.data.experimental.make_csv_dataset("t.csv", batch_size=8).map(dict)\n'
    }
  ]
});
