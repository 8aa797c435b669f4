import { ruleTester } from '../rule-tester';

// examples/runnable/forward_forward.py's pattern, small (python_kernel_hooks/tests/claims/layer_local_training.py
// runs it: fails on JAX and PyTorch as written; after the fix it trains on TensorFlow, JAX and PyTorch).
const CODE = "import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Local(keras.layers.Layer):\n    def __init__(self, units, optimizer):\n        super().__init__()\n        self.dense = keras.layers.Dense(units)\n        self.optimizer = optimizer\n        self.loss_metric = keras.metrics.Mean()\n\n    def call(self, x):\n        return keras.ops.relu(self.dense(x))\n\n    def train_locally(self, x):\n        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n            self.loss_metric.update_state(loss)\n        grads = tape.gradient(loss, self.dense.trainable_weights)\n        self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))\n        return keras.ops.stop_gradient(self.call(x)), self.loss_metric.result()\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [Local(4, keras.optimizers.SGD(0.1)), Local(4, keras.optimizers.SGD(0.1))]\n\n    def train_step(self, data):\n        x, y = data\n        for block in self.blocks:\n            x, loss = block.train_locally(x)\n        return {\"loss\": loss}\n\n";

const FIXED = "import numpy as np\nimport tensorflow as tf\nimport keras\n\n\nclass Local(keras.layers.Layer):\n    def __init__(self, units, optimizer):\n        super().__init__()\n        self.dense = keras.layers.Dense(units)\n        self.optimizer = optimizer\n        self.loss_metric = keras.metrics.Mean()\n\n    def call(self, x):\n        return keras.ops.relu(self.dense(x))\n\n    def train_locally(self, x):\n        if keras.backend.backend() == \"jax\":\n            import jax\n\n            # The tape's body as a function of the trained values (add_loss terms and updated statistics collected).\n            def loss_fn(values):\n                with keras.StatelessScope(state_mapping=list(zip(self.dense.trainable_weights, values)), collect_losses=True) as scope:\n                    loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n                    self.loss_metric.update_state(loss)\n                return keras.ops.sum(loss), (loss, [scope.get_current_value(v) for v in self.non_trainable_variables + self.metrics_variables])\n\n            x, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (x,))\n            if not self.dense.built:\n                loss_fn([])  # builds the model on its first call (its variables are created eagerly), updates discarded\n            grads, (loss, updates) = jax.grad(loss_fn, has_aux=True)([v.value for v in self.dense.trainable_weights])\n            for v, value in zip(self.non_trainable_variables + self.metrics_variables, updates):\n                if value is not None:\n                    v.assign(value)\n        elif keras.backend.backend() == \"torch\":\n            import torch\n\n            x, = (keras.ops.convert_to_tensor(a) if hasattr(a, \"__array__\") else a for a in (x,))\n            loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n            self.loss_metric.update_state(loss)\n            grads = torch.autograd.grad(loss, [v.value for v in self.dense.trainable_weights], grad_outputs=torch.ones_like(loss), allow_unused=True)\n            # Values from here on, not part of the graph (`.numpy()` fails on grad-tracking tensors).\n            loss, = (t.detach() if isinstance(t, torch.Tensor) else t for t in (loss,))\n        else:\n            with tf.GradientTape() as tape:\n                loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n                self.loss_metric.update_state(loss)\n            grads = tape.gradient(loss, self.dense.trainable_weights)\n        self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))\n        return keras.ops.stop_gradient(self.call(x)), self.loss_metric.result()\n\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.blocks = [Local(4, keras.optimizers.SGD(0.1)), Local(4, keras.optimizers.SGD(0.1))]\n\n    def train_step(self, *args, **kwargs):\n        # On JAX, Keras 3 calls train_step(state, data) and takes back (logs, state).\n        if keras.backend.backend() == \"jax\":\n            return self._jax_train_step(*args, **kwargs)\n        return self._train_step(*args, **kwargs)\n\n    def make_train_function(self, force=False):\n        # On JAX the step runs as written, on the model's variables (its layers' own optimizers\n        # update theirs in place, which no state handed through a jitted step holds): un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_train_function(force)\n\n    def _jax_train_step(self, state, data):\n        import jax\n\n        # The state fit() hands the step goes into the variables (it detaches their values),\n        # the step runs as written and the variables' values go back.\n        train_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)\n        for variables, values in zip(train_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        data = jax.tree_util.tree_map(jax.numpy.asarray, data)\n        logs = self._train_step(data)\n        return logs, tuple([v.value for v in variables] for variables in train_variables)\n\n    def _symbolic_build(self, *args, **kwargs):\n        # No call(): before the first step fit() builds the model, its compiled loss and metrics by\n        # calling it on a batch; on JAX and PyTorch the step's own layer calls build the layers.\n        if keras.backend.backend() == \"tensorflow\":\n            return super()._symbolic_build(*args, **kwargs)\n        if self.optimizer is not None and not self.optimizer.built:\n            self.optimizer.build(self.trainable_variables)\n\n    def _train_step(self, data):\n        x, y = data\n        for block in self.blocks:\n            x, loss = block.train_locally(x)\n        return {\"loss\": loss}\n\n";

/** The model class and the script moved into `def main():` (the fixed program ran on TensorFlow, JAX and PyTorch; as written it fails on JAX). */
function inMain(code: string): string {
  const at = code.indexOf('class Net(keras.Model):');
  const body = code.slice(at).replace(/\n+$/, '\n').split('\n').map(line => (line ? '    ' + line : line)).join('\n');
  return code.slice(0, at) + 'def main():\n' + body + '\n    net = Net()\n    net.compile(optimizer="sgd")\n    net.fit(np.ones((8, 3)), np.ones((8, 4)), epochs=1, verbose=0)\n\n\nmain()\n';
}

ruleTester('layer-local-training', {
  valid: [
    { name: 'a tape in call() is another rule\'s', code: CODE.replace('def train_locally(self, x):', 'def call2(self, x):').replace('block.train_locally(x)', 'block.call2(x)').replace('    def call(self, x):\n        return keras.ops.relu(self.dense(x))\n', '').replace('def call2(self, x)', 'def call(self, x)').replace('block.call2(x)', 'block.call(x)') },
    { name: 'no model train_step calls the method', code: CODE.replace('block.train_locally(x)', 'block(x), 0.0') },
    { name: 'a train_step with a tape of its own is KM141\'s', code: CODE.replace('        x, y = data\n        for block', '        x, y = data\n        with tf.GradientTape() as tape:\n            pass\n        for block') },
    { name: 'no optimizer of the layer applies the gradient', code: CODE.replace('self.optimizer.apply_gradients(zip(grads, self.dense.trainable_weights))', 'print(grads)') },
    { name: 'the per-backend branches the fix writes', code: FIXED },
    {
      name: 'a tape on the TensorFlow-only path of a backend test',
      code: CODE.replace('        with tf.GradientTape() as tape:\n            loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n            self.loss_metric.update_state(loss)\n        grads = tape.gradient(loss, self.dense.trainable_weights)\n', '        if keras.backend.backend() == "tensorflow":\n            with tf.GradientTape() as tape:\n                loss = keras.ops.mean(keras.ops.square(self.call(x) - 1.0))\n            grads = tape.gradient(loss, self.dense.trainable_weights)\n        else:\n            grads = []\n')
    }
  ],
  invalid: [
    {
      name: 'keras.io Forward-Forward: a layer training itself from a tape-less train_step',
      code: CODE,
      errors: [{ line: 17, column: 14, message: 'layer-local training' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: FIXED
    },
    {
      name: "the model class in a script's main(): found there, fixed the same way",
      code: inMain(CODE),
      errors: [{ line: 17, column: 14, message: 'layer-local training' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: inMain(FIXED)
    },
    {
      name: 'no fix when the model already overrides make_train_function()',
      code: CODE.replace('    def train_step(self, data):', '    def make_train_function(self, force=False):\n        return super().make_train_function(force)\n\n    def train_step(self, data):'),
      errors: [{ line: 17, column: 14, message: 'No fix: the model defines `make_train_function()` already' }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'no fix when the tape is one the per-backend rewrite refuses (tape.watch)',
      code: CODE.replace('            loss = keras.ops.mean', '            tape.watch(x)\n            loss = keras.ops.mean'),
      errors: [{ line: 17, column: 14, message: 'No fix: `tape` is used in its own body' }],
      fixOptions: { unsafe: true }
    }
  ]
});
