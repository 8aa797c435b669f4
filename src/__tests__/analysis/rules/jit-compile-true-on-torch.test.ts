import { ruleTester } from '../rule-tester';

ruleTester('jit-compile-true-on-torch', {
  valid: [
    { name: 'Keras 3 default', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", jit_compile="auto")\n' },
    { name: 'XLA off', code: 'import keras\nm = keras.Sequential()\nm.compile(loss="mse", jit_compile=False)\n' },
    { name: 'a value read from a name', code: 'import keras\nUSE_XLA = True\nm = keras.Sequential()\nm.compile(loss="mse", jit_compile=USE_XLA)\n' },
    { name: "tf.function's own flag is TensorFlow's", code: 'import tensorflow as tf\n\n\n@tf.function(jit_compile=True)\ndef step(x):\n    return x * 2\n' },
    { name: 'not a compile call', code: 'import keras\nconfigure(jit_compile=True)\n' }
  ],
  invalid: [
    {
      name: 'compile(jit_compile=True): "auto" (a tf.keras model as written)',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(\n    optimizer="adam",\n    loss="mse",\n    jit_compile=True,  # Enable XLA compilation\n)\n',
      errors: [{ line: 6, column: 17, message: 'through `torch.compile`' }],
      blocks: [],
      output: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(\n    optimizer="adam",\n    loss="mse",\n    jit_compile="auto",  # Enable XLA compilation\n)\n'
    }
  ]
});
