import { ruleTester } from '../rule-tester';

const MODEL = 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n';

ruleTester('tf-function-calls-keras-layers', {
  valid: [
    { name: 'a custom training loop with a tape (KM175)', code: MODEL + '@tf.function\ndef step(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean(model(x) - y)\n    return tape.gradient(loss, model.trainable_weights)\n' },
    { name: 'a method of a Keras class (KM265)', code: MODEL + 'class M(keras.Model):\n    @tf.function\n    def serve(self, x):\n        return model(x)\n' },
    {
      // TensorFlow's saved_model migration guide (og45c): ran on TF, JAX and PyTorch; the safe fix made
      // serving_default eager there and `.get_concrete_function` failed on JAX and PyTorch.
      name: 'a tf.Module of the cell called where the function runs, the name bound to a Keras model later',
      code: 'import tensorflow as tf\nclass MyModel(tf.Module):\n    @tf.function\n    def __call__(self, x):\n        return x + 2\nmodel = MyModel()\n@tf.function\ndef serving_default(x):\n    return {"output": model(x)}\nsig = serving_default.get_concrete_function(tf.TensorSpec(shape=[], dtype=tf.float32))\ninp = tf.keras.Input((3,))\nmodel = tf.keras.Model(inp, tf.keras.layers.Dense(1)(inp))\n'
    },
    { name: 'no Keras layer called', code: MODEL + '@tf.function\ndef scale(x):\n    return tf.reduce_sum(x) * 2\n' },
    { name: 'already on TensorFlow only', code: MODEL + '@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef serve(x):\n    return model(x)\n' },
    { name: 'not decorated', code: MODEL + 'def serve(x):\n    return model(x)\n' }
  ],
  invalid: [
    {
      // claims/tf_function_calls_model.py: "Cannot convert a symbolic tf.Tensor (x:0) to a numpy array" on JAX and PyTorch, runs on TensorFlow and tf_keras (run).
      name: 'a serving function',
      code: MODEL + '@tf.function\ndef serve(x):\n    return model(x, training=False)\n',
      errors: [{ line: 7, column: 2, message: 'Cannot convert a symbolic tf.Tensor' }],
      blocks: ['jax', 'torch'],
      output: MODEL + '@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef serve(x):\n    return model(x, training=False)\n'
    },
    {
      // helper oe39d's repro from the keras.io training-loop guide: fixed (KM191 makes the tf.concat keras.ops), it runs on tf/jax/torch (run).
      name: 'tf.function with arguments, the model output handed to a TF op',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n@tf.function(reduce_retracing=True)\ndef step(x, real):\n    out = model(x)\n    return tf.concat([out, real], axis=0)\n',
      errors: [{ line: 6, column: 2 }],
      blocks: ['jax', 'torch'],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n\n\n@(tf.function(reduce_retracing=True) if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef step(x, real):\n    out = model(x)\n    return tf.concat([out, real], axis=0)\n'
    }
  ]
});
