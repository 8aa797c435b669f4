import { ruleTester } from '../rule-tester';

const HEAD = 'import tensorflow as tf\nimport keras\n';
const LABEL = 'def get_label(path):\n    parts = tf.strings.split(path, "/")\n    return parts[-2] == "PNEUMONIA"\n\n\n';
const PROCESS = 'def process(image, path):\n    label = get_label(path)\n    return tf.image.decode_jpeg(image), label\n\n\n';
const DS = 'ds = tf.data.Dataset.zip((images, paths))\nds = ds.map(process)\ntrain_ds = ds.batch(8)\n';

ruleTester('bool-labels-with-class-weight', {
  valid: [
    { name: 'no class_weight', code: HEAD + LABEL + PROCESS + DS + 'model.fit(train_ds, epochs=2)\n' },
    { name: 'integer labels', code: HEAD + 'def process(image, path):\n    return image, tf.cast(path == "a", tf.int32)\n\n\n' + DS + 'model.fit(train_ds, class_weight={0: 1.0, 1: 2.0})\n' },
    { name: 'arrays: Keras 3 rounds them with NumPy, which takes bools', code: HEAD + LABEL + PROCESS + DS + 'model.fit(x_train, y_train == 1, class_weight={0: 1.0, 1: 2.0})\n' },
    { name: 'a Python membership test is no tensor', code: HEAD + 'ds = tf.data.Dataset.range(4).map(lambda i: (i, "a" in names))\nmodel.fit(ds, class_weight={0: 1.0, 1: 2.0})\n' },
    { name: 'the bool is the inputs, not the labels', code: HEAD + 'ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a > 0, b))\nmodel.fit(ds, class_weight={0: 1.0, 1: 2.0})\n' }
  ],
  invalid: [
    {
      name: 'keras.io X-ray example: a label from a helper returning a comparison, fitted with class_weight',
      code: HEAD + LABEL + PROCESS + DS + 'model.fit(train_ds, epochs=3, class_weight=class_weight)\nmodel.fit(train_ds, epochs=1, class_weight=class_weight)\n',
      errors: [{ line: 5, column: 12, message: 'makes the labels of a tf.data dataset bool' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'def get_label(path):\n    parts = tf.strings.split(path, "/")\n    return tf.cast(parts[-2] == "PNEUMONIA", tf.int32)\n\n\n' +
        PROCESS +
        DS +
        'model.fit(train_ds, epochs=3, class_weight=class_weight)\nmodel.fit(train_ds, epochs=1, class_weight=class_weight)\n'
    },
    {
      name: 'a tf comparison in a lambda, a weights element',
      code: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((x, y, w)).map(lambda a, b, c: (a, tf.math.greater(b, 0.5), c))\nmodel.fit(ds, class_weight={0: 1.0, 1: 3.0})\n',
      errors: [{ line: 2, column: 76 }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((x, y, w)).map(lambda a, b, c: (a, tf.cast(tf.math.greater(b, 0.5), tf.int32), c))\nmodel.fit(ds, class_weight={0: 1.0, 1: 3.0})\n'
    }
  ]
});
