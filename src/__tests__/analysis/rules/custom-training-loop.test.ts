import { getAnalyzer } from '../helpers';
import { ruleTester } from '../rule-tester';

const LOOP =
  'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n';

/** The persistent-tape step below, fixed: one JAX loss function per gradient, as for several tapes in one `with`. */
const PERSISTENT_OUT = "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\ndisc = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\nif keras.backend.backend() == \"jax\":\n    import jax\n\n    # The tapes' body as a function of one model's trained values, the other models' values held constant\n    # (add_loss terms and updated statistics collected); `index` picks the loss differentiated.\n    def tape_fn(values, variables, index):\n        with keras.StatelessScope(state_mapping=list(zip(variables, values)), collect_losses=True) as scope:\n            g_loss = keras.ops.mean(disc(model(x)))\n            d_loss = -g_loss\n        return keras.ops.sum((g_loss, d_loss)[index]), (g_loss, d_loss, [scope.get_current_value(v) for v in model.non_trainable_variables + disc.non_trainable_variables])\n\n    if not (model.built and disc.built):\n        tape_fn([], [], 0)  # builds the models on their first call (their variables are created eagerly), updates discarded\n    gg, (g_loss, d_loss, updates) = jax.grad(tape_fn, has_aux=True)([v.value for v in model.trainable_variables], model.trainable_variables, 0)\n    dg, _ = jax.grad(tape_fn, has_aux=True)([v.value for v in disc.trainable_variables], disc.trainable_variables, 1)\n    for v, value in zip(model.non_trainable_variables + disc.non_trainable_variables, updates):\n        if value is not None:\n            v.assign(value)\nelif keras.backend.backend() == \"torch\":\n    import torch\n\n    g_loss = keras.ops.mean(disc(model(x)))\n    d_loss = -g_loss\n    gg = torch.autograd.grad(g_loss, [v.value for v in model.trainable_variables], grad_outputs=torch.ones_like(g_loss), allow_unused=True, retain_graph=True)\n    dg = torch.autograd.grad(d_loss, [v.value for v in disc.trainable_variables], grad_outputs=torch.ones_like(d_loss), allow_unused=True)\n    # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n    g_loss, d_loss = (t.detach() if isinstance(t, torch.Tensor) else t for t in (g_loss, d_loss))\nelse:\n    with tf.GradientTape(persistent=True) as tape:\n        g_loss = keras.ops.mean(disc(model(x)))\n        d_loss = -g_loss\n    gg = tape.gradient(g_loss, model.trainable_variables)\n    dg = tape.gradient(d_loss, disc.trainable_variables)\noptimizer.apply_gradients(zip(gg, model.trainable_variables))\n";

/** The TensorFlow NMT-with-attention tutorial's step, reduced: `loss = 0` before the tape, a teacher-forcing loop in it, statements between the tape and its gradient, the variables of two models summed in a name. */
const TEACHER_FORCING = "import tensorflow as tf\nimport keras\nencoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])\ndecoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])\noptimizer = keras.optimizers.Adam()\n@tf.function\ndef train_step(inp, targ, hidden):\n    loss = 0\n    with tf.GradientTape() as tape:\n        enc_out, hidden = encoder(inp), hidden + 1\n        for t in range(1, targ.shape[1]):\n            pred = decoder(enc_out)\n            loss += tf.reduce_mean(tf.square(pred - targ[:, t]))\n    batch_loss = loss / int(targ.shape[1])\n    variables = encoder.trainable_variables + decoder.trainable_variables\n    gradients = tape.gradient(loss, variables)\n    optimizer.apply_gradients(zip(gradients, variables))\n    return batch_loss\n";

/** TEACHER_FORCING fixed: `hidden` and `loss` carried into the JAX function as parameters, the statements between the tape and the gradient run after it on JAX and PyTorch. */
const TEACHER_FORCING_OUT = "import tensorflow as tf\nimport keras\nencoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])\ndecoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])\noptimizer = keras.optimizers.Adam()\n@(tf.function if keras.backend.backend() == \"tensorflow\" else (lambda f: f))\ndef train_step(inp, targ, hidden):\n    loss = 0\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n        def loss_fn(values, hidden, loss):\n            with keras.StatelessScope(state_mapping=list(zip((encoder.trainable_variables + decoder.trainable_variables), values)), collect_losses=True) as scope:\n                enc_out, hidden = encoder(inp), hidden + 1\n                for t in range(1, targ.shape[1]):\n                    pred = decoder(enc_out)\n                    loss += keras.ops.mean(keras.ops.square(pred - targ[:, t]))\n            return keras.ops.sum(loss), (loss, hidden, [scope.get_current_value(v) for v in encoder.non_trainable_variables + decoder.non_trainable_variables])\n\n        inp, targ, hidden, loss = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (inp, targ, hidden, loss))\n        if not (encoder.built and decoder.built):\n            loss_fn([], hidden, loss)  # builds the models on their first call (their variables are created eagerly), updates discarded\n        gradients, (loss, hidden, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in (encoder.trainable_variables + decoder.trainable_variables)], hidden, loss)\n        for v, value in zip(encoder.non_trainable_variables + decoder.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n        batch_loss = loss / int(targ.shape[1])\n        variables = encoder.trainable_variables + decoder.trainable_variables\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        inp, targ, hidden, loss = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (inp, targ, hidden, loss))\n        enc_out, hidden = encoder(inp), hidden + 1\n        for t in range(1, targ.shape[1]):\n            pred = decoder(enc_out)\n            loss += keras.ops.mean(keras.ops.square(pred - targ[:, t]))\n        gradients = torch.autograd.grad(loss, [v.value for v in (encoder.trainable_variables + decoder.trainable_variables)], grad_outputs=torch.ones_like(loss), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, hidden = (_t.detach() if isinstance(_t, torch.Tensor) else _t for _t in (loss, hidden))\n        batch_loss = loss / int(targ.shape[1])\n        variables = encoder.trainable_variables + decoder.trainable_variables\n    else:\n        with tf.GradientTape() as tape:\n            enc_out, hidden = encoder(inp), hidden + 1\n            for t in range(1, targ.shape[1]):\n                pred = decoder(enc_out)\n                loss += tf.reduce_mean(tf.square(pred - targ[:, t]))\n        batch_loss = loss / int(targ.shape[1])\n        variables = encoder.trainable_variables + decoder.trainable_variables\n        gradients = tape.gradient(loss, variables)\n    optimizer.apply_gradients(zip(gradients, variables))\n    return batch_loss\n";

ruleTester('custom-training-loop', {
  valid: [
    {
      name: 'the tape inside train_step is KM141 territory',
      code: 'import tensorflow as tf\nimport keras\nclass M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compute_loss(x, y, self(x))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n'
    },
    {
      name: 'a tape that differentiates an input, not the model (saliency maps)',
      code: LOOP + 'with tf.GradientTape() as tape:\n    tape.watch(x)\n    y = model(x)\ng = tape.gradient(y, x)\n'
    },
    { name: 'a tape that is not a with-statement', code: LOOP + 'tape = tf.GradientTape()\n' },
    { name: 'a tape on the TensorFlow-only path of a backend test (the fix\'s own else branch)', code: LOOP + 'if keras.backend.backend() in ("jax", "torch"):\n    pass\nelse:\n    with tf.GradientTape() as tape:\n        loss = keras.ops.mean(model(x))\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n' },
    {
      name: 'a teacher-forcing step inside a Keras model\'s train_step is KM141 territory',
      code: 'import tensorflow as tf\nimport keras\nclass M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        loss = 0\n        with tf.GradientTape() as tape:\n            for t in range(3):\n                loss += self.compute_loss(x, y, self(x))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n'
    }
  ],
  invalid: [
    {
      // /work/og48b repro_1 (Géron's handson-ml2 ch. 13 `train()`): AutoGraph, converting the `@tf.function` around the
      // dataset loop, refused the JAX branch's nested def reading the loop's batch ("'X_batch' must be defined before the
      // loop"). Bound as defaults, the fixed file ran on all three (/tmp/rp1.py).
      name: 'a tape in a loop over a dataset inside a tf.function: the loop targets the body reads are bound as defaults',
      code: "# KM175 rewrite inside a @tf.function that loops over a tf.data.Dataset breaks TensorFlow\n# (G\u00e9ron ch13 `train(model, n_epochs)`), Keras 2 original and Keras 3/TF before the fix both run.\nimport tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.models.Sequential([keras.layers.Dense(1, input_shape=[3])])\noptimizer = keras.optimizers.SGD(learning_rate=0.01)\nloss_fn = keras.losses.mean_squared_error\ntrain_set = tf.data.Dataset.from_tensor_slices((tf.ones((8, 3)), tf.ones((8, 1)))).batch(4)\n\n\n@tf.function\ndef train(model):\n    for X_batch, y_batch in train_set:\n        with tf.GradientTape() as tape:\n            y_pred = model(X_batch)\n            loss = tf.reduce_mean(loss_fn(y_batch, y_pred))\n        gradients = tape.gradient(loss, model.trainable_variables)\n        optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n\n\ntrain(model)\nprint(\"OK\")\n",
      errors: [{ line: 15, column: 14 }],
      fixOptions: { unsafe: true },
      output: "# KM175 rewrite inside a @tf.function that loops over a tf.data.Dataset breaks TensorFlow\n# (G\u00e9ron ch13 `train(model, n_epochs)`), Keras 2 original and Keras 3/TF before the fix both run.\nimport tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.models.Sequential([keras.layers.Dense(1, input_shape=[3])])\noptimizer = keras.optimizers.SGD(learning_rate=0.01)\nloss_fn = keras.losses.mean_squared_error\ntrain_set = tf.data.Dataset.from_tensor_slices((tf.ones((8, 3)), tf.ones((8, 1)))).batch(4)\n\n\n@(tf.function if keras.backend.backend() == \"tensorflow\" else (lambda f: f))\ndef train(model):\n    for X_batch, y_batch in train_set:\n        if keras.backend.backend() == \"jax\":\n            import jax\n\n            # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n            def _loss_fn(values, X_batch=X_batch, y_batch=y_batch):\n                with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values)), collect_losses=True) as scope:\n                    y_pred = model(X_batch)\n                    loss = keras.ops.mean(loss_fn(y_batch, y_pred))\n                return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in model.non_trainable_variables])\n\n            if not model.built:\n                _loss_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n            gradients, (loss, updates) = jax.grad(_loss_fn, has_aux=True)([v.value for v in model.trainable_variables])\n            for v, value in zip(model.non_trainable_variables, updates):\n                if value is not None:\n                    v.assign(value)\n        elif keras.backend.backend() == \"torch\":\n            import torch\n\n            y_pred = model(X_batch)\n            loss = keras.ops.mean(loss_fn(y_batch, y_pred))\n            gradients = torch.autograd.grad(loss, [v.value for v in model.trainable_variables], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n            loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n        else:\n            with tf.GradientTape() as tape:\n                y_pred = model(X_batch)\n                loss = tf.reduce_mean(loss_fn(y_batch, y_pred))\n            gradients = tape.gradient(loss, model.trainable_variables)\n        optimizer.apply_gradients(zip(gradients, model.trainable_variables))\n\n\ntrain(model)\nprint(\"OK\")\n"
    },
    {
      // keras.io researchers guide (Keras 2): the Gradients section's tapes over plain TF tensors run
      // on JAX and PyTorch (TensorFlow installed), even with a Keras loop further on.
      name: 'tapes over plain TF tensors (one nested) before a Keras training loop that rebinds the name: only the loop is flagged',
      code: 'import tensorflow as tf\nimport keras\na = tf.random.normal((2, 2))\nwith tf.GradientTape() as tape:\n    tape.watch(a)\n    c = tf.sqrt(tf.square(a))\n    dc_da = tape.gradient(c, a)\nwith tf.GradientTape() as outer:\n    with tf.GradientTape() as inner:\n        inner.watch(a)\n        c = a * a\n    d = inner.gradient(c, a)\nd2 = outer.gradient(d, a)\nmodel = keras.Sequential([keras.layers.Dense(1)])\nfor step in range(2):\n    with tf.GradientTape() as tape:\n        loss = keras.ops.mean(model(a))\n    grads = tape.gradient(loss, model.trainable_weights)\n    optimizer.apply_gradients(zip(grads, model.trainable_weights))\n',
      errors: [{ line: 16, column: 10, message: 'custom training loop' }]
    },
    {
      name: 'the TensorFlow NMT / image-captioning step: a loss accumulated from before the tape in a teacher-forcing range loop, statements between the tape and its gradient, the gradient over two models\' variables summed in a name',
      code: TEACHER_FORCING,
      fixOptions: { unsafe: true },
      output: TEACHER_FORCING_OUT,
      errors: [{ line: 9, column: 10, message: 'keep this program on TensorFlow' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'refused: a range loop under the tape stepping an environment eagerly (`.numpy()` in its body)',
      code: LOOP + 'loss = 0\nwith tf.GradientTape() as tape:\n    for t in range(3):\n        action = model(x)\n        x = env_step(action.numpy())\n        loss += keras.ops.mean(action)\ngrads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 6, column: 6, message: 'No fix: the tape\'s body holds a `for` statement other than a `for name in range(...)` loop' }]
    },
    {
      name: 'refused: a range loop under the tape appending to a list from before the tape (JAX would keep traced values in it)',
      code: LOOP + 'outputs = []\nloss = 0\nwith tf.GradientTape() as tape:\n    for t in range(3):\n        pred = model(x)\n        outputs.append(pred)\n        loss += keras.ops.mean(pred)\ngrads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 7, column: 6, message: 'No fix: the loop in the tape\'s body adds to `outputs`, a list from before the tape' }]
    },
    {
      name: 'refused: a while loop under the tape',
      code: LOOP + 'loss = 0\nwith tf.GradientTape() as tape:\n    while loss < 3:\n        loss += keras.ops.mean(model(x))\ngrads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 6, column: 6, message: 'No fix: the tape\'s body holds a `while` statement' }]
    },
    {
      name: 'refused: a statement between the tape and its gradient rebinds the loss',
      code: LOOP + 'dec = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\nloss = 0\nwith tf.GradientTape() as tape:\n    for t in range(3):\n        loss += keras.ops.mean(dec(model(x)))\nloss = loss / 3\nvariables = model.trainable_variables + dec.trainable_variables\ngrads = tape.gradient(loss, variables)\noptimizer.apply_gradients(zip(grads, variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 7, column: 6, message: 'No fix: a statement between the tape and its gradient binds `loss`, which the gradient reads' }]
    },
    {
      // examples/runnable/reptile_few_shot.py: Keras's own functions reached through `from tensorflow import keras`
      // are no TF ops to convert; this fixed loop runs on TensorFlow, JAX and PyTorch.
      name: 'tf.keras functions in the tape body are Keras code: the fix is written',
      code: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\noptimizer = keras.optimizers.SGD(0.1)\nx = np.ones((4, 3), \"float32\")\ny = np.ones((4, 2), \"float32\")\nfor step in range(2):\n    with tf.GradientTape() as tape:\n        preds = model(x)\n        loss = keras.losses.binary_crossentropy(y, keras.activations.sigmoid(preds))\n    grads = tape.gradient(loss, model.trainable_weights)\n    optimizer.apply_gradients(zip(grads, model.trainable_weights))\nprint(\"ok\")\n",
      errors: [{ line: 10, column: 10 }],
      fixOptions: { unsafe: true },
      output: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\noptimizer = keras.optimizers.SGD(0.1)\nx = np.ones((4, 3), \"float32\")\ny = np.ones((4, 2), \"float32\")\nfor step in range(2):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(model.trainable_weights, values)), collect_losses=True) as scope:\n                preds = model(x)\n                loss = keras.losses.binary_crossentropy(y, keras.activations.sigmoid(preds))\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in model.non_trainable_variables])\n\n        if not model.built:\n            loss_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n        grads, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in model.trainable_weights])\n        for v, value in zip(model.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        preds = model(x)\n        loss = keras.losses.binary_crossentropy(y, keras.activations.sigmoid(preds))\n        grads = torch.autograd.grad(loss, [v.value for v in model.trainable_weights], grad_outputs=torch.ones_like(loss), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n    else:\n        with tf.GradientTape() as tape:\n            preds = model(x)\n            loss = keras.losses.binary_crossentropy(y, keras.activations.sigmoid(preds))\n        grads = tape.gradient(loss, model.trainable_weights)\n    optimizer.apply_gradients(zip(grads, model.trainable_weights))\nprint(\"ok\")\n"
    },
    {
      name: 'a @tf.function step (keras.io training loop from scratch): per-backend gradients, TF ops converted on JAX/PyTorch, @tf.function kept on TensorFlow only on it, dropped from a test_step calling the model',
      code: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n@tf.function\ndef train_step(x, y):\n    with tf.GradientTape() as tape:\n        pred = model(x, training=True)\n        loss = tf.reduce_mean(tf.square(y - pred))\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n    return loss\n@tf.function\ndef test_step(x):\n    return model(x, training=False)\n',
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))\ndef train_step(x, y):\n    if keras.backend.backend() == "jax":\n        import jax\n\n        # The tape\'s body as a function of the trained values (add_loss terms and updated statistics collected).\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values)), collect_losses=True) as scope:\n                pred = model(x, training=True)\n                loss = keras.ops.mean(keras.ops.square(y - pred))\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in model.non_trainable_variables])\n\n        x, y = (keras.ops.convert_to_tensor(a) if hasattr(a, "__array__") else a for a in (x, y))\n        if not model.built:\n            loss_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n        grads, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in model.trainable_variables])\n        for v, value in zip(model.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n    elif keras.backend.backend() == "torch":\n        import torch\n\n        x, y = (keras.ops.convert_to_tensor(a) if hasattr(a, "__array__") else a for a in (x, y))\n        pred = model(x, training=True)\n        loss = keras.ops.mean(keras.ops.square(y - pred))\n        grads = torch.autograd.grad(loss, [v.value for v in model.trainable_variables], grad_outputs=torch.ones_like(loss), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n    else:\n        with tf.GradientTape() as tape:\n            pred = model(x, training=True)\n            loss = tf.reduce_mean(tf.square(y - pred))\n        grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n    return loss\ndef test_step(x):\n    return model(x, training=False)\n',
      errors: [{ line: 7, column: 10, message: 'keep this program on TensorFlow' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'refused: an episode recorded under the tape (a loop in its body, the gradient taken inside)',
      code: LOOP + 'with tf.GradientTape() as tape:\n    for t in range(3):\n        loss = keras.ops.mean(model(x))\n    grads = tape.gradient(loss, model.trainable_variables)\noptimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 5, column: 6, message: 'No fix: `tape` is used in its own body' }]
    },
    {
      name: 'refused: a module-level loop over a model bound later in the file',
      code: 'import tensorflow as tf\nimport keras\nwith tf.GradientTape() as tape:\n    loss = keras.ops.mean(net(x))\ngrads = tape.gradient(loss, net.trainable_variables)\nopt.apply_gradients(zip(grads, net.trainable_variables))\nnet = keras.Sequential([keras.layers.Dense(1)])\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 3, column: 6, message: 'No fix: `net` is bound later in the file than the tape.' }]
    },
    {
      name: 'refused: a TF call in the tape with no keras.ops conversion',
      code: LOOP + 'for x, y in data:\n    with tf.GradientTape() as tape:\n        loss = keras.ops.mean(tf.py_function(f, [model(x)], tf.float32))\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      fixOptions: { unsafe: true },
      errors: [{ line: 6, column: 10, message: 'No fix: `tf.py_function`' }]
    },
    {
      name: 'module-level loop',
      code: LOOP + 'for x, y in data:\n    with tf.GradientTape() as tape:\n        loss = keras.ops.mean((model(x) - y) ** 2)\n    grads = tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n',
      errors: [{ line: 6, column: 10, message: 'keep this program on TensorFlow' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'the subclassing guide\'s VAE loop: the model once, a loss object on (x, prediction), sum(model.losses), every variable, one optimizer: the message says compile()/fit() is that step',
      code:
        LOOP +
        'mse_loss_fn = keras.losses.MeanSquaredError()\n' +
        'for epoch in range(2):\n' +
        '    for step, x_batch in enumerate(dataset):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            reconstructed = model(x_batch)\n' +
        '            loss = mse_loss_fn(x_batch, reconstructed)\n' +
        '            loss += sum(model.losses)  # Add KLD regularization loss\n' +
        '        grads = tape.gradient(loss, model.trainable_weights)\n' +
        '        optimizer.apply_gradients(zip(grads, model.trainable_weights))\n',
      errors: [
        {
          line: 8,
          column: 14,
          message:
            "This loop is Keras's own training step: `model.compile(optimizer=optimizer, loss=mse_loss_fn)` then `model.fit(...)` with `x_batch` as both x and y (`model.fit(x_train, x_train)`, or the dataset mapped to `(x, x)`) run it on every backend (fit() adds `sum(model.losses)`, the add_loss terms, to the loss itself)"
        }
      ],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a plain train function, from-import, trainable_weights',
      code: 'from tensorflow import GradientTape\ndef step(model, opt, x, y):\n    with GradientTape(persistent=True) as tape:\n        loss = loss_fn(y, model(x))\n    g = tape.gradient(loss, model.trainable_weights)\n    opt.apply_gradients(zip(g, model.trainable_weights))\n',
      errors: [{ line: 3, column: 10 }]
    },
    {
      // The TensorFlow DCGAN / pix2pix tutorial step (examples/runnable/dcgan_tutorial_tape.py): this fixed step runs on TensorFlow, JAX and PyTorch.
      name: 'two tapes in one with-statement (a GAN step): one finding, on the first tape; a JAX loss function per gradient, torch.autograd.grad per loss, both models\' statistics written back',
      code: "import tensorflow as tf\nimport keras\ngen = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4)])\ndisc = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\ng_opt = keras.optimizers.Adam()\nd_opt = keras.optimizers.Adam()\n@tf.function\ndef train_step(images):\n    noise = tf.random.normal([8, 2])\n    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n        fake = disc(gen(noise, training=True), training=True)\n        real = disc(images, training=True)\n        gen_loss = -tf.reduce_mean(fake)\n        disc_loss = tf.reduce_mean(fake) - tf.reduce_mean(real)\n    g_grads = gen_tape.gradient(gen_loss, gen.trainable_variables)\n    d_grads = disc_tape.gradient(disc_loss, disc.trainable_variables)\n    g_opt.apply_gradients(zip(g_grads, gen.trainable_variables))\n    d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))\n    return disc_loss\n",
      errors: [{ line: 10, column: 10, message: 'keep this program on TensorFlow' }],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\ngen = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4)])\ndisc = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\ng_opt = keras.optimizers.Adam()\nd_opt = keras.optimizers.Adam()\n@(tf.function if keras.backend.backend() == \"tensorflow\" else (lambda f: f))\ndef train_step(images):\n    noise = tf.random.normal([8, 2])\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tapes' body as a function of one model's trained values, the other models' values held constant\n        # (add_loss terms and updated statistics collected); `index` picks the loss differentiated.\n        def tape_fn(values, variables, index):\n            with keras.StatelessScope(state_mapping=list(zip(variables, values)), collect_losses=True) as scope:\n                fake = disc(gen(noise, training=True), training=True)\n                real = disc(images, training=True)\n                gen_loss = -keras.ops.mean(fake)\n                disc_loss = keras.ops.mean(fake) - keras.ops.mean(real)\n            return keras.ops.sum((gen_loss, disc_loss)[index]), (gen_loss, disc_loss, [scope.get_current_value(v) for v in gen.non_trainable_variables + disc.non_trainable_variables])\n\n        images, noise = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (images, noise))\n        if not (gen.built and disc.built):\n            tape_fn([], [], 0)  # builds the models on their first call (their variables are created eagerly), updates discarded\n        g_grads, (gen_loss, disc_loss, updates) = jax.grad(tape_fn, has_aux=True)([v.value for v in gen.trainable_variables], gen.trainable_variables, 0)\n        d_grads, _ = jax.grad(tape_fn, has_aux=True)([v.value for v in disc.trainable_variables], disc.trainable_variables, 1)\n        for v, value in zip(gen.non_trainable_variables + disc.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        images, noise = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (images, noise))\n        fake = disc(gen(noise, training=True), training=True)\n        real = disc(images, training=True)\n        gen_loss = -keras.ops.mean(fake)\n        disc_loss = keras.ops.mean(fake) - keras.ops.mean(real)\n        g_grads = torch.autograd.grad(gen_loss, [v.value for v in gen.trainable_variables], grad_outputs=torch.ones_like(gen_loss), allow_unused=True, retain_graph=True)\n        d_grads = torch.autograd.grad(disc_loss, [v.value for v in disc.trainable_variables], grad_outputs=torch.ones_like(disc_loss), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        gen_loss, disc_loss = (t.detach() if isinstance(t, torch.Tensor) else t for t in (gen_loss, disc_loss))\n    else:\n        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n            fake = disc(gen(noise, training=True), training=True)\n            real = disc(images, training=True)\n            gen_loss = -tf.reduce_mean(fake)\n            disc_loss = tf.reduce_mean(fake) - tf.reduce_mean(real)\n        g_grads = gen_tape.gradient(gen_loss, gen.trainable_variables)\n        d_grads = disc_tape.gradient(disc_loss, disc.trainable_variables)\n    g_opt.apply_gradients(zip(g_grads, gen.trainable_variables))\n    d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))\n    return disc_loss\n"
    },
    {
      name: 'refused: a tape of the with-statement whose gradient is not taken right after it',
      code: LOOP + '@tf.function\ndef train_step(x):\n    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n        loss = keras.ops.mean(model(x))\n    g = gen_tape.gradient(loss, model.trainable_variables)\n    optimizer.apply_gradients(zip(g, model.trainable_variables))\n',
      errors: [{ line: 7, column: 10, message: 'No fix: `disc_tape` is used other than in `grads = disc_tape.gradient(loss, model.trainable_variables)` right after the tape' }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'refused: a tape that is not persistent, used for two gradients',
      code: LOOP + 'with tf.GradientTape() as tape:\n    a = keras.ops.mean(model(x))\n    b = keras.ops.mean(model(x) ** 2)\nga = tape.gradient(a, model.trainable_variables)\ngb = tape.gradient(b, model.trainable_variables)\noptimizer.apply_gradients(zip(ga, model.trainable_variables))\n',
      errors: [{ line: 5, column: 6, message: 'No fix: `tape` is used other than in' }],
      fixOptions: { unsafe: true }
    },
    {
      // The CycleGAN tutorial's shape: one persistent tape, a gradient per model.
      name: 'a persistent tape with a gradient per model: the same per-gradient rewrite',
      code: LOOP + 'disc = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\nwith tf.GradientTape(persistent=True) as tape:\n    g_loss = keras.ops.mean(disc(model(x)))\n    d_loss = -g_loss\ngg = tape.gradient(g_loss, model.trainable_variables)\ndg = tape.gradient(d_loss, disc.trainable_variables)\noptimizer.apply_gradients(zip(gg, model.trainable_variables))\n',
      errors: [{ line: 6, column: 6 }],
      fixOptions: { unsafe: true },
      output: PERSISTENT_OUT
    },
    {
      // examples/runnable/custom_training_walkthrough.py: fixed, it runs on TensorFlow, JAX and PyTorch.
      name: 'a plain function returning the tape\'s gradient, applied by the loop (TF custom-training walkthrough): each backend branch returns it, `.numpy()` on what the calls bind converted',
      code: "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(3)])\nloss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)\noptimizer = tf.keras.optimizers.SGD(learning_rate=0.01)\n\ndef grad(model, inputs, targets):\n    with tf.GradientTape() as tape:\n        loss_value = loss_object(targets, model(inputs, training=True))\n    return loss_value, tape.gradient(loss_value, model.trainable_variables)\n\nfor x, y in dataset:\n    loss_value, grads = grad(model, x, y)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n    print(loss_value.numpy())\n",
      errors: [{ line: 7, column: 10, message: 'converting what it returns for its callers' }],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(3)])\nloss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)\noptimizer = tf.keras.optimizers.SGD(learning_rate=0.01)\n\ndef grad(model, inputs, targets):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n        def loss_value_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values)), collect_losses=True) as scope:\n                loss_value = loss_object(targets, model(inputs, training=True))\n            return keras.ops.sum(loss_value), (loss_value, [scope.get_current_value(v) for v in model.non_trainable_variables])\n\n        inputs, targets = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (inputs, targets))\n        if not model.built:\n            loss_value_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n        grads, (loss_value, updates) = jax.grad(loss_value_fn, has_aux=True)([v.value for v in model.trainable_variables])\n        for v, value in zip(model.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n        return loss_value, grads\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        inputs, targets = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (inputs, targets))\n        loss_value = loss_object(targets, model(inputs, training=True))\n        grads = torch.autograd.grad(loss_value, [v.value for v in model.trainable_variables], grad_outputs=torch.ones_like(loss_value), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss_value, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss_value,))\n        return loss_value, grads\n    else:\n        with tf.GradientTape() as tape:\n            loss_value = loss_object(targets, model(inputs, training=True))\n        return loss_value, tape.gradient(loss_value, model.trainable_variables)\n\nfor x, y in dataset:\n    loss_value, grads = grad(model, x, y)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n    print(keras.ops.convert_to_numpy(loss_value))\n"
    },
    {
      name: 'a plain function binding the gradient, then returning it with the loss: the tape and gradient rewritten, the return kept',
      code: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n\ndef compute_grads(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean(tf.square(y - model(x)))\n    grads = tape.gradient(loss, model.trainable_variables)\n    return loss, grads\n\nfor x, y in data:\n    loss, grads = compute_grads(x, y)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n",
      errors: [{ line: 7, column: 10 }],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n\ndef compute_grads(x, y):\n    if keras.backend.backend() == \"jax\":\n        import jax\n\n        # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values)), collect_losses=True) as scope:\n                loss = keras.ops.mean(keras.ops.square(y - model(x)))\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in model.non_trainable_variables])\n\n        x, y = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (x, y))\n        if not model.built:\n            loss_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n        grads, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in model.trainable_variables])\n        for v, value in zip(model.non_trainable_variables, updates):\n            if value is not None:\n                v.assign(value)\n    elif keras.backend.backend() == \"torch\":\n        import torch\n\n        x, y = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (x, y))\n        loss = keras.ops.mean(keras.ops.square(y - model(x)))\n        grads = torch.autograd.grad(loss, [v.value for v in model.trainable_variables], grad_outputs=torch.ones_like(loss), allow_unused=True)\n        # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n        loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n    else:\n        with tf.GradientTape() as tape:\n            loss = tf.reduce_mean(tf.square(y - model(x)))\n        grads = tape.gradient(loss, model.trainable_variables)\n    return loss, grads\n\nfor x, y in data:\n    loss, grads = compute_grads(x, y)\n    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
    },
    {
      name: 'a return taking two gradients from one tape that is not persistent: flagged, no fix',
      code: "import tensorflow as tf\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\noptimizer = keras.optimizers.Adam()\n\ndef grads_of(x):\n    with tf.GradientTape() as tape:\n        a = keras.ops.mean(model(x))\n        b = -a\n    return tape.gradient(a, model.trainable_variables), tape.gradient(b, model.trainable_variables)\n\nga, gb = grads_of(x)\noptimizer.apply_gradients(zip(ga, model.trainable_variables))\n",
      errors: [{ line: 7, column: 10, message: 'No fix: `tape` is used other than in' }],
      fixOptions: { unsafe: true }
    }
  ]
});

test('KM175 names compile()/fit() only for a loop that is Keras\'s own step', async () => {
  const analyzer = await getAnalyzer();
  const head = 'import tensorflow as tf\nimport keras\n';
  const loop = (tape: string, vars = 'model.trainable_variables'): string =>
    head + `for x, y in data:\n    with tf.GradientTape() as tape:\n${tape}    grads = tape.gradient(loss, ${vars})\n    opt.apply_gradients(zip(grads, ${vars}))\n`;
  const message = (text: string): string => analyzer.analyzeFile(text).find(f => f.rule === 'KM175')!.message;
  // The forward pass inside the loss call (keras.io "Writing a training loop from scratch").
  expect(message(loop('        loss = loss_fn(y, model(x, training=True))\n'))).toContain('`model.compile(optimizer=opt, loss=loss_fn)` then `model.fit(...)` on batches of (`x`, `y`)');
  // Look-alikes: a penalty besides the loss object, the model called twice, a part of the model trained.
  expect(message(loop('        pred = model(x)\n        loss = loss_fn(y, pred) + 0.1 * tf.reduce_sum(pred)\n'))).not.toContain('compile(');
  expect(message(loop('        pred = model(x)\n        loss = loss_fn(y, pred)\n        loss += loss_fn(y, model(x * 2))\n'))).not.toContain('compile(');
  expect(analyzer.analyzeFile(loop('        pred = model(x)\n        loss = loss_fn(y, pred)\n', 'model.encoder.trainable_variables')).find(f => f.rule === 'KM175')?.message ?? '').not.toContain('compile(');
});
