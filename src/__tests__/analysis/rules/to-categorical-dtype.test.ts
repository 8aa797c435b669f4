import { ruleTester } from '../rule-tester';

ruleTester('to-categorical-dtype', {
  valid: [
    { code: 'import keras\ny = keras.utils.to_categorical(labels, 10)\nz = keras.utils.to_categorical(labels, num_classes=10).astype("float32")\n' },
    { name: 'another to_categorical', code: 'from mylib import to_categorical\ny = to_categorical(labels, 10, dtype="uint8")\n' }
  ],
  invalid: [
    {
      name: 'a dtype keyword, tf.keras spelling',
      code: 'import tensorflow as tf\ny_train = tf.keras.utils.to_categorical(y_train, num_classes=10, dtype="float32")\n',
      errors: [{ line: 2, column: 66, message: 'has no `dtype` argument' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\ny_train = tf.keras.utils.to_categorical(y_train, num_classes=10).astype("float32")\n'
    },
    {
      name: 'positional dtype given as a NumPy type, imported name',
      code: 'import numpy as np\nfrom keras.utils import to_categorical\nY = to_categorical(y, 3, np.uint8)\n',
      errors: [{ line: 3, column: 26 }],
      output: 'import numpy as np\nfrom keras.utils import to_categorical\nY = to_categorical(y, 3).astype("uint8")\n'
    },
    {
      name: 'a dtype decided at run time: no fix',
      code: 'from keras.utils import to_categorical\nY = to_categorical(y, 3, dtype=label_dtype)\n',
      errors: [{ line: 2, column: 26 }]
    }
  ]
});
