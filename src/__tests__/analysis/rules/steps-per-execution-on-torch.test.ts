import { ruleTester } from '../rule-tester';

const MODEL = 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n';

ruleTester('steps-per-execution-on-torch', {
  valid: [
    { name: 'one step per execution', code: MODEL + 'model.compile(optimizer="adam", loss="mse", steps_per_execution=1)\n' },
    { name: 'a value chosen per backend', code: MODEL + 'model.compile(optimizer="adam", loss="mse", steps_per_execution=1 if keras.backend.backend() == "torch" else 8)\n' },
    { name: 'a name (not followed)', code: MODEL + 'STEPS = 50\nmodel.compile(optimizer="adam", loss="mse", steps_per_execution=STEPS)\n' },
    { name: 'a value not followed (a parameter)', code: MODEL + 'def build(steps):\n    model.compile(optimizer="adam", loss="mse", steps_per_execution=steps)\n' },
    { name: 'not a compile call', code: 'run(steps_per_execution=10)\n' }
  ],
  invalid: [
    {
      // TensorFlow's evaluator and fault-tolerance migration guides (og45c): "`steps_per_execution` must be 1 with the
      // PyTorch backend" at fit() on PyTorch; TensorFlow and JAX ran it (claims/steps_per_execution_on_torch.py).
      name: 'a literal above 1, from tf.keras: the fix adds the keras import',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", steps_per_execution=10)\n',
      errors: [{ line: 3, column: 45, message: '`steps_per_execution=10`: Keras 3 on PyTorch runs one step per execution' }],
      blocks: ['torch'],
      output: 'import tensorflow as tf\nimport keras\nmodel = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", steps_per_execution=1 if keras.backend.backend() == "torch" else 10)\n'
    }
  ]
});
