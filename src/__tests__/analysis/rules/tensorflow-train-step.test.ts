import { getAnalyzer } from '../helpers';
import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

/** The train_step of the Keras 2 guide "Customizing what happens in fit()": Keras's default step. */
const DEFAULT_STEP =
  '    def train_step(self, data):\n' +
  '        x, y = data\n' +
  '        with tf.GradientTape() as tape:\n' +
  '            y_pred = self(x, training=True)\n' +
  '            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)\n' +
  '        trainable_vars = self.trainable_variables\n' +
  '        gradients = tape.gradient(loss, trainable_vars)\n' +
  '        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n' +
  '        self.compiled_metrics.update_state(y, y_pred)\n' +
  '        return {m.name: m.result() for m in self.metrics}\n';

const DEFAULT_TEST_STEP =
  '    def test_step(self, data):\n' +
  '        x, y = data\n' +
  '        y_pred = self(x, training=False)\n' +
  '        self.compiled_loss(y, y_pred, regularization_losses=self.losses)\n' +
  '        self.compiled_metrics.update_state(y, y_pred)\n' +
  '        return {m.name: m.result() for m in self.metrics}\n';

const GAN_STEP =
  'class GAN(keras.Model):\n' +
  '    def train_step(self, real):\n' +
  '        noise = tf.random.normal((8, 4))\n' +
  '        with tf.GradientTape() as tape:\n' +
  '            d_loss = self.loss_fn(self.discriminator(real), self.discriminator(self.generator(noise)))\n' +
  '        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n' +
  '        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n' +
  '        return {"d_loss": d_loss}\n';

/** Knowledge distillation as Keras 2 tutorials wrote it: the step trains the student only. */
const DISTILLER =
  HEAD +
  'class Distiller(keras.Model):\n' +
  '    def __init__(self, student, teacher):\n' +
  '        super().__init__()\n' +
  '        self.teacher = teacher\n' +
  '        self.student = student\n' +
  '    def train_step(self, data):\n' +
  '        x, y = data\n' +
  '        teacher_logits = self.teacher(x, training=False)\n' +
  '        with tf.GradientTape() as tape:\n' +
  '            student_logits = self.student(x, training=True)\n' +
  '            loss = self.loss_fn(y, student_logits) + self.kl(teacher_logits, student_logits)\n' +
  '        trainable_vars = self.student.trainable_variables\n' +
  '        gradients = tape.gradient(loss, trainable_vars)\n' +
  '        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n' +
  '        self.compiled_metrics.update_state(y, student_logits)\n' +
  '        results = {m.name: m.result() for m in self.metrics}\n' +
  '        results.update({"student_loss": loss})\n' +
  '        return results\n' +
  '    def test_step(self, data):\n' +
  '        x, y = data\n' +
  '        y_prediction = self.student(x, training=False)\n' +
  '        student_loss = self.loss_fn(y, y_prediction)\n' +
  '        self.compiled_metrics.update_state(y, y_prediction)\n' +
  '        results = {m.name: m.result() for m in self.metrics}\n' +
  '        results.update({"student_loss": student_loss})\n' +
  '        return results\n';

const TRAINER = (callBody: string): string =>
  HEAD +
  'class MyTrainer(keras.Model):\n' +
  '    def __init__(self, model):\n' +
  '        super().__init__()\n' +
  '        self.model = model\n' +
  '        self.loss_fn = keras.losses.SparseCategoricalCrossentropy()\n' +
  '        self.accuracy_metric = keras.metrics.SparseCategoricalAccuracy()\n' +
  '\n' +
  '    @property\n' +
  '    def metrics(self):\n' +
  '        return [self.accuracy_metric]\n' +
  '\n' +
  '    def train_step(self, data):\n' +
  '        x, y = data\n' +
  '        with tf.GradientTape() as tape:\n' +
  '            y_pred = self.model(x, training=True)\n' +
  '            loss = self.loss_fn(y, y_pred)\n' +
  '        trainable_vars = self.trainable_variables\n' +
  '        gradients = tape.gradient(loss, trainable_vars)\n' +
  '        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n' +
  '        for metric in self.metrics:\n' +
  '            metric.update_state(y, y_pred)\n' +
  '        return {m.name: m.result() for m in self.metrics}\n' +
  '\n' +
  '    def test_step(self, data):\n' +
  '        x, y = data\n' +
  '        y_pred = self.model(x, training=False)\n' +
  '        for metric in self.metrics:\n' +
  '            metric.update_state(y, y_pred)\n' +
  '        return {m.name: m.result() for m in self.metrics}\n' +
  '\n' +
  '    def call(self, x):\n' +
  callBody;

ruleTester('tensorflow-train-step', {
  valid: [
    { code: HEAD + 'class M(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.mean(keras.ops.square(y - y_pred))\n' },
    { name: 'target tensorflow drops the section', code: HEAD + 'class M(keras.Model):\n    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            pass\n', options: { target: 'tensorflow' } },
    { name: 'a GradientTape outside Keras classes is not a train step', code: HEAD + 'def step(x):\n    with tf.GradientTape() as tape:\n        y = x * x\n    return tape.gradient(y, x)\n' }
  ],
  invalid: [
    {
      // The fixed program (with a driver fitting it) ran on TensorFlow, JAX and PyTorch, every weight of both parts trained.
      name: 'gradients over a list of the sub-models\' variable lists, flattened into (gradient, variable) pairs, and the loss from a helper returning `self.compiled_loss(...)`: one step per backend, the gradients nested as the list (keras.tree), the helper\'s shim becomes compute_loss()',
      code: "import keras\nimport tensorflow as tf\n\n\nclass TwoStageClassifier(keras.Model):\n    def __init__(self, encoder, head):\n        super().__init__()\n        self.encoder = encoder\n        self.head = head\n\n    def _loss_and_logits(self, batch):\n        features, targets = batch\n        logits = self.head(self.encoder(features))\n        return self.compiled_loss(targets, logits), logits\n\n    def train_step(self, batch):\n        with tf.GradientTape() as tape:\n            loss, logits = self._loss_and_logits(batch)\n        parts = [self.encoder.trainable_variables, self.head.trainable_variables]\n        grads = tape.gradient(loss, parts)\n        pairs = []\n        for part_grads, part_vars in zip(grads, parts):\n            for g, v in zip(part_grads, part_vars):\n                pairs.append((g, v))\n        self.optimizer.apply_gradients(pairs)\n        _, targets = batch\n        self.compiled_metrics.update_state(targets, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def call(self, features):\n        return self.head(self.encoder(features))\n",
      errors: [{ line: 17, column: 14 }, { line: 25, column: 9 }, { line: 27, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\n\nclass TwoStageClassifier(keras.Model):\n    def __init__(self, encoder, head):\n        super().__init__()\n        self.encoder = encoder\n        self.head = head\n\n    def _loss_and_logits(self, batch):\n        features, targets = batch\n        logits = self.head(self.encoder(features))\n        return self.compute_loss(None, targets, logits), logits\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, batch):\n        with tf.GradientTape() as tape:\n            loss, logits = self._loss_and_logits(batch)\n        parts = [self.encoder.trainable_variables, self.head.trainable_variables]\n        grads = tape.gradient(loss, parts)\n        pairs = []\n        for part_grads, part_vars in zip(grads, parts):\n            for g, v in zip(part_grads, part_vars):\n                pairs.append((g, v))\n        self.optimizer.apply_gradients(pairs)\n        _, targets = batch\n        self.compute_metrics(None, targets, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, batch):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        batch = keras.tree.lists_to_tuples(batch)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            with torch.enable_grad():\n                loss, logits = self._loss_and_logits(batch)\n            parts = [self.encoder.trainable_variables, self.head.trainable_variables]\n            grads = keras.tree.pack_sequence_as([self.encoder.trainable_variables, self.head.trainable_variables], torch.autograd.grad(loss, [v.value for v in keras.tree.flatten([self.encoder.trainable_variables, self.head.trainable_variables])], grad_outputs=torch.ones_like(loss), allow_unused=True))\n            pairs = []\n            for part_grads, part_vars in zip(grads, parts):\n                for g, v in zip(part_grads, part_vars):\n                    pairs.append((g, v))\n            self.optimizer.apply_gradients(pairs)\n            _, targets = batch\n            self.compute_metrics(None, targets, logits)\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, batch):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for _v, value in zip(variables, values):\n                _v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        batch = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, batch))\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                loss, logits = self._loss_and_logits(batch)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(keras.tree.flatten([self.encoder.trainable_variables, self.head.trainable_variables]), values))) as scope:\n                loss, logits = self._loss_and_logits(batch)\n            return keras.ops.sum(loss), (loss, logits, [scope.get_current_value(v) for v in stateful])\n\n        parts = [self.encoder.trainable_variables, self.head.trainable_variables]\n        grads, (loss, logits, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in keras.tree.flatten([self.encoder.trainable_variables, self.head.trainable_variables])])\n        grads = keras.tree.pack_sequence_as([self.encoder.trainable_variables, self.head.trainable_variables], grads)\n        for _v, value in zip(stateful, updates):\n            if value is not None:\n                _v.assign(value)\n        pairs = []\n        for part_grads, part_vars in zip(grads, parts):\n            for g, v in zip(part_grads, part_vars):\n                pairs.append((g, v))\n        self.optimizer.apply_gradients(pairs)\n        _, targets = batch\n        self.compute_metrics(None, targets, logits)\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n    def call(self, features):\n        return self.head(self.encoder(features))\n"
    },
    {
      // Ran (Keras 3.15): the fixed GAN trained on TensorFlow, JAX and PyTorch.
      name: 'a dict of losses the tape fills item by item (`losses = {}` in the tape, then `losses["real"] = ...`): the per-backend rewrite keeps the assignments',
      code: "import keras\nimport tensorflow as tf\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def train_step(self, real):\n        with tf.GradientTape() as tape:\n            losses = {}\n            losses[\"real\"] = keras.ops.mean(keras.ops.softplus(-self.discriminator(real)))\n            losses[\"fake\"] = keras.ops.mean(keras.ops.softplus(self.discriminator(self.generator(real))))\n            losses[\"total\"] = losses[\"real\"] + losses[\"fake\"]\n        grads = tape.gradient(losses[\"total\"], self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = keras.ops.mean(keras.ops.softplus(-self.discriminator(self.generator(real))))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_loss}\n",
      errors: [{ line: 17, column: 14 }, { line: 23, column: 9 }, { line: 24, column: 14 }, { line: 27, column: 9 }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def train_step(self, *args, **kwargs):\n        # Each tape trains a part of the model with its own optimizer: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, real):\n        with tf.GradientTape() as tape:\n            losses = {}\n            losses[\"real\"] = keras.ops.mean(keras.ops.softplus(-self.discriminator(real)))\n            losses[\"fake\"] = keras.ops.mean(keras.ops.softplus(self.discriminator(self.generator(real))))\n            losses[\"total\"] = losses[\"real\"] + losses[\"fake\"]\n        grads = tape.gradient(losses[\"total\"], self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = keras.ops.mean(keras.ops.softplus(-self.discriminator(self.generator(real))))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_loss}\n\n    def _torch_train_step(self, real):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(real)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            with torch.enable_grad():\n                losses = {}\n                losses[\"real\"] = keras.ops.mean(keras.ops.softplus(-self.discriminator(real)))\n                losses[\"fake\"] = keras.ops.mean(keras.ops.softplus(self.discriminator(self.generator(real))))\n                losses[\"total\"] = losses[\"real\"] + losses[\"fake\"]\n            grads = torch.autograd.grad(losses[\"total\"], [v.value for v in self.discriminator.trainable_weights], grad_outputs=torch.ones_like(losses[\"total\"]), allow_unused=True)\n            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n            with torch.enable_grad():\n                g_loss = keras.ops.mean(keras.ops.softplus(-self.discriminator(self.generator(real))))\n            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], allow_unused=True)\n            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n            return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_loss}\n\n    def _jax_train_step(self, state, real):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n        def total_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n                losses = {}\n                losses[\"real\"] = keras.ops.mean(keras.ops.softplus(-self.discriminator(real)))\n                losses[\"fake\"] = keras.ops.mean(keras.ops.softplus(self.discriminator(self.generator(real))))\n                losses[\"total\"] = losses[\"real\"] + losses[\"fake\"]\n            return keras.ops.sum(losses[\"total\"]), (losses, [scope.get_current_value(v) for v in stateful])\n\n        grads, (losses, updates) = jax.grad(total_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        def g_loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n                g_loss = keras.ops.mean(keras.ops.softplus(-self.discriminator(self.generator(real))))\n            return g_loss, [scope.get_current_value(v) for v in stateful]\n\n        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        logs = {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_loss}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: 'a dict made before the tape and filled in it: no per-backend rewrite, the message says why and how to write it',
      code: "import keras\nimport tensorflow as tf\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def train_step(self, real):\n        losses = {}\n        with tf.GradientTape() as tape:\n            losses[\"real\"] = keras.ops.mean(keras.ops.softplus(-self.discriminator(real)))\n            losses[\"fake\"] = keras.ops.mean(keras.ops.softplus(self.discriminator(self.generator(real))))\n            losses[\"total\"] = losses[\"real\"] + losses[\"fake\"]\n        grads = tape.gradient(losses[\"total\"], self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = keras.ops.mean(keras.ops.softplus(-self.discriminator(self.generator(real))))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_loss}\n",
      errors: [{ line: 18, column: 14, message: "the tape's body assigns into `losses[\"real\"]`, and `losses` is not made in the tape" }, { line: 23, column: 9 }, { line: 24, column: 14 }, { line: 27, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      // Ran (Keras 3.15): the fixed GAN trained on TensorFlow, JAX and PyTorch.
      name: "keras.io Zero-DCE's dict of losses: gradients of a loss taken by a constant key from a dict (`losses[\"total\"]`, a helper's result) or a list, on a plain and a persistent tape: the per-backend rewrite keeps the container",
      code: "import keras\nimport tensorflow as tf\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def d_losses(self, real, fake):\n        real_loss = -keras.ops.mean(self.discriminator(real))\n        fake_loss = keras.ops.mean(self.discriminator(fake))\n        return {\"total\": real_loss + fake_loss, \"real\": real_loss}\n\n    def train_step(self, real):\n        with tf.GradientTape() as tape:\n            losses = self.d_losses(real, self.generator(real))\n        grads = tape.gradient(losses[\"total\"], self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape(persistent=True) as tape:\n            g_losses = [-keras.ops.mean(self.discriminator(self.generator(real)))]\n            d_loss = keras.ops.mean(self.discriminator(self.generator(real)))\n        grads = tape.gradient(g_losses[0], self.generator.trainable_weights)\n        d_grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        self.d_optimizer.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))\n        return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_losses[0]}\n",
      errors: [{ line: 22, column: 14 }, { line: 25, column: 9 }, { line: 26, column: 14 }, { line: 31, column: 9 }, { line: 32, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def d_losses(self, real, fake):\n        real_loss = -keras.ops.mean(self.discriminator(real))\n        fake_loss = keras.ops.mean(self.discriminator(fake))\n        return {\"total\": real_loss + fake_loss, \"real\": real_loss}\n\n    def train_step(self, *args, **kwargs):\n        # Each tape trains a part of the model with its own optimizer: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, real):\n        with tf.GradientTape() as tape:\n            losses = self.d_losses(real, self.generator(real))\n        grads = tape.gradient(losses[\"total\"], self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape(persistent=True) as tape:\n            g_losses = [-keras.ops.mean(self.discriminator(self.generator(real)))]\n            d_loss = keras.ops.mean(self.discriminator(self.generator(real)))\n        grads = tape.gradient(g_losses[0], self.generator.trainable_weights)\n        d_grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        self.d_optimizer.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))\n        return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_losses[0]}\n\n    def _torch_train_step(self, real):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(real)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            with torch.enable_grad():\n                losses = self.d_losses(real, self.generator(real))\n            grads = torch.autograd.grad(losses[\"total\"], [v.value for v in self.discriminator.trainable_weights], grad_outputs=torch.ones_like(losses[\"total\"]), allow_unused=True)\n            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n            with torch.enable_grad():\n                g_losses = [-keras.ops.mean(self.discriminator(self.generator(real)))]\n                d_loss = keras.ops.mean(self.discriminator(self.generator(real)))\n            grads = torch.autograd.grad(g_losses[0], [v.value for v in self.generator.trainable_weights], grad_outputs=torch.ones_like(g_losses[0]), retain_graph=True, allow_unused=True)\n            d_grads = torch.autograd.grad(d_loss, [v.value for v in self.discriminator.trainable_weights], retain_graph=True, allow_unused=True)\n            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n            self.d_optimizer.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))\n            return {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_losses[0]}\n\n    def _jax_train_step(self, state, real):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n        def total_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n                losses = self.d_losses(real, self.generator(real))\n            return keras.ops.sum(losses[\"total\"]), (losses, [scope.get_current_value(v) for v in stateful])\n\n        grads, (losses, updates) = jax.grad(total_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        tape_variables = [self.generator.trainable_weights, self.discriminator.trainable_weights]\n\n        def tape_fn(values):\n            with keras.StatelessScope(state_mapping=[(v, x) for vs, xs in zip(tape_variables, values) for v, x in zip(vs, xs)]) as scope:\n                g_losses = [-keras.ops.mean(self.discriminator(self.generator(real)))]\n                d_loss = keras.ops.mean(self.discriminator(self.generator(real)))\n            return (g_losses[0], d_loss), (g_losses, [scope.get_current_value(v) for v in stateful])\n\n        _losses, pullback, (g_losses, updates) = jax.vjp(tape_fn, [[v.value for v in vs] for vs in tape_variables], has_aux=True)\n        d_loss = _losses[1]\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        grads = pullback(tuple(keras.ops.ones_like(l) if j == 0 else keras.ops.zeros_like(l) for j, l in enumerate(_losses)))[0][0]\n        d_grads = pullback(tuple(keras.ops.ones_like(l) if j == 1 else keras.ops.zeros_like(l) for j, l in enumerate(_losses)))[0][1]\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        self.d_optimizer.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))\n        logs = {\"d_loss\": losses[\"total\"], \"real\": losses[\"real\"], \"g_loss\": g_losses[0]}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      // examples/runnable/vit_representations_debugging.py (keras.io debugging tips): gradients printed between the tape and
      // apply_gradients() under run_eagerly=True. The fixed step (with a driver compiling run_eagerly=True) ran on all three backends.
      name: 'gradients read (printed), not rebound, between the tape and apply_gradients(): one step per backend',
      code: "import keras\nimport tensorflow as tf\n\n\nclass MyModel(keras.Model):\n    def train_step(self, data):\n        inputs, targets = data\n        with tf.GradientTape() as tape:\n            preds = self(inputs, training=True)\n            loss = self.compiled_loss(targets, preds)\n        dl_dw = tape.gradient(loss, self.trainable_variables)\n        print(\"Max of dl_dw[0]: %.4f\" % keras.ops.max(dl_dw[0]))\n        self.optimizer.apply_gradients(zip(dl_dw, self.trainable_variables))\n        self.compiled_metrics.update_state(targets, preds)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 8, column: 14 }, { line: 10, column: 20 }, { line: 13, column: 9 }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\n\nclass MyModel(keras.Model):\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        inputs, targets = data\n        with tf.GradientTape() as tape:\n            preds = self(inputs, training=True)\n            loss = self.compute_loss(None, targets, preds)\n            # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n            for metric in self.metrics:\n                if metric.name == \"loss\":\n                    metric.update_state(loss)\n        dl_dw = tape.gradient(loss, self.trainable_variables)\n        print(\"Max of dl_dw[0]: %.4f\" % keras.ops.max(dl_dw[0]))\n        self.optimizer.apply_gradients(zip(dl_dw, self.trainable_variables))\n        self.compute_metrics(None, targets, preds)\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            inputs, targets = data\n            with torch.enable_grad():\n                preds = self(inputs, training=True)\n                loss = self.compute_loss(None, targets, preds)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n            dl_dw = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            print(\"Max of dl_dw[0]: %.4f\" % keras.ops.max(dl_dw[0]))\n            self.optimizer.apply_gradients(zip(dl_dw, self.trainable_variables))\n            self.compute_metrics(None, targets, preds)\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        inputs, targets = data\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                preds = self(inputs, training=True)\n                loss = self.compute_loss(None, targets, preds)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n            return loss, (preds, [scope.get_current_value(v) for v in stateful])\n\n        (loss, (preds, updates)), dl_dw = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        print(\"Max of dl_dw[0]: %.4f\" % keras.ops.max(dl_dw[0]))\n        self.optimizer.apply_gradients(zip(dl_dw, self.trainable_variables))\n        self.compute_metrics(None, targets, preds)\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: "keras.io Dual Encoder: the model's own compute_loss(captions, images) (a loss per sample) is renamed with its calls (the train_step's, the test_step's), so the new compute_loss() neither replaces it nor calls itself, and sums its loss (ran: tensorflow, jax, torch)",
      code: "import keras\nimport tensorflow as tf\nclass DualEncoder(keras.Model):\n    def __init__(self, text_encoder, image_encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.text_encoder = text_encoder\n        self.image_encoder = image_encoder\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker]\n\n    def call(self, features):\n        return self.text_encoder(features[\"caption\"]), self.image_encoder(features[\"image\"])\n\n    def compute_loss(self, captions, images):\n        logits = keras.ops.matmul(captions, keras.ops.transpose(images))\n        targets = keras.ops.eye(keras.ops.shape(logits)[0])\n        return keras.losses.categorical_crossentropy(targets, logits, from_logits=True)\n\n    def train_step(self, features):\n        with tf.GradientTape() as tape:\n            captions, images = self(features, training=True)\n            loss = self.compute_loss(captions, images)\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result()}\n\n    def test_step(self, features):\n        captions, images = self(features, training=False)\n        self.loss_tracker.update_state(self.compute_loss(captions, images))\n        return {\"loss\": self.loss_tracker.result()}\n",
      output: "import keras\nimport tensorflow as tf\nclass DualEncoder(keras.Model):\n    def __init__(self, text_encoder, image_encoder, **kwargs):\n        super().__init__(**kwargs)\n        self.text_encoder = text_encoder\n        self.image_encoder = image_encoder\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker]\n\n    def call(self, features):\n        return self.text_encoder(features[\"caption\"]), self.image_encoder(features[\"image\"])\n\n    def _step_compute_loss(self, captions, images):\n        logits = keras.ops.matmul(captions, keras.ops.transpose(images))\n        targets = keras.ops.eye(keras.ops.shape(logits)[0])\n        return keras.losses.categorical_crossentropy(targets, logits, from_logits=True)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        features = x\n        captions, images = y_pred\n        loss = self._step_compute_loss(captions, images)\n        self.loss_tracker.update_state(loss)\n        return keras.ops.sum(loss)\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return {\"loss\": self.loss_tracker.result()}\n\n    def test_step(self, features):\n        captions, images = self(features, training=False)\n        self.loss_tracker.update_state(self._step_compute_loss(captions, images))\n        return {\"loss\": self.loss_tracker.result()}\n",
      errors: [{ line: 23, column: 14 }, { line: 27, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: "a GAN with no call() making a layer class of the cell that creates its state in __init__ and has no build() (keras.io GAN ADA's augmenter): the per-backend rewrite marks it built with the model (fit() on JAX and PyTorch would otherwise build the model by calling it); a layer class with a build() of its own stays as it is",
      code: "import keras\nimport tensorflow as tf\n\n\nclass Augmenter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.probability = keras.Variable(0.0, trainable=False)\n        self.flip = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.RandomFlip(\"horizontal\")])\n\n    def call(self, images, training=False):\n        return self.flip(images, training=training) * (1.0 - self.probability)\n\n\nclass Noise(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = self.add_weight(shape=(), initializer=\"ones\")\n\n    def call(self, x):\n        return x * self.scale\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n        self.augmenter = Augmenter()\n        self.noise = Noise()\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def train_step(self, real):\n        real = self.augmenter(real, training=True)\n        with tf.GradientTape() as tape:\n            d_loss = keras.ops.mean(self.discriminator(real)) - keras.ops.mean(self.discriminator(self.generator(real)))\n        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = -keras.ops.mean(self.discriminator(self.noise(self.generator(real))))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n",
      output: "import keras\nimport tensorflow as tf\n\n\nclass Augmenter(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.probability = keras.Variable(0.0, trainable=False)\n        self.flip = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.RandomFlip(\"horizontal\")])\n        # Its state is made in __init__: built (fit() on JAX and PyTorch builds what is not by calling the model).\n        self.built = True\n\n    def call(self, images, training=False):\n        return self.flip(images, training=training) * (1.0 - self.probability)\n\n\nclass Noise(keras.layers.Layer):\n    def build(self, input_shape):\n        self.scale = self.add_weight(shape=(), initializer=\"ones\")\n\n    def call(self, x):\n        return x * self.scale\n\n\nclass GAN(keras.Model):\n    def __init__(self, discriminator, generator):\n        super().__init__()\n        self.discriminator = discriminator\n        self.generator = generator\n        self.augmenter = Augmenter()\n        self.noise = Noise()\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def compile(self, d_optimizer, g_optimizer):\n        super().compile()\n        self.d_optimizer = d_optimizer\n        self.g_optimizer = g_optimizer\n\n    def train_step(self, *args, **kwargs):\n        # Each tape trains a part of the model with its own optimizer: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, real):\n        real = self.augmenter(real, training=True)\n        with tf.GradientTape() as tape:\n            d_loss = keras.ops.mean(self.discriminator(real)) - keras.ops.mean(self.discriminator(self.generator(real)))\n        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        with tf.GradientTape() as tape:\n            g_loss = -keras.ops.mean(self.discriminator(self.noise(self.generator(real))))\n        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n\n    def _torch_train_step(self, real):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(real)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            real = self.augmenter(real, training=True)\n            with torch.enable_grad():\n                d_loss = keras.ops.mean(self.discriminator(real)) - keras.ops.mean(self.discriminator(self.generator(real)))\n            grads = torch.autograd.grad(d_loss, [v.value for v in self.discriminator.trainable_weights], allow_unused=True)\n            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n            with torch.enable_grad():\n                g_loss = -keras.ops.mean(self.discriminator(self.noise(self.generator(real))))\n            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], allow_unused=True)\n            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n            return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n\n    def _jax_train_step(self, state, real):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n        real = self.augmenter(real, training=True)\n        def d_loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n                d_loss = keras.ops.mean(self.discriminator(real)) - keras.ops.mean(self.discriminator(self.generator(real)))\n            return d_loss, [scope.get_current_value(v) for v in stateful]\n\n        (d_loss, updates), grads = jax.value_and_grad(d_loss_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n        def g_loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n                g_loss = -keras.ops.mean(self.discriminator(self.noise(self.generator(real))))\n            return g_loss, [scope.get_current_value(v) for v in stateful]\n\n        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n        logs = {\"d_loss\": d_loss, \"g_loss\": g_loss}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n",
      errors: [{ line: 38, column: 14 }, { line: 41, column: 9 }, { line: 42, column: 14 }, { line: 45, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: "keras.io's Trainer pattern: call() hands x to the wrapped model, so `self.model(x, training=True)` is the forward pass; the `for metric in self.metrics: metric.update_state(y, y_pred)` loop goes into compute_loss() and the test_step doing the same updates goes",
      code: TRAINER('        x = self.model(x)\n        return x\n'),
      output:
        HEAD +
        'class MyTrainer(keras.Model):\n' +
        '    def __init__(self, model):\n' +
        '        super().__init__()\n' +
        '        self.model = model\n' +
        '        self.loss_fn = keras.losses.SparseCategoricalCrossentropy()\n' +
        '        self.accuracy_metric = keras.metrics.SparseCategoricalAccuracy()\n' +
        '\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [self.accuracy_metric]\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = self.loss_fn(y, y_pred)\n' +
        '        for metric in self.metrics:\n' +
        '            metric.update_state(y, y_pred)\n' +
        '        return loss\n' +
        '\n' +
        '    def call(self, x):\n' +
        '        x = self.model(x)\n' +
        '        return x\n',
      errors: [{ line: 16, column: 14 }, { line: 21, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a call() doing more than handing x to the wrapped model: `self.model(x, training=True)` in the tape is not the forward pass fit() runs: no compute_loss() rewrite, the one-optimizer per-backend step instead',
      code: TRAINER('        return self.model(x) * 2.0\n'),
      errors: [{ line: 16, column: 14, message: 'it reassigns a name compute_loss() receives' }, { line: 21, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass MyTrainer(keras.Model):\n    def __init__(self, model):\n        super().__init__()\n        self.model = model\n        self.loss_fn = keras.losses.SparseCategoricalCrossentropy()\n        self.accuracy_metric = keras.metrics.SparseCategoricalAccuracy()\n\n    @property\n    def metrics(self):\n        return [self.accuracy_metric]\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self.model(x, training=True)\n            loss = self.loss_fn(y, y_pred)\n        trainable_vars = self.trainable_variables\n        gradients = tape.gradient(loss, trainable_vars)\n        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n        for metric in self.metrics:\n            metric.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            x, y = data\n            with torch.enable_grad():\n                y_pred = self.model(x, training=True)\n                loss = self.loss_fn(y, y_pred)\n            trainable_vars = self.trainable_variables\n            gradients = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n            for metric in self.metrics:\n                metric.update_state(y, y_pred)\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        x, y = data\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                y_pred = self.model(x, training=True)\n                loss = self.loss_fn(y, y_pred)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def _loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                y_pred = self.model(x, training=True)\n                loss = self.loss_fn(y, y_pred)\n            return loss, (y_pred, [scope.get_current_value(v) for v in stateful])\n\n        trainable_vars = self.trainable_variables\n        (loss, (y_pred, updates)), gradients = jax.value_and_grad(_loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n        for metric in self.metrics:\n            metric.update_state(y, y_pred)\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self.model(x, training=False)\n        for metric in self.metrics:\n            metric.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n\n    def call(self, x):\n        return self.model(x) * 2.0\n"
    },
    {
      name: 'ELECTRA: the tape runs a helper shared with test_step (`self.compute_losses(inputs, training=True)`, test_step passes training=False) then sums its losses; the helper runs layers on what a method made of the batch, and computes a loss between two layer calls: call() is the forward pass with the helper\'s `training`, the losses move into compute_loss() (the loss between the layer calls after them), the test_step adding the same losses inline goes (ran: tensorflow, jax, torch)',
      code: "import tensorflow as tf\nimport keras\n\n\nclass Pretrainer(keras.Model):\n    def __init__(self, generator, discriminator):\n        super().__init__()\n        self.generator = generator\n        self.discriminator = discriminator\n        self.seed_generator = keras.random.SeedGenerator(1)\n        self.mlm_loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)\n        self.disc_loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n        self.mlm_tracker = keras.metrics.Mean(name=\"mlm_loss\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker, self.mlm_tracker]\n\n    def mask_tokens(self, inputs):\n        is_masked = keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator) < 0.15\n        return keras.ops.where(is_masked, 1, inputs), keras.ops.cast(is_masked, \"float32\")\n\n    def compute_losses(self, inputs, training):\n        masked_inputs, is_masked = self.mask_tokens(inputs)\n        mlm_logits = self.generator(masked_inputs, training=training)\n        per_token = self.mlm_loss_fn(inputs, mlm_logits)\n        mlm_loss = keras.ops.sum(per_token * is_masked) / (keras.ops.sum(is_masked) + 1e-6)\n        sampled = keras.ops.argmax(mlm_logits, axis=-1)\n        replaced = keras.ops.cast(keras.ops.not_equal(sampled, inputs), \"float32\")\n        disc_logits = self.discriminator(sampled, training=training)\n        disc_loss = self.disc_loss_fn(replaced, disc_logits)\n        return mlm_loss, disc_loss\n\n    def train_step(self, inputs):\n        with tf.GradientTape() as tape:\n            mlm_loss, disc_loss = self.compute_losses(inputs, training=True)\n            loss = mlm_loss + 50.0 * disc_loss\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        self.mlm_tracker.update_state(mlm_loss)\n        return {m.name: m.result() for m in self.metrics}\n\n    def test_step(self, inputs):\n        mlm_loss, disc_loss = self.compute_losses(inputs, training=False)\n        self.loss_tracker.update_state(mlm_loss + 50.0 * disc_loss)\n        self.mlm_tracker.update_state(mlm_loss)\n        return {m.name: m.result() for m in self.metrics}\n\n\nimport numpy as np\n\ntokens = np.random.randint(2, 20, size=(32, 6)).astype(\"int32\")\ngenerator = keras.Sequential([keras.Input((6,), dtype=\"int32\"), keras.layers.Embedding(20, 8), keras.layers.Dense(20)])\ndiscriminator = keras.Sequential([keras.Input((6,), dtype=\"int32\"), keras.layers.Embedding(20, 8), keras.layers.Dense(1), keras.layers.Reshape((6,))])\nmodel = Pretrainer(generator, discriminator)\nmodel.compile(optimizer=\"adam\")\nds = tf.data.Dataset.from_tensor_slices(tokens).batch(8)\nhistory = model.fit(ds, validation_data=ds, epochs=2, verbose=0)\nassert sorted(history.history) == [\"loss\", \"mlm_loss\", \"val_loss\", \"val_mlm_loss\"], history.history\n",
      errors: [{ line: 36, column: 14, message: 'it hands `inputs` whole to `self.compute_losses()`, which runs a layer on it' }, { line: 40, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import tensorflow as tf\nimport keras\n\n\ndef batch_as_x(*batch):\n    \"\"\"The whole batch as x for Keras 3's fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of Pretrainer took it.\"\"\"\n    return (batch if len(batch) > 1 else batch[0],)\n\n\nclass Pretrainer(keras.Model):\n    def __init__(self, generator, discriminator):\n        super().__init__()\n        self.generator = generator\n        self.discriminator = discriminator\n        self.seed_generator = keras.random.SeedGenerator(1)\n        self.mlm_loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)\n        self.disc_loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n        self.mlm_tracker = keras.metrics.Mean(name=\"mlm_loss\")\n\n    @property\n    def metrics(self):\n        return [self.loss_tracker, self.mlm_tracker]\n\n    def mask_tokens(self, inputs):\n        is_masked = keras.random.uniform(keras.ops.shape(inputs), seed=self.seed_generator) < 0.15\n        return keras.ops.where(is_masked, 1, inputs), keras.ops.cast(is_masked, \"float32\")\n\n    def call(self, inputs, training=False):\n        masked_inputs, is_masked = self.mask_tokens(inputs)\n        mlm_logits = self.generator(masked_inputs, training=training)\n        sampled = keras.ops.argmax(mlm_logits, axis=-1)\n        disc_logits = self.discriminator(sampled, training=training)\n        return is_masked, mlm_logits, sampled, disc_logits\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        is_masked, mlm_logits, sampled, disc_logits = y_pred\n        inputs = x\n        per_token = self.mlm_loss_fn(inputs, mlm_logits)\n        mlm_loss = keras.ops.sum(per_token * is_masked) / (keras.ops.sum(is_masked) + 1e-6)\n        replaced = keras.ops.cast(keras.ops.not_equal(sampled, inputs), \"float32\")\n        disc_loss = self.disc_loss_fn(replaced, disc_logits)\n        loss = mlm_loss + 50.0 * disc_loss\n        self.loss_tracker.update_state(loss)\n        self.mlm_tracker.update_state(mlm_loss)\n        return keras.ops.sum(loss)\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return self.get_metrics_result()\n\n\nimport numpy as np\n\ntokens = np.random.randint(2, 20, size=(32, 6)).astype(\"int32\")\ngenerator = keras.Sequential([keras.Input((6,), dtype=\"int32\"), keras.layers.Embedding(20, 8), keras.layers.Dense(20)])\ndiscriminator = keras.Sequential([keras.Input((6,), dtype=\"int32\"), keras.layers.Embedding(20, 8), keras.layers.Dense(1), keras.layers.Reshape((6,))])\nmodel = Pretrainer(generator, discriminator)\nmodel.compile(optimizer=\"adam\")\nds = tf.data.Dataset.from_tensor_slices(tokens).batch(8)\nhistory = model.fit(ds.map(batch_as_x), validation_data=ds.map(batch_as_x), epochs=2, verbose=0)\nassert sorted(history.history) == [\"loss\", \"mlm_loss\", \"val_loss\", \"val_mlm_loss\"], history.history\n"
    },
    {
      name: 'the BYOL step whose moving average assigns the online (trained) network\'s variables: no rewrite',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "class TwoViews(keras.Model):\n" +
        "    def __init__(self, online, head, target, tau):\n" +
        "        super().__init__()\n" +
        "        self.online = online\n" +
        "        self.head = head\n" +
        "        self.target = target\n" +
        "        self.tau = tau\n" +
        "        self.std_tracker = keras.metrics.Mean(name=\"std\")\n" +
        "\n" +
        "    def train_step(self, data):\n" +
        "        one, two = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            p_one = self.head(self.online(one, training=True))\n" +
        "            p_two = self.head(self.online(two, training=True))\n" +
        "            z_one = self.target(one)\n" +
        "            z_two = self.target(two)\n" +
        "            loss = tf.reduce_mean(tf.square(p_one - z_two) + tf.square(p_two - z_one))\n" +
        "        trainable = self.online.trainable_variables + self.head.trainable_variables\n" +
        "        gradients = tape.gradient(loss, trainable)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, trainable))\n" +
        "        for w, target_w in zip(self.target.weights, self.online.weights):\n" +
        "            target_w.assign(self.tau * target_w + (1 - self.tau) * w)\n" +
        "        normalized = tf.math.l2_normalize(p_one, axis=1)\n" +
        "        self.std_tracker.update_state(tf.math.reduce_std(normalized))\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoViews(keras.layers.Dense(3), keras.layers.Dense(3), keras.layers.Dense(3), 0.9)\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds, epochs=1)\n",
      errors: [{ line: 17, column: 14, message: '`target_w.assign(self.tau * target_w + (1 - self.tau) * w)` assigns variables the optimizer may also train' }, { line: 25, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'the BYOL step returning a value computed after the optimizer step that is not a metric result: no rewrite',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "class TwoViews(keras.Model):\n" +
        "    def __init__(self, online, head, target, tau):\n" +
        "        super().__init__()\n" +
        "        self.online = online\n" +
        "        self.head = head\n" +
        "        self.target = target\n" +
        "        self.tau = tau\n" +
        "        self.std_tracker = keras.metrics.Mean(name=\"std\")\n" +
        "\n" +
        "    def train_step(self, data):\n" +
        "        one, two = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            p_one = self.head(self.online(one, training=True))\n" +
        "            p_two = self.head(self.online(two, training=True))\n" +
        "            z_one = self.target(one)\n" +
        "            z_two = self.target(two)\n" +
        "            loss = tf.reduce_mean(tf.square(p_one - z_two) + tf.square(p_two - z_one))\n" +
        "        trainable = self.online.trainable_variables + self.head.trainable_variables\n" +
        "        gradients = tape.gradient(loss, trainable)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, trainable))\n" +
        "        for w, target_w in zip(self.online.weights, self.target.weights):\n" +
        "            target_w.assign(self.tau * target_w + (1 - self.tau) * w)\n" +
        "        normalized = tf.math.l2_normalize(p_one, axis=1)\n" +
        "        self.std_tracker.update_state(tf.math.reduce_std(normalized))\n" +
        "        return {\"std\": self.std_tracker.result(), \"norm\": tf.reduce_mean(normalized)}\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoViews(keras.layers.Dense(3), keras.layers.Dense(3), keras.layers.Dense(3), 0.9)\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds, epochs=1)\n",
      errors: [{ line: 17, column: 14, message: '`normalized = tf.math.l2_normalize(p_one, axis=1)` is more than a loss computation' }, { line: 25, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io FixMatch/AdaMatch: a nested batch (labelled and unlabelled datasets zipped) and a ramp read from self.optimizer.iterations: no rewrite, advice on the (x, y) mapping and the step counter JAX needs',
      code:
        HEAD +
        "class FixMatch(keras.Model):\n" +
        "    def __init__(self, model, total_steps):\n" +
        "        super().__init__()\n" +
        "        self.model = model\n" +
        "        self.total_steps = total_steps\n" +
        "\n" +
        "    def call(self, inputs, training=False):\n" +
        "        return self.model(inputs, training=training)\n" +
        "\n" +
        "    def ramp(self):\n" +
        "        return tf.cast(self.optimizer.iterations, tf.float32) / self.total_steps\n" +
        "\n" +
        "    def train_step(self, data):\n" +
        "        (x_l, y_l), (x_u_weak, x_u_strong) = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            logits_l = self.model(x_l, training=True)\n" +
        "            logits_u = self.model(x_u_strong, training=True)\n" +
        "            loss = self.compiled_loss(y_l, logits_l) + self.ramp() * tf.reduce_mean(tf.square(logits_u))\n" +
        "        gradients = tape.gradient(loss, self.model.trainable_variables)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))\n" +
        "        return {m.name: m.result() for m in self.metrics}\n",
      errors: [
        {
          line: 17,
          column: 14,
          message:
            "it unpacks a nested batch (`(x_l, y_l), (x_u_weak, x_u_strong) = data`, e.g. datasets zipped together), which Keras 3's fit() would split into x, y and sample_weight): map the dataset given to fit() so each batch is `(x, y)`"
        },
        { line: 20, column: 20 },
        { line: 22, column: 9 }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a nested batch (two datasets zipped) given to fit() in the cell: the whole batch becomes fit()\'s x (batch_as_x), call() runs the forward pass on it and the test_step\'s on plain batches, compute_loss() the loss and trackers, compute_metrics() the compiled metrics; self.optimizer.iterations read by the loss becomes a counter of the model\'s own',
      code: HEAD + "class FixMatch(keras.Model):\n    def __init__(self, model, total_steps):\n        super().__init__()\n        self.model = model\n        self.total_steps = total_steps\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def call(self, inputs, training=False):\n        return self.model(inputs, training=training)\n\n    def ramp(self):\n        return tf.cast(self.optimizer.iterations, tf.float32) / self.total_steps\n\n    def train_step(self, data):\n        (x_l, y_l), (x_u_weak, x_u_strong) = data\n        n = tf.shape(x_l)[0]\n        with tf.GradientTape() as tape:\n            logits = self.model(tf.concat([x_l, x_u_strong], 0), training=True)\n            logits_l = logits[:n]\n            loss = self.compiled_loss(y_l, logits_l) + self.ramp() * tf.reduce_mean(tf.square(logits[n:]))\n        gradients = tape.gradient(loss, self.model.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))\n        self.compiled_metrics.update_state(y_l, logits_l)\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n\n    def test_step(self, data):\n        x, y = data\n        logits = self.model(x, training=False)\n        self.compiled_metrics.update_state(y, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n\nds = tf.data.Dataset.zip((labelled, unlabelled))\nmodel = FixMatch(keras.layers.Dense(3), 10)\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[\"mae\"])\nmodel.fit(ds, epochs=1)\nmodel.evaluate(test_ds)\n",
      output: HEAD + "def batch_as_x(*batch):\n    \"\"\"The whole batch as x for Keras 3's fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of FixMatch took it.\"\"\"\n    return (batch if len(batch) > 1 else batch[0],)\n\n\nclass FixMatch(keras.Model):\n    def __init__(self, model, total_steps):\n        super().__init__()\n        # The step count the loss reads (compute_loss() cannot read self.optimizer.iterations on JAX).\n        self.steps = keras.Variable(0, dtype=\"int64\", trainable=False, name=\"steps\")\n        self.model = model\n        self.total_steps = total_steps\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def call(self, inputs, training=False):\n        if isinstance(inputs, (tuple, list)) and len(inputs) == 2 and isinstance(inputs[0], (tuple, list)) and len(inputs[0]) == 2 and isinstance(inputs[1], (tuple, list)) and len(inputs[1]) == 2:\n            # The whole zipped batch (batch_as_x() makes it fit()'s x): the train_step's forward pass.\n            data = inputs\n            (x_l, y_l), (x_u_weak, x_u_strong) = data\n            n = tf.shape(x_l)[0]\n            logits = self.model(tf.concat([x_l, x_u_strong], 0), training=training)\n            logits_l = logits[:n]\n            return logits, logits_l\n        return self.model(inputs, training=training)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        if isinstance(x, (tuple, list)) and len(x) == 2 and isinstance(x[0], (tuple, list)) and len(x[0]) == 2 and isinstance(x[1], (tuple, list)) and len(x[1]) == 2:\n            logits, logits_l = y_pred\n            data = x\n            (x_l, y_l), (x_u_weak, x_u_strong) = data\n            n = tf.shape(x_l)[0]\n            loss = super().compute_loss(x=None, y=y_l, y_pred=logits_l) + self.ramp() * tf.reduce_mean(tf.square(logits[n:]))\n            self.loss_tracker.update_state(loss)\n            if training:\n                self.steps.assign_add(1)\n            return loss\n        # The Keras 2 test_step computed no loss.\n        return keras.ops.zeros(())\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        if isinstance(x, (tuple, list)) and len(x) == 2 and isinstance(x[0], (tuple, list)) and len(x[0]) == 2 and isinstance(x[1], (tuple, list)) and len(x[1]) == 2:\n            logits, logits_l = y_pred\n            data = x\n            (x_l, y_l), (x_u_weak, x_u_strong) = data\n            return super().compute_metrics(x, y_l, logits_l)\n        logits = y_pred\n        return super().compute_metrics(x, y, logits)\n\n    def ramp(self):\n        return tf.cast(self.steps, tf.float32) / self.total_steps\n\n\nds = tf.data.Dataset.zip((labelled, unlabelled))\nmodel = FixMatch(keras.layers.Dense(3), 10)\nmodel.compile(optimizer=\"adam\", loss=\"mse\", metrics=[\"mae\"])\nmodel.fit(ds.map(batch_as_x), epochs=1)\nmodel.evaluate(test_ds)\n",
      errors: [
        { line: 19, column: 14, message: "the step unpacks a nested batch (datasets zipped together), which Keras 3's fit() would split into x, y and sample_weight: make the whole batch fit()'s x" },
        { line: 22, column: 20 },
        { line: 24, column: 9 },
        { line: 25, column: 9 },
        { line: 32, column: 9 }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io ShiftViT: the tape only runs a helper that unpacks (images, labels), runs the forward pass and returns the compiled loss; gradients over every sub-model (a list plus a comprehension over the stages) flattened into pairs; test_step the same without training; call() the same forward pass in inference: Keras 3\'s own steps, call() the helper\'s forward pass',
      code:
        HEAD +
        "class ShiftViT(keras.Model):\n" +
        "    def __init__(self, augmentation, num_stages):\n" +
        "        super().__init__()\n" +
        "        self.augmentation = augmentation\n" +
        "        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n" +
        "        self.classifier = keras.layers.Dense(3)\n" +
        "\n" +
        "    def _calculate_loss(self, data, training=False):\n" +
        "        (images, labels) = data\n" +
        "        # Augment the images\n" +
        "        augmented = self.augmentation(images, training=training)\n" +
        "        x = augmented\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=training)\n" +
        "        logits = self.classifier(x)\n" +
        "        total_loss = self.compiled_loss(labels, logits)\n" +
        "        return total_loss, labels, logits\n" +
        "\n" +
        "    def train_step(self, inputs):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            total_loss, labels, logits = self._calculate_loss(data=inputs, training=True)\n" +
        "        train_vars = [self.augmentation.trainable_variables, self.classifier.trainable_variables]\n" +
        "        train_vars = train_vars + [stage.trainable_variables for stage in self.stages]\n" +
        "        grads = tape.gradient(total_loss, train_vars)\n" +
        "        pairs = []\n" +
        "        for grad, var in zip(grads, train_vars):\n" +
        "            for g, v in zip(grad, var):\n" +
        "                pairs.append((g, v))\n" +
        "        self.optimizer.apply_gradients(pairs)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def test_step(self, data):\n" +
        "        _, labels, logits = self._calculate_loss(data=data, training=False)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def call(self, images):\n" +
        "        x = self.augmentation(images)\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=False)\n" +
        "        return self.classifier(x)\n",
      errors: [
        {
          line: 22,
          column: 14,
          message:
            "the step runs `self._calculate_loss()` (the forward pass of `images` and the compiled loss on `labels`), applies the gradient over all the model's variables and updates the compiled metrics, which is what Keras 3's own train_step and test_step do once call() is that forward pass"
        },
        { line: 31, column: 9 },
        { line: 32, column: 9 },
        { line: 37, column: 9 }
      ],
      output:
        HEAD +
        "class ShiftViT(keras.Model):\n" +
        "    def __init__(self, augmentation, num_stages):\n" +
        "        super().__init__()\n" +
        "        self.augmentation = augmentation\n" +
        "        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n" +
        "        self.classifier = keras.layers.Dense(3)\n" +
        "\n" +
        "    def call(self, images, training=False):\n" +
        "        # Augment the images\n" +
        "        augmented = self.augmentation(images, training=training)\n" +
        "        x = augmented\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=training)\n" +
        "        logits = self.classifier(x)\n" +
        "        return logits\n",
      fixOptions: { unsafe: true }
    },
    {
      name: 'look-alike: the same ShiftViT step, but call() (what predict() runs) returns probabilities, not the helper\'s logits: no compute_loss() rewrite (the message says why), the one-optimizer per-backend step instead',
      code:
        HEAD +
        "class ShiftViT(keras.Model):\n" +
        "    def __init__(self, augmentation, num_stages):\n" +
        "        super().__init__()\n" +
        "        self.augmentation = augmentation\n" +
        "        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n" +
        "        self.classifier = keras.layers.Dense(3)\n" +
        "\n" +
        "    def _calculate_loss(self, data, training=False):\n" +
        "        (images, labels) = data\n" +
        "        # Augment the images\n" +
        "        augmented = self.augmentation(images, training=training)\n" +
        "        x = augmented\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=training)\n" +
        "        logits = self.classifier(x)\n" +
        "        total_loss = self.compiled_loss(labels, logits)\n" +
        "        return total_loss, labels, logits\n" +
        "\n" +
        "    def train_step(self, inputs):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            total_loss, labels, logits = self._calculate_loss(data=inputs, training=True)\n" +
        "        train_vars = [self.augmentation.trainable_variables, self.classifier.trainable_variables]\n" +
        "        train_vars = train_vars + [stage.trainable_variables for stage in self.stages]\n" +
        "        grads = tape.gradient(total_loss, train_vars)\n" +
        "        pairs = []\n" +
        "        for grad, var in zip(grads, train_vars):\n" +
        "            for g, v in zip(grad, var):\n" +
        "                pairs.append((g, v))\n" +
        "        self.optimizer.apply_gradients(pairs)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def test_step(self, data):\n" +
        "        _, labels, logits = self._calculate_loss(data=data, training=False)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def call(self, images):\n" +
        "        x = self.augmentation(images)\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=False)\n" +
        "        return keras.ops.softmax(self.classifier(x))\n",
      errors: [
        {
          line: 22,
          column: 14,
          message:
            "it hands `inputs` whole to `self._calculate_loss()`, which unpacks `images, labels` from it (the model's call(), which predict() runs, does not compute what `self._calculate_loss()`'s forward pass does)): `images` and `labels` are what Keras 3's fit() hands the model as x and y: make call(self, images, training=False) run the helper's forward pass (passing `training` on) and return `logits`; the loss is the compiled one (`self.compiled_loss(labels, logits)`), so Keras's own train_step and test_step compute it and the compiled metrics: delete train_step(), test_step() and `self._calculate_loss()`"
        },
        { line: 31, column: 9 },
        { line: 32, column: 9 },
        { line: 37, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass ShiftViT(keras.Model):\n    def __init__(self, augmentation, num_stages):\n        super().__init__()\n        self.augmentation = augmentation\n        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n        self.classifier = keras.layers.Dense(3)\n\n    def _calculate_loss(self, data, training=False):\n        (images, labels) = data\n        # Augment the images\n        augmented = self.augmentation(images, training=training)\n        x = augmented\n        for stage in self.stages:\n            x = stage(x, training=training)\n        logits = self.classifier(x)\n        total_loss = self.compiled_loss(labels, logits)\n        return total_loss, labels, logits\n\n    def train_step(self, inputs):\n        with tf.GradientTape() as tape:\n            total_loss, labels, logits = self._calculate_loss(data=inputs, training=True)\n        train_vars = [self.augmentation.trainable_variables, self.classifier.trainable_variables]\n        train_vars = train_vars + [stage.trainable_variables for stage in self.stages]\n        grads = tape.gradient(total_loss, train_vars)\n        pairs = []\n        for grad, var in zip(grads, train_vars):\n            for g, v in zip(grad, var):\n                pairs.append((g, v))\n        self.optimizer.apply_gradients(pairs)\n        self.compiled_metrics.update_state(labels, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def test_step(self, data):\n        _, labels, logits = self._calculate_loss(data=data, training=False)\n        super().compute_metrics(None, labels, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def call(self, images):\n        x = self.augmentation(images)\n        for stage in self.stages:\n            x = stage(x, training=False)\n        return keras.ops.softmax(self.classifier(x))\n"
    },
    {
      name: 'look-alike: the ShiftViT step whose helper is also called by another method: no compute_loss() rewrite, the one-optimizer per-backend step instead',
      code:
        HEAD +
        "class ShiftViT(keras.Model):\n" +
        "    def __init__(self, augmentation, num_stages):\n" +
        "        super().__init__()\n" +
        "        self.augmentation = augmentation\n" +
        "        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n" +
        "        self.classifier = keras.layers.Dense(3)\n" +
        "\n" +
        "    def _calculate_loss(self, data, training=False):\n" +
        "        (images, labels) = data\n" +
        "        # Augment the images\n" +
        "        augmented = self.augmentation(images, training=training)\n" +
        "        x = augmented\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=training)\n" +
        "        logits = self.classifier(x)\n" +
        "        total_loss = self.compiled_loss(labels, logits)\n" +
        "        return total_loss, labels, logits\n" +
        "\n" +
        "    def train_step(self, inputs):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            total_loss, labels, logits = self._calculate_loss(data=inputs, training=True)\n" +
        "        train_vars = [self.augmentation.trainable_variables, self.classifier.trainable_variables]\n" +
        "        train_vars = train_vars + [stage.trainable_variables for stage in self.stages]\n" +
        "        grads = tape.gradient(total_loss, train_vars)\n" +
        "        pairs = []\n" +
        "        for grad, var in zip(grads, train_vars):\n" +
        "            for g, v in zip(grad, var):\n" +
        "                pairs.append((g, v))\n" +
        "        self.optimizer.apply_gradients(pairs)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def test_step(self, data):\n" +
        "        _, labels, logits = self._calculate_loss(data=data, training=False)\n" +
        "        self.compiled_metrics.update_state(labels, logits)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "    def call(self, images):\n" +
        "        x = self.augmentation(images)\n" +
        "        for stage in self.stages:\n" +
        "            x = stage(x, training=False)\n" +
        "        return self.classifier(x)\n" +
        "\n" +
        "    def score(self, data):\n" +
        "        return self._calculate_loss(data)[0]\n",
      errors: [
        { line: 22, column: 14, message: "(`self._calculate_loss()` is called outside the steps too)" },
        { line: 31, column: 9 },
        { line: 32, column: 9 },
        { line: 37, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass ShiftViT(keras.Model):\n    def __init__(self, augmentation, num_stages):\n        super().__init__()\n        self.augmentation = augmentation\n        self.stages = [keras.layers.Dense(4) for _ in range(num_stages)]\n        self.classifier = keras.layers.Dense(3)\n\n    def _calculate_loss(self, data, training=False):\n        (images, labels) = data\n        # Augment the images\n        augmented = self.augmentation(images, training=training)\n        x = augmented\n        for stage in self.stages:\n            x = stage(x, training=training)\n        logits = self.classifier(x)\n        total_loss = self.compiled_loss(labels, logits)\n        return total_loss, labels, logits\n\n    def train_step(self, inputs):\n        with tf.GradientTape() as tape:\n            total_loss, labels, logits = self._calculate_loss(data=inputs, training=True)\n        train_vars = [self.augmentation.trainable_variables, self.classifier.trainable_variables]\n        train_vars = train_vars + [stage.trainable_variables for stage in self.stages]\n        grads = tape.gradient(total_loss, train_vars)\n        pairs = []\n        for grad, var in zip(grads, train_vars):\n            for g, v in zip(grad, var):\n                pairs.append((g, v))\n        self.optimizer.apply_gradients(pairs)\n        self.compiled_metrics.update_state(labels, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def test_step(self, data):\n        _, labels, logits = self._calculate_loss(data=data, training=False)\n        super().compute_metrics(None, labels, logits)\n        return {m.name: m.result() for m in self.metrics}\n\n    def call(self, images):\n        x = self.augmentation(images)\n        for stage in self.stages:\n            x = stage(x, training=False)\n        return self.classifier(x)\n\n    def score(self, data):\n        return self._calculate_loss(data)[0]\n"
    },
    {
      name: 'a model without call() running each part of a pair batch through a layer of its own (no part is a target): call() runs both on the whole batch, mapped to be fit()\'s x',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "class TwoInputs(keras.Model):\n" +
        "    def __init__(self):\n" +
        "        super().__init__()\n" +
        "        self.left = keras.layers.Dense(3)\n" +
        "        self.right = keras.layers.Dense(3)\n" +
        "\n" +
        "    def train_step(self, data):\n" +
        "        a, b = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            za = self.left(a, training=True)\n" +
        "            zb = self.right(b, training=True)\n" +
        "            loss = tf.reduce_mean(tf.square(za - zb))\n" +
        "        gradients = tape.gradient(loss, self.trainable_variables)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoInputs()\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds, epochs=1)\n",
      errors: [{ line: 14, column: 14 }, { line: 19, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "def batch_as_x(*batch):\n" +
        "    \"\"\"The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of TwoInputs took it.\"\"\"\n" +
        "    return (batch if len(batch) > 1 else batch[0],)\n" +
        "\n" +
        "\n" +
        "class TwoInputs(keras.Model):\n" +
        "    def __init__(self):\n" +
        "        super().__init__()\n" +
        "        self.left = keras.layers.Dense(3)\n" +
        "        self.right = keras.layers.Dense(3)\n" +
        "\n" +
        "    def call(self, data, training=False):\n" +
        "        a, b = data\n" +
        "        za = self.left(a, training=training)\n" +
        "        zb = self.right(b, training=training)\n" +
        "        return za, zb\n" +
        "\n" +
        "    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n" +
        "        za, zb = y_pred\n" +
        "        loss = tf.reduce_mean(tf.square(za - zb))\n" +
        "        return keras.ops.sum(loss)\n" +
        "\n" +
        "    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n" +
        "        return self.get_metrics_result()\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoInputs()\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds.map(batch_as_x), epochs=1)\n"
    },
    {
      name: 'BYOL: two views through the online network and a frozen target, an EMA of the online weights into the target after the optimizer step, and a metric computed after it: the EMA runs in compute_loss() when training (the assigned value under stop_gradient), the metric input with its update',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "class TwoViews(keras.Model):\n" +
        "    def __init__(self, online, head, target, tau):\n" +
        "        super().__init__()\n" +
        "        self.online = online\n" +
        "        self.head = head\n" +
        "        self.target = target\n" +
        "        self.tau = tau\n" +
        "        self.std_tracker = keras.metrics.Mean(name=\"std\")\n" +
        "\n" +
        "    def train_step(self, data):\n" +
        "        one, two = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            p_one = self.head(self.online(one, training=True))\n" +
        "            p_two = self.head(self.online(two, training=True))\n" +
        "            z_one = self.target(one)\n" +
        "            z_two = self.target(two)\n" +
        "            loss = tf.reduce_mean(tf.square(p_one - z_two) + tf.square(p_two - z_one))\n" +
        "        trainable = self.online.trainable_variables + self.head.trainable_variables\n" +
        "        gradients = tape.gradient(loss, trainable)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, trainable))\n" +
        "        for w, target_w in zip(self.online.weights, self.target.weights):\n" +
        "            target_w.assign(self.tau * target_w + (1 - self.tau) * w)\n" +
        "        normalized = tf.math.l2_normalize(p_one, axis=1)\n" +
        "        self.std_tracker.update_state(tf.math.reduce_std(normalized))\n" +
        "        return {m.name: m.result() for m in self.metrics}\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoViews(keras.layers.Dense(3), keras.layers.Dense(3), keras.layers.Dense(3), 0.9)\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds, epochs=1)\n",
      errors: [{ line: 17, column: 14 }, { line: 25, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        "def batch_as_x(*batch):\n" +
        "    \"\"\"The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of TwoViews took it.\"\"\"\n" +
        "    return (batch if len(batch) > 1 else batch[0],)\n" +
        "\n" +
        "\n" +
        "class TwoViews(keras.Model):\n" +
        "    def __init__(self, online, head, target, tau):\n" +
        "        super().__init__()\n" +
        "        self.online = online\n" +
        "        self.head = head\n" +
        "        self.target = target\n" +
        "        self.target.trainable = False  # the Keras 2 train_step did not train it\n" +
        "        self.tau = tau\n" +
        "        self.std_tracker = keras.metrics.Mean(name=\"std\")\n" +
        "\n" +
        "    def call(self, data, training=False):\n" +
        "        one, two = data\n" +
        "        p_one = self.head(self.online(one, training=training))\n" +
        "        p_two = self.head(self.online(two, training=training))\n" +
        "        z_one = self.target(one)\n" +
        "        z_two = self.target(two)\n" +
        "        return p_one, p_two, z_one, z_two\n" +
        "\n" +
        "    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n" +
        "        p_one, p_two, z_one, z_two = y_pred\n" +
        "        loss = tf.reduce_mean(tf.square(p_one - z_two) + tf.square(p_two - z_one))\n" +
        "        normalized = tf.math.l2_normalize(p_one, axis=1)\n" +
        "        self.std_tracker.update_state(tf.math.reduce_std(normalized))\n" +
        "        if training:\n" +
        "            for w, target_w in zip(self.online.weights, self.target.weights):\n" +
        "                target_w.assign(keras.ops.stop_gradient(self.tau * target_w + (1 - self.tau) * w))\n" +
        "        return keras.ops.sum(loss)\n" +
        "\n" +
        "    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n" +
        "        return self.get_metrics_result()\n" +
        "\n" +
        "\n" +
        "ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n" +
        "model = TwoViews(keras.layers.Dense(3), keras.layers.Dense(3), keras.layers.Dense(3), 0.9)\n" +
        "model.compile(optimizer=\"adam\")\n" +
        "model.fit(ds.map(batch_as_x), epochs=1)\n"
    },
    {
      name: 'keras.io VQ-VAE trainer: sum(self.vqvae.losses) of the trained sub-model becomes sum(self.losses) in compute_loss() (the sub-model\'s own .losses is empty there on JAX)',
      code: HEAD + "class VQVAETrainer(keras.Model):\n    def __init__(self, vqvae):\n        super().__init__()\n        self.vqvae = vqvae\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n    @property\n    def metrics(self):\n        return [self.loss_tracker]\n    def train_step(self, x):\n        with tf.GradientTape() as tape:\n            reconstructions = self.vqvae(x)\n            total_loss = tf.reduce_mean((x - reconstructions) ** 2) + sum(self.vqvae.losses)\n        grads = tape.gradient(total_loss, self.vqvae.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.vqvae.trainable_variables))\n        self.loss_tracker.update_state(total_loss)\n        return {\"loss\": self.loss_tracker.result()}\n",
      errors: [{ line: 12, column: 14 }, { line: 16, column: 9 }],
      fixOptions: { unsafe: true },
      output: HEAD + "class VQVAETrainer(keras.Model):\n    def __init__(self, vqvae):\n        super().__init__()\n        self.vqvae = vqvae\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n    @property\n    def metrics(self):\n        return [self.loss_tracker]\n    def call(self, x):\n        return self.vqvae(x)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        reconstructions = y_pred\n        total_loss = tf.reduce_mean((x - reconstructions) ** 2) + sum(self.losses)\n        self.loss_tracker.update_state(total_loss)\n        return total_loss\n\n    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n        return {\"loss\": self.loss_tracker.result()}\n"
    },
    {
      code:
        HEAD +
        'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x))\n        self.optimizer.apply_gradients(zip(g, self.trainable_variables))\n',
      errors: [{ line: 6, column: 14, endColumn: 29, message: 'per backend' }, { line: 7, column: 20, endColumn: 38 }, { line: 8, column: 9 }]
    },
    {
      // examples/runnable/metric_learning_anchor_positive.py (keras.io metric learning): one optimizer, but the step runs
      // the functional model on two parts of the batch, so it cannot be a compute_loss() override. Per-backend steps;
      // fit()'s symbolic build (a call of the model on the batch's x) is skipped on JAX/PyTorch, and the TF-only
      // compiled_loss/compiled_metrics shims become compute_loss/compute_metrics there. Ran on TF, JAX and PyTorch.
      name: 'one optimizer, a functional model run on two parts of the batch: one train_step per backend, symbolic build skipped',
      code: HEAD + "class PairModel(keras.Model):\n    def train_step(self, data):\n        anchors, positives = data[0], data[1]\n        with tf.GradientTape() as tape:\n            similarities = keras.ops.matmul(self(anchors), keras.ops.transpose(self(positives)))\n            similarities /= 0.2\n            labels = keras.ops.arange(4)\n            loss = self.compiled_loss(labels, similarities)\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(labels, similarities)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 6, column: 14, message: 'per backend' }, { line: 10, column: 20 }, { line: 12, column: 9 }, { line: 13, column: 9 }],
      fixOptions: { unsafe: true },
      output: HEAD + "class PairModel(keras.Model):\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        anchors, positives = data[0], data[1]\n        with tf.GradientTape() as tape:\n            similarities = keras.ops.matmul(self(anchors), keras.ops.transpose(self(positives)))\n            similarities /= 0.2\n            labels = keras.ops.arange(4)\n            loss = self.compute_loss(None, labels, similarities)\n            # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n            for metric in self.metrics:\n                if metric.name == \"loss\":\n                    metric.update_state(loss)\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compute_metrics(None, labels, similarities)\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            anchors, positives = data[0], data[1]\n            with torch.enable_grad():\n                similarities = keras.ops.matmul(self(anchors), keras.ops.transpose(self(positives)))\n                similarities /= 0.2\n                labels = keras.ops.arange(4)\n                loss = self.compute_loss(None, labels, similarities)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n            grads = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            self.compute_metrics(None, labels, similarities)\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        anchors, positives = data[0], data[1]\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                similarities = keras.ops.matmul(self(anchors), keras.ops.transpose(self(positives)))\n                similarities /= 0.2\n                labels = keras.ops.arange(4)\n                loss = self.compute_loss(None, labels, similarities)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n            return loss, (similarities, labels, [scope.get_current_value(v) for v in stateful])\n\n        (loss, (similarities, labels, updates)), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compute_metrics(None, labels, similarities)\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      // A subclassed model with a call() is built by its first call, inside the step: on JAX the tape function would
      // differentiate no variables on the first batch, so the JAX step runs the tape's body once first, under a
      // StatelessScope, and builds the optimizer then (keras.io GAT: ran on TensorFlow, JAX and PyTorch).
      name: 'one optimizer, a model with call() of its own (unbuilt when fit() starts): the per-backend step builds it first on JAX',
      code: HEAD + "class PairModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(4)\n    def call(self, x):\n        return self.dense(x)\n    def train_step(self, data):\n        anchors, positives = data[0], data[1]\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {\"loss\": loss}\n",
      errors: [{ line: 11, column: 14, message: 'the fix writes them from the step as written' }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass PairModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(4)\n    def call(self, x):\n        return self.dense(x)\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        anchors, positives = data[0], data[1]\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {\"loss\": loss}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            anchors, positives = data[0], data[1]\n            with torch.enable_grad():\n                loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n            grads = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            return {\"loss\": loss}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        anchors, positives = data[0], data[1]\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n            return loss, [scope.get_current_value(v) for v in stateful]\n\n        (loss, updates), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        logs = {\"loss\": loss}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      // examples/runnable/adain_style_transfer.py: a loss accumulated in a loop of the tape's body from a value bound
      // before the tape (`loss = 0.0`, then `loss += ...`): on JAX the value comes into the loss function as a
      // parameter's default (the function's own name otherwise; ran on all three backends).
      name: 'one optimizer, a loss accumulated in a for/if of the tape body from a value bound before the tape: a defaulted parameter on JAX',
      code: HEAD + "\n\nclass StyleModel(keras.Model):\n    def __init__(self, encoder, decoder):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def train_step(self, data):\n        style, content = data\n        loss = 0.0\n        with tf.GradientTape() as tape:\n            out = self.decoder(self.encoder(content))\n            for a, b in zip(self.encoder(style), self.encoder(out)):\n                if a is not None:\n                    loss += keras.ops.mean((a - b) ** 2)\n        grads = tape.gradient(loss, self.decoder.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.decoder.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result()}\n",
      errors: [{ line: 15, column: 14, message: 'one train_step per backend' }, { line: 21, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\n\n\nclass StyleModel(keras.Model):\n    def __init__(self, encoder, decoder):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and all(layer.built for layer in self._flatten_layers()):\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        style, content = data\n        loss = 0.0\n        with tf.GradientTape() as tape:\n            out = self.decoder(self.encoder(content))\n            for a, b in zip(self.encoder(style), self.encoder(out)):\n                if a is not None:\n                    loss += keras.ops.mean((a - b) ** 2)\n        grads = tape.gradient(loss, self.decoder.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.decoder.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result()}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            style, content = data\n            loss = 0.0\n            with torch.enable_grad():\n                out = self.decoder(self.encoder(content))\n                for a, b in zip(self.encoder(style), self.encoder(out)):\n                    if a is not None:\n                        loss += keras.ops.mean((a - b) ** 2)\n            grads = torch.autograd.grad(loss, [v.value for v in self.decoder.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.decoder.trainable_variables))\n            self.loss_tracker.update_state(loss)\n            return {\"loss\": self.loss_tracker.result()}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        style, content = data\n        loss = 0.0\n        def loss_fn(values, loss=loss):\n            with keras.StatelessScope(state_mapping=list(zip(self.decoder.trainable_variables, values))) as scope:\n                out = self.decoder(self.encoder(content))\n                for a, b in zip(self.encoder(style), self.encoder(out)):\n                    if a is not None:\n                        loss += keras.ops.mean((a - b) ** 2)\n            return loss, [scope.get_current_value(v) for v in stateful]\n\n        if not self.optimizer.built:\n            # Parts of the model may make their variables at their first call, and this step differentiates\n            # those that exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                out = self.decoder(self.encoder(content))\n                for a, b in zip(self.encoder(style), self.encoder(out)):\n                    if a is not None:\n                        loss += keras.ops.mean((a - b) ** 2)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        (loss, updates), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.decoder.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.decoder.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        logs = {\"loss\": self.loss_tracker.result()}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: 'one optimizer, the tape body reads a name it binds that the step binds before only inside an if: advice only',
      code: HEAD + "\n\nclass StyleModel(keras.Model):\n    def __init__(self, encoder, decoder):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def train_step(self, data):\n        style, content = data\n        if style is not None:\n            loss = 0.0\n        with tf.GradientTape() as tape:\n            out = self.decoder(self.encoder(content))\n            for a, b in zip(self.encoder(style), self.encoder(out)):\n                if a is not None:\n                    loss += keras.ops.mean((a - b) ** 2)\n        grads = tape.gradient(loss, self.decoder.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.decoder.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result()}\n",
      errors: [{ line: 16, column: 14, message: 'reads `loss` before binding it again' }, { line: 22, column: 9 }]
    },
    {
      // examples/runnable/adamatch_domain_adaptation.py: a nested batch (datasets zipped together) is not taken by the
      // one-optimizer per-backend rewrite (not checked end to end), so advice only.
      // examples/runnable/adamatch_domain_adaptation.py (run on all three after fix --unsafe).
      name: 'one optimizer, a nested batch (datasets zipped together): one train_step per backend',
      code: HEAD + "class PairModel(keras.Model):\n    def train_step(self, data):\n        (anchors, _), (positives, _) = data\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {\"loss\": loss}\n",
      errors: [{ line: 6, column: 14, message: 'the fix writes them from the step as written' }, { line: 9, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass PairModel(keras.Model):\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        (anchors, _), (positives, _) = data\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {\"loss\": loss}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            (anchors, _), (positives, _) = data\n            with torch.enable_grad():\n                loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n            grads = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            return {\"loss\": loss}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        (anchors, _), (positives, _) = data\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                loss = keras.ops.mean(keras.ops.square(self(anchors) - self(positives)))\n            return loss, [scope.get_current_value(v) for v in stateful]\n\n        (loss, updates), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        logs = {\"loss\": loss}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: "Keras's default train_step and test_step go (safe: fit() does the same)",
      code: [HEAD + 'class CustomModel(keras.Model):\n' + DEFAULT_STEP + '\n' + DEFAULT_TEST_STEP, 'model = CustomModel(inputs, outputs)\n'],
      errors: [
        { cell: 0, line: 6, column: 14, message: "Keras's `fit()` does by default" },
        { cell: 0, line: 8, column: 20 },
        { cell: 0, line: 11, column: 9 },
        { cell: 0, line: 12, column: 9 },
        { cell: 0, line: 18, column: 9 },
        { cell: 0, line: 19, column: 9 }
      ],
      output: [HEAD + 'class CustomModel(keras.Model):\n    pass\n', 'model = CustomModel(inputs, outputs)\n']
    },
    {
      name: 'a default test_step beside a train_step that stays is deleted on its own',
      code: HEAD + GAN_STEP + '\n' + DEFAULT_TEST_STEP,
      errors: [
        { line: 6, column: 14, message: 'applies the gradient with `self.d_optimizer`, not with the optimizer given to compile()' },
        { line: 9, column: 9 },
        { line: 15, column: 9, message: 'compiled_loss' },
        { line: 16, column: 9 }
      ],
      output: HEAD + GAN_STEP
    },
    {
      // examples/runnable/distillation_function_matching.py (keras.io knowledge distillation recipes): compiled with
      // metrics, a train_step logging only its tracker. Keras 3 reads every compiled metric at each epoch's end
      // ("Cannot get result() since the metric has not yet been built" when no step updated them): compute_metrics()
      // runs Keras's own first. The test_step evaluates the same loss and tracker plus the compiled metrics: it goes.
      name: 'distiller compiled with metrics, train_step returning its tracker only, evaluation test_step: compute_metrics() calls super() first; test_step deleted',
      code:
        HEAD +
        "class Distiller(keras.Model):\n" +
        "    def __init__(self, student, teacher):\n" +
        "        super().__init__()\n" +
        "        self.student = student\n" +
        "        self.teacher = teacher\n" +
        "        self.loss_tracker = keras.metrics.Mean(name=\"distillation_loss\")\n" +
        "    def compile(self, optimizer, metrics, distillation_loss_fn, temperature=3):\n" +
        "        super().compile(optimizer=optimizer, metrics=metrics)\n" +
        "        self.distillation_loss_fn = distillation_loss_fn\n" +
        "        self.temperature = temperature\n" +
        "    def train_step(self, data):\n" +
        "        x, _ = data\n" +
        "        teacher_predictions = self.teacher(x, training=False)\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            student_predictions = self.student(x, training=True)\n" +
        "            distillation_loss = self.distillation_loss_fn(teacher_predictions, student_predictions)\n" +
        "        trainable_vars = self.student.trainable_variables\n" +
        "        gradients = tape.gradient(distillation_loss, trainable_vars)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n" +
        "        self.loss_tracker.update_state(distillation_loss)\n" +
        "        return {\"distillation_loss\": self.loss_tracker.result()}\n" +
        "    def test_step(self, data):\n" +
        "        x, y = data\n" +
        "        teacher_predictions = self.teacher(x, training=False)\n" +
        "        student_predictions = self.student(x, training=False)\n" +
        "        distillation_loss = self.distillation_loss_fn(teacher_predictions, student_predictions)\n" +
        "        self.loss_tracker.update_state(distillation_loss)\n" +
        "        self.compiled_metrics.update_state(y, student_predictions)\n" +
        "        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 16, column: 14, message: 'compute_loss()' }, { line: 21, column: 9 }, { line: 30, column: 9, message: 'compiled_metrics' }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        "class Distiller(keras.Model):\n" +
        "    def __init__(self, student, teacher):\n" +
        "        super().__init__()\n" +
        "        self.student = student\n" +
        "        self.teacher = teacher\n" +
        "        self.teacher.trainable = False  # the Keras 2 train_step trained self.student only\n" +
        "        self.loss_tracker = keras.metrics.Mean(name=\"distillation_loss\")\n" +
        "    def compile(self, optimizer, metrics, distillation_loss_fn, temperature=3):\n" +
        "        super().compile(optimizer=optimizer, metrics=metrics)\n" +
        "        self.distillation_loss_fn = distillation_loss_fn\n" +
        "        self.temperature = temperature\n" +
        "    def call(self, x):\n" +
        "        return self.student(x)\n" +
        "\n" +
        "    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n" +
        "        x, _ = x, y\n" +
        "        teacher_predictions = self.teacher(x, training=False)\n" +
        "        student_predictions = y_pred\n" +
        "        distillation_loss = self.distillation_loss_fn(teacher_predictions, student_predictions)\n" +
        "        self.loss_tracker.update_state(distillation_loss)\n" +
        "        return keras.ops.sum(distillation_loss)\n" +
        "\n" +
        "    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n" +
        "        return {**super().compute_metrics(x, y, y_pred, sample_weight), \"distillation_loss\": self.loss_tracker.result()}\n"
    },
    {
      // Ran on Keras 3.15: without super().compute_metrics() fit() fails on TensorFlow, JAX and PyTorch at the first
      // epoch's end ("Cannot get result() since the metric has not yet been built"); with it, it logs loss, mae, my_loss.
      name: 'an instance compiled with metrics=: compute_metrics() runs Keras\'s own first',
      code:
        HEAD +
        "class Net(keras.Model):\n" +
        "    def __init__(self):\n" +
        "        super().__init__()\n" +
        "        self.dense = keras.layers.Dense(1)\n" +
        "        self.tracker = keras.metrics.Mean(name=\"my_loss\")\n" +
        "    def call(self, x):\n" +
        "        return self.dense(x)\n" +
        "    def train_step(self, data):\n" +
        "        x, y = data\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            y_pred = self(x, training=True)\n" +
        "            loss = keras.losses.mean_squared_error(y, y_pred)\n" +
        "        gradients = tape.gradient(loss, self.trainable_weights)\n" +
        "        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n" +
        "        self.tracker.update_state(loss)\n" +
        "        return {\"my_loss\": self.tracker.result()}\n" +
        "model = Net()\n" +
        "model.compile(optimizer=\"adam\", metrics=[\"mae\"])\n",
      errors: [{ line: 12, column: 14, message: 'compute_loss()' }, { line: 16, column: 9 }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        "class Net(keras.Model):\n" +
        "    def __init__(self):\n" +
        "        super().__init__()\n" +
        "        self.dense = keras.layers.Dense(1)\n" +
        "        self.tracker = keras.metrics.Mean(name=\"my_loss\")\n" +
        "    def call(self, x):\n" +
        "        return self.dense(x)\n" +
        "    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n" +
        "        loss = keras.losses.mean_squared_error(y, y_pred)\n" +
        "        self.tracker.update_state(loss)\n" +
        "        return keras.ops.sum(loss)\n" +
        "\n" +
        "    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n" +
        "        return {**super().compute_metrics(x, y, y_pred, sample_weight), \"my_loss\": self.tracker.result()}\n" +
        "model = Net()\n" +
        "model.compile(optimizer=\"adam\", metrics=[\"mae\"])\n"
    },
    {
      name: 'custom loss and metric trackers: compute_loss() and compute_metrics() (a suggestion)',
      code:
        HEAD +
        'tracker = keras.metrics.Mean(name="loss")\n' +
        'class Net(keras.Model):\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def train_step(self, data):\n' +
        '        x, y = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            y_pred = self(x, training=True)  # forward pass\n' +
        '            loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        gradients = tape.gradient(loss, self.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n' +
        '        tracker.update_state(loss)\n' +
        '        return {"loss": tracker.result()}\n',
      errors: [{ line: 9, column: 14, message: 'compute_loss()' }, { line: 13, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'tracker = keras.metrics.Mean(name="loss")\n' +
        'class Net(keras.Model):\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        tracker.update_state(loss)\n' +
        '        return keras.ops.sum(loss)\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": tracker.result()}\n'
    },
    {
      name: 'keras.io semantic image clustering: the loss comes from a method of the model returning a per-sample keras.losses function: compute_loss() returns its sum (what the tape differentiated)',
      code:
        HEAD +
        'class Learner(keras.Model):\n' +
        '    def __init__(self, encoder):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [self.loss_tracker]\n' +
        '    def contrastive_loss(self, features, batch_size):\n' +
        '        logits = tf.linalg.matmul(features, features, transpose_b=True)\n' +
        '        targets = tf.eye(batch_size)\n' +
        '        return keras.losses.categorical_crossentropy(y_true=targets, y_pred=logits, from_logits=True)\n' +
        '    def call(self, inputs):\n' +
        '        return self.encoder(inputs)\n' +
        '    def train_step(self, inputs):\n' +
        '        batch_size = tf.shape(inputs)[0]\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            features = self(inputs, training=True)\n' +
        '            loss = self.contrastive_loss(features, batch_size)\n' +
        '        gradients = tape.gradient(loss, self.trainable_variables)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 19, column: 14, message: 'compute_loss()' }, { line: 23, column: 9 }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        'class Learner(keras.Model):\n' +
        '    def __init__(self, encoder):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [self.loss_tracker]\n' +
        '    def contrastive_loss(self, features, batch_size):\n' +
        '        logits = tf.linalg.matmul(features, features, transpose_b=True)\n' +
        '        targets = tf.eye(batch_size)\n' +
        '        return keras.losses.categorical_crossentropy(y_true=targets, y_pred=logits, from_logits=True)\n' +
        '    def call(self, inputs):\n' +
        '        return self.encoder(inputs)\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        inputs = x\n' +
        '        batch_size = tf.shape(inputs)[0]\n' +
        '        features = y_pred\n' +
        '        loss = self.contrastive_loss(features, batch_size)\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return keras.ops.sum(loss)\n'
    },
    {
      name: 'a Loss object the model makes (no reduction="none") and a reduction: known scalars, returned as they are',
      code:
        HEAD +
        'class Net(keras.Model):\n' +
        '    def __init__(self):\n' +
        '        super().__init__()\n' +
        '        self.dense = keras.layers.Dense(1)\n' +
        '        self.loss_fn = keras.losses.MeanSquaredError()\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def train_step(self, data):\n' +
        '        x, y = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            y_pred = self(x, training=True)\n' +
        '            loss = self.loss_fn(y, y_pred) + 0.1 * tf.reduce_mean(tf.abs(y_pred))\n' +
        '        gradients = tape.gradient(loss, self.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n' +
        '        return {"loss": loss}\n',
      errors: [{ line: 12, column: 14, message: 'compute_loss()' }, { line: 16, column: 9 }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        'class Net(keras.Model):\n' +
        '    def __init__(self):\n' +
        '        super().__init__()\n' +
        '        self.dense = keras.layers.Dense(1)\n' +
        '        self.loss_fn = keras.losses.MeanSquaredError()\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = self.loss_fn(y, y_pred) + 0.1 * tf.reduce_mean(tf.abs(y_pred))\n' +
        '        return loss\n'
    },
    {
      name: 'keras.io Barlow Twins: an annotated data parameter (`batch: tf.Tensor`) and return type still rewrite',
      code:
        HEAD +
        'class Net(keras.Model):\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def train_step(self, batch: tf.Tensor) -> tf.Tensor:\n' +
        '        x, y = batch\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            y_pred = self(x, training=True)\n' +
        '            loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        gradients = tape.gradient(loss, self.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n' +
        '        return {"loss": loss}\n',
      errors: [{ line: 8, column: 14, message: 'compute_loss()' }, { line: 12, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Net(keras.Model):\n' +
        '    def call(self, inputs):\n' +
        '        return self.dense(inputs)\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        return keras.ops.sum(loss)\n'
    },
    {
      name: 'keras.io BERT MLM: the guide\'s optional sample_weight unpack and a loss object with reduction NONE (summed, as the tape did)',
      code:
        HEAD +
        'loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=keras.losses.Reduction.NONE)\n' +
        'loss_tracker = keras.metrics.Mean(name="loss")\n' +
        'class MaskedLanguageModel(keras.Model):\n' +
        '    def train_step(self, inputs):\n' +
        '        if len(inputs) == 3:\n' +
        '            features, labels, sample_weight = inputs\n' +
        '        else:\n' +
        '            features, labels = inputs\n' +
        '            sample_weight = None\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            predictions = self(features, training=True)\n' +
        '            loss = loss_fn(labels, predictions, sample_weight=sample_weight)\n' +
        '        trainable_vars = self.trainable_variables\n' +
        '        gradients = tape.gradient(loss, trainable_vars)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, trainable_vars))\n' +
        '        loss_tracker.update_state(loss, sample_weight=sample_weight)\n' +
        '        return {"loss": loss_tracker.result()}\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [loss_tracker]\n',
      errors: [{ line: 12, column: 14, message: 'compute_loss()' }, { line: 17, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=keras.losses.Reduction.NONE)\n' +
        'loss_tracker = keras.metrics.Mean(name="loss")\n' +
        'class MaskedLanguageModel(keras.Model):\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        features, labels, sample_weight = x, y, sample_weight\n' +
        '        predictions = y_pred\n' +
        '        loss = loss_fn(labels, predictions, sample_weight=sample_weight)\n' +
        '        loss_tracker.update_state(loss, sample_weight=sample_weight)\n' +
        '        return keras.ops.sum(loss)\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": loss_tracker.result()}\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [loss_tracker]\n'
    },
    {
      name: 'a model without call(): the forward pass through its sublayers becomes call()',
      code:
        HEAD +
        'class AE(keras.Model):\n' +
        '    def __init__(self):\n' +
        '        super().__init__()\n' +
        '        self.encoder = keras.layers.Dense(2)\n' +
        '        self.decoder = keras.layers.Dense(4)\n' +
        '    @tf.function\n' +
        '    def train_step(self, images):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            code = self.encoder(images)\n' +
        '            rebuilt = self.decoder(code)\n' +
        '            loss = tf.reduce_mean(tf.square(images - rebuilt))\n' +
        '        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)\n' +
        '        return {"loss": loss}\n',
      errors: [{ line: 10, column: 14, message: 'compute_loss()' }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class AE(keras.Model):\n' +
        '    def __init__(self):\n' +
        '        super().__init__()\n' +
        '        self.encoder = keras.layers.Dense(2)\n' +
        '        self.decoder = keras.layers.Dense(4)\n' +
        '    def call(self, images):\n' +
        '        code = self.encoder(images)\n' +
        '        rebuilt = self.decoder(code)\n' +
        '        return code, rebuilt\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        images = x\n' +
        '        code, rebuilt = y_pred\n' +
        '        loss = tf.reduce_mean(tf.square(images - rebuilt))\n' +
        '        return loss\n'
    },
    {
      name: 'keras.io DDIM: a model without call() whose step computes its own forward pass and updates an EMA copy after the optimizer step',
      code:
        HEAD +
        'class Diffusion(keras.Model):\n' +
        '    def __init__(self, network):\n' +
        '        super().__init__()\n' +
        '        self.network = network\n' +
        '        self.ema_network = keras.models.clone_model(network)\n' +
        '    def denoise(self, noisy, training):\n' +
        '        network = self.network if training else self.ema_network\n' +
        '        return network(noisy, training=training)\n' +
        '    def train_step(self, images):\n' +
        '        noises = tf.random.normal(shape=(8, 4))\n' +
        '        noisy = images + noises\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            pred_noises = self.denoise(noisy, training=True)\n' +
        '            noise_loss = self.loss(noises, pred_noises)  # used for training\n' +
        '        gradients = tape.gradient(noise_loss, self.network.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.network.trainable_weights))\n' +
        '        self.noise_loss_tracker.update_state(noise_loss)\n' +
        '        for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):\n' +
        '            ema_weight.assign(0.99 * ema_weight + 0.01 * weight)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '    def test_step(self, images):\n' +
        '        noises = tf.random.normal(shape=(8, 4))\n' +
        '        noisy = images + noises\n' +
        '        pred_noises = self.denoise(noisy, training=False)\n' +
        '        noise_loss = self.loss(noises, pred_noises)\n' +
        '        self.noise_loss_tracker.update_state(noise_loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 14, column: 14, message: 'compute_loss()' }, { line: 18, column: 9, message: 'optimizer.apply_gradients' }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Diffusion(keras.Model):\n' +
        '    def __init__(self, network):\n' +
        '        super().__init__()\n' +
        '        self.network = network\n' +
        '        self.ema_network = keras.models.clone_model(network)\n' +
        '        self.ema_network.trainable = False  # updated by assignment, not trained\n' +
        '    def denoise(self, noisy, training):\n' +
        '        network = self.network if training else self.ema_network\n' +
        '        return network(noisy, training=training)\n' +
        '    def call(self, images, training=False):\n' +
        '        noises = tf.random.normal(shape=(8, 4))\n' +
        '        noisy = images + noises\n' +
        '        pred_noises = self.denoise(noisy, training=training)\n' +
        '        return noises, pred_noises\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        noises, pred_noises = y_pred\n' +
        '        noise_loss = self.loss(noises, pred_noises)\n' +
        '        self.noise_loss_tracker.update_state(noise_loss)\n' +
        '        if training:\n' +
        '            for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):\n' +
        '                ema_weight.assign(0.99 * ema_weight + 0.01 * weight)\n' +
        '        return keras.ops.sum(noise_loss)\n'
    },
    {
      name: 'the same step beside a test_step that evaluates differently: no rewrite (the default test_step would not do the same)',
      code:
        HEAD +
        'class Diffusion(keras.Model):\n' +
        '    def __init__(self, network):\n' +
        '        super().__init__()\n' +
        '        self.network = network\n' +
        '        self.ema_network = keras.models.clone_model(network)\n' +
        '    def denoise(self, noisy, training):\n' +
        '        network = self.network if training else self.ema_network\n' +
        '        return network(noisy, training=training)\n' +
        '    def train_step(self, images):\n' +
        '        noises = tf.random.normal(shape=(8, 4))\n' +
        '        noisy = images + noises\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            pred_noises = self.denoise(noisy, training=True)\n' +
        '            noise_loss = self.loss(noises, pred_noises)  # used for training\n' +
        '        gradients = tape.gradient(noise_loss, self.network.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.network.trainable_weights))\n' +
        '        self.noise_loss_tracker.update_state(noise_loss)\n' +
        '        for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):\n' +
        '            ema_weight.assign(0.99 * ema_weight + 0.01 * weight)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '    def test_step(self, images):\n' +
        '        pred = self.ema_network(images, training=False)\n' +
        '        self.noise_loss_tracker.update_state(self.loss(images, pred))\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 14, column: 14, message: 'its test_step does more than the train_step without training' }, { line: 18, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'distillation: the step trains the student only, so the teacher is frozen and call() is the student',
      code:
        DISTILLER,
      errors: [
        { line: 11, column: 14, message: 'only computes a loss' },
        { line: 16, column: 9 },
        { line: 17, column: 9 },
        { line: 25, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Distiller(keras.Model):\n' +
        '    def __init__(self, student, teacher):\n' +
        '        super().__init__()\n' +
        '        self.teacher = teacher\n' +
        '        self.teacher.trainable = False  # the Keras 2 train_step trained self.student only\n' +
        '        self.student = student\n' +
        '    def call(self, x):\n' +
        '        return self.student(x)\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        teacher_logits = self.teacher(x, training=False)\n' +
        '        student_logits = y_pred\n' +
        '        loss = self.loss_fn(y, student_logits) + self.kl(teacher_logits, student_logits)\n' +
        '        return keras.ops.sum(loss)\n'
    },
    {
      name: 'a sub-model step whose other sub-model contains the trained one: no rewrite (freezing it would freeze the student)',
      code:
        HEAD +
        'class Tuner(keras.Model):\n' +
        '    def __init__(self, encoder):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.probe = keras.Sequential([encoder, keras.layers.Dense(2)])\n' +
        '    def train_step(self, data):\n' +
        '        x, y = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            code = self.encoder(x)\n' +
        '            loss = tf.reduce_mean(tf.square(self.probe(x) - code))\n' +
        '        grads = tape.gradient(loss, self.encoder.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))\n' +
        '        return {"loss": loss}\n',
      errors: [{ line: 10, column: 14, message: '`self.probe` shares layers with `self.encoder`' }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a step training the sub-model that is all of a model with its own call(), the forward pass inside the loss expression: compute_loss() on y_pred',
      code:
        HEAD +
        'class Wrapper(keras.Model):\n' +
        '    def __init__(self, body):\n' +
        '        super().__init__()\n' +
        '        self.body = body\n' +
        '    def call(self, x):\n' +
        '        return self.body(x)\n' +
        '    def train_step(self, data):\n' +
        '        x, y = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            loss = tf.reduce_mean(tf.square(self(x) - y))\n' +
        '        grads = tape.gradient(loss, self.body.trainable_variables)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.body.trainable_variables))\n' +
        '        return {"loss": loss}\n',
      errors: [{ line: 11, column: 14, message: 'compute_loss()' }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Wrapper(keras.Model):\n' +
        '    def __init__(self, body):\n' +
        '        super().__init__()\n' +
        '        self.body = body\n' +
        '    def call(self, x):\n' +
        '        return self.body(x)\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = tf.reduce_mean(tf.square(y_pred - y))\n' +
        '        return loss\n'
    },
    {
      name: 'keras.io Zero-DCE: the step trains the one sub-model that holds every layer of a model with its own call(); a test_step doing the same without training goes',
      code:
        HEAD +
        'class Enhancer(keras.Model):\n' +
        '    def __init__(self, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.net = build_net()\n' +
        '    def compile(self, learning_rate, **kwargs):\n' +
        '        super().compile(**kwargs)\n' +
        '        self.optimizer = keras.optimizers.Adam(learning_rate=learning_rate)\n' +
        '        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")\n' +
        '    def call(self, data):\n' +
        '        return self.enhance(data, self.net(data))\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            output = self.net(data)\n' +
        '            losses = self.compute_losses(data, output)\n' +
        '        gradients = tape.gradient(losses["total"], self.net.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.net.trainable_weights))\n' +
        '        self.total_loss_tracker.update_state(losses["total"])\n' +
        '        return {metric.name: metric.result() for metric in self.metrics}\n' +
        '    def test_step(self, data):\n' +
        '        output = self.net(data)\n' +
        '        losses = self.compute_losses(data, output)\n' +
        '        self.total_loss_tracker.update_state(losses["total"])\n' +
        '        return {metric.name: metric.result() for metric in self.metrics}\n',
      errors: [{ line: 14, column: 14, message: 'compute_loss()' }, { line: 18, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Enhancer(keras.Model):\n' +
        '    def __init__(self, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.net = build_net()\n' +
        '    def compile(self, learning_rate, **kwargs):\n' +
        '        super().compile(**kwargs)\n' +
        '        self.optimizer = keras.optimizers.Adam(learning_rate=learning_rate)\n' +
        '        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")\n' +
        '    def call(self, data):\n' +
        '        return self.enhance(data, self.net(data))\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        data = x\n' +
        '        output = self.net(data)\n' +
        '        losses = self.compute_losses(data, output)\n' +
        '        self.total_loss_tracker.update_state(losses["total"])\n' +
        '        return keras.ops.sum(losses["total"])\n'
    },
    {
      name: 'a sub-model step on a model with its own call() and another layer attribute: no compute_loss() rewrite, the one-optimizer per-backend step instead',
      code:
        HEAD +
        'class Enhancer(keras.Model):\n' +
        '    def __init__(self, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.net = build_net()\n' +
        '        self.head = keras.layers.Dense(3)\n' +
        '    def call(self, data):\n' +
        '        return self.head(self.net(data))\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            loss = self.compute_losses(data, self.net(data))\n' +
        '        gradients = tape.gradient(loss, self.net.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.net.trainable_weights))\n' +
        '        return {metric.name: metric.result() for metric in self.metrics}\n',
      errors: [{ line: 11, column: 14, message: "the model's own call() may use other layers" }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass Enhancer(keras.Model):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.net = build_net()\n        self.head = keras.layers.Dense(3)\n    def call(self, data):\n        return self.head(self.net(data))\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        with tf.GradientTape() as tape:\n            loss = self.compute_losses(data, self.net(data))\n        gradients = tape.gradient(loss, self.net.trainable_weights)\n        self.optimizer.apply_gradients(zip(gradients, self.net.trainable_weights))\n        return {metric.name: metric.result() for metric in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            with torch.enable_grad():\n                loss = self.compute_losses(data, self.net(data))\n            gradients = torch.autograd.grad(loss, [v.value for v in self.net.trainable_weights], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            self.optimizer.apply_gradients(zip(gradients, self.net.trainable_weights))\n            return {metric.name: metric.result() for metric in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                loss = self.compute_losses(data, self.net(data))\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.net.trainable_weights, values))) as scope:\n                loss = self.compute_losses(data, self.net(data))\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in stateful])\n\n        gradients, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in self.net.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(gradients, self.net.trainable_weights))\n        logs = {metric.name: metric.result() for metric in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: 'gradient surgery changes the optimisation: the per-backend skeleton, no fix',
      code:
        HEAD +
        'class M(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x, training=True))\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        grads = [g * 0.5 for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {"loss": loss}\n',
      errors: [{ line: 6, column: 14, message: '_jax_train_step' }, { line: 7, column: 20 }, { line: 10, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: "gradients clipped by norm in Keras's default step: the optimizer's clipnorm=, set in a compile() override (unsafe)",
      code:
        HEAD +
        'class Clipped(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred)\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        grads = [tf.clip_by_norm(g, 1.0) for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 6, column: 14, message: 'it clips the gradients, which Keras 3\'s optimizer does when given `clipnorm=`' }, { line: 8, column: 20 }, { line: 11, column: 9 }, { line: 12, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Clipped(keras.Model):\n' +
        '    def compile(self, *args, **kwargs):\n' +
        '        super().compile(*args, **kwargs)\n' +
        "        # The Keras 2 train_step clipped each gradient by its norm: Keras 3's optimizer does it in fit()'s own step.\n" +
        '        self.optimizer.clipnorm = 1.0\n'
    },
    {
      name: 'gradients clipped by their global norm before a compute_loss() rewrite: global_clipnorm= beside compute_loss()',
      code:
        HEAD +
        'CLIP = 5.0\n' +
        'class Net(keras.Model):\n    def call(self, inputs):\n        return self.dense(inputs)\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        gradients = tape.gradient(loss, self.trainable_weights)\n        clipped, _ = tf.clip_by_global_norm(gradients, CLIP)\n' +
        '        self.optimizer.apply_gradients(zip(clipped, self.trainable_weights))\n        return {"loss": loss}\n',
      errors: [{ line: 9, column: 14, message: 'compute_loss()' }, { line: 14, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'CLIP = 5.0\n' +
        'class Net(keras.Model):\n    def call(self, inputs):\n        return self.dense(inputs)\n' +
        '    def compile(self, *args, **kwargs):\n' +
        '        super().compile(*args, **kwargs)\n' +
        "        # The Keras 2 train_step clipped the gradients by their global norm: Keras 3's optimizer does it in fit()'s own step.\n" +
        '        self.optimizer.global_clipnorm = CLIP\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        loss = keras.losses.mean_squared_error(y, y_pred)\n' +
        '        return keras.ops.sum(loss)\n'
    },
    {
      name: 'gradients clipped by value to [-c, c]: the optimizer\'s clipvalue=c',
      code:
        HEAD +
        'class Clipped(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred)\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        grads = [tf.clip_by_value(g, -0.5, 0.5) for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 6, column: 14, message: '`clipvalue=`' }, { line: 8, column: 20 }, { line: 11, column: 9 }, { line: 12, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Clipped(keras.Model):\n' +
        '    def compile(self, *args, **kwargs):\n' +
        '        super().compile(*args, **kwargs)\n' +
        "        # The Keras 2 train_step clipped the gradients to [-0.5, 0.5]: Keras 3's optimizer does it in fit()'s own step.\n" +
        '        self.optimizer.clipvalue = 0.5\n'
    },
    {
      name: 'gradients clipped to an uneven range: no fix (clipvalue= clips to [-c, c])',
      code:
        HEAD +
        'class Clipped(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x, training=True))\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        grads = [tf.clip_by_value(g, -0.5, 1.0) for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [{ line: 6, column: 14, message: 'is more than a loss computation' }, { line: 7, column: 20 }, { line: 10, column: 9 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io metric learning: a functional model called on two parts of the batch: no fix (its call() is the graph predict() uses); the advice says how the step was converted by hand',
      code:
        HEAD +
        'class EmbeddingModel(keras.Model):\n    def train_step(self, data):\n        anchors, positives = data[0], data[1]\n        with tf.GradientTape() as tape:\n' +
        '            a = self(anchors, training=True)\n            p = self(positives, training=True)\n            loss = self.compiled_loss(tf.range(4), tf.einsum("ae,pe->ap", a, p))\n' +
        '        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        {
          line: 6,
          column: 14,
          message:
            "(it runs `self` on several parts of the batch, and its model is functional: its call() is the graph of its inputs and outputs, which the rest of the program uses (predict(), the step's own `self(...)` calls)): Keras 3's fit() calls the model once on the x of each batch, then compute_loss(x, y, y_pred): build the model around the network as a sub-model"
        },
        { line: 9, column: 20 },
        { line: 11, column: 9 }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io speech Transformer: the step makes the model input and the targets from a dict batch (shifted targets): a function mapped over the datasets given to fit()/evaluate() makes (x, y), the loss goes to compute_loss() (a suggestion)',
      code:
        HEAD +
        'import numpy as np\n\n\n' +
        'class Seq2Seq(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_metric = keras.metrics.Mean(name="loss")\n        self.emb = keras.layers.Embedding(10, 4)\n        self.out = keras.layers.Dense(10)\n\n    def call(self, inputs):\n        return self.out(self.emb(inputs[1]) + keras.ops.mean(inputs[0], axis=1, keepdims=True))\n\n    @property\n    def metrics(self):\n        return [self.loss_metric]\n\n' +
        '    def train_step(self, batch):\n        \"\"\"One batch of fit().\"\"\"\n        source = batch["source"]\n        target = batch["target"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        with tf.GradientTape() as tape:\n            preds = self([source, dec_input])\n            mask = keras.ops.not_equal(dec_target, 0)\n            loss = self.compiled_loss(dec_target, preds, sample_weight=mask)\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_metric.update_state(loss)\n        return {"loss": self.loss_metric.result()}\n\n    def test_step(self, batch):\n        source = batch["source"]\n        target = batch["target"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        preds = self([source, dec_input])\n        mask = keras.ops.not_equal(dec_target, 0)\n        loss = self.compiled_loss(dec_target, preds, sample_weight=mask)\n        self.loss_metric.update_state(loss)\n        return {"loss": self.loss_metric.result()}\n\n\n' +
        'ds = tf.data.Dataset.from_tensor_slices({"source": np.ones((8, 5, 4), "float32"), "target": np.ones((8, 6), "int32")}).batch(4)\nval_ds = ds.take(1)\nmodel = Seq2Seq()\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n' +
        'model.fit(ds, validation_data=val_ds, epochs=1, verbose=0)\n' +
        'print(model.evaluate(val_ds, verbose=0))\n',
      errors: [{ line: 26, column: 14 }, { line: 29, column: 20 }, { line: 31, column: 9 }, { line: 42, column: 16 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n\n\n' +
        'def to_x_y(batch):\n' +
        '    """(x, y) for Keras 3\'s fit() from one batch, as the Keras 2 train_step of Seq2Seq made them (mapped over the batched tf.data datasets)."""\n' +
        '    source = batch["source"]\n' +
        '    target = batch["target"]\n' +
        '    dec_input = target[:, :-1]\n' +
        '    dec_target = target[:, 1:]\n' +
        '    return (source, dec_input), dec_target\n\n\n' +
        'class Seq2Seq(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_metric = keras.metrics.Mean(name="loss")\n        self.emb = keras.layers.Embedding(10, 4)\n        self.out = keras.layers.Dense(10)\n\n    def call(self, inputs):\n        return self.out(self.emb(inputs[1]) + keras.ops.mean(inputs[0], axis=1, keepdims=True))\n\n    @property\n    def metrics(self):\n        return [self.loss_metric]\n\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        dec_target = y\n' +
        '        preds = y_pred\n' +
        '        mask = keras.ops.not_equal(dec_target, 0)\n' +
        '        loss = super().compute_loss(x=x, y=dec_target, y_pred=preds, sample_weight=mask)\n' +
        '        self.loss_metric.update_state(loss)\n' +
        '        return loss\n\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": self.loss_metric.result()}\n\n\n' +
        'ds = tf.data.Dataset.from_tensor_slices({"source": np.ones((8, 5, 4), "float32"), "target": np.ones((8, 6), "int32")}).batch(4)\nval_ds = ds.take(1)\nmodel = Seq2Seq()\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n' +
        'model.fit(ds.map(to_x_y), validation_data=val_ds.map(to_x_y), epochs=1, verbose=0)\n' +
        'print(model.evaluate(val_ds.map(to_x_y), verbose=0))\n'
    },
    {
      name: 'the same step whose fit() gets NumPy arrays: no compute_loss() rewrite (the message says why), the one-optimizer per-backend step instead',
      code: HEAD + 'import numpy as np\n\n\n' + 'class Seq2Seq(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_metric = keras.metrics.Mean(name="loss")\n        self.emb = keras.layers.Embedding(10, 4)\n        self.out = keras.layers.Dense(10)\n\n    def call(self, inputs):\n        return self.out(self.emb(inputs[1]) + keras.ops.mean(inputs[0], axis=1, keepdims=True))\n\n    @property\n    def metrics(self):\n        return [self.loss_metric]\n\n' + '    def train_step(self, batch):\n        \"\"\"One batch of fit().\"\"\"\n        source = batch["source"]\n        target = batch["target"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        with tf.GradientTape() as tape:\n            preds = self([source, dec_input])\n            mask = keras.ops.not_equal(dec_target, 0)\n            loss = self.compiled_loss(dec_target, preds, sample_weight=mask)\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_metric.update_state(loss)\n        return {"loss": self.loss_metric.result()}\n\n    def test_step(self, batch):\n        source = batch["source"]\n        target = batch["target"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        preds = self([source, dec_input])\n        mask = keras.ops.not_equal(dec_target, 0)\n        loss = self.compiled_loss(dec_target, preds, sample_weight=mask)\n        self.loss_metric.update_state(loss)\n        return {"loss": self.loss_metric.result()}\n\n\n' + 'model = Seq2Seq()\nmodel.fit({"source": np.ones((8, 5, 3)), "target": np.ones((8, 6))}, epochs=1)\n',
      errors: [
        { line: 26, column: 14, message: '(it indexes `batch` and `model.fit()` is not given a tf.data dataset to map)' },
        { line: 29, column: 20 },
        { line: 31, column: 9 },
        { line: 42, column: 16 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nimport numpy as np\n\n\nclass Seq2Seq(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.loss_metric = keras.metrics.Mean(name=\"loss\")\n        self.emb = keras.layers.Embedding(10, 4)\n        self.out = keras.layers.Dense(10)\n\n    def call(self, inputs):\n        return self.out(self.emb(inputs[1]) + keras.ops.mean(inputs[0], axis=1, keepdims=True))\n\n    @property\n    def metrics(self):\n        return [self.loss_metric]\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, batch):\n        \"\"\"One batch of fit().\"\"\"\n        source = batch[\"source\"]\n        target = batch[\"target\"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        with tf.GradientTape() as tape:\n            preds = self([source, dec_input])\n            mask = keras.ops.not_equal(dec_target, 0)\n            loss = self.compute_loss(None, dec_target, preds, sample_weight=mask)\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_metric.update_state(loss)\n        return {\"loss\": self.loss_metric.result()}\n\n    def _torch_train_step(self, batch):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        batch = keras.tree.lists_to_tuples(batch)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            \"\"\"One batch of fit().\"\"\"\n            source = batch[\"source\"]\n            target = batch[\"target\"]\n            dec_input = target[:, :-1]\n            dec_target = target[:, 1:]\n            with torch.enable_grad():\n                preds = self([source, dec_input])\n                mask = keras.ops.not_equal(dec_target, 0)\n                loss = self.compute_loss(None, dec_target, preds, sample_weight=mask)\n            gradients = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n            self.loss_metric.update_state(loss)\n            return {\"loss\": self.loss_metric.result()}\n\n    def _jax_train_step(self, state, batch):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        batch = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, batch))\n        \"\"\"One batch of fit().\"\"\"\n        source = batch[\"source\"]\n        target = batch[\"target\"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                preds = self([source, dec_input])\n                mask = keras.ops.not_equal(dec_target, 0)\n                loss = self.compute_loss(None, dec_target, preds, sample_weight=mask)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                preds = self([source, dec_input])\n                mask = keras.ops.not_equal(dec_target, 0)\n                loss = self.compute_loss(None, dec_target, preds, sample_weight=mask)\n            return loss, [scope.get_current_value(v) for v in stateful]\n\n        (loss, updates), gradients = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        self.loss_metric.update_state(loss)\n        logs = {\"loss\": self.loss_metric.result()}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n    def test_step(self, batch):\n        source = batch[\"source\"]\n        target = batch[\"target\"]\n        dec_input = target[:, :-1]\n        dec_target = target[:, 1:]\n        preds = self([source, dec_input])\n        mask = keras.ops.not_equal(dec_target, 0)\n        loss = super().compute_loss(None, dec_target, preds, sample_weight=mask)\n        self.loss_metric.update_state(loss)\n        return {\"loss\": self.loss_metric.result()}\n\n\nmodel = Seq2Seq()\nmodel.fit({\"source\": np.ones((8, 5, 3)), \"target\": np.ones((8, 6))}, epochs=1)\n"
    },
    {
      name: 'keras.io image captioning: one optimizer step per caption (the tape in a for loop): one train_step per backend, one step per caption kept',
      code:
        HEAD +
        'class Captioner(keras.Model):\n    def train_step(self, data):\n        img, seqs = data\n        for i in range(5):\n            with tf.GradientTape() as tape:\n' +
        '                loss = self.compiled_loss(seqs[:, i], self(img, training=True))\n' +
        '            grads = tape.gradient(loss, self.trainable_variables)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 7, column: 18, message: '(it applies the optimizer once per iteration of a `for` loop): write one train_step per backend' },
        { line: 8, column: 24 },
        { line: 10, column: 13 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass Captioner(keras.Model):\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        img, seqs = data\n        for i in range(5):\n            with tf.GradientTape() as tape:\n                loss = self.compute_loss(None, seqs[:, i], self(img, training=True))\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n            grads = tape.gradient(loss, self.trainable_variables)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            img, seqs = data\n            for i in range(5):\n                with torch.enable_grad():\n                    loss = self.compute_loss(None, seqs[:, i], self(img, training=True))\n                    # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                    for metric in self.metrics:\n                        if metric.name == \"loss\":\n                            metric.update_state(loss)\n                grads = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], allow_unused=True)\n                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        img, seqs = data\n        for i in range(5):\n            def loss_fn(values):\n                with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                    loss = self.compute_loss(None, seqs[:, i], self(img, training=True))\n                    # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                    for metric in self.metrics:\n                        if metric.name == \"loss\":\n                            metric.update_state(loss)\n                return loss, [scope.get_current_value(v) for v in stateful]\n\n            (loss, updates), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n            for v, value in zip(stateful, updates):\n                if value is not None:\n                    v.assign(value)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: 'a comment mentioning GradientTape above the one tape (keras.io) is not a second tape',
      code: HEAD + 'class CustomModel(keras.Model):\n' + DEFAULT_STEP.replace('        with tf.GradientTape', '        # GradientTape records every operation you do inside.\n        with tf.GradientTape'),
      errors: [
        { line: 7, column: 14, message: "Keras's `fit()` does by default" },
        { line: 9, column: 20 },
        { line: 12, column: 9 },
        { line: 13, column: 9 }
      ],
      output: HEAD + 'class CustomModel(keras.Model):\n    pass\n'
    },
    {
      name: 'a GAN: two tapes, each applied by its own optimizer, a model with no call(): one train_step per backend (TF as written; PyTorch: tapes under enable_grad in a no_grad step, torch.autograd.grad; JAX: un-jitted, each tape a function of its variables under StatelessScope, what the body updates assigned after); the model marked built (ran on TensorFlow, JAX and PyTorch with a Dropout and a BatchNormalization in the discriminator: every weight and statistic trained)',
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "        self.d_loss_metric = keras.metrics.Mean(name=\"d_loss\")\n" +
        "    def train_step(self, real):\n" +
        "        batch_size = keras.ops.shape(real)[0]\n" +
        "        noise = keras.random.normal((batch_size, 2), seed=self.seed_generator)\n" +
        "        fake = self.generator(noise)\n" +
        "        labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0)\n" +
        "        # Train the discriminator\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            predictions = self.discriminator(keras.ops.concatenate([fake, real], axis=0), training=True)\n" +
        "            d_loss = self.loss_fn(labels, predictions)\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)), self.discriminator(self.generator(noise)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        self.d_loss_metric.update_state(d_loss)\n" +
        "        return {\"d_loss\": self.d_loss_metric.result(), \"g_loss\": g_loss, \"p\": keras.ops.mean(predictions)}\n",
      errors: [
        { line: 21, column: 14, message: 'the fix writes them from the step as written' },
        { line: 25, column: 9 },
        { line: 26, column: 14, message: 'the fix writes them from the step as written' },
        { line: 29, column: 9 }
      ],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "        self.d_loss_metric = keras.metrics.Mean(name=\"d_loss\")\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, real):\n" +
        "        batch_size = keras.ops.shape(real)[0]\n" +
        "        noise = keras.random.normal((batch_size, 2), seed=self.seed_generator)\n" +
        "        fake = self.generator(noise)\n" +
        "        labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0)\n" +
        "        # Train the discriminator\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            predictions = self.discriminator(keras.ops.concatenate([fake, real], axis=0), training=True)\n" +
        "            d_loss = self.loss_fn(labels, predictions)\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)), self.discriminator(self.generator(noise)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        self.d_loss_metric.update_state(d_loss)\n" +
        "        return {\"d_loss\": self.d_loss_metric.result(), \"g_loss\": g_loss, \"p\": keras.ops.mean(predictions)}\n" +
        "\n" +
        "    def _torch_train_step(self, real):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(real)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            batch_size = keras.ops.shape(real)[0]\n" +
        "            noise = keras.random.normal((batch_size, 2), seed=self.seed_generator)\n" +
        "            fake = self.generator(noise)\n" +
        "            labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0)\n" +
        "            # Train the discriminator\n" +
        "            with torch.enable_grad():\n" +
        "                predictions = self.discriminator(keras.ops.concatenate([fake, real], axis=0), training=True)\n" +
        "                d_loss = self.loss_fn(labels, predictions)\n" +
        "            grads = torch.autograd.grad(d_loss, [v.value for v in self.discriminator.trainable_weights], grad_outputs=torch.ones_like(d_loss), allow_unused=True)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "            with torch.enable_grad():\n" +
        "                g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)), self.discriminator(self.generator(noise)))\n" +
        "            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], grad_outputs=torch.ones_like(g_loss), allow_unused=True)\n" +
        "            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "            self.d_loss_metric.update_state(d_loss)\n" +
        "            return {\"d_loss\": self.d_loss_metric.result(), \"g_loss\": g_loss, \"p\": keras.ops.mean(predictions)}\n" +
        "\n" +
        "    def _jax_train_step(self, state, real):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n" +
        "        batch_size = keras.ops.shape(real)[0]\n" +
        "        noise = keras.random.normal((batch_size, 2), seed=self.seed_generator)\n" +
        "        fake = self.generator(noise)\n" +
        "        labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0)\n" +
        "        # Train the discriminator\n" +
        "        def d_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n" +
        "                predictions = self.discriminator(keras.ops.concatenate([fake, real], axis=0), training=True)\n" +
        "                d_loss = self.loss_fn(labels, predictions)\n" +
        "            return keras.ops.sum(d_loss), (d_loss, predictions, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        grads, (d_loss, predictions, updates) = jax.grad(d_loss_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n" +
        "                g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)), self.discriminator(self.generator(noise)))\n" +
        "            return keras.ops.sum(g_loss), (g_loss, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        grads, (g_loss, updates) = jax.grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        self.d_loss_metric.update_state(d_loss)\n" +
        "        logs = {\"d_loss\": self.d_loss_metric.result(), \"g_loss\": g_loss, \"p\": keras.ops.mean(predictions)}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: "train_d()/train_g() helper methods the step calls, each a tape and an optimizer of its own, returning losses (keras.io GauGAN's train_discriminator()/train_generator()): each gets _torch_/_jax_ variants with its tape rewritten as a step's, called by the PyTorch and JAX steps; on PyTorch the discriminator unfrozen between its tape and gradient is unfrozen before the tape; the model, whose call() the step never runs, is marked built with its weightless noise layer (ran on TensorFlow, JAX and PyTorch: both networks trained, predict() after)",
      code:
        HEAD +
        "class Noise(keras.layers.Layer):\n" +
        "    def __init__(self, **kwargs):\n" +
        "        super().__init__(**kwargs)\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "    def call(self, x):\n" +
        "        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)\n" +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.noise = Noise()\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "    def train_d(self, real, fake):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "        self.discriminator.trainable = True\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "    def train_g(self, z):\n" +
        "        self.discriminator.trainable = False\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            fake = self.generator(z)\n" +
        "            g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "            mean_fake = keras.ops.mean(fake)\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "    def train_step(self, data):\n" +
        "        z = self.noise(data)\n" +
        "        d_loss = self.train_d(data, self.generator(z))\n" +
        "        g_loss, mean_fake = self.train_g(z)\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss, \"mean_fake\": mean_fake}\n" +
        "    def call(self, z):\n" +
        "        return self.generator(z)\n",
      errors: [{ line: 21, column: 14, message: 'in `train_d()`, which `train_step()` calls, ties training to TensorFlow' }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        "class Noise(keras.layers.Layer):\n" +
        "    def __init__(self, **kwargs):\n" +
        "        super().__init__(**kwargs)\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "        # Its state is made in __init__: built (fit() on JAX and PyTorch builds what is not by calling the model).\n" +
        "        self.built = True\n" +
        "    def call(self, x):\n" +
        "        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)\n" +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.noise = Noise()\n" +
        "        # The step never calls the model: fit() would build it from data (on JAX and PyTorch) by running call() on a batch; its parts are built.\n" +
        "        self.built = True\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "    def train_d(self, real, fake):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "        self.discriminator.trainable = True\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "\n" +
        "    def _torch_train_d(self, real, fake):\n" +
        "        import torch\n" +
        "\n" +
        "        # Its variables require grad on PyTorch only when trainable: unfrozen before the tape records.\n" +
        "        self.discriminator.trainable = True\n" +
        "        with torch.enable_grad():\n" +
        "            d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "        grads = torch.autograd.grad(d_loss, [v.value for v in self.discriminator.trainable_weights], grad_outputs=torch.ones_like(d_loss), allow_unused=True)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "\n" +
        "    def _jax_train_d(self, real, fake):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        def d_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n" +
        "                d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "            return keras.ops.sum(d_loss), (d_loss, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        self.discriminator.trainable = True\n" +
        "        grads, (d_loss, updates) = jax.grad(d_loss_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "    def train_g(self, z):\n" +
        "        self.discriminator.trainable = False\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            fake = self.generator(z)\n" +
        "            g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "            mean_fake = keras.ops.mean(fake)\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "\n" +
        "    def _torch_train_g(self, z):\n" +
        "        import torch\n" +
        "\n" +
        "        self.discriminator.trainable = False\n" +
        "        with torch.enable_grad():\n" +
        "            fake = self.generator(z)\n" +
        "            g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "            mean_fake = keras.ops.mean(fake)\n" +
        "        grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], grad_outputs=torch.ones_like(g_loss), allow_unused=True)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "\n" +
        "    def _jax_train_g(self, z):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        self.discriminator.trainable = False\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n" +
        "                fake = self.generator(z)\n" +
        "                g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "                mean_fake = keras.ops.mean(fake)\n" +
        "            return keras.ops.sum(g_loss), (g_loss, mean_fake, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        grads, (g_loss, mean_fake, updates) = jax.grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, data):\n" +
        "        z = self.noise(data)\n" +
        "        d_loss = self.train_d(data, self.generator(z))\n" +
        "        g_loss, mean_fake = self.train_g(z)\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss, \"mean_fake\": mean_fake}\n" +
        "\n" +
        "    def _torch_train_step(self, data):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        data = keras.tree.lists_to_tuples(data)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            z = self.noise(data)\n" +
        "            d_loss = self._torch_train_d(data, self.generator(z))\n" +
        "            g_loss, mean_fake = self._torch_train_g(z)\n" +
        "            return {\"d_loss\": d_loss, \"g_loss\": g_loss, \"mean_fake\": mean_fake}\n" +
        "\n" +
        "    def _jax_train_step(self, state, data):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n" +
        "        z = self.noise(data)\n" +
        "        d_loss = self._jax_train_d(data, self.generator(z))\n" +
        "        g_loss, mean_fake = self._jax_train_g(z)\n" +
        "        logs = {\"d_loss\": d_loss, \"g_loss\": g_loss, \"mean_fake\": mean_fake}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n" +
        "    def call(self, z):\n" +
        "        return self.generator(z)\n"
    },
    {
      name: "WGAN-GP with train_critic()/train_generator() helper methods, the critic's called in a loop and its tape calling a gradient_penalty() method (a watched tape): the helpers' variants call gradient_penalty()'s variants (ran on TensorFlow, JAX and PyTorch: both networks trained)",
      code:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "        self.seed_generator = keras.random.SeedGenerator(3)\n" +
        "    def compile(self, c_optimizer, g_optimizer):\n" +
        "        super().compile()\n" +
        "        self.c_optimizer = c_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "    def gradient_penalty(self, real, fake):\n" +
        "        alpha = keras.random.uniform((keras.ops.shape(real)[0], 1), seed=self.seed_generator)\n" +
        "        interpolated = real + alpha * (fake - real)\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(interpolated)\n" +
        "            pred = self.critic(interpolated)\n" +
        "        grads = gp_tape.gradient(pred, [interpolated])[0]\n" +
        "        norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1))\n" +
        "        return keras.ops.mean((norm - 1.0) ** 2)\n" +
        "    def train_critic(self, real, z):\n" +
        "        fake = self.generator(z)\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            c_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "            c_loss = c_loss + 10.0 * self.gradient_penalty(real, fake)\n" +
        "        grads = tape.gradient(c_loss, self.critic.trainable_variables)\n" +
        "        self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        return c_loss\n" +
        "    def train_generator(self, z):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(z)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return g_loss\n" +
        "    def train_step(self, real):\n" +
        "        z = keras.random.normal((keras.ops.shape(real)[0], 2), seed=self.seed_generator)\n" +
        "        for _ in range(2):\n" +
        "            c_loss = self.train_critic(real, z)\n" +
        "        g_loss = self.train_generator(z)\n" +
        "        return {\"c_loss\": c_loss, \"g_loss\": g_loss}\n",
      errors: [{ line: 24, column: 14, message: 'in `train_critic()`, which `train_step()` calls' }],
      fixOptions: { unsafe: true, select: ['KM141'] },
      output:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "        self.seed_generator = keras.random.SeedGenerator(3)\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def compile(self, c_optimizer, g_optimizer):\n" +
        "        super().compile()\n" +
        "        self.c_optimizer = c_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "    def gradient_penalty(self, real, fake):\n" +
        "        alpha = keras.random.uniform((keras.ops.shape(real)[0], 1), seed=self.seed_generator)\n" +
        "        interpolated = real + alpha * (fake - real)\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(interpolated)\n" +
        "            pred = self.critic(interpolated)\n" +
        "        grads = gp_tape.gradient(pred, [interpolated])[0]\n" +
        "        norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1))\n" +
        "        return keras.ops.mean((norm - 1.0) ** 2)\n" +
        "\n" +
        "    def _torch_gradient_penalty(self, real, fake):\n" +
        "        import torch\n" +
        "\n" +
        "        alpha = keras.random.uniform((keras.ops.shape(real)[0], 1), seed=self.seed_generator)\n" +
        "        interpolated = real + alpha * (fake - real)\n" +
        "        with torch.enable_grad():\n" +
        "            interpolated.requires_grad_(True)\n" +
        "            pred = self.critic(interpolated)\n" +
        "        grads = list(torch.autograd.grad(pred, [interpolated], grad_outputs=torch.ones_like(pred), create_graph=True, allow_unused=True))[0]\n" +
        "        norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1))\n" +
        "        return keras.ops.mean((norm - 1.0) ** 2)\n" +
        "\n" +
        "    def _jax_gradient_penalty(self, real, fake):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tape's body updates (seed generators, statistics), assigned after its gradient.\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        alpha = keras.random.uniform((keras.ops.shape(real)[0], 1), seed=self.seed_generator)\n" +
        "        interpolated = real + alpha * (fake - real)\n" +
        "        def gp_tape_fn(interpolated):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, v.value) for v in stateful]) as scope:\n" +
        "                pred = self.critic(interpolated)\n" +
        "            return keras.ops.sum(pred), ([scope.get_current_value(v) for v in stateful],)\n" +
        "\n" +
        "        gp_tape_grads, (updates,) = jax.grad(gp_tape_fn, argnums=(0,), has_aux=True)(interpolated)\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            v.assign(value)\n" +
        "        grads = list(gp_tape_grads)[0]\n" +
        "        norm = keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1))\n" +
        "        return keras.ops.mean((norm - 1.0) ** 2)\n" +
        "    def train_critic(self, real, z):\n" +
        "        fake = self.generator(z)\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            c_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "            c_loss = c_loss + 10.0 * self.gradient_penalty(real, fake)\n" +
        "        grads = tape.gradient(c_loss, self.critic.trainable_variables)\n" +
        "        self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        return c_loss\n" +
        "\n" +
        "    def _torch_train_critic(self, real, z):\n" +
        "        import torch\n" +
        "\n" +
        "        fake = self.generator(z)\n" +
        "        with torch.enable_grad():\n" +
        "            c_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "            c_loss = c_loss + 10.0 * self._torch_gradient_penalty(real, fake)\n" +
        "        grads = torch.autograd.grad(c_loss, [v.value for v in self.critic.trainable_variables], grad_outputs=torch.ones_like(c_loss), allow_unused=True)\n" +
        "        self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        return c_loss\n" +
        "\n" +
        "    def _jax_train_critic(self, real, z):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        fake = self.generator(z)\n" +
        "        def c_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.critic.trainable_variables, values))) as scope:\n" +
        "                c_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "                c_loss = c_loss + 10.0 * self._jax_gradient_penalty(real, fake)\n" +
        "            return keras.ops.sum(c_loss), (c_loss, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        grads, (c_loss, updates) = jax.grad(c_loss_fn, has_aux=True)([v.value for v in self.critic.trainable_variables])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.c_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        return c_loss\n" +
        "    def train_generator(self, z):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(z)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return g_loss\n" +
        "\n" +
        "    def _torch_train_generator(self, z):\n" +
        "        import torch\n" +
        "\n" +
        "        with torch.enable_grad():\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(z)))\n" +
        "        grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_variables], allow_unused=True)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return g_loss\n" +
        "\n" +
        "    def _jax_train_generator(self, z):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_variables, values))) as scope:\n" +
        "                g_loss = -keras.ops.mean(self.critic(self.generator(z)))\n" +
        "            return g_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_variables])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return g_loss\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, real):\n" +
        "        z = keras.random.normal((keras.ops.shape(real)[0], 2), seed=self.seed_generator)\n" +
        "        for _ in range(2):\n" +
        "            c_loss = self.train_critic(real, z)\n" +
        "        g_loss = self.train_generator(z)\n" +
        "        return {\"c_loss\": c_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, real):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(real)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            z = keras.random.normal((keras.ops.shape(real)[0], 2), seed=self.seed_generator)\n" +
        "            for _ in range(2):\n" +
        "                c_loss = self._torch_train_critic(real, z)\n" +
        "            g_loss = self._torch_train_generator(z)\n" +
        "            return {\"c_loss\": c_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, real):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n" +
        "        z = keras.random.normal((keras.ops.shape(real)[0], 2), seed=self.seed_generator)\n" +
        "        for _ in range(2):\n" +
        "            c_loss = self._jax_train_critic(real, z)\n" +
        "        g_loss = self._jax_train_generator(z)\n" +
        "        logs = {\"c_loss\": c_loss, \"g_loss\": g_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
    },
    {
      name: 'a method training a part with its own tape and optimizer called inside the step\'s tape: advice (by hand)',
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "    def compile(self, d_optimizer, g_optimizer):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "    def train_d(self, real, fake):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = keras.ops.mean(self.discriminator(fake)) - keras.ops.mean(self.discriminator(real))\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "    def train_step(self, data):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            fake = self.generator(data)\n" +
        "            d_loss = self.train_d(data, fake)\n" +
        "            g_loss = -keras.ops.mean(self.discriminator(fake))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n",
      errors: [{ line: 19, column: 14, message: 'it calls `self.train_d()`, which trains with a tape and an optimizer of its own, in its tape (by hand)' }, { line: 24, column: 9 }],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'one optimizer applied in a helper method the step calls: advice',
      code:
        HEAD +
        "class Noise(keras.layers.Layer):\n" +
        "    def __init__(self, **kwargs):\n" +
        "        super().__init__(**kwargs)\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "    def call(self, x):\n" +
        "        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)\n" +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.noise = Noise()\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "    def train_d(self, real, fake):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "        self.discriminator.trainable = True\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "    def train_g(self, z):\n" +
        "        self.discriminator.trainable = False\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            fake = self.generator(z)\n" +
        "            g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "            mean_fake = keras.ops.mean(fake)\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "    def train_step(self, data):\n" +
        "        z = self.noise(data)\n" +
        "        d_loss = self.train_d(data, self.generator(z))\n" +
        "        return {\"d_loss\": d_loss}\n" +
        "    def call(self, z):\n" +
        "        return self.generator(z)\n",
      errors: [{ line: 21, column: 14, message: 'its one optimizer is applied in `self.train_d()`, which it calls (by hand)' }],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'TF calls left in a training helper method: advice until the other fixes have converted them',
      code:
        HEAD +
        "class Noise(keras.layers.Layer):\n" +
        "    def __init__(self, **kwargs):\n" +
        "        super().__init__(**kwargs)\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "    def call(self, x):\n" +
        "        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_generator)\n" +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.noise = Noise()\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "    def train_d(self, real, fake):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = self.loss_fn(keras.ops.ones_like(real[:, :1]), self.discriminator(real)) + self.loss_fn(keras.ops.zeros_like(real[:, :1]), self.discriminator(fake))\n" +
        "        self.discriminator.trainable = True\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        return d_loss\n" +
        "    def train_g(self, z):\n" +
        "        self.discriminator.trainable = False\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            fake = self.generator(z)\n" +
        "            g_loss = self.loss_fn(keras.ops.ones_like(fake[:, :1]), self.discriminator(fake))\n" +
        "            mean_fake = tf.reduce_mean(fake)\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return g_loss, mean_fake\n" +
        "    def train_step(self, data):\n" +
        "        z = self.noise(data)\n" +
        "        d_loss = self.train_d(data, self.generator(z))\n" +
        "        g_loss, mean_fake = self.train_g(z)\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss, \"mean_fake\": mean_fake}\n" +
        "    def call(self, z):\n" +
        "        return self.generator(z)\n",
      errors: [{ line: 21, column: 14, message: 'TF calls besides the tapes remain in `self.train_g()` (`tf.reduce_mean`)' }],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'a GAN step with TF calls besides the tapes: advice until the other fixes have converted them',
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, discriminator, generator):\n" +
        "        super().__init__()\n" +
        "        self.discriminator = discriminator\n" +
        "        self.generator = generator\n" +
        "        self.seed_generator = keras.random.SeedGenerator(1)\n" +
        "    def compile(self, d_optimizer, g_optimizer, loss_fn):\n" +
        "        super().compile()\n" +
        "        self.d_optimizer = d_optimizer\n" +
        "        self.g_optimizer = g_optimizer\n" +
        "        self.loss_fn = loss_fn\n" +
        "        self.d_loss_metric = keras.metrics.Mean(name=\"d_loss\")\n" +
        "    def train_step(self, real):\n" +
        "        batch_size = keras.ops.shape(real)[0]\n" +
        "        noise = tf.random.normal((batch_size, 2))\n" +
        "        fake = self.generator(noise)\n" +
        "        labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0)\n" +
        "        # Train the discriminator\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            predictions = self.discriminator(keras.ops.concatenate([fake, real], axis=0), training=True)\n" +
        "            d_loss = self.loss_fn(labels, predictions)\n" +
        "        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)), self.discriminator(self.generator(noise)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        self.d_loss_metric.update_state(d_loss)\n" +
        "        return {\"d_loss\": self.d_loss_metric.result(), \"g_loss\": g_loss, \"p\": keras.ops.mean(predictions)}\n",
      errors: [
        { line: 21, column: 14, message: 'The per-backend step is not written automatically: TF calls besides the tapes remain in it (`tf.random.normal`); once they are converted, a fix writes the per-backend step.' },
        { line: 25, column: 9 },
        { line: 26, column: 14 },
        { line: 29, column: 9 }
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "a critic trained in a loop with a tape nested in the step's tape for the gradient penalty (not in a method of its own): the fix moves that tape into a method returning its gradient and the prediction the step reads after it, then writes the per-backend step with that method's PyTorch and JAX variants (ran on TensorFlow, JAX and PyTorch: both networks trained)",
      code:
        HEAD +
        'class WGAN(keras.Model):\n' +
        '    def __init__(self, critic, generator):\n' +
        '        super().__init__()\n' +
        '        self.critic = critic\n' +
        '        self.generator = generator\n' +
        '    def train_step(self, real):\n' +
        '        for i in range(3):\n' +
        '            with tf.GradientTape() as tape:\n' +
        '                fake = self.generator(keras.ops.ones((4, 2)))\n' +
        '                with tf.GradientTape() as gp_tape:\n' +
        '                    gp_tape.watch(fake)\n' +
        '                    pred = self.critic(fake)\n' +
        '                gp = keras.ops.sum(gp_tape.gradient(pred, [fake])[0])\n' +
        '                d_loss = keras.ops.mean(self.critic(real)) - keras.ops.mean(pred) + gp\n' +
        '            grads = tape.gradient(d_loss, self.critic.trainable_variables)\n' +
        '            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            g_loss = -keras.ops.mean(self.critic(self.generator(keras.ops.ones((4, 2)))))\n' +
        '        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n' +
        '        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n' +
        '        return {"d_loss": d_loss, "g_loss": g_loss}\n',
      errors: [
        { line: 10, column: 18, message: 'The per-backend step is not written automatically: a tape is not at the top level of the step or of a `for` loop in it (nested in another tape, or under an `if`).' },
        { line: 12, column: 22 },
        { line: 18, column: 13 },
        { line: 19, column: 14 },
        { line: 22, column: 9 }
      ],
      output:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def _gp_tape_gradient(self, fake):\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(fake)\n" +
        "            pred = self.critic(fake)\n" +
        "        return gp_tape.gradient(pred, [fake]), pred\n" +
        "\n" +
        "    def _torch__gp_tape_gradient(self, fake):\n" +
        "        import torch\n" +
        "\n" +
        "        with torch.enable_grad():\n" +
        "            fake.requires_grad_(True)\n" +
        "            pred = self.critic(fake)\n" +
        "        return list(torch.autograd.grad(pred, [fake], grad_outputs=torch.ones_like(pred), create_graph=True, allow_unused=True)), pred\n" +
        "\n" +
        "    def _jax__gp_tape_gradient(self, fake):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tape's body updates (seed generators, statistics), assigned after its gradient.\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        def gp_tape_fn(fake):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, v.value) for v in stateful]) as scope:\n" +
        "                pred = self.critic(fake)\n" +
        "            return keras.ops.sum(pred), (pred, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        gp_tape_grads, (pred, updates) = jax.grad(gp_tape_fn, argnums=(0,), has_aux=True)(fake)\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            v.assign(value)\n" +
        "        return list(gp_tape_grads), pred\n" +
        "\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, real):\n" +
        "        for i in range(3):\n" +
        "            with tf.GradientTape() as tape:\n" +
        "                fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "                gp_tape_gradient, pred = self._gp_tape_gradient(fake)\n" +
        "                gp = keras.ops.sum(gp_tape_gradient[0])\n" +
        "                d_loss = keras.ops.mean(self.critic(real)) - keras.ops.mean(pred) + gp\n" +
        "            grads = tape.gradient(d_loss, self.critic.trainable_variables)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(keras.ops.ones((4, 2)))))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, real):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(real)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            for i in range(3):\n" +
        "                with torch.enable_grad():\n" +
        "                    fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "                    gp_tape_gradient, pred = self._torch__gp_tape_gradient(fake)\n" +
        "                    gp = keras.ops.sum(gp_tape_gradient[0])\n" +
        "                    d_loss = keras.ops.mean(self.critic(real)) - keras.ops.mean(pred) + gp\n" +
        "                grads = torch.autograd.grad(d_loss, [v.value for v in self.critic.trainable_variables], allow_unused=True)\n" +
        "                self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "            with torch.enable_grad():\n" +
        "                g_loss = -keras.ops.mean(self.critic(self.generator(keras.ops.ones((4, 2)))))\n" +
        "            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_variables], allow_unused=True)\n" +
        "            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "            return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, real):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n" +
        "        for i in range(3):\n" +
        "            def d_loss_fn(values):\n" +
        "                with keras.StatelessScope(state_mapping=list(zip(self.critic.trainable_variables, values))) as scope:\n" +
        "                    fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "                    gp_tape_gradient, pred = self._jax__gp_tape_gradient(fake)\n" +
        "                    gp = keras.ops.sum(gp_tape_gradient[0])\n" +
        "                    d_loss = keras.ops.mean(self.critic(real)) - keras.ops.mean(pred) + gp\n" +
        "                return d_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "            (d_loss, updates), grads = jax.value_and_grad(d_loss_fn, has_aux=True)([v.value for v in self.critic.trainable_variables])\n" +
        "            for v, value in zip(stateful, updates):\n" +
        "                if value is not None:\n" +
        "                    v.assign(value)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_variables, values))) as scope:\n" +
        "                g_loss = -keras.ops.mean(self.critic(self.generator(keras.ops.ones((4, 2)))))\n" +
        "            return g_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_variables])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        logs = {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
,
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "a gradient-penalty tape nested in the critic's tape, its gradient assigned right after it (`grads = gp_tape.gradient(loss, x)`), its body reading two of the step's names: moved into `_gp_tape_gradient(self, mixed, scale)`, then the per-backend step (ran on TensorFlow, JAX and PyTorch: both networks trained)",
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "    def train_step(self, real):\n" +
        "        scale = keras.ops.ones((4, 1))\n" +
        "        with tf.GradientTape() as g_tape:\n" +
        "            fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "            g_loss = -keras.ops.mean(self.critic(fake))\n" +
        "        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))\n" +
        "        with tf.GradientTape() as d_tape:\n" +
        "            mixed = 0.5 * real + 0.5 * fake\n" +
        "            with tf.GradientTape() as gp_tape:\n" +
        "                gp_tape.watch(mixed)\n" +
        "                pred_mixed = self.critic(mixed)\n" +
        "                loss_mixed = keras.ops.mean(pred_mixed * scale)\n" +
        "            grads_mixed = gp_tape.gradient(loss_mixed, mixed)\n" +
        "            penalty = keras.ops.mean(keras.ops.square(keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads_mixed), axis=1)) - 1.0))\n" +
        "            d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real)) + 10.0 * penalty\n" +
        "        d_grads = d_tape.gradient(d_loss, self.critic.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n",
      errors: [
        { line: 10, column: 14 },
        { line: 14, column: 9 },
        { line: 15, column: 14 },
        { line: 17, column: 18, message: 'the fix moves it into a method `_gp_tape_gradient()` returning that gradient' },
        { line: 25, column: 9 }
      ],
      output:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def _gp_tape_gradient(self, mixed, scale):\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(mixed)\n" +
        "            pred_mixed = self.critic(mixed)\n" +
        "            loss_mixed = keras.ops.mean(pred_mixed * scale)\n" +
        "        return gp_tape.gradient(loss_mixed, mixed)\n" +
        "\n" +
        "    def _torch__gp_tape_gradient(self, mixed, scale):\n" +
        "        import torch\n" +
        "\n" +
        "        with torch.enable_grad():\n" +
        "            mixed.requires_grad_(True)\n" +
        "            pred_mixed = self.critic(mixed)\n" +
        "            loss_mixed = keras.ops.mean(pred_mixed * scale)\n" +
        "        return torch.autograd.grad(loss_mixed, [mixed], grad_outputs=torch.ones_like(loss_mixed), create_graph=True, allow_unused=True)[0]\n" +
        "\n" +
        "    def _jax__gp_tape_gradient(self, mixed, scale):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tape's body updates (seed generators, statistics), assigned after its gradient.\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        def gp_tape_fn(mixed):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, v.value) for v in stateful]) as scope:\n" +
        "                pred_mixed = self.critic(mixed)\n" +
        "                loss_mixed = keras.ops.mean(pred_mixed * scale)\n" +
        "            return keras.ops.sum(loss_mixed), ([scope.get_current_value(v) for v in stateful],)\n" +
        "\n" +
        "        gp_tape_grads, (updates,) = jax.grad(gp_tape_fn, argnums=0, has_aux=True)(mixed)\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            v.assign(value)\n" +
        "        return gp_tape_grads\n" +
        "\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, real):\n" +
        "        scale = keras.ops.ones((4, 1))\n" +
        "        with tf.GradientTape() as g_tape:\n" +
        "            fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "            g_loss = -keras.ops.mean(self.critic(fake))\n" +
        "        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))\n" +
        "        with tf.GradientTape() as d_tape:\n" +
        "            mixed = 0.5 * real + 0.5 * fake\n" +
        "            grads_mixed = self._gp_tape_gradient(mixed, scale)\n" +
        "            penalty = keras.ops.mean(keras.ops.square(keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads_mixed), axis=1)) - 1.0))\n" +
        "            d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real)) + 10.0 * penalty\n" +
        "        d_grads = d_tape.gradient(d_loss, self.critic.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, real):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(real)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            scale = keras.ops.ones((4, 1))\n" +
        "            with torch.enable_grad():\n" +
        "                fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "                g_loss = -keras.ops.mean(self.critic(fake))\n" +
        "            g_grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], allow_unused=True)\n" +
        "            self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))\n" +
        "            with torch.enable_grad():\n" +
        "                mixed = 0.5 * real + 0.5 * fake\n" +
        "                grads_mixed = self._torch__gp_tape_gradient(mixed, scale)\n" +
        "                penalty = keras.ops.mean(keras.ops.square(keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads_mixed), axis=1)) - 1.0))\n" +
        "                d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real)) + 10.0 * penalty\n" +
        "            d_grads = torch.autograd.grad(d_loss, [v.value for v in self.critic.trainable_weights], allow_unused=True)\n" +
        "            self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))\n" +
        "            return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, real):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n" +
        "        scale = keras.ops.ones((4, 1))\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n" +
        "                fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "                g_loss = -keras.ops.mean(self.critic(fake))\n" +
        "            return g_loss, (fake, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "        (g_loss, (fake, updates)), g_grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))\n" +
        "        def d_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.critic.trainable_weights, values))) as scope:\n" +
        "                mixed = 0.5 * real + 0.5 * fake\n" +
        "                grads_mixed = self._jax__gp_tape_gradient(mixed, scale)\n" +
        "                penalty = keras.ops.mean(keras.ops.square(keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads_mixed), axis=1)) - 1.0))\n" +
        "                d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real)) + 10.0 * penalty\n" +
        "            return d_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (d_loss, updates), d_grads = jax.value_and_grad(d_loss_fn, has_aux=True)([v.value for v in self.critic.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))\n" +
        "        logs = {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n"
,
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'a gradient-penalty tape whose gradient is taken twice after it: not moved into a method (advice only)',
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "    def train_step(self, real):\n" +
        "        scale = keras.ops.ones((4, 1))\n" +
        "        with tf.GradientTape() as g_tape:\n" +
        "            fake = self.generator(keras.ops.ones((4, 2)))\n" +
        "            g_loss = -keras.ops.mean(self.critic(fake))\n" +
        "        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))\n" +
        "        with tf.GradientTape() as d_tape:\n" +
        "            mixed = 0.5 * real + 0.5 * fake\n" +
        "            with tf.GradientTape() as gp_tape:\n" +
        "                gp_tape.watch(mixed)\n" +
        "                pred_mixed = self.critic(mixed)\n" +
        "                loss_mixed = keras.ops.mean(pred_mixed * scale)\n" +
        "            grads_mixed = gp_tape.gradient(loss_mixed, mixed)\n" +
        "            again = gp_tape.gradient(loss_mixed, mixed)\n" +
        "            penalty = keras.ops.mean(keras.ops.square(keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads_mixed), axis=1)) - 1.0))\n" +
        "            d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real)) + 10.0 * penalty\n" +
        "        d_grads = d_tape.gradient(d_loss, self.critic.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n",
      errors: [
        { line: 10, column: 14 },
        { line: 14, column: 9 },
        { line: 15, column: 14 },
        { line: 17, column: 18 },
        { line: 26, column: 9 }
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "pix2pix / TF DCGAN tutorial: two tapes opened in one `with` statement over one forward pass, each gradient applied by its own optimizer: rewritten as one persistent tape (PyTorch: torch.autograd.grad with retain_graph=True per gradient; JAX: one forward pass under jax.vjp); the batch made arrays on JAX; the model marked built (ran on TensorFlow, JAX and PyTorch with BatchNormalization and Dropout: every weight and statistic trained)",
      code:
        HEAD +
        "class Pix2Pix(keras.Model):\n" +
        "    def __init__(self, generator, discriminator):\n" +
        "        super().__init__()\n" +
        "        self.generator = generator\n" +
        "        self.discriminator = discriminator\n" +
        "    def train_step(self, data):\n" +
        "        input_image, target = data\n" +
        "        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n" +
        "            gen_output = self.generator(input_image, training=True)\n" +
        "            disc_real = self.discriminator(target, training=True)\n" +
        "            disc_fake = self.discriminator(gen_output, training=True)\n" +
        "            gen_loss = keras.ops.mean(disc_fake) + keras.ops.mean(keras.ops.abs(target - gen_output))\n" +
        "            disc_loss = keras.ops.mean(disc_real) - keras.ops.mean(disc_fake)\n" +
        "        gen_grads = gen_tape.gradient(gen_loss, self.generator.trainable_variables)\n" +
        "        disc_grads = disc_tape.gradient(disc_loss, self.discriminator.trainable_variables)\n" +
        "        self.generator_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "        self.discriminator_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "        return {\"gen_loss\": gen_loss, \"disc_loss\": disc_loss}\n",
      errors: [
        {line: 10, column: 14},
        {line: 10, column: 45},
        {line: 18, column: 9},
        {line: 19, column: 9}
      ],
      output:
        "import keras\n" +
        "import tensorflow as tf\n" +
        "class Pix2Pix(keras.Model):\n" +
        "    def __init__(self, generator, discriminator):\n" +
        "        super().__init__()\n" +
        "        self.generator = generator\n" +
        "        self.discriminator = discriminator\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, data):\n" +
        "        input_image, target = data\n" +
        "        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n" +
        "            gen_output = self.generator(input_image, training=True)\n" +
        "            disc_real = self.discriminator(target, training=True)\n" +
        "            disc_fake = self.discriminator(gen_output, training=True)\n" +
        "            gen_loss = keras.ops.mean(disc_fake) + keras.ops.mean(keras.ops.abs(target - gen_output))\n" +
        "            disc_loss = keras.ops.mean(disc_real) - keras.ops.mean(disc_fake)\n" +
        "        gen_grads = gen_tape.gradient(gen_loss, self.generator.trainable_variables)\n" +
        "        disc_grads = disc_tape.gradient(disc_loss, self.discriminator.trainable_variables)\n" +
        "        self.generator_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "        self.discriminator_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "        return {\"gen_loss\": gen_loss, \"disc_loss\": disc_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, data):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        data = keras.tree.lists_to_tuples(data)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            input_image, target = data\n" +
        "            with torch.enable_grad():\n" +
        "                gen_output = self.generator(input_image, training=True)\n" +
        "                disc_real = self.discriminator(target, training=True)\n" +
        "                disc_fake = self.discriminator(gen_output, training=True)\n" +
        "                gen_loss = keras.ops.mean(disc_fake) + keras.ops.mean(keras.ops.abs(target - gen_output))\n" +
        "                disc_loss = keras.ops.mean(disc_real) - keras.ops.mean(disc_fake)\n" +
        "            gen_grads = torch.autograd.grad(gen_loss, [v.value for v in self.generator.trainable_variables], retain_graph=True, allow_unused=True)\n" +
        "            disc_grads = torch.autograd.grad(disc_loss, [v.value for v in self.discriminator.trainable_variables], retain_graph=True, allow_unused=True)\n" +
        "            self.generator_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "            self.discriminator_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "            return {\"gen_loss\": gen_loss, \"disc_loss\": disc_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, data):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n" +
        "        input_image, target = data\n" +
        "        tape_variables = [self.generator.trainable_variables, self.discriminator.trainable_variables]\n" +
        "\n" +
        "        def tape_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, x) for vs, xs in zip(tape_variables, values) for v, x in zip(vs, xs)]) as scope:\n" +
        "                gen_output = self.generator(input_image, training=True)\n" +
        "                disc_real = self.discriminator(target, training=True)\n" +
        "                disc_fake = self.discriminator(gen_output, training=True)\n" +
        "                gen_loss = keras.ops.mean(disc_fake) + keras.ops.mean(keras.ops.abs(target - gen_output))\n" +
        "                disc_loss = keras.ops.mean(disc_real) - keras.ops.mean(disc_fake)\n" +
        "            return (gen_loss, disc_loss), [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        losses, pullback, updates = jax.vjp(tape_fn, [[v.value for v in vs] for vs in tape_variables], has_aux=True)\n" +
        "        gen_loss, disc_loss = losses\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        gen_grads = pullback(tuple(keras.ops.ones_like(l) if j == 0 else keras.ops.zeros_like(l) for j, l in enumerate(losses)))[0][0]\n" +
        "        disc_grads = pullback(tuple(keras.ops.ones_like(l) if j == 1 else keras.ops.zeros_like(l) for j, l in enumerate(losses)))[0][1]\n" +
        "        self.generator_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "        self.discriminator_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "        logs = {\"gen_loss\": gen_loss, \"disc_loss\": disc_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n",
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      // examples/runnable/wgan_gp_rgcn_molecules.py (keras.io WGAN-GP with R-GCN): the step reaches the gradient
      // penalty through another method (`_loss_discriminator()` calls `_gradient_penalty()`, whose tape watches two
      // tensors), and takes the batch apart with `isinstance(inputs[0], tuple)`, which JAX and PyTorch hand as lists.
      name: "WGAN-GP reaching its gradient penalty through another method, on a batch of two inputs: both methods get _torch_/_jax_ variants (the caller's calling the callee's), and the batch is made tuples on JAX and PyTorch as TensorFlow hands it (ran on TensorFlow, JAX and PyTorch)",
      code:
        HEAD +
        "class GraphWGAN(keras.Model):\n" +
        "    def __init__(self, generator, discriminator):\n" +
        "        super().__init__()\n" +
        "        self.generator = generator\n" +
        "        self.discriminator = discriminator\n" +
        "    def train_step(self, inputs):\n" +
        "        if isinstance(inputs[0], tuple):\n" +
        "            inputs = inputs[0]\n" +
        "        graph_real = inputs\n" +
        "        z = keras.random.normal((keras.ops.shape(inputs[0])[0], 4))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            graph_generated = self.generator(z, training=True)\n" +
        "            loss = self._loss_discriminator(graph_real, graph_generated)\n" +
        "        grads = tape.gradient(loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.discriminator(self.generator(z, training=True), training=True))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return {\"loss_dis\": loss, \"loss_gen\": g_loss}\n" +
        "    def _loss_discriminator(self, graph_real, graph_generated):\n" +
        "        loss = keras.ops.mean(self.discriminator(graph_generated)) - keras.ops.mean(self.discriminator(graph_real))\n" +
        "        return loss + 10.0 * self._gradient_penalty(graph_real, graph_generated)\n" +
        "    def _gradient_penalty(self, graph_real, graph_generated):\n" +
        "        a_real, f_real = graph_real\n" +
        "        a_fake, f_fake = graph_generated\n" +
        "        a_interp = 0.5 * a_real + 0.5 * a_fake\n" +
        "        f_interp = 0.5 * f_real + 0.5 * f_fake\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            tape.watch(a_interp)\n" +
        "            tape.watch(f_interp)\n" +
        "            logits = self.discriminator([a_interp, f_interp], training=True)\n" +
        "        grads = tape.gradient(logits, [a_interp, f_interp])\n" +
        "        return keras.ops.mean((1 - keras.ops.norm(grads[0], axis=1)) ** 2) + keras.ops.mean((1 - keras.ops.norm(grads[1], axis=1)) ** 2)\n",
      errors: [
        {line: 13, column: 14},
        {line: 17, column: 9},
        {line: 18, column: 14},
        {line: 21, column: 9}
      ],
      output:
        "import keras\n" +
        "import tensorflow as tf\n" +
        "class GraphWGAN(keras.Model):\n" +
        "    def __init__(self, generator, discriminator):\n" +
        "        super().__init__()\n" +
        "        self.generator = generator\n" +
        "        self.discriminator = discriminator\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, inputs):\n" +
        "        if isinstance(inputs[0], tuple):\n" +
        "            inputs = inputs[0]\n" +
        "        graph_real = inputs\n" +
        "        z = keras.random.normal((keras.ops.shape(inputs[0])[0], 4))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            graph_generated = self.generator(z, training=True)\n" +
        "            loss = self._loss_discriminator(graph_real, graph_generated)\n" +
        "        grads = tape.gradient(loss, self.discriminator.trainable_weights)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.discriminator(self.generator(z, training=True), training=True))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        return {\"loss_dis\": loss, \"loss_gen\": g_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, inputs):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        inputs = keras.tree.lists_to_tuples(inputs)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            if isinstance(inputs[0], tuple):\n" +
        "                inputs = inputs[0]\n" +
        "            graph_real = inputs\n" +
        "            z = keras.random.normal((keras.ops.shape(inputs[0])[0], 4))\n" +
        "            with torch.enable_grad():\n" +
        "                graph_generated = self.generator(z, training=True)\n" +
        "                loss = self._torch__loss_discriminator(graph_real, graph_generated)\n" +
        "            grads = torch.autograd.grad(loss, [v.value for v in self.discriminator.trainable_weights], allow_unused=True)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "            with torch.enable_grad():\n" +
        "                g_loss = -keras.ops.mean(self.discriminator(self.generator(z, training=True), training=True))\n" +
        "            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_weights], allow_unused=True)\n" +
        "            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "            return {\"loss_dis\": loss, \"loss_gen\": g_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, inputs):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        inputs = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, inputs))\n" +
        "        if isinstance(inputs[0], tuple):\n" +
        "            inputs = inputs[0]\n" +
        "        graph_real = inputs\n" +
        "        z = keras.random.normal((keras.ops.shape(inputs[0])[0], 4))\n" +
        "        def loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.discriminator.trainable_weights, values))) as scope:\n" +
        "                graph_generated = self.generator(z, training=True)\n" +
        "                loss = self._jax__loss_discriminator(graph_real, graph_generated)\n" +
        "            return loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (loss, updates), grads = jax.value_and_grad(loss_fn, has_aux=True)([v.value for v in self.discriminator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_weights, values))) as scope:\n" +
        "                g_loss = -keras.ops.mean(self.discriminator(self.generator(z, training=True), training=True))\n" +
        "            return g_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_weights])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n" +
        "        logs = {\"loss_dis\": loss, \"loss_gen\": g_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n" +
        "    def _loss_discriminator(self, graph_real, graph_generated):\n" +
        "        loss = keras.ops.mean(self.discriminator(graph_generated)) - keras.ops.mean(self.discriminator(graph_real))\n" +
        "        return loss + 10.0 * self._gradient_penalty(graph_real, graph_generated)\n" +
        "\n" +
        "    def _torch__loss_discriminator(self, graph_real, graph_generated):\n" +
        "        loss = keras.ops.mean(self.discriminator(graph_generated)) - keras.ops.mean(self.discriminator(graph_real))\n" +
        "        return loss + 10.0 * self._torch__gradient_penalty(graph_real, graph_generated)\n" +
        "\n" +
        "    def _jax__loss_discriminator(self, graph_real, graph_generated):\n" +
        "        loss = keras.ops.mean(self.discriminator(graph_generated)) - keras.ops.mean(self.discriminator(graph_real))\n" +
        "        return loss + 10.0 * self._jax__gradient_penalty(graph_real, graph_generated)\n" +
        "    def _gradient_penalty(self, graph_real, graph_generated):\n" +
        "        a_real, f_real = graph_real\n" +
        "        a_fake, f_fake = graph_generated\n" +
        "        a_interp = 0.5 * a_real + 0.5 * a_fake\n" +
        "        f_interp = 0.5 * f_real + 0.5 * f_fake\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            tape.watch(a_interp)\n" +
        "            tape.watch(f_interp)\n" +
        "            logits = self.discriminator([a_interp, f_interp], training=True)\n" +
        "        grads = tape.gradient(logits, [a_interp, f_interp])\n" +
        "        return keras.ops.mean((1 - keras.ops.norm(grads[0], axis=1)) ** 2) + keras.ops.mean((1 - keras.ops.norm(grads[1], axis=1)) ** 2)\n" +
        "\n" +
        "    def _torch__gradient_penalty(self, graph_real, graph_generated):\n" +
        "        import torch\n" +
        "\n" +
        "        a_real, f_real = graph_real\n" +
        "        a_fake, f_fake = graph_generated\n" +
        "        a_interp = 0.5 * a_real + 0.5 * a_fake\n" +
        "        f_interp = 0.5 * f_real + 0.5 * f_fake\n" +
        "        with torch.enable_grad():\n" +
        "            a_interp.requires_grad_(True)\n" +
        "            f_interp.requires_grad_(True)\n" +
        "            logits = self.discriminator([a_interp, f_interp], training=True)\n" +
        "        grads = list(torch.autograd.grad(logits, [a_interp, f_interp], grad_outputs=torch.ones_like(logits), create_graph=True, allow_unused=True))\n" +
        "        return keras.ops.mean((1 - keras.ops.norm(grads[0], axis=1)) ** 2) + keras.ops.mean((1 - keras.ops.norm(grads[1], axis=1)) ** 2)\n" +
        "\n" +
        "    def _jax__gradient_penalty(self, graph_real, graph_generated):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tape's body updates (seed generators, statistics), assigned after its gradient.\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        a_real, f_real = graph_real\n" +
        "        a_fake, f_fake = graph_generated\n" +
        "        a_interp = 0.5 * a_real + 0.5 * a_fake\n" +
        "        f_interp = 0.5 * f_real + 0.5 * f_fake\n" +
        "        def tape_fn(a_interp, f_interp):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, v.value) for v in stateful]) as scope:\n" +
        "                logits = self.discriminator([a_interp, f_interp], training=True)\n" +
        "            return keras.ops.sum(logits), ([scope.get_current_value(v) for v in stateful],)\n" +
        "\n" +
        "        tape_grads, (updates,) = jax.grad(tape_fn, argnums=(0, 1,), has_aux=True)(a_interp, f_interp)\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            v.assign(value)\n" +
        "        grads = list(tape_grads)\n" +
        "        return keras.ops.mean((1 - keras.ops.norm(grads[0], axis=1)) ** 2) + keras.ops.mean((1 - keras.ops.norm(grads[1], axis=1)) ** 2)\n",
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "WGAN-GP (keras.io): the critic trained in a loop, each step's tape calling a gradient_penalty() method whose tape watches the interpolated images: the loop's tape rewritten in place, gradient_penalty() gets _torch_/_jax_ variants (PyTorch: requires_grad_ and torch.autograd.grad with create_graph=True; JAX: jax.grad of the tape's body inside the critic's tape function) (ran on TensorFlow, JAX and PyTorch: the critic's trained weights equal TensorFlow's)",
      code:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "    def gradient_penalty(self, real, fake):\n" +
        "        interpolated = 0.5 * real + 0.5 * fake\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(interpolated)\n" +
        "            pred = self.critic(interpolated, training=True)\n" +
        "        grads = gp_tape.gradient(pred, [interpolated])[0]\n" +
        "        return keras.ops.mean((keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1)) - 1.0) ** 2)\n" +
        "    def train_step(self, real):\n" +
        "        for i in range(3):\n" +
        "            with tf.GradientTape() as tape:\n" +
        "                fake = self.generator(real, training=True)\n" +
        "                d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "                d_loss = d_loss + 10.0 * self.gradient_penalty(real, fake)\n" +
        "            grads = tape.gradient(d_loss, self.critic.trainable_variables)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(real, training=True)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n",
      errors: [
        {line: 17, column: 18},
        {line: 22, column: 13},
        {line: 23, column: 14},
        {line: 26, column: 9}
      ],
      output:
        "import keras\n" +
        "import tensorflow as tf\n" +
        "class WGAN(keras.Model):\n" +
        "    def __init__(self, critic, generator):\n" +
        "        super().__init__()\n" +
        "        self.critic = critic\n" +
        "        self.generator = generator\n" +
        "        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n" +
        "        self.built = True\n" +
        "    def gradient_penalty(self, real, fake):\n" +
        "        interpolated = 0.5 * real + 0.5 * fake\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(interpolated)\n" +
        "            pred = self.critic(interpolated, training=True)\n" +
        "        grads = gp_tape.gradient(pred, [interpolated])[0]\n" +
        "        return keras.ops.mean((keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1)) - 1.0) ** 2)\n" +
        "\n" +
        "    def _torch_gradient_penalty(self, real, fake):\n" +
        "        import torch\n" +
        "\n" +
        "        interpolated = 0.5 * real + 0.5 * fake\n" +
        "        with torch.enable_grad():\n" +
        "            interpolated.requires_grad_(True)\n" +
        "            pred = self.critic(interpolated, training=True)\n" +
        "        grads = list(torch.autograd.grad(pred, [interpolated], grad_outputs=torch.ones_like(pred), create_graph=True, allow_unused=True))[0]\n" +
        "        return keras.ops.mean((keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1)) - 1.0) ** 2)\n" +
        "\n" +
        "    def _jax_gradient_penalty(self, real, fake):\n" +
        "        import jax\n" +
        "\n" +
        "        # What the tape's body updates (seed generators, statistics), assigned after its gradient.\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        interpolated = 0.5 * real + 0.5 * fake\n" +
        "        def gp_tape_fn(interpolated):\n" +
        "            with keras.StatelessScope(state_mapping=[(v, v.value) for v in stateful]) as scope:\n" +
        "                pred = self.critic(interpolated, training=True)\n" +
        "            return keras.ops.sum(pred), ([scope.get_current_value(v) for v in stateful],)\n" +
        "\n" +
        "        gp_tape_grads, (updates,) = jax.grad(gp_tape_fn, argnums=(0,), has_aux=True)(interpolated)\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            v.assign(value)\n" +
        "        grads = list(gp_tape_grads)[0]\n" +
        "        return keras.ops.mean((keras.ops.sqrt(keras.ops.sum(keras.ops.square(grads), axis=1)) - 1.0) ** 2)\n" +
        "    def train_step(self, *args, **kwargs):\n" +
        "        # Each tape trains a part of the model with its own optimizer: one step per backend.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            return self._jax_train_step(*args, **kwargs)\n" +
        "        if keras.backend.backend() == \"torch\":\n" +
        "            return self._torch_train_step(*args, **kwargs)\n" +
        "        return self._tensorflow_train_step(*args, **kwargs)\n" +
        "\n" +
        "    def make_train_function(self, force=False):\n" +
        "        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n" +
        "        if keras.backend.backend() == \"jax\":\n" +
        "            self.jit_compile = False\n" +
        "        return super().make_train_function(force)\n" +
        "\n" +
        "    def _tensorflow_train_step(self, real):\n" +
        "        for i in range(3):\n" +
        "            with tf.GradientTape() as tape:\n" +
        "                fake = self.generator(real, training=True)\n" +
        "                d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "                d_loss = d_loss + 10.0 * self.gradient_penalty(real, fake)\n" +
        "            grads = tape.gradient(d_loss, self.critic.trainable_variables)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(real, training=True)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _torch_train_step(self, real):\n" +
        "        import torch\n" +
        "\n" +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(real)\n" +
        "        # Only what the tapes recorded is differentiated, as on TensorFlow.\n" +
        "        with torch.no_grad():\n" +
        "            for i in range(3):\n" +
        "                with torch.enable_grad():\n" +
        "                    fake = self.generator(real, training=True)\n" +
        "                    d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "                    d_loss = d_loss + 10.0 * self._torch_gradient_penalty(real, fake)\n" +
        "                grads = torch.autograd.grad(d_loss, [v.value for v in self.critic.trainable_variables], grad_outputs=torch.ones_like(d_loss), allow_unused=True)\n" +
        "                self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "            with torch.enable_grad():\n" +
        "                g_loss = -keras.ops.mean(self.critic(self.generator(real, training=True)))\n" +
        "            grads = torch.autograd.grad(g_loss, [v.value for v in self.generator.trainable_variables], allow_unused=True)\n" +
        "            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "            return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "\n" +
        "    def _jax_train_step(self, state, real):\n" +
        "        import jax\n" +
        "\n" +
        "        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n" +
        "        # variables (fit() detaches their values during an epoch), the step updates them in place\n" +
        "        # and returns them read back; each tape becomes a function of its variables' values.\n" +
        "        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n" +
        "        for variables, values in zip(fit_variables, state):\n" +
        "            for v, value in zip(variables, values):\n" +
        "                v.assign(value)\n" +
        "        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n" +
        "        stateful = self.variables + self.metrics_variables\n" +
        "        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n" +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        "        real = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, real))\n" +
        "        for i in range(3):\n" +
        "            def d_loss_fn(values):\n" +
        "                with keras.StatelessScope(state_mapping=list(zip(self.critic.trainable_variables, values))) as scope:\n" +
        "                    fake = self.generator(real, training=True)\n" +
        "                    d_loss = keras.ops.mean(self.critic(fake)) - keras.ops.mean(self.critic(real))\n" +
        "                    d_loss = d_loss + 10.0 * self._jax_gradient_penalty(real, fake)\n" +
        "                return keras.ops.sum(d_loss), (d_loss, [scope.get_current_value(v) for v in stateful])\n" +
        "\n" +
        "            grads, (d_loss, updates) = jax.grad(d_loss_fn, has_aux=True)([v.value for v in self.critic.trainable_variables])\n" +
        "            for v, value in zip(stateful, updates):\n" +
        "                if value is not None:\n" +
        "                    v.assign(value)\n" +
        "            self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        def g_loss_fn(values):\n" +
        "            with keras.StatelessScope(state_mapping=list(zip(self.generator.trainable_variables, values))) as scope:\n" +
        "                g_loss = -keras.ops.mean(self.critic(self.generator(real, training=True)))\n" +
        "            return g_loss, [scope.get_current_value(v) for v in stateful]\n" +
        "\n" +
        "        (g_loss, updates), grads = jax.value_and_grad(g_loss_fn, has_aux=True)([v.value for v in self.generator.trainable_variables])\n" +
        "        for v, value in zip(stateful, updates):\n" +
        "            if value is not None:\n" +
        "                v.assign(value)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        logs = {\"d_loss\": d_loss, \"g_loss\": g_loss}\n" +
        "        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n",
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "two tapes in one `with`, one of them asked for two gradients (a non-persistent tape gives one): advice only",
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def train_step(self, data):\n" +
        "        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n" +
        "            gen_loss = keras.ops.mean(self.generator(data))\n" +
        "            disc_loss = keras.ops.mean(self.discriminator(data))\n" +
        "        gen_grads = gen_tape.gradient(gen_loss, self.generator.trainable_variables)\n" +
        "        more = gen_tape.gradient(disc_loss, self.generator.trainable_variables)\n" +
        "        disc_grads = disc_tape.gradient(disc_loss, self.discriminator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "        self.d_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "        return {\"g\": gen_loss}\n",
      errors: [
        {line: 5, column: 14, message: "The per-backend step is not written automatically: `gen_tape` is used other than in one `grads = gen_tape.gradient(loss, variables)`."},
        {line: 5, column: 45},
        {line: 11, column: 9},
        {line: 12, column: 9}
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "a tape and another context manager in one `with`: advice only",
      code:
        HEAD +
        "class GAN(keras.Model):\n" +
        "    def train_step(self, data):\n" +
        "        with tf.GradientTape() as gen_tape, keras.name_scope(\"gen\"):\n" +
        "            gen_loss = keras.ops.mean(self.generator(data))\n" +
        "        gen_grads = gen_tape.gradient(gen_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(gen_grads, self.generator.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            disc_loss = keras.ops.mean(self.discriminator(data))\n" +
        "        disc_grads = tape.gradient(disc_loss, self.discriminator.trainable_variables)\n" +
        "        self.d_optimizer.apply_gradients(zip(disc_grads, self.discriminator.trainable_variables))\n" +
        "        return {\"g\": gen_loss}\n",
      errors: [
        {line: 5, column: 14, message: "The per-backend step is not written automatically: its tape `with tf.GradientTape() as gen_tape, keras.name_scope(\"gen\")` is not a plain `tf.GradientTape()` or `tf.GradientTape(persistent=True)`."},
        {line: 8, column: 9},
        {line: 9, column: 14},
        {line: 12, column: 9}
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "a gradient-penalty method whose tape takes the gradient with respect to weights, not a watched tensor: advice spelling out the per-backend edits",
      code:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def penalty(self, x):\n" +
        "        with tf.GradientTape() as gp_tape:\n" +
        "            gp_tape.watch(x)\n" +
        "            pred = self.critic(x)\n" +
        "        grads = gp_tape.gradient(pred, self.critic.trainable_variables)\n" +
        "        return keras.ops.sum(grads[0])\n" +
        "    def train_step(self, real):\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            d_loss = keras.ops.mean(self.critic(real)) + self.penalty(real)\n" +
        "        grads = tape.gradient(d_loss, self.critic.trainable_variables)\n" +
        "        self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(real)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return {\"d_loss\": d_loss}\n",
      errors: [
        {line: 11, column: 14, message: "The per-backend step is not written automatically: `self.penalty()`, called in the step, takes a gradient other than one `gp_tape.gradient(value, [watched tensors])` after its tape (by hand, a gradient of y with respect to a watched x: on PyTorch `x.requires_grad_(True)` under `torch.enable_grad()` and `torch.autograd.grad(y, [x], grad_outputs=torch.ones_like(y), create_graph=True)`; on JAX `jax.grad` of a function of x returning `keras.ops.sum(y)`, called inside the step's tape function)."},
        {line: 14, column: 9},
        {line: 15, column: 14},
        {line: 18, column: 9}
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: "a tape under an `if` in the critic loop: advice only",
      code:
        HEAD +
        "class WGAN(keras.Model):\n" +
        "    def train_step(self, real):\n" +
        "        for i in range(3):\n" +
        "            if i % 2:\n" +
        "                with tf.GradientTape() as tape:\n" +
        "                    d_loss = keras.ops.mean(self.critic(real))\n" +
        "                grads = tape.gradient(d_loss, self.critic.trainable_variables)\n" +
        "                self.d_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))\n" +
        "        with tf.GradientTape() as tape:\n" +
        "            g_loss = -keras.ops.mean(self.critic(self.generator(real)))\n" +
        "        grads = tape.gradient(g_loss, self.generator.trainable_variables)\n" +
        "        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))\n" +
        "        return {\"g_loss\": g_loss}\n",
      errors: [
        {line: 7, column: 22, message: "The per-backend step is not written automatically: a tape is not at the top level of the step or of a `for` loop in it (nested in another tape, or under an `if`)."},
        {line: 10, column: 17},
        {line: 11, column: 14},
        {line: 14, column: 9}
      ],
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'CycleGAN: one persistent tape, several gradients, each applied by its own optimizer: one train_step per backend (PyTorch: torch.autograd.grad with retain_graph=True per gradient; JAX: one forward pass under jax.vjp, each gradient pulling back its loss); the model marked built (ran on TensorFlow, JAX and PyTorch with a BatchNormalization and a Dropout: every weight and statistic trained)',
      code:
        HEAD +
        'class CycleGan(keras.Model):\n' +
        '    def __init__(self, g, f):\n' +
        '        super().__init__()\n' +
        '        self.g = g\n' +
        '        self.f = f\n' +
        '    def train_step(self, batch):\n' +
        '        with tf.GradientTape(persistent=True) as tape:\n' +
        '            g_loss = keras.ops.mean(self.g(batch, training=True))\n' +
        '            f_loss = keras.ops.mean(self.f(batch, training=True))\n' +
        '        grads_g = tape.gradient(g_loss, self.g.trainable_variables)\n' +
        '        grads_f = tape.gradient(f_loss, self.f.trainable_variables)\n' +
        '        self.g_optimizer.apply_gradients(zip(grads_g, self.g.trainable_variables))\n' +
        '        self.f_optimizer.apply_gradients(zip(grads_f, self.f.trainable_variables))\n' +
        '        return {"g_loss": g_loss, "f_loss": f_loss}\n',
      errors: [
        { line: 9, column: 14 },
        { line: 14, column: 9 },
        { line: 15, column: 9 }
      ],
      output:
        'import keras\n' +
        'import tensorflow as tf\n' +
        'class CycleGan(keras.Model):\n' +
        '    def __init__(self, g, f):\n' +
        '        super().__init__()\n' +
        '        self.g = g\n' +
        '        self.f = f\n' +
        '        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n' +
        '        self.built = True\n' +
        '    def train_step(self, *args, **kwargs):\n' +
        '        # Each tape trains a part of the model with its own optimizer: one step per backend.\n' +
        '        if keras.backend.backend() == "jax":\n' +
        '            return self._jax_train_step(*args, **kwargs)\n' +
        '        if keras.backend.backend() == "torch":\n' +
        '            return self._torch_train_step(*args, **kwargs)\n' +
        '        return self._tensorflow_train_step(*args, **kwargs)\n' +
        '\n' +
        '    def make_train_function(self, force=False):\n' +
        '        # On JAX the step updates optimizers\' variables fit() does not hand it: run it un-jitted.\n' +
        '        if keras.backend.backend() == "jax":\n' +
        '            self.jit_compile = False\n' +
        '        return super().make_train_function(force)\n' +
        '\n' +
        '    def _tensorflow_train_step(self, batch):\n' +
        '        with tf.GradientTape(persistent=True) as tape:\n' +
        '            g_loss = keras.ops.mean(self.g(batch, training=True))\n' +
        '            f_loss = keras.ops.mean(self.f(batch, training=True))\n' +
        '        grads_g = tape.gradient(g_loss, self.g.trainable_variables)\n' +
        '        grads_f = tape.gradient(f_loss, self.f.trainable_variables)\n' +
        '        self.g_optimizer.apply_gradients(zip(grads_g, self.g.trainable_variables))\n' +
        '        self.f_optimizer.apply_gradients(zip(grads_f, self.f.trainable_variables))\n' +
        '        return {"g_loss": g_loss, "f_loss": f_loss}\n' +
        '\n' +
        '    def _torch_train_step(self, batch):\n' +
        '        import torch\n' +
        '\n' +
        "        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n" +
        '        batch = keras.tree.lists_to_tuples(batch)\n' +
        '        # Only what the tapes recorded is differentiated, as on TensorFlow.\n' +
        '        with torch.no_grad():\n' +
        '            with torch.enable_grad():\n' +
        '                g_loss = keras.ops.mean(self.g(batch, training=True))\n' +
        '                f_loss = keras.ops.mean(self.f(batch, training=True))\n' +
        '            grads_g = torch.autograd.grad(g_loss, [v.value for v in self.g.trainable_variables], retain_graph=True, allow_unused=True)\n' +
        '            grads_f = torch.autograd.grad(f_loss, [v.value for v in self.f.trainable_variables], retain_graph=True, allow_unused=True)\n' +
        '            self.g_optimizer.apply_gradients(zip(grads_g, self.g.trainable_variables))\n' +
        '            self.f_optimizer.apply_gradients(zip(grads_f, self.f.trainable_variables))\n' +
        '            return {"g_loss": g_loss, "f_loss": f_loss}\n' +
        '\n' +
        '    def _jax_train_step(self, state, batch):\n' +
        '        import jax\n' +
        '\n' +
        '        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n' +
        '        # variables (fit() detaches their values during an epoch), the step updates them in place\n' +
        '        # and returns them read back; each tape becomes a function of its variables\' values.\n' +
        '        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n' +
        '        for variables, values in zip(fit_variables, state):\n' +
        '            for v, value in zip(variables, values):\n' +
        '                v.assign(value)\n' +
        '        # What the tapes\' bodies update besides the trained variables (seed generators, statistics).\n' +
        '        stateful = self.variables + self.metrics_variables\n' +
        '        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n' +
        "        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n" +
        '        batch = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, batch))\n' +
        '        tape_variables = [self.g.trainable_variables, self.f.trainable_variables]\n' +
        '\n' +
        '        def tape_fn(values):\n' +
        '            with keras.StatelessScope(state_mapping=[(v, x) for vs, xs in zip(tape_variables, values) for v, x in zip(vs, xs)]) as scope:\n' +
        '                g_loss = keras.ops.mean(self.g(batch, training=True))\n' +
        '                f_loss = keras.ops.mean(self.f(batch, training=True))\n' +
        '            return (g_loss, f_loss), [scope.get_current_value(v) for v in stateful]\n' +
        '\n' +
        '        losses, pullback, updates = jax.vjp(tape_fn, [[v.value for v in vs] for vs in tape_variables], has_aux=True)\n' +
        '        g_loss, f_loss = losses\n' +
        '        for v, value in zip(stateful, updates):\n' +
        '            if value is not None:\n' +
        '                v.assign(value)\n' +
        '        grads_g = pullback(tuple(keras.ops.ones_like(l) if j == 0 else keras.ops.zeros_like(l) for j, l in enumerate(losses)))[0][0]\n' +
        '        grads_f = pullback(tuple(keras.ops.ones_like(l) if j == 1 else keras.ops.zeros_like(l) for j, l in enumerate(losses)))[0][1]\n' +
        '        self.g_optimizer.apply_gradients(zip(grads_g, self.g.trainable_variables))\n' +
        '        self.f_optimizer.apply_gradients(zip(grads_f, self.f.trainable_variables))\n' +
        '        logs = {"g_loss": g_loss, "f_loss": f_loss}\n' +
        '        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n',
      fixOptions: { unsafe: true, select: ['KM141'] }
    },
    {
      name: 'keras.io DCGAN: two tapes, each applied by its own optimizer: no rewrite; the advice gives the per-backend steps that ran',
      code:
        HEAD +
        'class GAN(keras.Model):\n' +
        '    def train_step(self, real_images):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            d_loss = self.loss_fn(self.labels, self.discriminator(real_images))\n' +
        '        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)\n' +
        '        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            g_loss = self.loss_fn(self.labels, self.discriminator(self.generator(real_images)))\n' +
        '        grads = tape.gradient(g_loss, self.generator.trainable_weights)\n' +
        '        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))\n' +
        '        return {"d_loss": d_loss, "g_loss": g_loss}\n',
      errors: [
        { line: 5, column: 14, message: 'it uses several gradient tapes, each applied by its own optimizer (`self.d_optimizer`, `self.g_optimizer`)): fit() applies one optimizer to one loss' },
        { line: 8, column: 9 },
        { line: 9, column: 14, message: '`jax.value_and_grad` over each sub-model' },
        { line: 12, column: 9 }
      ],
      fixOptions: { unsafe: true }
    },
    {
      name: 'beta-VAE (keras.io VAE variant): `if isinstance(data, tuple): data = data[0]`, the losses in a helper run on data, a test_step doing the same and returning every metric result: call() runs the forward part of the helper on x as fit() gives it (no mapping of the datasets), compute_loss() the rest; the helper and test_step go',
      code:
        HEAD +
        '\n' +
        '\n' +
        'class BetaVAE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, beta=1.0):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.beta = beta\n' +
        '        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")\n' +
        '        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")\n' +
        '\n' +
        '    def compute_losses(self, data):\n' +
        '        z_mean, z_log_var, z = self.encoder(data)\n' +
        '        reconstruction = self.decoder(z)\n' +
        '        reconstruction_loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        kl_loss = -0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean) - keras.ops.exp(z_log_var))\n' +
        '        total_loss = reconstruction_loss + self.beta * kl_loss\n' +
        '        return total_loss, kl_loss\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        if isinstance(data, tuple):\n' +
        '            data = data[0]\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            total_loss, kl_loss = self.compute_losses(data)\n' +
        '        grads = tape.gradient(total_loss, self.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))\n' +
        '        self.total_loss_tracker.update_state(total_loss)\n' +
        '        self.kl_loss_tracker.update_state(kl_loss)\n' +
        '        return {"loss": self.total_loss_tracker.result(), "kl_loss": self.kl_loss_tracker.result()}\n' +
        '\n' +
        '    def test_step(self, data):\n' +
        '        if isinstance(data, tuple):\n' +
        '            data = data[0]\n' +
        '        total_loss, kl_loss = self.compute_losses(data)\n' +
        '        self.total_loss_tracker.update_state(total_loss)\n' +
        '        self.kl_loss_tracker.update_state(kl_loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 25, column: 14, message: "it hands `data` whole to `self.compute_losses()`, which runs a layer on it (in Keras 3 call() does, given the batch's x by fit())" },
        { line: 28, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        '\n' +
        '\n' +
        'class BetaVAE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, beta=1.0):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.beta = beta\n' +
        '        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")\n' +
        '        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")\n' +
        '\n' +
        '    def call(self, data, training=False):\n' +
        '        z_mean, z_log_var, z = self.encoder(data)\n' +
        '        reconstruction = self.decoder(z)\n' +
        '        return z_mean, z_log_var, reconstruction\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        z_mean, z_log_var, reconstruction = y_pred\n' +
        '        data = x\n' +
        '        reconstruction_loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        kl_loss = -0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean) - keras.ops.exp(z_log_var))\n' +
        '        total_loss = reconstruction_loss + self.beta * kl_loss\n' +
        '        self.total_loss_tracker.update_state(total_loss)\n' +
        '        self.kl_loss_tracker.update_state(kl_loss)\n' +
        '        return keras.ops.sum(total_loss)\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": self.total_loss_tracker.result(), "kl_loss": self.kl_loss_tracker.result()}\n'
    },
    {
      name: 'the same beta-VAE whose train_step returns the losses, not tracker results: its test_step returning every metric result is not the same step, no compute_loss() rewrite; the one-optimizer per-backend step instead, the test_step kept as written (run on TF, JAX and PyTorch with fit(validation_data=) and evaluate())',
      code:
        HEAD +
        '\n' +
        '\n' +
        'class BetaVAE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, beta=1.0):\n' +
        '        super().__init__()\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.beta = beta\n' +
        '        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")\n' +
        '        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")\n' +
        '\n' +
        '    def compute_losses(self, data):\n' +
        '        z_mean, z_log_var, z = self.encoder(data)\n' +
        '        reconstruction = self.decoder(z)\n' +
        '        reconstruction_loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        kl_loss = -0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean) - keras.ops.exp(z_log_var))\n' +
        '        total_loss = reconstruction_loss + self.beta * kl_loss\n' +
        '        return total_loss, kl_loss\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        if isinstance(data, tuple):\n' +
        '            data = data[0]\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            total_loss, kl_loss = self.compute_losses(data)\n' +
        '        grads = tape.gradient(total_loss, self.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))\n' +
        '        self.total_loss_tracker.update_state(total_loss)\n' +
        '        self.kl_loss_tracker.update_state(kl_loss)\n' +
        '        return {"loss": total_loss, "kl_loss": kl_loss}\n' +
        '\n' +
        '    def test_step(self, data):\n' +
        '        if isinstance(data, tuple):\n' +
        '            data = data[0]\n' +
        '        total_loss, kl_loss = self.compute_losses(data)\n' +
        '        self.total_loss_tracker.update_state(total_loss)\n' +
        '        self.kl_loss_tracker.update_state(kl_loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 25, column: 14, message: 'and its test_step reads the batch its own way' },
        { line: 28, column: 9 }
      ],
      output: "import keras\nimport tensorflow as tf\n\n\nclass BetaVAE(keras.Model):\n    def __init__(self, encoder, decoder, beta=1.0):\n        super().__init__()\n        self.encoder = encoder\n        self.decoder = decoder\n        self.beta = beta\n        self.total_loss_tracker = keras.metrics.Mean(name=\"total_loss\")\n        self.kl_loss_tracker = keras.metrics.Mean(name=\"kl_loss\")\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def compute_losses(self, data):\n        z_mean, z_log_var, z = self.encoder(data)\n        reconstruction = self.decoder(z)\n        reconstruction_loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n        kl_loss = -0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean) - keras.ops.exp(z_log_var))\n        total_loss = reconstruction_loss + self.beta * kl_loss\n        return total_loss, kl_loss\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and all(layer.built for layer in self._flatten_layers()):\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        if isinstance(data, tuple):\n            data = data[0]\n        with tf.GradientTape() as tape:\n            total_loss, kl_loss = self.compute_losses(data)\n        grads = tape.gradient(total_loss, self.trainable_weights)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))\n        self.total_loss_tracker.update_state(total_loss)\n        self.kl_loss_tracker.update_state(kl_loss)\n        return {\"loss\": total_loss, \"kl_loss\": kl_loss}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            if isinstance(data, tuple):\n                data = data[0]\n            with torch.enable_grad():\n                total_loss, kl_loss = self.compute_losses(data)\n            grads = torch.autograd.grad(total_loss, [v.value for v in self.trainable_weights], grad_outputs=torch.ones_like(total_loss), allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))\n            self.total_loss_tracker.update_state(total_loss)\n            self.kl_loss_tracker.update_state(kl_loss)\n            return {\"loss\": total_loss, \"kl_loss\": kl_loss}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        if isinstance(data, tuple):\n            data = data[0]\n        if not self.optimizer.built:\n            # Parts of the model may make their variables at their first call, and this step differentiates\n            # those that exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                total_loss, kl_loss = self.compute_losses(data)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def total_loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_weights, values))) as scope:\n                total_loss, kl_loss = self.compute_losses(data)\n            return keras.ops.sum(total_loss), (total_loss, kl_loss, [scope.get_current_value(v) for v in stateful])\n\n        grads, (total_loss, kl_loss, updates) = jax.grad(total_loss_fn, has_aux=True)([v.value for v in self.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))\n        self.total_loss_tracker.update_state(total_loss)\n        self.kl_loss_tracker.update_state(kl_loss)\n        logs = {\"loss\": total_loss, \"kl_loss\": kl_loss}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n    def test_step(self, data):\n        if isinstance(data, tuple):\n            data = data[0]\n        total_loss, kl_loss = self.compute_losses(data)\n        self.total_loss_tracker.update_state(total_loss)\n        self.kl_loss_tracker.update_state(kl_loss)\n        return {m.name: m.result() for m in self.metrics}\n",
      fixOptions: { unsafe: true }
    },
    {
      // The shim is `self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=...)` on TensorFlow (Keras 3.15):
      // Keras's own compute_loss() the same way is safe. Ran after `fix --unsafe` with fit(validation_data=) and evaluate()
      // on TensorFlow, JAX and PyTorch (the unfixed step fails on JAX and PyTorch).
      name: 'a test_step of its own using the compiled shims: compiled_loss becomes super().compute_loss(None, ...) (safe)',
      code: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = self.compiled_loss(y, y_pred, sample_weight=None)\n        self.tracker.update_state(loss)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 16, column: 16 }, { line: 18, column: 9 }],
      output: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = super().compute_loss(None, y, y_pred, sample_weight=None)\n        # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n        for metric in self.metrics:\n            if metric.name == \"loss\":\n                metric.update_state(loss)\n        self.tracker.update_state(loss)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n"
    },
    {
      name: 'the same: compiled_metrics.update_state becomes super().compute_metrics(None, ...) (a suggestion: the loss tracker is not fed y_pred as the shim did)',
      code: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = self.compiled_loss(y, y_pred, sample_weight=None)\n        self.tracker.update_state(loss)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 16, column: 16 }, { line: 18, column: 9 }],
      output: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = super().compute_loss(None, y, y_pred, sample_weight=None)\n        # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n        for metric in self.metrics:\n            if metric.name == \"loss\":\n                metric.update_state(loss)\n        self.tracker.update_state(loss)\n        super().compute_metrics(None, y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      fixOptions: { unsafe: true }
    },
    {
      // Keras 2's compiled_loss added `regularization_losses` to the loss and fed the total to the "loss" metric; Keras 3's
      // compute_loss() adds the model's losses itself. Ran after `fix --unsafe` with a kernel_regularizer, fit(validation_data=)
      // and evaluate(): the logged val_loss is the compiled loss plus the regularization on TensorFlow, JAX and PyTorch, as on Keras 2.
      name: 'a test_step passing regularization_losses=self.losses: the keyword goes (compute_loss() adds them), the "loss" metric is updated',
      code: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1, kernel_regularizer=\"l2\")\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)\n        self.tracker.update_state(loss)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 16, column: 16 }, { line: 18, column: 9 }],
      output: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1, kernel_regularizer=\"l2\")\n        self.tracker = keras.metrics.Mean(name=\"val_tracked\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = super().compute_loss(None, y, y_pred)\n        # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n        for metric in self.metrics:\n            if metric.name == \"loss\":\n                metric.update_state(loss)\n        self.tracker.update_state(loss)\n        super().compute_metrics(None, y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      fixOptions: { unsafe: true }
    },
    {
      name: 'a test_step passing other regularization losses: no shim fix (compute_loss() would not add them)',
      code: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1, kernel_regularizer=\"l2\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = self.compiled_loss(y, y_pred, regularization_losses=[0.1 * keras.ops.sum(self.dense.kernel)])\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      errors: [{ line: 15, column: 16 }, { line: 16, column: 9 }],
      output: "import keras\n\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1, kernel_regularizer=\"l2\")\n\n    def call(self, x):\n        return self.dense(x)\n\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        loss = self.compiled_loss(y, y_pred, regularization_losses=[0.1 * keras.ops.sum(self.dense.kernel)])\n        super().compute_metrics(None, y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\n",
      fixOptions: { unsafe: true }
    },
    {
      // Ran after `fix --unsafe` (a kernel_regularizer, a zero learning rate): the logged loss is the compiled loss plus the
      // regularization on TensorFlow, JAX and PyTorch, as Keras 2 logged it; before, 0 (JAX, PyTorch) or the mean prediction (TensorFlow).
      name: 'a per-backend step passing regularization_losses=self.losses: the keyword goes, each backend updates the "loss" metric after compute_loss()',
      code: "import keras\nimport tensorflow as tf\n\n\nclass Penalized(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)\n            total = loss + 0.1 * keras.ops.mean(y_pred)\n        grads = tape.gradient(total, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compiled_metrics.update_state(y, y_pred)\n        return {\"total\": total, **{m.name: m.result() for m in self.metrics}}\n",
      errors: [{ line: 8, column: 14 }, { line: 10, column: 20 }, { line: 13, column: 9 }, { line: 14, column: 9 }],
      output: "import keras\nimport tensorflow as tf\n\n\nclass Penalized(keras.Model):\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compute_loss(None, y, y_pred)\n            # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n            for metric in self.metrics:\n                if metric.name == \"loss\":\n                    metric.update_state(loss)\n            total = loss + 0.1 * keras.ops.mean(y_pred)\n        grads = tape.gradient(total, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compute_metrics(None, y, y_pred)\n        return {\"total\": total, **{m.name: m.result() for m in self.metrics}}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            x, y = data\n            with torch.enable_grad():\n                y_pred = self(x, training=True)\n                loss = self.compute_loss(None, y, y_pred)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n                total = loss + 0.1 * keras.ops.mean(y_pred)\n            grads = torch.autograd.grad(total, [v.value for v in self.trainable_variables], allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            self.compute_metrics(None, y, y_pred)\n            return {\"total\": total, **{m.name: m.result() for m in self.metrics}}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        x, y = data\n        def total_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                y_pred = self(x, training=True)\n                loss = self.compute_loss(None, y, y_pred)\n                # Keras 2's compiled_loss also updated the \"loss\" metric; Keras 3's compute_loss() does not.\n                for metric in self.metrics:\n                    if metric.name == \"loss\":\n                        metric.update_state(loss)\n                total = loss + 0.1 * keras.ops.mean(y_pred)\n            return total, (y_pred, [scope.get_current_value(v) for v in stateful])\n\n        (total, (y_pred, updates)), grads = jax.value_and_grad(total_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.compute_metrics(None, y, y_pred)\n        logs = {\"total\": total, **{m.name: m.result() for m in self.metrics}}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n",
      fixOptions: { unsafe: true }
    },
    {
      name: 'a test step kept as _test_step by the step-signature fix is still a step; a class with a compute_loss() of its own gets no shim fix (the shim called the override)',
      code: "import keras\n\n\nclass M(keras.Model):\n    def test_step(self, *args, **kwargs):\n        if keras.backend.backend() == \"jax\":\n            return self._jax_test_step(*args, **kwargs)\n        return self._test_step(*args, **kwargs)\n\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return super().compute_loss(x, y, y_pred, sample_weight, training) * 2.0\n\n    def _test_step(self, data):\n        x, y = data\n        loss = self.compiled_loss(y, self(x))\n        return {\"loss\": loss}\n",
      errors: [{ line: 15, column: 16 }],
      fixOptions: { unsafe: true }
    },
    {
      // nerf_volume_rendering.py after its other fixes: runs on TensorFlow, JAX and PyTorch with this rewrite.
      name: 'keras.io NeRF: a model without call() training a held sub-model through a local name for its variables, computing PSNR after the step, with a test_step of its own: the one-optimizer per-backend step',
      code: "import keras\nimport tensorflow as tf\n\n\nclass NeRF(keras.Model):\n    def __init__(self, nerf_model):\n        super().__init__()\n        self.nerf_model = nerf_model\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def compile(self, optimizer, loss_fn):\n        super().compile()\n        self.optimizer = optimizer\n        self.loss_fn = loss_fn\n\n    def train_step(self, inputs):\n        (images, rays) = inputs\n        with tf.GradientTape() as tape:\n            rgb = self.nerf_model(rays)\n            loss = self.loss_fn(images, rgb)\n        trainable_variables = self.nerf_model.trainable_variables\n        gradients = tape.gradient(loss, trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, trainable_variables))\n        psnr = keras.ops.mean(keras.ops.square(images - rgb))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result(), \"psnr\": psnr}\n\n    def test_step(self, inputs):\n        (images, rays) = inputs\n        rgb = self.nerf_model(rays)\n        self.loss_tracker.update_state(self.loss_fn(images, rgb))\n        return {\"loss\": self.loss_tracker.result()}\n",
      errors: [
        { line: 18, column: 14, message: 'is more than a loss computation' },
        { line: 23, column: 9 }
      ],
      output: "import keras\nimport tensorflow as tf\n\n\nclass NeRF(keras.Model):\n    def __init__(self, nerf_model):\n        super().__init__()\n        self.nerf_model = nerf_model\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n        # No call(): fit() cannot build the model from data (on JAX and PyTorch); its parts are built.\n        self.built = True\n\n    def compile(self, optimizer, loss_fn):\n        super().compile()\n        self.optimizer = optimizer\n        self.loss_fn = loss_fn\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and all(layer.built for layer in self._flatten_layers()):\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, inputs):\n        (images, rays) = inputs\n        with tf.GradientTape() as tape:\n            rgb = self.nerf_model(rays)\n            loss = self.loss_fn(images, rgb)\n        trainable_variables = self.nerf_model.trainable_variables\n        gradients = tape.gradient(loss, trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, trainable_variables))\n        psnr = keras.ops.mean(keras.ops.square(images - rgb))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result(), \"psnr\": psnr}\n\n    def _torch_train_step(self, inputs):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        inputs = keras.tree.lists_to_tuples(inputs)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            (images, rays) = inputs\n            with torch.enable_grad():\n                rgb = self.nerf_model(rays)\n                loss = self.loss_fn(images, rgb)\n            trainable_variables = self.nerf_model.trainable_variables\n            gradients = torch.autograd.grad(loss, [v.value for v in self.nerf_model.trainable_variables], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            self.optimizer.apply_gradients(zip(gradients, trainable_variables))\n            psnr = keras.ops.mean(keras.ops.square(images - rgb))\n            self.loss_tracker.update_state(loss)\n            return {\"loss\": self.loss_tracker.result(), \"psnr\": psnr}\n\n    def _jax_train_step(self, state, inputs):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        inputs = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, inputs))\n        (images, rays) = inputs\n        if not self.optimizer.built:\n            # Parts of the model may make their variables at their first call, and this step differentiates\n            # those that exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                rgb = self.nerf_model(rays)\n                loss = self.loss_fn(images, rgb)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def _loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.nerf_model.trainable_variables, values))) as scope:\n                rgb = self.nerf_model(rays)\n                loss = self.loss_fn(images, rgb)\n            return keras.ops.sum(loss), (loss, rgb, [scope.get_current_value(v) for v in stateful])\n\n        trainable_variables = self.nerf_model.trainable_variables\n        gradients, (loss, rgb, updates) = jax.grad(_loss_fn, has_aux=True)([v.value for v in self.nerf_model.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(gradients, trainable_variables))\n        psnr = keras.ops.mean(keras.ops.square(images - rgb))\n        self.loss_tracker.update_state(loss)\n        logs = {\"loss\": self.loss_tracker.result(), \"psnr\": psnr}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n    def test_step(self, inputs):\n        (images, rays) = inputs\n        rgb = self.nerf_model(rays)\n        self.loss_tracker.update_state(self.loss_fn(images, rgb))\n        return {\"loss\": self.loss_tracker.result()}\n",
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io Siamese network whose fit() is not in the cell: no compute_loss() rewrite (the whole batch would become fit()\'s x, by a map over the datasets), the one-optimizer per-backend step instead',
      code:
        HEAD +
        'class SiameseModel(keras.Model):\n    def __init__(self, siamese_network):\n        super().__init__()\n        self.siamese_network = siamese_network\n        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '    def call(self, inputs):\n        return self.siamese_network(inputs)\n' +
        '    def train_step(self, data):\n        # GradientTape is a context manager that records every operation.\n        with tf.GradientTape() as tape:\n            loss = self._compute_loss(data)\n' +
        '        gradients = tape.gradient(loss, self.trainable_weights)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n' +
        '        self.loss_tracker.update_state(loss)\n        return {"loss": self.loss_tracker.result()}\n' +
        '    def _compute_loss(self, data):\n        ap_distance, an_distance = self.siamese_network(data)\n        return tf.maximum(ap_distance - an_distance + 0.5, 0.0)\n',
      errors: [
        { line: 12, column: 14, message: "(it hands `data` whole to `self._compute_loss()`, which runs a layer on it, and the datasets given to its fit() are not in this cell): write one train_step per backend" },
        { line: 15, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nclass SiameseModel(keras.Model):\n    def __init__(self, siamese_network):\n        super().__init__()\n        self.siamese_network = siamese_network\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n    def call(self, inputs):\n        return self.siamese_network(inputs)\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        # GradientTape is a context manager that records every operation.\n        with tf.GradientTape() as tape:\n            loss = self._compute_loss(data)\n        gradients = tape.gradient(loss, self.trainable_weights)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n        self.loss_tracker.update_state(loss)\n        return {\"loss\": self.loss_tracker.result()}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            # GradientTape is a context manager that records every operation.\n            with torch.enable_grad():\n                loss = self._compute_loss(data)\n            gradients = torch.autograd.grad(loss, [v.value for v in self.trainable_weights], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n            self.loss_tracker.update_state(loss)\n            return {\"loss\": self.loss_tracker.result()}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        # GradientTape is a context manager that records every operation.\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                loss = self._compute_loss(data)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_weights, values))) as scope:\n                loss = self._compute_loss(data)\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in stateful])\n\n        gradients, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in self.trainable_weights])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))\n        self.loss_tracker.update_state(loss)\n        logs = {\"loss\": self.loss_tracker.result()}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n    def _compute_loss(self, data):\n        ap_distance, an_distance = self.siamese_network(data)\n        return tf.maximum(ap_distance - an_distance + 0.5, 0.0)\n"
    },
    {
      name: 'keras.io Siamese network (triplet loss in a helper, test_step doing the same, fit() on a dataset of triplets): call() is already the forward pass; compute_loss() unpacks y_pred (the helper\'s comments kept), the helper and test_step go, the datasets yield the triplet as x',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class SiameseModel(keras.Model):\n' +
        '    def __init__(self, siamese_network, margin=0.5):\n' +
        '        super().__init__()\n' +
        '        self.siamese_network = siamese_network\n' +
        '        self.margin = margin\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, inputs):\n' +
        '        return self.siamese_network(inputs)\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            loss = self._compute_loss(data)\n' +
        '        gradients = tape.gradient(loss, self.siamese_network.trainable_weights)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.siamese_network.trainable_weights))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '    def test_step(self, data):\n' +
        '        loss = self._compute_loss(data)\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '    def _compute_loss(self, data):\n' +
        '        # The distances between the anchor and the positive, and the anchor and the negative.\n' +
        '        ap_distance, an_distance = self.siamese_network(data)\n' +
        '\n' +
        '        # The triplet loss.\n' +
        '        loss = ap_distance - an_distance  # may be negative\n' +
        '        loss = keras.ops.maximum(loss + self.margin, 0.0)\n' +
        '        return loss\n' +
        '\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [self.loss_tracker]\n' +
        '\n' +
        '\n' +
        'train_dataset = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n' +
        'siamese_model = SiameseModel(siamese_network)\n' +
        'siamese_model.compile(optimizer="adam")\n' +
        'siamese_model.fit(train_dataset, epochs=1, validation_data=train_dataset.take(1))\n',
      errors: [
        { line: 17, column: 14, message: "it hands `data` whole to `self._compute_loss()`, which runs a layer on it (in Keras 3 call() does, given the whole batch as x by fit())" },
        { line: 20, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'def batch_as_x(*batch):\n' +
        '    """The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of SiameseModel took it."""\n' +
        '    return (batch if len(batch) > 1 else batch[0],)\n' +
        '\n' +
        '\n' +
        'class SiameseModel(keras.Model):\n' +
        '    def __init__(self, siamese_network, margin=0.5):\n' +
        '        super().__init__()\n' +
        '        self.siamese_network = siamese_network\n' +
        '        self.margin = margin\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, inputs):\n' +
        '        return self.siamese_network(inputs)\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        # The distances between the anchor and the positive, and the anchor and the negative.\n' +
        '        ap_distance, an_distance = y_pred\n' +
        '        # The triplet loss.\n' +
        '        loss = ap_distance - an_distance  # may be negative\n' +
        '        loss = keras.ops.maximum(loss + self.margin, 0.0)\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return keras.ops.sum(loss)\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '    @property\n' +
        '    def metrics(self):\n' +
        '        return [self.loss_tracker]\n' +
        '\n' +
        '\n' +
        'train_dataset = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n' +
        'siamese_model = SiameseModel(siamese_network)\n' +
        'siamese_model.compile(optimizer="adam")\n' +
        'siamese_model.fit(train_dataset.map(batch_as_x), epochs=1, validation_data=train_dataset.take(1).map(batch_as_x))\n'
    },
    {
      name: 'keras.io masked autoencoder (a loss helper with a test flag returning the loss and what the compiled metrics compare, gradients over a list of sub-models\' variables flattened into pairs, a test_step calling the helper with test=True): call() is the helper with `test = not training`, the sub-model left out of the list is frozen',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class MAE(keras.Model):\n' +
        '    def __init__(self, train_aug, test_aug, encoder, decoder):\n' +
        '        super().__init__()\n' +
        '        self.train_aug = train_aug\n' +
        '        self.test_aug = test_aug\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '\n' +
        '    def calculate_loss(self, images, test=False):\n' +
        '        if test:\n' +
        '            augmented = self.test_aug(images)\n' +
        '        else:\n' +
        '            augmented = self.train_aug(images)\n' +
        '        decoded = self.decoder(self.encoder(augmented))\n' +
        '        total_loss = self.compiled_loss(augmented, decoded)\n' +
        '        return total_loss, augmented, decoded\n' +
        '\n' +
        '    def train_step(self, images):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            total_loss, augmented, decoded = self.calculate_loss(images)\n' +
        '        train_vars = [self.train_aug.trainable_variables, self.encoder.trainable_variables, self.decoder.trainable_variables]\n' +
        '        grads = tape.gradient(total_loss, train_vars)\n' +
        '        tv_list = []\n' +
        '        for (grad, var) in zip(grads, train_vars):\n' +
        '            for g, v in zip(grad, var):\n' +
        '                tv_list.append((g, v))\n' +
        '        self.optimizer.apply_gradients(tv_list)\n' +
        '        self.compiled_metrics.update_state(augmented, decoded)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '    def test_step(self, images):\n' +
        '        total_loss, augmented, decoded = self.calculate_loss(images, test=True)\n' +
        '        self.compiled_metrics.update_state(augmented, decoded)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 4), "float32")).batch(4)\n' +
        'model = MAE(keras.layers.Dropout(0.1), keras.layers.Identity(), keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' +
        'model.fit(ds, epochs=1, validation_data=ds)\n',
      errors: [
        { line: 24, column: 14, message: "it hands `images` whole to `self.calculate_loss()`, which runs a layer on it (in Keras 3 call() does, given the whole batch as x by fit())" },
        { line: 32, column: 9 },
        { line: 33, column: 9 },
        { line: 38, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'def batch_as_x(*batch):\n' +
        '    """The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of MAE took it."""\n' +
        '    return (batch if len(batch) > 1 else batch[0],)\n' +
        '\n' +
        '\n' +
        'class MAE(keras.Model):\n' +
        '    def __init__(self, train_aug, test_aug, encoder, decoder):\n' +
        '        super().__init__()\n' +
        '        self.train_aug = train_aug\n' +
        '        self.test_aug = test_aug\n' +
        '        self.test_aug.trainable = False  # the Keras 2 train_step did not train it\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '\n' +
        '    def call(self, images, training=False):\n' +
        '        test = not training\n' +
        '        if test:\n' +
        '            augmented = self.test_aug(images)\n' +
        '        else:\n' +
        '            augmented = self.train_aug(images)\n' +
        '        decoded = self.decoder(self.encoder(augmented))\n' +
        '        return augmented, decoded\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        augmented, decoded = y_pred\n' +
        '        total_loss = super().compute_loss(x=x, y=augmented, y_pred=decoded)\n' +
        '        return total_loss\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        augmented, decoded = y_pred\n' +
        '        return super().compute_metrics(x, augmented, decoded)\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 4), "float32")).batch(4)\n' +
        'model = MAE(keras.layers.Dropout(0.1), keras.layers.Identity(), keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' +
        'model.fit(ds.map(batch_as_x), epochs=1, validation_data=ds.map(batch_as_x))\n'
    },
    {
      name: 'gradients over a list of sub-models\' variables that leaves out an attribute the model never calls: no rewrite (it may hold variables fit() would train)',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class MAE(keras.Model):\n' +
        '    def __init__(self, train_aug, test_aug, encoder, decoder, extra):\n' +
        '        super().__init__()\n' +
        '        self.train_aug = train_aug\n' +
        '        self.test_aug = test_aug\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.extra = extra\n' +
        '\n' +
        '    def calculate_loss(self, images, test=False):\n' +
        '        if test:\n' +
        '            augmented = self.test_aug(images)\n' +
        '        else:\n' +
        '            augmented = self.train_aug(images)\n' +
        '        decoded = self.decoder(self.encoder(augmented))\n' +
        '        total_loss = self.compiled_loss(augmented, decoded)\n' +
        '        return total_loss, augmented, decoded\n' +
        '\n' +
        '    def train_step(self, images):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            total_loss, augmented, decoded = self.calculate_loss(images)\n' +
        '        train_vars = [self.train_aug.trainable_variables, self.encoder.trainable_variables, self.decoder.trainable_variables]\n' +
        '        grads = tape.gradient(total_loss, train_vars)\n' +
        '        tv_list = []\n' +
        '        for (grad, var) in zip(grads, train_vars):\n' +
        '            for g, v in zip(grad, var):\n' +
        '                tv_list.append((g, v))\n' +
        '        self.optimizer.apply_gradients(tv_list)\n' +
        '        self.compiled_metrics.update_state(augmented, decoded)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '    def test_step(self, images):\n' +
        '        total_loss, augmented, decoded = self.calculate_loss(images, test=True)\n' +
        '        self.compiled_metrics.update_state(augmented, decoded)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 4), "float32")).batch(4)\n' +
        'model = MAE(keras.layers.Dropout(0.1), keras.layers.Identity(), keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' +
        'model.fit(ds, epochs=1, validation_data=ds)\n',
      errors: [
        { line: 25, column: 14, message: 'it trains the variables of self.decoder, self.encoder, self.train_aug only, and `self.extra` may hold others' },
        { line: 33, column: 9 },
        { line: 34, column: 9 },
        { line: 39, column: 9 }
      ]
    },
    {
      name: 'keras.io GAT: the model run on the graph it holds, the batch only selecting rows: no rewrite, advice on a call() taking the batch',
      code:
        HEAD +
        'class GAT(keras.Model):\n' +
        '    def __init__(self, node_states, edges):\n' +
        '        super().__init__()\n' +
        '        self.node_states = node_states\n' +
        '        self.edges = edges\n' +
        '        self.dense = keras.layers.Dense(3)\n' +
        '\n' +
        '    def call(self, inputs):\n' +
        '        node_states, edges = inputs\n' +
        '        return self.dense(node_states)\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        indices, labels = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            outputs = self([self.node_states, self.edges])\n' +
        '            loss = self.compiled_loss(labels, tf.gather(outputs, indices))\n' +
        '        grads = tape.gradient(loss, self.trainable_weights)\n' +
        '        optimizer.apply_gradients(zip(grads, self.trainable_weights))\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 16, column: 14, message: 'it runs the model on inputs the model holds (`self([self.node_states, self.edges])`), not on the batch): Keras 3\'s fit() calls the model on the x of each batch' },
        { line: 18, column: 20 },
        { line: 20, column: 9 }
      ]
    },
    {
      name: 'a module-level optimizer applying the gradient: no rewrite, said so',
      code:
        HEAD +
        'class M(keras.Model):\n' +
        '    def train_step(self, data):\n' +
        '        x, y = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            loss = self.compiled_loss(y, self(x, training=True))\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n' +
        '        optimizer.apply_gradients(zip(grads, self.trainable_variables))\n' +
        '        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 6, column: 14, message: 'it applies the gradient with `optimizer`, not with the optimizer given to compile() (`self.optimizer`)' },
        { line: 7, column: 20 },
        { line: 9, column: 9 }
      ]
    },
    {
      name: 'gradients over the sum of every sub-model\'s variables (`self.encoder.trainable_variables + self.decoder.trainable_variables`): the whole model, as `self.trainable_variables`',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class AE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            z = self.encoder(data)\n' +
        '            reconstruction = self.decoder(z)\n' +
        '            loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        train_vars = self.encoder.trainable_variables + self.decoder.trainable_variables\n' +
        '        grads = tape.gradient(loss, train_vars)\n' +
        '        self.optimizer.apply_gradients(zip(grads, train_vars))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '\n' +
        'x = np.random.rand(16, 4).astype("float32")\n' +
        'model = AE(keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(x, epochs=1, batch_size=8)\n',
      errors: [{ line: 14, column: 14, message: 'the step only computes a loss' }, { line: 20, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class AE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, data):\n' +
        '        z = self.encoder(data)\n' +
        '        reconstruction = self.decoder(z)\n' +
        '        return z, reconstruction\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        data = x\n' +
        '        z, reconstruction = y_pred\n' +
        '        loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return loss\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '\n' +
        'x = np.random.rand(16, 4).astype("float32")\n' +
        'model = AE(keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(x, epochs=1, batch_size=8)\n'
    },
    {
      name: 'the sum in parentheses over several lines (keras.io SimSiam `learnable_params = (...)`): the whole model too',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class AE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            z = self.encoder(data)\n' +
        '            reconstruction = self.decoder(z)\n' +
        '            loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        train_vars = (\n' +
        '            self.encoder.trainable_variables + self.decoder.trainable_variables\n' +
        '        )\n' +
        '        grads = tape.gradient(loss, train_vars)\n' +
        '        self.optimizer.apply_gradients(zip(grads, train_vars))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '\n' +
        'x = np.random.rand(16, 4).astype("float32")\n' +
        'model = AE(keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(x, epochs=1, batch_size=8)\n',
      errors: [{ line: 14, column: 14, message: 'the step only computes a loss' }, { line: 22, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class AE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, data):\n' +
        '        z = self.encoder(data)\n' +
        '        reconstruction = self.decoder(z)\n' +
        '        return z, reconstruction\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        data = x\n' +
        '        z, reconstruction = y_pred\n' +
        '        loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return loss\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '\n' +
        'x = np.random.rand(16, 4).astype("float32")\n' +
        'model = AE(keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(x, epochs=1, batch_size=8)\n'
    },
    {
      name: 'a loss helper returning its outputs under other names than the step unpacks them to: each alias follows the line binding its value (so the forward pass ends before the loss)',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class MAE(keras.Model):\n' +
        '    def __init__(self, train_aug, test_aug, encoder, decoder):\n' +
        '        super().__init__()\n' +
        '        self.train_aug = train_aug\n' +
        '        self.test_aug = test_aug\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '\n' +
        '    def calculate_loss(self, images, test=False):\n' +
        '        if test:\n' +
        '            augmented = self.test_aug(images)\n' +
        '        else:\n' +
        '            augmented = self.train_aug(images)\n' +
        '        decoded = self.decoder(self.encoder(augmented))\n' +
        '        total_loss = self.compiled_loss(augmented, decoded)\n' +
        '        return total_loss, augmented, decoded\n' +
        '\n' +
        '    def train_step(self, images):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            total_loss, target, output = self.calculate_loss(images)\n' +
        '        train_vars = [self.train_aug.trainable_variables, self.encoder.trainable_variables, self.decoder.trainable_variables]\n' +
        '        grads = tape.gradient(total_loss, train_vars)\n' +
        '        tv_list = []\n' +
        '        for (grad, var) in zip(grads, train_vars):\n' +
        '            for g, v in zip(grad, var):\n' +
        '                tv_list.append((g, v))\n' +
        '        self.optimizer.apply_gradients(tv_list)\n' +
        '        self.compiled_metrics.update_state(target, output)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '    def test_step(self, images):\n' +
        '        total_loss, target, output = self.calculate_loss(images, test=True)\n' +
        '        self.compiled_metrics.update_state(target, output)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 4), "float32")).batch(4)\n' +
        'model = MAE(keras.layers.Dropout(0.1), keras.layers.Identity(), keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' +
        'model.fit(ds, epochs=1, validation_data=ds)\n',
      errors: [{ line: 24, column: 14, message: 'it hands `images` whole to `self.calculate_loss()`' }, { line: 32, column: 9 }, { line: 33, column: 9 }, { line: 38, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'def batch_as_x(*batch):\n' +
        '    """The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of MAE took it."""\n' +
        '    return (batch if len(batch) > 1 else batch[0],)\n' +
        '\n' +
        '\n' +
        'class MAE(keras.Model):\n' +
        '    def __init__(self, train_aug, test_aug, encoder, decoder):\n' +
        '        super().__init__()\n' +
        '        self.train_aug = train_aug\n' +
        '        self.test_aug = test_aug\n' +
        '        self.test_aug.trainable = False  # the Keras 2 train_step did not train it\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '\n' +
        '    def call(self, images, training=False):\n' +
        '        test = not training\n' +
        '        if test:\n' +
        '            augmented = self.test_aug(images)\n' +
        '        else:\n' +
        '            augmented = self.train_aug(images)\n' +
        '        target = augmented\n' +
        '        decoded = self.decoder(self.encoder(augmented))\n' +
        '        output = decoded\n' +
        '        return augmented, target, decoded, output\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        augmented, target, decoded, output = y_pred\n' +
        '        total_loss = super().compute_loss(x=x, y=augmented, y_pred=decoded)\n' +
        '        return total_loss\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        augmented, target, decoded, output = y_pred\n' +
        '        return super().compute_metrics(x, target, output)\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices(np.ones((8, 4), "float32")).batch(4)\n' +
        'model = MAE(keras.layers.Dropout(0.1), keras.layers.Identity(), keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam", loss="mse", metrics=["mae"])\n' +
        'model.fit(ds.map(batch_as_x), epochs=1, validation_data=ds.map(batch_as_x))\n'
    },
    {
      name: 'gradients over the sub-models\' variables, and build() makes another layer: no rewrite (fit() would train it)',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class AE(keras.Model):\n' +
        '    def __init__(self, encoder, decoder, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.encoder = encoder\n' +
        '        self.decoder = decoder\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def build(self, input_shape):\n' +
        '        self.head = keras.layers.Dense(1)\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            z = self.encoder(data)\n' +
        '            reconstruction = self.decoder(z)\n' +
        '            loss = keras.ops.mean(keras.ops.square(data - reconstruction))\n' +
        '        train_vars = self.encoder.trainable_variables + self.decoder.trainable_variables\n' +
        '        grads = tape.gradient(loss, train_vars)\n' +
        '        self.optimizer.apply_gradients(zip(grads, train_vars))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {"loss": self.loss_tracker.result()}\n' +
        '\n' +
        '\n' +
        'x = np.random.rand(16, 4).astype("float32")\n' +
        'model = AE(keras.layers.Dense(2), keras.layers.Dense(4))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(x, epochs=1, batch_size=8)\n',
      errors: [{ line: 17, column: 14, message: 'it trains the variables of self.decoder, self.encoder only, and `build()` sets `self.head`' }, { line: 23, column: 9 }]
    },
    {
      name: 'an embedding sub-model run on the unpacked anchor, positive and negative, the loss inline: call() runs the three and returns the embeddings, compute_loss() unpacks them',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class TripletModel(keras.Model):\n' +
        '    def __init__(self, embedding):\n' +
        '        super().__init__()\n' +
        '        self.embedding = embedding\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        anchor, positive, negative = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            a = self.embedding(anchor, training=True)\n' +
        '            p = self.embedding(positive, training=True)\n' +
        '            n = self.embedding(negative, training=True)\n' +
        '            loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n' +
        'model = TripletModel(keras.layers.Dense(3))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(ds, epochs=1)\n',
      errors: [{ line: 14, column: 14, message: 'it runs `self.embedding` on several parts of the batch' }, { line: 20, column: 9 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'def batch_as_x(*batch):\n' +
        '    """The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of TripletModel took it."""\n' +
        '    return (batch if len(batch) > 1 else batch[0],)\n' +
        '\n' +
        '\n' +
        'class TripletModel(keras.Model):\n' +
        '    def __init__(self, embedding):\n' +
        '        super().__init__()\n' +
        '        self.embedding = embedding\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, data, training=False):\n' +
        '        anchor, positive, negative = data\n' +
        '        a = self.embedding(anchor, training=training)\n' +
        '        p = self.embedding(positive, training=training)\n' +
        '        n = self.embedding(negative, training=training)\n' +
        '        return a, p, n\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        a, p, n = y_pred\n' +
        '        loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return keras.ops.sum(loss)\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        return self.get_metrics_result()\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n' +
        'model = TripletModel(keras.layers.Dense(3))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(ds.map(batch_as_x), epochs=1)\n'
    },
    {
      name: 'an embedding sub-model on data[0] and data[1], a similarity matrix, the compiled loss and compiled metrics: call() returns the similarities and labels, compute_loss() and compute_metrics() hand them to Keras\'s own',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class EmbeddingModel(keras.Model):\n' +
        '    def __init__(self, embedding_network):\n' +
        '        super().__init__()\n' +
        '        self.embedding_network = embedding_network\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        anchors, positives = data[0], data[1]\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            anchor_embeddings = self.embedding_network(anchors, training=True)\n' +
        '            positive_embeddings = self.embedding_network(positives, training=True)\n' +
        '            similarities = keras.ops.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)\n' +
        '            similarities /= 0.2\n' +
        '            sparse_labels = keras.ops.arange(4)\n' +
        '            loss = self.compiled_loss(sparse_labels, similarities)\n' +
        '        gradients = tape.gradient(loss, self.trainable_variables)\n' +
        '        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n' +
        '        self.compiled_metrics.update_state(sparse_labels, similarities)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'pairs_ds = tf.data.Dataset.from_tensor_slices(np.ones((3, 2, 4, 5), "float32"))\n' +
        'model = EmbeddingModel(keras.layers.Dense(3))\n' +
        'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n' +
        'model.fit(pairs_ds, epochs=1)\n',
      errors: [
        { line: 13, column: 14, message: 'it runs `self.embedding_network` on several parts of the batch' },
        { line: 19, column: 20 },
        { line: 21, column: 9 },
        { line: 22, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'def batch_as_x(*batch):\n' +
        '    """The whole batch as x for Keras 3\'s fit() (which reads a tuple as x, y, sample_weight), as the Keras 2 train_step of EmbeddingModel took it."""\n' +
        '    return (batch if len(batch) > 1 else batch[0],)\n' +
        '\n' +
        '\n' +
        'class EmbeddingModel(keras.Model):\n' +
        '    def __init__(self, embedding_network):\n' +
        '        super().__init__()\n' +
        '        self.embedding_network = embedding_network\n' +
        '\n' +
        '    def call(self, data, training=False):\n' +
        '        anchors, positives = data[0], data[1]\n' +
        '        anchor_embeddings = self.embedding_network(anchors, training=training)\n' +
        '        positive_embeddings = self.embedding_network(positives, training=training)\n' +
        '        similarities = keras.ops.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)\n' +
        '        similarities /= 0.2\n' +
        '        sparse_labels = keras.ops.arange(4)\n' +
        '        return similarities, sparse_labels\n' +
        '\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n' +
        '        similarities, sparse_labels = y_pred\n' +
        '        loss = super().compute_loss(x=x, y=sparse_labels, y_pred=similarities)\n' +
        '        return loss\n' +
        '\n' +
        '    def compute_metrics(self, x, y, y_pred, sample_weight=None):\n' +
        '        similarities, sparse_labels = y_pred\n' +
        '        return super().compute_metrics(x, sparse_labels, similarities)\n' +
        '\n' +
        '\n' +
        'pairs_ds = tf.data.Dataset.from_tensor_slices(np.ones((3, 2, 4, 5), "float32"))\n' +
        'model = EmbeddingModel(keras.layers.Dense(3))\n' +
        'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n' +
        'model.fit(pairs_ds.map(batch_as_x), epochs=1)\n'
    },
    {
      name: 'the same step in a model whose own call() runs the sub-model on one input (other code may use it): no compute_loss() rewrite, the one-optimizer per-backend step instead',
      code:
        HEAD +
        'import numpy as np\n' +
        '\n' +
        '\n' +
        'class TripletModel(keras.Model):\n' +
        '    def __init__(self, embedding):\n' +
        '        super().__init__()\n' +
        '        self.embedding = embedding\n' +
        '        self.loss_tracker = keras.metrics.Mean(name="loss")\n' +
        '\n' +
        '    def call(self, inputs):\n' +
        '        return self.embedding(inputs)\n' +
        '\n' +
        '    def train_step(self, data):\n' +
        '        anchor, positive, negative = data\n' +
        '        with tf.GradientTape() as tape:\n' +
        '            a = self.embedding(anchor, training=True)\n' +
        '            p = self.embedding(positive, training=True)\n' +
        '            n = self.embedding(negative, training=True)\n' +
        '            loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n' +
        '        self.loss_tracker.update_state(loss)\n' +
        '        return {m.name: m.result() for m in self.metrics}\n' +
        '\n' +
        '\n' +
        'ds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\n' +
        'model = TripletModel(keras.layers.Dense(3))\n' +
        'model.compile(optimizer="adam")\n' +
        'model.fit(ds, epochs=1)\n',
      errors: [
        { line: 17, column: 14, message: "(it runs `self.embedding` on several parts of the batch, and its model's call() is not that forward pass (other code may use it))" },
        { line: 23, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output: "import keras\nimport tensorflow as tf\nimport numpy as np\n\n\nclass TripletModel(keras.Model):\n    def __init__(self, embedding):\n        super().__init__()\n        self.embedding = embedding\n        self.loss_tracker = keras.metrics.Mean(name=\"loss\")\n\n    def call(self, inputs):\n        return self.embedding(inputs)\n\n    def train_step(self, *args, **kwargs):\n        # A step that cannot be a compute_loss() override: one step per backend.\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        if keras.backend.backend() == \"torch\":\n            return self._torch_train_step(*args, **kwargs)\n        return self._tensorflow_train_step(*args, **kwargs)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # Before the first step, fit() builds the compiled loss and metrics by calling the model on\n        # the x of a batch, which this step does not hand the model: on JAX and PyTorch the step's\n        # own compute_loss()/compute_metrics() calls build them (the model is built already).\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built and self.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def make_train_function(self, force=False):\n        # On JAX the step updates optimizers' variables fit() does not hand it: run it un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _tensorflow_train_step(self, data):\n        anchor, positive, negative = data\n        with tf.GradientTape() as tape:\n            a = self.embedding(anchor, training=True)\n            p = self.embedding(positive, training=True)\n            n = self.embedding(negative, training=True)\n            loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        return {m.name: m.result() for m in self.metrics}\n\n    def _torch_train_step(self, data):\n        import torch\n\n        # Tuples, as TensorFlow hands the step (PyTorch's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(data)\n        # Only what the tapes recorded is differentiated, as on TensorFlow.\n        with torch.no_grad():\n            anchor, positive, negative = data\n            with torch.enable_grad():\n                a = self.embedding(anchor, training=True)\n                p = self.embedding(positive, training=True)\n                n = self.embedding(negative, training=True)\n                loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n            grads = torch.autograd.grad(loss, [v.value for v in self.trainable_variables], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n            self.loss_tracker.update_state(loss)\n            return {m.name: m.result() for m in self.metrics}\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # Un-jitted (see make_train_function()): the state fit() hands the step goes back into the\n        # variables (fit() detaches their values during an epoch), the step updates them in place\n        # and returns them read back; each tape becomes a function of its variables' values.\n        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(fit_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        # What the tapes' bodies update besides the trained variables (seed generators, statistics).\n        stateful = self.variables + self.metrics_variables\n        # Arrays, as a jitted step gets them (a layer rejects NumPy data mixed with traced values),\n        # in tuples, as TensorFlow hands the step (JAX's data loading makes them lists).\n        data = keras.tree.lists_to_tuples(jax.tree_util.tree_map(jax.numpy.asarray, data))\n        anchor, positive, negative = data\n        if not self.built:\n            # The model makes its variables at its first call, and this step differentiates those that\n            # exist before it: the tape's body runs once first (what it computes and updates discarded).\n            with keras.StatelessScope():\n                a = self.embedding(anchor, training=True)\n                p = self.embedding(positive, training=True)\n                n = self.embedding(negative, training=True)\n                loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n            if self.optimizer is not None and not self.optimizer.built:\n                self.optimizer.build(self.trainable_variables)\n            stateful = self.variables + self.metrics_variables\n            fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n\n        def loss_fn(values):\n            with keras.StatelessScope(state_mapping=list(zip(self.trainable_variables, values))) as scope:\n                a = self.embedding(anchor, training=True)\n                p = self.embedding(positive, training=True)\n                n = self.embedding(negative, training=True)\n                loss = keras.ops.maximum(keras.ops.sum(keras.ops.square(a - p), -1) - keras.ops.sum(keras.ops.square(a - n), -1) + 0.5, 0.0)\n            return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in stateful])\n\n        grads, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in self.trainable_variables])\n        for v, value in zip(stateful, updates):\n            if value is not None:\n                v.assign(value)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.loss_tracker.update_state(loss)\n        logs = {m.name: m.result() for m in self.metrics}\n        return logs, tuple([v.value for v in variables] for variables in fit_variables)\n\n\nds = tf.data.Dataset.from_tensor_slices((np.ones((8, 4)), np.ones((8, 4)), np.ones((8, 4)))).batch(4)\nmodel = TripletModel(keras.layers.Dense(3))\nmodel.compile(optimizer=\"adam\")\nmodel.fit(ds, epochs=1)\n"
    },
    {
      name: "keras.io Zero-DCE: a helper computing losses from the batch and the forward pass's output (it runs no layer on the batch) keeps the compute_loss() rewrite; call() only hands the batch to self.dce_model, so the tape's `self.dce_model(data)` is y_pred",
      code:
        HEAD +
        'class ZeroDCE(keras.Model):\n    def __init__(self, dce_model):\n        super().__init__()\n        self.dce_model = dce_model\n' +
        '    def call(self, data):\n        return self.dce_model(data)\n' +
        '    def compute_losses(self, data, output):\n        return tf.reduce_mean(tf.square(data - output))\n' +
        '    def train_step(self, data):\n        with tf.GradientTape() as tape:\n            output = self.dce_model(data)\n            loss = self.compute_losses(data, output)\n' +
        '        gradients = tape.gradient(loss, self.dce_model.trainable_weights)\n        self.optimizer.apply_gradients(zip(gradients, self.dce_model.trainable_weights))\n        return {"loss": loss}\n',
      errors: [
        { line: 12, column: 14, message: 'the step only computes a loss, so move that into a `compute_loss()` override' },
        { line: 16, column: 9 }
      ],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class ZeroDCE(keras.Model):\n    def __init__(self, dce_model):\n        super().__init__()\n        self.dce_model = dce_model\n' +
        '    def call(self, data):\n        return self.dce_model(data)\n' +
        '    def compute_losses(self, data, output):\n        return tf.reduce_mean(tf.square(data - output))\n' +
        '    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        data = x\n        output = y_pred\n        loss = self.compute_losses(data, output)\n        return loss\n'
    },
    {
      name: 'clipping with a norm the step computes, or in a model that overrides compile(): no fix',
      code:
        HEAD +
        'class Clipped(keras.Model):\n    def compile(self, optimizer, **kwargs):\n        super().compile(optimizer=optimizer, **kwargs)\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n            loss = self.compiled_loss(y, y_pred)\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        grads = [tf.clip_by_norm(g, 1.0) for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n' +
        'class Scaled(keras.Model):\n    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            loss = self.compiled_loss(y, self(x, training=True))\n' +
        '        grads = tape.gradient(loss, self.trainable_variables)\n        norm = tf.linalg.global_norm(grads)\n        grads = [tf.clip_by_norm(g, norm) for g in grads]\n' +
        '        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n',
      errors: [
        { line: 8, column: 14, message: 'it clips the gradients, and its model overrides compile() (give the optimizer `clipnorm=1.0` there)' },
        { line: 10, column: 20 },
        { line: 13, column: 9 },
        { line: 18, column: 14, message: '`norm = tf.linalg.global_norm(grads)` is more than a loss computation' },
        { line: 19, column: 20 },
        { line: 23, column: 9 }
      ],
      fixOptions: { unsafe: true }
    }
  ]
});

test('the distillation rewrite says what it freezes and which logs fit() and evaluate() lose', async () => {
  const analyzer = await getAnalyzer();
  const titles = analyzer.analyzeFile(DISTILLER).filter(f => f.rule === 'KM141' && f.fix).map(f => f.fix!.title);
  expect(titles).toContain(
    'Train only self.student: move the loss into compute_loss(), the forward pass of self.student into call(), and freeze self.teacher; ' +
      'delete test_step() (evaluate() runs Keras\'s own step, which logs compute_loss() as "loss" and the compiled metrics, not student_loss) ' +
      '(fit() no longer logs student_loss)'
  );
});

test('a nested batch whose step reads self.optimizer.iterations (through a method) gets the JAX step-counter advice; without it, none', async () => {
  const analyzer = await getAnalyzer();
  const code = HEAD + "class FixMatch(keras.Model):\n    def __init__(self, model, total_steps):\n        super().__init__()\n        self.model = model\n        self.total_steps = total_steps\n\n    def call(self, inputs, training=False):\n        return self.model(inputs, training=training)\n\n    def ramp(self):\n        return tf.cast(self.optimizer.iterations, tf.float32) / self.total_steps\n\n    def train_step(self, data):\n        (x_l, y_l), (x_u_weak, x_u_strong) = data\n        with tf.GradientTape() as tape:\n            logits_l = self.model(x_l, training=True)\n            logits_u = self.model(x_u_strong, training=True)\n            loss = self.compiled_loss(y_l, logits_l) + self.ramp() * tf.reduce_mean(tf.square(logits_u))\n        gradients = tape.gradient(loss, self.model.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))\n        return {m.name: m.result() for m in self.metrics}\n";
  const message = (text: string): string => analyzer.analyzeFile(text).find(f => f.rule === 'KM141' && /nested batch/.test(f.message))!.message;
  expect(message(code)).toContain('a step counter read from `self.optimizer.iterations` (in the step or a method it calls) fails in compute_loss() on JAX');
  expect(message(code.replace('self.ramp() * ', ''))).not.toContain('self.optimizer.iterations');
});
