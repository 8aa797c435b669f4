import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\nimport tensorflow as tf\ninputs = keras.Input((8, 8, 3))\nconv = keras.layers.Conv2D(4, 3)(inputs)\ngrad_model = keras.Model(inputs, [conv, keras.layers.Dense(2)(keras.layers.Flatten()(conv))])\n';

/** A @tf.function gradient-ascent step on a watched input (keras.io visualizing convnet filters' shape) and its fix; the fixed text ran on TensorFlow, JAX and PyTorch. */
const ASCENT = "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])\n@tf.function\ndef step(img, lr):\n    with tf.GradientTape() as tape:\n        tape.watch(img)\n        preds = model(img)\n        loss = tf.reduce_mean(preds[:, 0])\n    grads = tape.gradient(loss, img)\n    img += lr * tf.math.l2_normalize(grads)\n    return loss, img\nloss, img = step(tf.zeros((1, 4, 4, 1)), 0.1)\nprint(keras.ops.convert_to_numpy(img).shape, float(loss))\n";
const ASCENT_OUT = "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])\n@(tf.function if keras.backend.backend() == \"tensorflow\" else (lambda f: f))\ndef step(img, lr):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of `img` (the models it calls read their variables as constants).\n        def loss_fn(img):\n            preds = model(img)\n            loss = keras.ops.mean(preds[:, 0])\n            return keras.ops.sum(loss), (loss,)\n\n        img = keras.ops.convert_to_tensor(img)\n        grads, (loss,) = jax.grad(loss_fn, has_aux=True)(img)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        img = keras.ops.convert_to_tensor(img).detach().clone().requires_grad_(True)\n        preds = model(img)\n        loss = keras.ops.mean(preds[:, 0])\n        grads = torch.autograd.grad(loss, [img], grad_outputs=torch.ones_like(loss))[0]\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, img = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss, img))\n    else:\n        with tf.GradientTape() as tape:\n            tape.watch(img)\n            preds = model(img)\n            loss = tf.reduce_mean(preds[:, 0])\n        grads = tape.gradient(loss, img)\n    img += lr * keras.ops.normalize(grads, epsilon=1e-6, axis=None)\n    return loss, img\nloss, img = step(tf.zeros((1, 4, 4, 1)), 0.1)\nprint(keras.ops.convert_to_numpy(img).shape, float(loss))\n";
/** A keras.Variable image updated by an optimizer (neural style transfer's shape; claims/gradient_tape_variable_image.py) and its fix, run on all three. */
const VARIABLE_IMAGE = "import numpy as np\nimport keras\nimport tensorflow as tf\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nimage = keras.Variable(np.ones((1, 4), \"float32\"))\noptimizer = keras.optimizers.SGD(0.1)\nwith tf.GradientTape() as tape:\n    out = model(image)\n    loss = keras.ops.sum(keras.ops.square(out))\ngrads = tape.gradient(loss, image)\noptimizer.apply_gradients([(grads, image)])\nprint(keras.ops.convert_to_numpy(image).shape, float(loss))\n";
const VARIABLE_IMAGE_OUT = "import numpy as np\nimport keras\nimport tensorflow as tf\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nimage = keras.Variable(np.ones((1, 4), \"float32\"))\noptimizer = keras.optimizers.SGD(0.1)\nif keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `image` (the models it calls read their variables as constants).\n    def loss_fn(image):\n        out = model(image)\n        loss = keras.ops.sum(keras.ops.square(out))\n        return keras.ops.sum(loss), (loss,)\n\n    grads, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\nelif keras.backend.backend() == \"torch\":\n    import torch\n\n    out = model(image)\n    loss = keras.ops.sum(keras.ops.square(out))\n    grads = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\nelse:\n    with tf.GradientTape() as tape:\n        out = model(image)\n        loss = keras.ops.sum(keras.ops.square(out))\n    grads = tape.gradient(loss, image)\noptimizer.apply_gradients([(grads, image)])\nprint(keras.ops.convert_to_numpy(image).shape, float(loss))\n";

/** The same with a tf.Variable passed to a @tf.function step, and its fix (run on tf/jax/torch). */
const TF_VARIABLE_IMAGE = "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n@tf.function\ndef loss_and_grads(image):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_sum(tf.square(model(image)))\n    grads = tape.gradient(loss, image)\n    return loss, grads\noptimizer = keras.optimizers.SGD(0.1)\nimage = tf.Variable(np.ones((1, 4), \"float32\"))\nfor i in range(2):\n    loss, grads = loss_and_grads(image)\n    optimizer.apply_gradients([(grads, image)])\nprint(image.numpy().shape, float(loss))\n";
const TF_VARIABLE_IMAGE_OUT = "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\ndef loss_and_grads(image):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of `image` (the models it calls read their variables as constants).\n        def loss_fn(image):\n            loss = keras.ops.sum(keras.ops.square(model(image)))\n            return keras.ops.sum(loss), (loss,)\n\n        grads, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        loss = keras.ops.sum(keras.ops.square(model(image)))\n        grads = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n    else:\n        with tf.GradientTape() as tape:\n            loss = tf.reduce_sum(tf.square(model(image)))\n        grads = tape.gradient(loss, image)\n    return loss, grads\noptimizer = keras.optimizers.SGD(0.1)\nimage = keras.Variable(np.ones((1, 4), \"float32\"))\nfor i in range(2):\n    loss, grads = loss_and_grads(image)\n    optimizer.apply_gradients([(grads, image)])\nprint(image.numpy().shape, float(loss))\n";

/** keras.io's learning-curve fit (examples/runnable/sample_size_learning_curve.py's shape) and its fix, run on tf/jax/torch. */
const LEARNING_CURVE = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nmse = keras.losses.MeanSquaredError()\na = tf.Variable(0.6)\nb = tf.Variable(0.05)\nx = [165.0, 330.0]\ny = np.array([0.8, 0.87])\nfor epoch in range(10):\n    with tf.GradientTape() as tape:\n        cost = mse(a * x ** b, y)\n    gradients = tape.gradient(cost, [a, b])\n    a.assign_sub(gradients[0] * 0.01)\n    b.assign_sub(gradients[1] * 0.01)\nprint(a.numpy(), (a * x ** b).numpy())\n";
const LEARNING_CURVE_OUT = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nmse = keras.losses.MeanSquaredError()\na = keras.Variable(0.6)\nb = keras.Variable(0.05)\nx = [165.0, 330.0]\ny = np.array([0.8, 0.87])\nfor epoch in range(10):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of `a`, `b` (the variables read these values in a keras.StatelessScope); the models it calls read their variables as constants.\n        def cost_fn(a_value, b_value):\n            with keras.StatelessScope(state_mapping=[(a, a_value), (b, b_value)]):\n                cost = mse(a * x ** b, y)\n            return keras.ops.sum(cost), (cost,)\n\n        gradients, (cost,) = jax.grad(cost_fn, argnums=(0, 1), has_aux=True)(a.value, b.value)\n        gradients = list(gradients)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        cost = mse(a * x ** b, y)\n        gradients = list(torch.autograd.grad(cost, [a.value, b.value], grad_outputs=torch.ones_like(cost)))\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        cost, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (cost,))\n    else:\n        with tf.GradientTape() as tape:\n            cost = mse(a * x ** b, y)\n        gradients = tape.gradient(cost, [a, b])\n    a.assign_sub(gradients[0] * 0.01)\n    b.assign_sub(gradients[1] * 0.01)\nprint(a.numpy(), keras.ops.convert_to_numpy((a * x ** b)))\n";

/** A saliency helper returning `tape.gradient(...)` directly, its maps collected in a list and stacked by TF (keras.io integrated gradients' shape), and its fix; the fixed text ran on TensorFlow, JAX and PyTorch. */
const RETURNED = "import numpy as np\nimport tensorflow as tf\nimport keras\nnet = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])\ndef saliency(x, k):\n    x = tf.cast(x, tf.float32)\n    with tf.GradientTape() as tape:\n        tape.watch(x)\n        score = net(x)[:, k]\n    return tape.gradient(score, x)\nmaps = []\nfor row in np.eye(6, dtype=\"float32\")[:2]:\n    g = saliency(row[None], 1)\n    maps.append(g[0])\nmaps = tf.stack(maps)\nprint(tf.reduce_mean(maps, axis=0).numpy().shape)\n";
const RETURNED_OUT = "import numpy as np\nimport tensorflow as tf\nimport keras\nnet = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])\ndef saliency(x, k):\n    x = tf.cast(x, tf.float32)\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of `x` (the models it calls read their variables as constants).\n        def score_fn(x):\n            score = net(x)[:, k]\n            return keras.ops.sum(score), (score,)\n\n        k, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (k,))\n        x = keras.ops.convert_to_tensor(x)\n        grads, (score,) = jax.grad(score_fn, has_aux=True)(x)\n        return grads\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        k, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (k,))\n        x = keras.ops.convert_to_tensor(x).detach().clone().requires_grad_(True)\n        score = net(x)[:, k]\n        grads = torch.autograd.grad(score, [x], grad_outputs=torch.ones_like(score))[0]\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        score, x = (t.detach() if isinstance(t, torch.Tensor) else t for t in (score, x))\n        return grads\n    else:\n        with tf.GradientTape() as tape:\n            tape.watch(x)\n            score = net(x)[:, k]\n        return tape.gradient(score, x)\nmaps = []\nfor row in np.eye(6, dtype=\"float32\")[:2]:\n    g = saliency(row[None], 1)\n    maps.append(keras.ops.convert_to_numpy(g[0]))\nmaps = tf.stack(maps)\nprint(tf.reduce_mean(maps, axis=0).numpy().shape)\n";

/**
 * The Grad-CAM of Deep Learning with Python (2nd ed., ch. 9; /work/og49a repro_2): the tape's first statement
 * makes the layer output it then watches. That statement runs before the tape in the fix (the gradient is with
 * respect to the watched tensor); the fixed text ran on TensorFlow (the same gradient as the original with one
 * seed), JAX and PyTorch.
 */
const WATCHED_MADE_UNDER_TAPE = "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(6, 6, 3))\nlast_conv_layer_model = keras.Model(inputs, layers.Conv2D(4, 3, activation=\"relu\")(inputs))\nclassifier_input = keras.Input(shape=(4, 4, 4))\nclassifier_model = keras.Model(classifier_input, layers.Dense(3, activation=\"softmax\")(layers.GlobalAveragePooling2D()(classifier_input)))\nimg_array = np.random.rand(1, 6, 6, 3).astype(\"float32\")\nwith tf.GradientTape() as tape:\n    last_conv_layer_output = last_conv_layer_model(img_array)\n    tape.watch(last_conv_layer_output)\n    preds = classifier_model(last_conv_layer_output)\n    top_pred_index = tf.argmax(preds[0])\n    top_class_channel = preds[:, top_pred_index]\ngrads = tape.gradient(top_class_channel, last_conv_layer_output)\npooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2)).numpy()\nprint(\"OK\", pooled_grads.shape)\n";
const WATCHED_MADE_UNDER_TAPE_OUT = "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(6, 6, 3))\nlast_conv_layer_model = keras.Model(inputs, layers.Conv2D(4, 3, activation=\"relu\")(inputs))\nclassifier_input = keras.Input(shape=(4, 4, 4))\nclassifier_model = keras.Model(classifier_input, layers.Dense(3, activation=\"softmax\")(layers.GlobalAveragePooling2D()(classifier_input)))\nimg_array = np.random.rand(1, 6, 6, 3).astype(\"float32\")\nlast_conv_layer_output = last_conv_layer_model(img_array)\nif keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `last_conv_layer_output` (the models it calls read their variables as constants).\n    def top_class_channel_fn(last_conv_layer_output):\n        preds = classifier_model(last_conv_layer_output)\n        top_pred_index = keras.ops.argmax(preds[0], axis=0)\n        top_class_channel = preds[:, top_pred_index]\n        return keras.ops.sum(top_class_channel), (top_class_channel,)\n\n    last_conv_layer_output = keras.ops.convert_to_tensor(last_conv_layer_output)\n    grads, (top_class_channel,) = jax.grad(top_class_channel_fn, has_aux=True)(last_conv_layer_output)\nelif keras.backend.backend() == \"torch\":\n    import torch\n\n    last_conv_layer_output = keras.ops.convert_to_tensor(last_conv_layer_output).detach().clone().requires_grad_(True)\n    preds = classifier_model(last_conv_layer_output)\n    top_pred_index = keras.ops.argmax(preds[0], axis=0)\n    top_class_channel = preds[:, top_pred_index]\n    grads = torch.autograd.grad(top_class_channel, [last_conv_layer_output], grad_outputs=torch.ones_like(top_class_channel))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    top_class_channel, last_conv_layer_output = (t.detach() if isinstance(t, torch.Tensor) else t for t in (top_class_channel, last_conv_layer_output))\nelse:\n    with tf.GradientTape() as tape:\n        tape.watch(last_conv_layer_output)\n        preds = classifier_model(last_conv_layer_output)\n        top_pred_index = tf.argmax(preds[0])\n        top_class_channel = preds[:, top_pred_index]\n    grads = tape.gradient(top_class_channel, last_conv_layer_output)\npooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2)).numpy()\nprint(\"OK\", pooled_grads.shape)\n";

/** A saliency map whose input is cast under the tape, in a function (/work/og49a repro_2b's idiom); the fixed text ran on all three. */
const CAST_UNDER_TAPE = "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation=\"softmax\")])\n\ndef saliency(img, scale):\n    with tf.GradientTape() as tape:\n        x = tf.cast(img, tf.float32) * scale\n        baseline = tf.zeros_like(x)\n        tape.watch(x)\n        preds = model(x - baseline)\n        top_class = preds[:, tf.argmax(preds[0])]\n    grads = tape.gradient(top_class, x)\n    return tf.reduce_max(tf.abs(grads), axis=0)\n\nprint(\"OK\", saliency(np.random.rand(1, 8), 2.0).shape)\n";
const CAST_UNDER_TAPE_OUT = "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation=\"softmax\")])\n\ndef saliency(img, scale):\n    x = tf.cast(img, tf.float32) * scale\n    baseline = tf.zeros_like(x)\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of `x` (the models it calls read their variables as constants).\n        def top_class_fn(x):\n            preds = model(x - baseline)\n            top_class = preds[:, keras.ops.argmax(preds[0], axis=0)]\n            return keras.ops.sum(top_class), (top_class,)\n\n        baseline, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (baseline,))\n        x = keras.ops.convert_to_tensor(x)\n        grads, (top_class,) = jax.grad(top_class_fn, has_aux=True)(x)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        baseline, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (baseline,))\n        x = keras.ops.convert_to_tensor(x).detach().clone().requires_grad_(True)\n        preds = model(x - baseline)\n        top_class = preds[:, keras.ops.argmax(preds[0], axis=0)]\n        grads = torch.autograd.grad(top_class, [x], grad_outputs=torch.ones_like(top_class))[0]\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        top_class, x = (t.detach() if isinstance(t, torch.Tensor) else t for t in (top_class, x))\n    else:\n        with tf.GradientTape() as tape:\n            tape.watch(x)\n            preds = model(x - baseline)\n            top_class = preds[:, tf.argmax(preds[0])]\n        grads = tape.gradient(top_class, x)\n    return keras.ops.max(keras.ops.absolute(grads), axis=0)\n\nprint(\"OK\", saliency(np.random.rand(1, 8), 2.0).shape)\n";

ruleTester('gradient-tape-over-model-call', {
  valid: [
    {
      // og50b repro_3: KM175 flags it (a training step whose gradients its caller applies).
      name: 'a function returning the training gradient, applied by its caller at module level',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n\ndef compute_grads(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean(tf.square(model(x) - y))\n    return tape.gradient(loss, model.trainable_variables)\n\ngrads = compute_grads(x, y)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n'
    },

    {
      name: 'a tape over a cell function calling a parameter not named like a model',
      code: 'import tensorflow as tf\ndef calc(img, fn):\n    return fn(img)\nwith tf.GradientTape() as tape:\n    tape.watch(x)\n    y = calc(x, tf.math.sin)\ng = tape.gradient(y, x)\n'
    },
    {
      name: 'a tape over TensorFlow ops only (the hand conversion of the sample-size estimate), and a Keras loss outside the tape',
      code: 'import keras\nimport tensorflow as tf\nmse = keras.losses.MeanSquaredError()\na = tf.Variable(0.5)\nwith tf.GradientTape() as tape:\n    cost = tf.reduce_mean(tf.square(a * x - y))\ngrads = tape.gradient(cost, [a])\nprint(mse(y, a * x))\n'
    },
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
    { name: 'a Keras loss called after the tape, not under it', code: 'import tensorflow as tf\nfrom tensorflow import keras\nmse = keras.losses.MeanSquaredError()\nx = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n    y = x * x\nprint(tape.gradient(y, x), mse([1.0], [2.0]))\n' },
    { name: 'a Keras loss in a training gradient over trainable_variables is KM175\'s (the custom training walkthrough)', code: 'import tensorflow as tf\nfrom tensorflow import keras\nloss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n\ndef loss(model, x, y):\n    return loss_object(y_true=y, y_pred=model(x))\n\ndef grad(model, inputs, targets):\n    with tf.GradientTape() as tape:\n        loss_value = loss(model, inputs, targets)\n    return loss_value, tape.gradient(loss_value, model.trainable_variables)\n' },
    { name: 'a Keras metric is no loss', code: 'import tensorflow as tf\nfrom tensorflow import keras\nacc = keras.metrics.Mean()\nx = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n    acc(y)\nprint(tape.gradient(y, x))\n' },
    { name: 'a tape over plain TF ops', code: 'import tensorflow as tf\nx = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n    y = x * x\nprint(tape.gradient(y, x))\n' },
    { name: 'inside a train_step', code: 'import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            y = self(data)\n        g = tape.gradient(y, self.trainable_variables)\n' }
  ],
  invalid: [
    {
      name: 'the fix: the statement making the watched layer output (Grad-CAM, DLwP) runs before the tape',
      code: WATCHED_MADE_UNDER_TAPE,
      errors: [{ line: 11, column: 6, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: WATCHED_MADE_UNDER_TAPE_OUT
    },
    {
      name: 'the fix: the statements casting the input before `tape.watch(x)` run before the tape (saliency map in a function)',
      code: CAST_UNDER_TAPE,
      errors: [{ line: 8, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: CAST_UNDER_TAPE_OUT
    },
    {
      name: 'no fix: statements before `tape.watch(x)` with a gradient also over a variable (recorded from the start of the tape), or other than assignments',
      code: MODEL + 'w = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    h = tf.cast(img, tf.float32)\n    tape.watch(h)\n    loss = grad_model(h)[1] * w\ngrads = tape.gradient(loss, [h, w])\nwith tf.GradientTape() as t2:\n    print(img)\n    t2.watch(img)\n    loss = grad_model(img)[1]\ngrads = t2.gradient(loss, img)\n',
      errors: [
        { line: 7, column: 6, message: 'No fix: `tape` is used in its body other than in `tape.watch(x)` lines first (the statements before them could run before the tape only for a gradient with respect to watched tensors, not `w`)' },
        { line: 12, column: 6, message: 'No fix: `t2` is used in its body other than in `t2.watch(x)` lines first.' }
      ],
      blocks: ['jax', 'torch']
    },
    {
      // TensorFlow's advanced-autodiff guide (/work/og44e): runs on TensorFlow; JAX fails ("'NoneType' object has no attribute
      // 'shape'", batch: "'tuple' object has no attribute 'rank'"), PyTorch too ("Can't call numpy() on Tensor that requires grad";
      // batch: "'torch.Size' object has no attribute 'rank'"), Keras 3.15. Before, check said every backend was ready.
      name: 'a tape read through jacobian() or batch_jacobian(): flagged, no rewrite',
      code: "import tensorflow as tf\nx = tf.random.normal([7, 5])\nlayer = tf.keras.layers.Dense(6)\nwith tf.GradientTape() as tape:\n  tape.watch(x)\n  y = layer(x)\nj = tape.jacobian(y, x)\nprint(j.shape)\nwith tf.GradientTape() as tape2:\n  tape2.watch(x)\n  y2 = layer(x)\nprint(tape2.batch_jacobian(y2, x).shape)\n",
      errors: [{ line: 4, column: 6, message: 'No fix: `tape` is used other than in one' }, { line: 9, column: 6 }],
      blocks: ['jax', 'torch']
    },
    {
      // TensorFlow Deep Dream tutorial (/work/og43c deepdream): the model reaches the tape's body as a parameter
      // of a cell function; after fix --unsafe JAX and PyTorch failed ("Cannot convert a symbolic tf.Tensor") unclaimed.
      name: 'a tape over a cell function calling its model parameter (calc_loss(img, self.model))',
      code: "import tensorflow as tf\nimport keras\ndream_model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])\ndef calc_loss(img, model):\n    layer_activations = model(tf.expand_dims(img, axis=0))\n    return tf.reduce_sum(layer_activations)\nclass DeepDream(tf.Module):\n    def __init__(self, model):\n        self.model = model\n    @tf.function\n    def __call__(self, img, steps):\n        for n in tf.range(steps):\n            with tf.GradientTape() as tape:\n                tape.watch(img)\n                loss = calc_loss(img, self.model)\n            gradients = tape.gradient(loss, img)\n            img = img + gradients * 0.01\n        return loss, img\n",
      errors: [{ line: 13, column: 18 }],
      blocks: ['jax', 'torch']
    },
    {
      // The TensorFlow Deep Dream tutorial's TiledGradients (/work/og43c dd): the gradient of each tile is added to a sum.
      // The output (and the tutorial's class under @tf.function(input_signature)) runs on TensorFlow, JAX and PyTorch (Keras 3.15).
      name: 'the gradient added to a sum on the line after the tape: computed per backend under a name of its own',
      code: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(2, 3)])\n\ndef tiled_gradients(img_rolled, tiles):\n  gradients = tf.zeros_like(img_rolled)\n  for y in tiles:\n    with tf.GradientTape() as tape:\n      tape.watch(img_rolled)\n      img_tile = img_rolled[:, y:y + 8]\n      loss = tf.reduce_mean(model(img_tile))\n    gradients = gradients + tape.gradient(loss, img_rolled)\n  return gradients\n\nprint(tiled_gradients(tf.random.uniform((1, 20, 20, 3)), [0, 8]).shape)\n",
      errors: [{ line: 8, column: 10 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(2, 3)])\n\ndef tiled_gradients(img_rolled, tiles):\n  gradients = tf.zeros_like(img_rolled)\n  for y in tiles:\n    if keras.backend.backend() == \"jax\":\n      import jax\n\n      # The tape's body as a function of `img_rolled` (the models it calls read their variables as constants).\n      def loss_fn(img_rolled):\n        img_tile = img_rolled[:, y:y + 8]\n        loss = keras.ops.mean(model(img_tile))\n        return keras.ops.sum(loss), (loss,)\n\n      img_rolled = keras.ops.convert_to_tensor(img_rolled)\n      grads, (loss,) = jax.grad(loss_fn, has_aux=True)(img_rolled)\n      gradients = gradients + grads\n    elif keras.backend.backend() == \"torch\":\n      import torch\n\n      img_rolled = keras.ops.convert_to_tensor(img_rolled).detach().clone().requires_grad_(True)\n      img_tile = img_rolled[:, y:y + 8]\n      loss = keras.ops.mean(model(img_tile))\n      grads = torch.autograd.grad(loss, [img_rolled], grad_outputs=torch.ones_like(loss))[0]\n      # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n      loss, img_rolled = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss, img_rolled))\n      gradients = gradients + grads\n    else:\n      with tf.GradientTape() as tape:\n        tape.watch(img_rolled)\n        img_tile = img_rolled[:, y:y + 8]\n        loss = tf.reduce_mean(model(img_tile))\n      gradients = gradients + tape.gradient(loss, img_rolled)\n  return gradients\n\nprint(tiled_gradients(tf.random.uniform((1, 20, 20, 3)), [0, 8]).shape)\n"
    },
    {
      // The TensorFlow style-transfer tutorial's `total_variation_loss(image).numpy()` (/work/og44main): the function
      // gets the variable's values, and TensorFlow's result keeps its `.numpy()`. Converting the result instead
      // left the function's TF ops a torch tensor that requires grad ("Can't call numpy() on Tensor that requires grad").
      name: 'a function of the cell given the variable after the step, its result read with .numpy(): the argument is converted',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ndef total_variation_loss(image):\n  return tf.reduce_sum(tf.abs(image[:, 1:] - image[:, :-1]))\n\ntrain_step(image)\nprint(total_variation_loss(image).numpy())\n",
      errors: [{ line: 10, column: 8 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = keras.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\ndef train_step(image):\n  if keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `image` (the models it calls read their variables as constants).\n    def loss_fn(image):\n      loss = keras.ops.mean(model(image))\n      return keras.ops.sum(loss), (loss,)\n\n    grad, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\n  elif keras.backend.backend() == \"torch\":\n    import torch\n\n    loss = keras.ops.mean(model(image))\n    grad = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n  else:\n    with tf.GradientTape() as tape:\n      loss = tf.reduce_mean(model(image))\n    grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ndef total_variation_loss(image):\n  return tf.reduce_sum(tf.abs(tf.convert_to_tensor(keras.ops.convert_to_numpy(image[:, 1:] - image[:, :-1]))))\n\ntrain_step(image)\nprint(total_variation_loss(keras.ops.convert_to_numpy(image)).numpy())\n"
    },
    {
      // The TensorFlow integrated-gradients tutorial (/work/og44a repro): `@tf.function integrated_gradients()` calls the
      // rewritten `compute_gradients()`; kept on every backend it gave the JAX and PyTorch branches symbolic tensors
      // ("Cannot convert a symbolic tf.Tensor (mul:0) to a numpy array"). The output runs on all three (Keras 3.15).
      name: 'a @tf.function of the cell calling the rewritten function applies on TensorFlow only',
      code: "import tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.build([None, 4])\n\ndef compute_gradients(images):\n  with tf.GradientTape() as tape:\n    tape.watch(images)\n    probs = tf.nn.softmax(model(images), axis=-1)[:, 0]\n  return tape.gradient(probs, images)\n\n@tf.function\ndef integrated_gradients(image):\n  return compute_gradients(image * 2.0)\n\nprint(compute_gradients(tf.ones((2, 4))).shape)\nprint(integrated_gradients(tf.ones((2, 4))).shape)\nprint('DONE')\n",
      errors: [{ line: 8, column: 8 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(3)])\nmodel.build([None, 4])\n\ndef compute_gradients(images):\n  if keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `images` (the models it calls read their variables as constants).\n    def probs_fn(images):\n      probs = keras.ops.softmax(model(images), axis=-1)[:, 0]\n      return keras.ops.sum(probs), (probs,)\n\n    images = keras.ops.convert_to_tensor(images)\n    grads, (probs,) = jax.grad(probs_fn, has_aux=True)(images)\n    return grads\n  elif keras.backend.backend() == \"torch\":\n    import torch\n\n    images = keras.ops.convert_to_tensor(images).detach().clone().requires_grad_(True)\n    probs = keras.ops.softmax(model(images), axis=-1)[:, 0]\n    grads = torch.autograd.grad(probs, [images], grad_outputs=torch.ones_like(probs))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    probs, images = (t.detach() if isinstance(t, torch.Tensor) else t for t in (probs, images))\n    return grads\n  else:\n    with tf.GradientTape() as tape:\n      tape.watch(images)\n      probs = tf.nn.softmax(model(images), axis=-1)[:, 0]\n    return tape.gradient(probs, images)\n\n@(tf.function if keras.backend.backend() == \"tensorflow\" else (lambda f: f))\ndef integrated_gradients(image):\n  return compute_gradients(image * 2.0)\n\nprint(compute_gradients(tf.ones((2, 4))).shape)\nprint(integrated_gradients(tf.ones((2, 4))).shape)\nprint('DONE')\n"
    },
    {
      // /work/og43c st_two_steps (the TensorFlow style-transfer tutorial's second step, with total variation): the
      // variable both tapes read becomes a keras.Variable for both, so each tape is rewritten only with the other.
      // The output runs on TensorFlow, JAX and PyTorch (Keras 3.15); the first step alone had made TensorFlow fail.
      name: 'a variable also read under another tape that is rewritten too: both tapes rewritten',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\n@tf.function()\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ntrain_step(image)\n\n@tf.function()\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n    loss += tf.image.total_variation(image)\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\nopt = keras.optimizers.Adam(0.02)\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\ntrain_step(image)\nprint(\"ok\")\n",
      errors: [{ line: 11, column: 8 }, { line: 20, column: 8 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = keras.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\ndef train_step(image):\n  if keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `image` (the models it calls read their variables as constants).\n    def loss_fn(image):\n      loss = keras.ops.mean(model(image))\n      return keras.ops.sum(loss), (loss,)\n\n    grad, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\n  elif keras.backend.backend() == \"torch\":\n    import torch\n\n    loss = keras.ops.mean(model(image))\n    grad = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n  else:\n    with tf.GradientTape() as tape:\n      loss = tf.reduce_mean(model(image))\n    grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ntrain_step(image)\n\ndef train_step(image):\n  if keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `image` (the models it calls read their variables as constants).\n    def loss_fn(image):\n      loss = keras.ops.mean(model(image))\n      loss = loss + (keras.ops.sum(keras.ops.abs(image[..., 1:, :, :] - image[..., :-1, :, :]), axis=(-3, -2, -1)) + keras.ops.sum(keras.ops.abs(image[..., :, 1:, :] - image[..., :, :-1, :]), axis=(-3, -2, -1)))\n      return keras.ops.sum(loss), (loss,)\n\n    grad, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\n  elif keras.backend.backend() == \"torch\":\n    import torch\n\n    loss = keras.ops.mean(model(image))\n    loss = loss + (keras.ops.sum(keras.ops.abs(image[..., 1:, :, :] - image[..., :-1, :, :]), axis=(-3, -2, -1)) + keras.ops.sum(keras.ops.abs(image[..., :, 1:, :] - image[..., :, :-1, :]), axis=(-3, -2, -1)))\n    grad = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n  else:\n    with tf.GradientTape() as tape:\n      loss = tf.reduce_mean(model(image))\n      loss += tf.image.total_variation(image.value)\n    grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\nopt = keras.optimizers.Adam(0.02)\nimage = keras.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\ntrain_step(image)\nprint(\"ok\")\n"
    },
    {
      // The second tape loops in its body, which the rewrite does not cover: the first one's keras.Variable would
      // reach it, and TensorFlow then failed on the second step ("'SymbolicTensor' object has no attribute '_unique_id'").
      name: 'a variable also read under another tape that is not rewritten: no fix for the first tape either',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\n@tf.function()\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ntrain_step(image)\n\n@tf.function()\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n    for _ in range(2):\n      loss += tf.image.total_variation(image)\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\nopt = keras.optimizers.Adam(0.02)\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\ntrain_step(image)\nprint(\"ok\")\n",
      // The first tape's finding waits for the end of the cell, where the second is known to get no rewrite.
      errors: [{ line: 20, column: 8 }, { line: 11, column: 8, message: 'is also read under another `tf.GradientTape` of the cell' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      // TensorFlow style-transfer tutorial (/work/og43c st_tv, st_np_var): after the step, the variable the fix
      // makes a keras.Variable goes to a TF op ("'Variable' object has no attribute 'get_shape'" on TensorFlow)
      // and to a function doing np.array(tensor * 255) ("Can't call numpy() on Tensor that requires grad" on PyTorch).
      name: 'the variable given to a TF op and to a NumPy-using function after the step: converted to NumPy there',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = tf.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\n@tf.function()\ndef train_step(image):\n  with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(image))\n  grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ndef tensor_to_image(tensor):\n  tensor = tensor*255\n  tensor = np.array(tensor, dtype=np.uint8)\n  return tensor\n\ntrain_step(image)\nprint(tensor_to_image(image).shape)\nprint(tf.image.total_variation(image).numpy())\n",
      errors: [{ line: 11, column: 8 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\n\nmodel = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3)])\nimage = keras.Variable(np.random.rand(1, 8, 8, 3).astype(\"float32\"))\nopt = keras.optimizers.Adam(0.02)\n\ndef train_step(image):\n  if keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `image` (the models it calls read their variables as constants).\n    def loss_fn(image):\n      loss = keras.ops.mean(model(image))\n      return keras.ops.sum(loss), (loss,)\n\n    grad, (loss,) = jax.grad(loss_fn, has_aux=True)(image.value)\n  elif keras.backend.backend() == \"torch\":\n    import torch\n\n    loss = keras.ops.mean(model(image))\n    grad = torch.autograd.grad(loss, [image.value], grad_outputs=torch.ones_like(loss))[0]\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n  else:\n    with tf.GradientTape() as tape:\n      loss = tf.reduce_mean(model(image))\n    grad = tape.gradient(loss, image)\n  opt.apply_gradients([(grad, image)])\n\ndef tensor_to_image(tensor):\n  tensor = tensor*255\n  tensor = np.array(tensor, dtype=np.uint8)\n  return tensor\n\ntrain_step(image)\nprint(tensor_to_image(keras.ops.convert_to_numpy(image)).shape)\nprint(tf.image.total_variation(tf.convert_to_tensor(keras.ops.convert_to_numpy(image))).numpy())\n"
    },
    {
      // TensorFlow Deep Dream tutorial (/work/og43c dd_a): a tf.Module holding the model it was given; after
      // fix --unsafe nothing was claimed, and JAX/PyTorch failed ("Cannot convert a symbolic tf.Tensor").
      name: 'a tape over self.model(...) in a tf.Module given the model',
      code: 'import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])\nclass Ascent(tf.Module):\n    def __init__(self, model):\n        self.model = model\n    def __call__(self, img):\n        with tf.GradientTape() as tape:\n            tape.watch(img)\n            loss = tf.reduce_mean(self.model(img))\n        return tape.gradient(loss, img)\nprint(Ascent(model)(tf.constant(np.ones((1, 8), "float32"))))\n',
      errors: [{ line: 9, column: 14 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])\nclass Ascent(tf.Module):\n    def __init__(self, model):\n        self.model = model\n    def __call__(self, img):\n        if keras.backend.backend() == \"jax\":\n            import jax\n\n            # The tape's body as a function of `img` (the models it calls read their variables as constants).\n            def loss_fn(img):\n                loss = keras.ops.mean(self.model(img))\n                return keras.ops.sum(loss), (loss,)\n\n            img = keras.ops.convert_to_tensor(img)\n            grads, (loss,) = jax.grad(loss_fn, has_aux=True)(img)\n            return grads\n        elif keras.backend.backend() == \"torch\":\n            import torch\n\n            img = keras.ops.convert_to_tensor(img).detach().clone().requires_grad_(True)\n            loss = keras.ops.mean(self.model(img))\n            grads = torch.autograd.grad(loss, [img], grad_outputs=torch.ones_like(loss))[0]\n            # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n            loss, img = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss, img))\n            return grads\n        else:\n            with tf.GradientTape() as tape:\n                tape.watch(img)\n                loss = tf.reduce_mean(self.model(img))\n            return tape.gradient(loss, img)\nprint(Ascent(model)(tf.constant(np.ones((1, 8), \"float32\"))))\n"
    },
    {
      name: 'a function returning tape.gradient(y, x) directly: each backend branch returns its gradient, and a result appended to a list that tf.stack converts becomes NumPy',
      code: RETURNED,
      errors: [{ line: 7, column: 10, message: 'over a Keras model or loss call' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: RETURNED_OUT
    },
    {
      name: 'a returned gradient whose results are only appended (no TF op takes the list): the append is left alone',
      code: RETURNED.replace('maps = tf.stack(maps)\n', 'maps = np.stack([np.asarray(m) for m in maps])\n').replace('tf.reduce_mean(maps, axis=0).numpy()', 'maps.mean(axis=0)'),
      errors: [{ line: 7, column: 10, message: 'over a Keras model or loss call' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: RETURNED_OUT.replace('maps.append(keras.ops.convert_to_numpy(g[0]))', 'maps.append(g[0])').replace('maps = tf.stack(maps)\n', 'maps = np.stack([np.asarray(m) for m in maps])\n').replace('tf.reduce_mean(maps, axis=0).numpy()', 'maps.mean(axis=0)')
    },
    {
      // claims/gradient_tape_over_keras_loss.py: JAX "'ArrayImpl' object has no attribute '_id'", PyTorch "Cannot convert ... to a TensorFlow DType".
      name: 'keras.io sample-size estimate: a tape over tf.Variable curve parameters whose cost is a Keras loss object (no model): no fix',
      code: 'import keras\nimport tensorflow as tf\n\n\ndef fit(x, mean_acc):\n    mse = keras.losses.MeanSquaredError()\n    a = tf.Variable(0.0)\n    b = tf.Variable(0.0)\n    for epoch in range(10):\n        with tf.GradientTape() as tape:\n            cost_function = mse(a * x**b, mean_acc)\n        gradients = tape.gradient(cost_function, [a, b])\n        a.assign_sub(gradients[0] * 0.01)\n',
      errors: [{ line: 10, column: 14, message: 'over a Keras model or loss call' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the fix: `.numpy()` on what a call of the rewritten step binds becomes keras.ops.convert_to_numpy (JAX arrays have none)',
      code: ASCENT.replace('print(keras.ops.convert_to_numpy(img).shape', 'print(img[0].numpy().shape'),
      errors: [{ line: 7, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: ASCENT_OUT.replace('convert_to_numpy(img)', 'convert_to_numpy(img[0])')
    },
    {
      name: 'the fix: jax.grad of the body as a function of the watched input, torch.autograd.grad of a copy that requires grad, the tape on TensorFlow',
      code: ASCENT,
      errors: [{ line: 7, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: ASCENT_OUT
    },
    {
      name: 'the fix: a keras.Variable image applied by an optimizer (not a model\'s variables: not KM175\'s) is differentiated through its value',
      code: VARIABLE_IMAGE,
      errors: [{ line: 8, column: 6, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: VARIABLE_IMAGE_OUT
    },
    {
      name: 'no fix for Grad-CAM: the gradient is taken with respect to a layer output the body computes',
      code: MODEL + 'with tf.GradientTape() as tape:\n    conv_out, preds = grad_model(img)\n    score = preds[:, 0]\ngrads = tape.gradient(score, conv_out)\n',
      errors: [{ line: 6, column: 6, message: 'No fix: the gradient is taken with respect to `conv_out`, a value the tape\'s body computes' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'the fix: a tf.Variable image passed to a @tf.function step (neural style transfer) becomes a keras.Variable, the decorator dropped',
      code: TF_VARIABLE_IMAGE,
      errors: [{ line: 7, column: 10, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: TF_VARIABLE_IMAGE_OUT
    },
    {
      // Run on TensorFlow, JAX and PyTorch: the same fitted values on all three.
      name: 'the fix: keras.io learning-curve fit, a Keras loss under the tape and a list of two tf.Variable sources (jax.grad over both values, the variables read in a StatelessScope)',
      code: LEARNING_CURVE,
      errors: [{ line: 10, column: 10, message: 'over a Keras model or loss call' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: LEARNING_CURVE_OUT
    },
    {
      // Run on TensorFlow, JAX and PyTorch.
      name: 'the fix: a tuple of watched inputs (jax.grad over both, argnums; torch.autograd.grad over copies that require grad; a tuple stays a tuple)',
      code: "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nu = tf.constant(np.ones((1, 4), \"float32\"))\nv = tf.constant(np.full((1, 4), 2.0, \"float32\"))\nwith tf.GradientTape() as tape:\n    tape.watch(u)\n    tape.watch(v)\n    out = model(u * v)\n    loss = tf.reduce_sum(out)\ngrads = tape.gradient(loss, (u, v))\ngu, gv = grads\nprint(keras.ops.convert_to_numpy(gu).round(4).tolist(), keras.ops.convert_to_numpy(gv).shape, float(loss))\n",
      errors: [{ line: 7, column: 6, message: 'only on the TensorFlow backend' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\nu = tf.constant(np.ones((1, 4), \"float32\"))\nv = tf.constant(np.full((1, 4), 2.0, \"float32\"))\nif keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tape's body as a function of `u`, `v`; the models it calls read their variables as constants.\n    def loss_fn(u, v):\n        out = model(u * v)\n        loss = keras.ops.sum(out)\n        return keras.ops.sum(loss), (loss,)\n\n    u = keras.ops.convert_to_tensor(u)\n    v = keras.ops.convert_to_tensor(v)\n    grads, (loss,) = jax.grad(loss_fn, argnums=(0, 1), has_aux=True)(u, v)\nelif keras.backend.backend() == \"torch\":\n    import torch\n\n    u = keras.ops.convert_to_tensor(u).detach().clone().requires_grad_(True)\n    v = keras.ops.convert_to_tensor(v).detach().clone().requires_grad_(True)\n    out = model(u * v)\n    loss = keras.ops.sum(out)\n    grads = torch.autograd.grad(loss, [u, v], grad_outputs=torch.ones_like(loss))\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    loss, u, v = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss, u, v))\nelse:\n    with tf.GradientTape() as tape:\n        tape.watch(u)\n        tape.watch(v)\n        out = model(u * v)\n        loss = tf.reduce_sum(out)\n    grads = tape.gradient(loss, (u, v))\ngu, gv = grads\nprint(keras.ops.convert_to_numpy(gu).round(4).tolist(), keras.ops.convert_to_numpy(gv).shape, float(loss))\n"
    },
    {
      // As a keras.Variable, `b` on the right of a NumPy array is read through __array__ (TensorFlow gave b no gradient, checked by running).
      name: 'no fix for a list of tf.Variable sources when a NumPy array may be on the left of one',
      code: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nmse = keras.losses.MeanSquaredError()\na = tf.Variable(0.6)\nb = tf.Variable(0.05)\nx = np.array([165.0, 330.0])\ny = np.array([0.8, 0.87])\nfor epoch in range(10):\n    with tf.GradientTape() as tape:\n        cost = mse(a * x ** b, y)\n    gradients = tape.gradient(cost, [a, b])\n    a.assign_sub(gradients[0] * 0.01)\n    b.assign_sub(gradients[1] * 0.01)\nprint(a.numpy(), (a * x ** b).numpy())\n",
      errors: [{ line: 10, column: 10, message: 'No fix: `x ** b` may have an array (NumPy or TensorFlow) on the left of the variable `b`' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a keras.losses function and a Loss class constructed in place under the tape',
      code: 'import tensorflow as tf\nfrom tensorflow import keras\nw = tf.Variable(0.5)\nwith tf.GradientTape() as tape:\n    cost = keras.losses.mean_squared_error([1.0, 2.0], w * [1.0, 2.0])\nprint(tape.gradient(cost, [w]))\nwith tf.GradientTape() as t2:\n    cost = keras.losses.Huber()([1.0, 2.0], w * [1.0, 2.0])\nprint(t2.gradient(cost, [w]))\n',
      errors: [
        { line: 4, column: 6, message: 'over a Keras model or loss call' },
        { line: 7, column: 6, message: 'over a Keras model or loss call' }
      ],
      blocks: ['jax', 'torch']
    },
    {
      name: 'no fix for a tf.Variable image made with other arguments than its value',
      code: MODEL + 'image = tf.Variable(img, trainable=True)\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_sum(grad_model(image)[1])\ngrads = tape.gradient(loss, image)\nopt.apply_gradients([(grads, image)])\n',
      errors: [{ line: 7, column: 6, message: 'a `tf.Variable(...)` with arguments besides its value' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'no fix for a watched expression, nor for a loop in the body',
      code: MODEL + 'with tf.GradientTape() as tape:\n    tape.watch(x[0])\n    loss = grad_model(x)[1]\ng = tape.gradient(loss, x)\nwith tf.GradientTape() as t2:\n    t2.watch(x)\n    for i in range(2):\n        loss = grad_model(x)[1]\ng = t2.gradient(loss, x)\n',
      errors: [
        { line: 6, column: 6, message: 'No fix: `tape.watch(x[0])` watches an expression' },
        { line: 10, column: 6, message: 'No fix: the tape\'s body holds a `for` statement' }
      ],
      blocks: ['jax', 'torch']
    },
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
