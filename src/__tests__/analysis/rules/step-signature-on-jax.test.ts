import { ruleTester } from '../rule-tester';
// The methods the fix writes before a 4-space-indented test_step (renamed _test_step).
const TEST_ADAPTER = "    def test_step(self, *args, **kwargs):\n        # On JAX, Keras 3 calls test_step(state, data) and takes back (logs, state).\n        if keras.backend.backend() == \"jax\":\n            return self._jax_test_step(*args, **kwargs)\n        return self._test_step(*args, **kwargs)\n\n    def make_test_function(self, force=False):\n        # On JAX the step runs as written, on the model's variables: un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_test_function(force)\n\n    def _jax_test_step(self, state, data):\n        import jax\n\n        # The state evaluate() hands the step goes into the variables (it detaches their values),\n        # the step runs as written and the variables' values go back.\n        test_variables = (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)\n        for variables, values in zip(test_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        data = jax.tree_util.tree_map(jax.numpy.asarray, data)\n        logs = self._test_step(data)\n        return logs, tuple([v.value for v in variables] for variables in test_variables)\n\n";
const TS = "# A test_step(self, data) override (no tape, Keras 3 code) run by evaluate().\nimport numpy as np, keras, sys\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"l\")\n    def call(self, x):\n        return self.d(x)\n    def test_step(self, data):\n        x, y = data\n        pred = self(x, training=False)\n        loss = keras.ops.mean(keras.ops.square(y - pred))\n        self.tracker.update_state(loss)\n        return {\"l\": self.tracker.result()}\n\nm = M()\nm.compile(\"sgd\", \"mse\")\nx = np.ones((8, 3), \"float32\"); y = np.ones((8, 1), \"float32\")\nm.fit(x, y, verbose=0)\nprint(m.evaluate(x, y, verbose=0, return_dict=True))\n";
const TS_FIXED = "# A test_step(self, data) override (no tape, Keras 3 code) run by evaluate().\nimport numpy as np, keras, sys\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name=\"l\")\n    def call(self, x):\n        return self.d(x)\n    def test_step(self, *args, **kwargs):\n        # On JAX, Keras 3 calls test_step(state, data) and takes back (logs, state).\n        if keras.backend.backend() == \"jax\":\n            return self._jax_test_step(*args, **kwargs)\n        return self._test_step(*args, **kwargs)\n\n    def make_test_function(self, force=False):\n        # On JAX the step runs as written, on the model's variables: un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_test_function(force)\n\n    def _jax_test_step(self, state, data):\n        import jax\n\n        # The state evaluate() hands the step goes into the variables (it detaches their values),\n        # the step runs as written and the variables' values go back.\n        test_variables = (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)\n        for variables, values in zip(test_variables, state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        data = jax.tree_util.tree_map(jax.numpy.asarray, data)\n        logs = self._test_step(data)\n        return logs, tuple([v.value for v in variables] for variables in test_variables)\n\n    def _test_step(self, data):\n        x, y = data\n        pred = self(x, training=False)\n        loss = keras.ops.mean(keras.ops.square(y - pred))\n        self.tracker.update_state(loss)\n        return {\"l\": self.tracker.result()}\n\nm = M()\nm.compile(\"sgd\", \"mse\")\nx = np.ones((8, 3), \"float32\"); y = np.ones((8, 1), \"float32\")\nm.fit(x, y, verbose=0)\nprint(m.evaluate(x, y, verbose=0, return_dict=True))\n";
const PS = "import numpy as np, keras\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x):\n        return self.d(x)\n    def predict_step(self, data):\n        x = data[0] if isinstance(data, tuple) else data\n        return keras.ops.sigmoid(self(x, training=False))\n\nm = M()\nm.compile(\"sgd\", \"mse\")\nx = np.ones((8, 3), \"float32\"); y = np.ones((8, 1), \"float32\")\nm.fit(x, y, verbose=0)\nprint(m.predict(x, verbose=0).shape)\n";
const PS_FIXED = "import numpy as np, keras\n\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x):\n        return self.d(x)\n    def predict_step(self, *args, **kwargs):\n        # On JAX, Keras 3 calls predict_step(state, data) and takes back (outputs, non-trainable values);\n        # called directly on a batch (model.predict_step(x)), the step runs as written.\n        if keras.backend.backend() == \"jax\" and len(args) + len(kwargs) == 2:\n            return self._jax_predict_step(*args, **kwargs)\n        return self._predict_step(*args, **kwargs)\n\n    def make_predict_function(self, force=False):\n        # On JAX the step runs as written, on the model's variables: un-jitted.\n        if keras.backend.backend() == \"jax\":\n            self.jit_compile = False\n        return super().make_predict_function(force)\n\n    def _jax_predict_step(self, state, data):\n        import jax\n\n        # The state predict() hands the step goes into the variables (it detaches their values),\n        # the step runs as written and the non-trainable variables' values go back.\n        for variables, values in zip((self.trainable_variables, self.non_trainable_variables), state):\n            for v, value in zip(variables, values):\n                v.assign(value)\n        data = jax.tree_util.tree_map(jax.numpy.asarray, data)\n        outputs = self._predict_step(data)\n        return outputs, [v.value for v in self.non_trainable_variables]\n\n    def _predict_step(self, data):\n        x = data[0] if isinstance(data, tuple) else data\n        return keras.ops.sigmoid(self(x, training=False))\n\nm = M()\nm.compile(\"sgd\", \"mse\")\nx = np.ones((8, 3), \"float32\"); y = np.ones((8, 1), \"float32\")\nm.fit(x, y, verbose=0)\nprint(m.predict(x, verbose=0).shape)\n";

ruleTester('step-signature-on-jax', {
  valid: [
    { name: 'already dispatched per backend (*args)', code: 'import keras\nclass M(keras.Model):\n    def test_step(self, *args, **kwargs):\n        return {}\nM().evaluate([1], [1])\n' },
    { name: "JAX's own signature", code: 'import keras\nclass M(keras.Model):\n    def test_step(self, state, data):\n        return {}, state\nM().evaluate([1], [1])\n' },
    { name: 'not a model', code: 'import keras\nclass L(keras.layers.Layer):\n    def test_step(self, data):\n        return {}\n' },
    { name: 'a nested function of that name', code: 'import keras\nclass M(keras.Model):\n    def helper(self):\n        def test_step(data):\n            return data\n        return test_step\n' },
    {
      name: "Keras's default test_step (KM141 deletes it)",
      code: 'import keras\nclass M(keras.Model):\n    def test_step(self, data):\n        x, y = data\n        y_pred = self(x, training=False)\n        self.compiled_loss(y, y_pred)\n        self.compiled_metrics.update_state(y, y_pred)\n        return {m.name: m.result() for m in self.metrics}\nM().evaluate([1], [1])\n'
    },
    {
      name: "a test_step that the train_step's compute_loss() rewrite makes Keras's own (KM141 deletes it)",
      code:
        'import tensorflow as tf\nimport keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n        self.tracker = keras.metrics.Mean(name="loss")\n    def call(self, x):\n        return self.d(x)\n' +
        '    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            pred = self(x, training=True)\n            loss = tf.reduce_mean(tf.square(y - pred))\n        grads = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))\n        self.tracker.update_state(loss)\n        return {"loss": self.tracker.result()}\n' +
        '    def test_step(self, data):\n        x, y = data\n        pred = self(x, training=False)\n        loss = tf.reduce_mean(tf.square(y - pred))\n        self.tracker.update_state(loss)\n        return {"loss": self.tracker.result()}\nM().evaluate([1], [1])\n'
    }
  ],
  invalid: [
    {
      name: 'a test_step(self, data) with metric updates run by evaluate(): blocks JAX; the step runs as written on TF/PyTorch and on the state on JAX',
      code: TS,
      errors: [{ line: 11, column: 9, message: 'takes back (logs, state), so evaluate() raises "test_step() takes 2 positional arguments but 3 were given"' }],
      blocks: ['jax'],
      output: TS_FIXED
    },
    {
      name: 'a predict_step(self, data) run by predict(): blocks JAX',
      code: PS,
      errors: [{ line: 9, column: 9, message: 'predict_step(state, data)' }],
      blocks: ['jax'],
      output: PS_FIXED
    },
    {
      name: 'fit(validation_data=...) runs the test_step, here in a later cell',
      code: ['import keras\nclass M(keras.Model):\n    def test_step(self, data):\n        return {}\n', 'import numpy as np\nm = M()\nm.fit(np.ones((2, 1)), np.ones((2, 1)), validation_data=(np.ones((2, 1)), np.ones((2, 1))))\n'],
      errors: [{ line: 3, column: 9, cell: 0 }],
      blocks: ['jax'],
      output: ['import keras\nclass M(keras.Model):\n' + TEST_ADAPTER + '    def _test_step(self, data):\n        return {}\n', 'import numpy as np\nm = M()\nm.fit(np.ones((2, 1)), np.ones((2, 1)), validation_data=(np.ones((2, 1)), np.ones((2, 1))))\n']
    },
    {
      name: 'never evaluated: the step does not run, so it blocks nothing (still flagged)',
      code: 'import keras\nclass M(keras.Model):\n    def test_step(self, data):\n        return {}\nM().fit([1], [1])\n',
      errors: [{ line: 3, column: 9 }],
      blocks: [],
      output: 'import keras\nclass M(keras.Model):\n' + TEST_ADAPTER + '    def _test_step(self, data):\n        return {}\nM().fit([1], [1])\n'
    },
    {
      name: 'the class already has a _test_step: advice, no fix',
      code: 'import keras\nclass M(keras.Model):\n    def _test_step(self, data):\n        return {}\n    def test_step(self, data):\n        return self._test_step(data)\nM().evaluate([1], [1])\n',
      errors: [{ line: 5, column: 9, message: 'on JAX `test_step(self, state, data)`' }],
      blocks: ['jax']
    }
  ]
});
