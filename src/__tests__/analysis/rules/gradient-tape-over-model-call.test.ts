import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\nimport tensorflow as tf\ninputs = keras.Input((8, 8, 3))\nconv = keras.layers.Conv2D(4, 3)(inputs)\ngrad_model = keras.Model(inputs, [conv, keras.layers.Dense(2)(keras.layers.Flatten()(conv))])\n';

ruleTester('gradient-tape-over-model-call', {
  valid: [
    { name: 'a training loop is KM175', code: MODEL + 'with tf.GradientTape() as tape:\n    loss = grad_model(x)[1]\ngrads = tape.gradient(loss, grad_model.trainable_variables)\nopt.apply_gradients(zip(grads, grad_model.trainable_variables))\n' },
    {
      name: 'a tape over a helper function that calls no model',
      code: 'import tensorflow as tf\ndef f(x):\n    return x * x\nx = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n    y = f(x)\nprint(tape.gradient(y, x))\n'
    },
    {
      // examples/runnable/converted/visualizing_convnet_filters.py: the hand conversion's per-backend gradient.
      name: 'a function that branches on the Keras backend (a name bound to backend()) keeps the tape for TensorFlow',
      code:
        MODEL +
        'def grad(img):\n    backend = keras.backend.backend()\n    if backend == "jax":\n        import jax\n        return jax.grad(lambda x: grad_model(x)[1].sum())(img)\n    if backend == "torch":\n        return torch_grad(img)\n    with tf.GradientTape() as tape:\n        tape.watch(img)\n        loss = grad_model(img)[1]\n    return tape.gradient(loss, img)\n'
    },
    {
      name: 'a tape under an if on the Keras backend',
      code: MODEL + 'if keras.backend.backend() == "tensorflow":\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n        loss = grad_model(x)[1]\n    g = tape.gradient(loss, x)\n'
    },
    { name: 'a tape over plain TF ops', code: 'import tensorflow as tf\nx = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n    y = x * x\nprint(tape.gradient(y, x))\n' },
    { name: 'inside a train_step', code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            y = self(data)\n        g = tape.gradient(y, self.trainable_variables)\n' }
  ],
  invalid: [
    {
      name: 'only JAX returned before the tape: it still runs on PyTorch, where it fails',
      code:
        MODEL +
        'def grad(img):\n    backend = keras.backend.backend()\n    if backend == "jax":\n        import jax\n        return jax.grad(lambda x: grad_model(x)[1].sum())(img)\n    with tf.GradientTape() as tape:\n        tape.watch(img)\n        loss = grad_model(img)[1]\n    return tape.gradient(loss, img)\n',
      errors: [{ line: 11, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['torch']
    },
    {
      name: 'keras.io Grad-CAM (checked by running: claims/gradient_tape_over_model_call.py)',
      code: MODEL + 'def heatmap(img):\n    with tf.GradientTape() as tape:\n        conv_out, preds = grad_model(img)\n        score = preds[:, 0]\n    grads = tape.gradient(score, conv_out)\n    return tf.reduce_mean(grads, axis=(0, 1, 2))\n',
      errors: [{ line: 7, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'integrated gradients: tape.watch on the inputs',
      code: MODEL + 'images = tf.cast(x, tf.float32)\nwith tf.GradientTape() as tape:\n    tape.watch(images)\n    preds = grad_model(images)[1]\ngrads = tape.gradient(preds[:, 0], images)\n',
      errors: [{ line: 7, column: 6 }],
      blocks: ['jax', 'torch']
    },
    {
      // examples/runnable/visualizing_convnet_filters.py (keras.io "Visualizing what convnets learn").
      name: 'the model is called by a helper function called under the tape (gradient ascent on the input)',
      code:
        MODEL +
        'def compute_loss(img, i):\n    act = grad_model(img)[0]\n    return tf.reduce_mean(act[..., i])\n@tf.function\ndef step(img, i):\n    with tf.GradientTape() as tape:\n        tape.watch(img)\n        loss = compute_loss(img, i)\n    grads = tape.gradient(loss, img)\n    return img + grads\n',
      errors: [{ line: 11, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch']
    }
  ]
});
