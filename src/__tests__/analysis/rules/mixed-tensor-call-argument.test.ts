import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n';
const MODEL = 's_in = keras.Input((3,))\na_in = keras.Input((1,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in]))\ncritic = keras.Model([s_in, a_in], out)\n';
const DATA = 'states = np.random.rand(4, 3).astype("float32")\nactions = np.random.rand(4, 1).astype("float32")\n';
const BASE = HEAD + MODEL + DATA;
const WRAP = (x: string): string => `keras.ops.convert_to_tensor(${x})`;
const CRITIC = 'class Critic:\n    def __init__(self):\n        self.model = self.nn_model()\n\n    def nn_model(self):\n        s = keras.Input((3,))\n        a = keras.Input((1,))\n        return tf.keras.Model([s, a], keras.layers.Dense(1)(keras.layers.concatenate([s, a])))\n\n    def q_values(self, states, actions):\n        states = np.asarray(states, dtype=np.float32)\n        actions = tf.convert_to_tensor(actions)\n';
const FACTORY = HEAD + 'def get_critic():\n    s = keras.Input((3,))\n    a = keras.Input((1,))\n    return keras.Model([s, a], keras.layers.Dense(1)(keras.layers.concatenate([s, a])))\n\ncritic = get_critic()\n';
const THREE = HEAD + 'x1, x2, x3 = keras.Input((3,)), keras.Input((1,)), keras.Input((2,))\nmodel3 = keras.Model([x1, x2, x3], keras.layers.Dense(1)(keras.layers.concatenate([x1, x2, x3])))\nstates = np.zeros((4, 3))\n\ndef q(extra):\n';

ruleTester('mixed-tensor-call-argument', {
  valid: [
    { name: 'a layer converts NumPy inputs first', code: BASE + 'y = keras.layers.Concatenate()([states, tf.convert_to_tensor(actions)])\n' },
    {
      name: 'a subclassed model converts NumPy inputs first',
      code: HEAD + 'class Critic(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n\n    def call(self, inputs):\n        return self.d(keras.ops.concatenate(inputs, axis=-1))\n\ncritic = Critic()\n' + DATA + 'q = critic([states, keras.ops.convert_to_tensor(actions)])\n'
    },
    { name: 'predict converts its inputs', code: BASE + 'q = critic.predict([states, tf.convert_to_tensor(actions)])\n' },
    { name: 'an element the code cannot tell (a parameter)', code: BASE + 'def q(states, actions):\n    return critic([states, tf.convert_to_tensor(actions)])\n' },
    { name: 'only NumPy arrays', code: BASE + 'q = critic([states, actions * 2.0])\n' },
    { name: 'only tensors', code: BASE + 'q = critic([keras.ops.convert_to_tensor(states), keras.ops.convert_to_tensor(tf.convert_to_tensor(actions))])\n' },
    { name: 'TF tensors only', code: BASE + 'q = critic([tf.constant(states), tf.convert_to_tensor(actions)])\n' },
    { name: 'a Python list literal (read as more inputs in Keras 2 as well)', code: BASE + 'q = critic([[[0.1, 0.2, 0.3]], tf.constant(actions)])\n' },
    { name: 'the Functional API itself', code: BASE + 'y = critic([s_in, a_in])\n' }
  ],
  invalid: [
    {
      // claims/mixed_tensor_call_argument.py (the TF2 RL Cookbook's DDPG critic, og49c D4): ValueError on TensorFlow only; the fixed program ran on all three.
      name: 'the doc example: NumPy beside a TF tensor',
      code: BASE + 'q = critic([states, tf.convert_to_tensor(actions)])\n',
      errors: [{ line: 11, column: 12, message: 'on TensorFlow;' }],
      blocks: ['tensorflow'],
      output: BASE + `q = critic([${WRAP('states')}, ${WRAP('tf.convert_to_tensor(actions)')}])\n`
    },
    {
      // og49c repro_3b.py: ValueError on all three; the fixed program ran on all three.
      name: 'NumPy beside a keras.ops value',
      code: BASE + 't = keras.ops.convert_to_tensor(actions)\nq = critic([states, t])\n',
      errors: [{ line: 12, column: 12, message: 'on TensorFlow, JAX and PyTorch' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: BASE + `t = keras.ops.convert_to_tensor(actions)\nq = critic([${WRAP('states')}, t])\n`
    },
    {
      // claims/mixed_keras_tensor_call_argument.py: ValueError on all three.
      name: 'a dict input: NumPy beside a model output',
      code: HEAD + 's_in = keras.Input((3,), name="s")\na_in = keras.Input((1,), name="a")\ncritic = keras.Model({"s": s_in, "a": a_in}, keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in])))\nactor = keras.Model(s_in, keras.layers.Dense(1)(s_in))\n' + DATA + 'q = critic({"s": states, "a": actor(states)})\n',
      errors: [{ line: 11, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 's_in = keras.Input((3,), name="s")\na_in = keras.Input((1,), name="a")\ncritic = keras.Model({"s": s_in, "a": a_in}, keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in])))\nactor = keras.Model(s_in, keras.layers.Dense(1)(s_in))\n' + DATA + `q = critic({"s": ${WRAP('states')}, "a": actor(states)})\n`
    },
    {
      // claims/mixed_tf_and_keras_tensor_call_argument.py: runs on TensorFlow, ValueError on JAX and PyTorch.
      name: 'a TF tensor beside a keras.ops value',
      code: BASE + 'q = critic([keras.ops.convert_to_tensor(states), tf.constant(actions)])\n',
      errors: [{ line: 11, column: 12, message: 'on JAX and PyTorch' }],
      blocks: ['jax', 'torch'],
      output: BASE + `q = critic([keras.ops.convert_to_tensor(states), ${WRAP('tf.constant(actions)')}])\n`
    },
    {
      // The cookbook's class, states made NumPy: ValueError on TensorFlow only; the fixed program ran on all three.
      name: 'self.model made by a method of the class',
      code: HEAD + CRITIC + '        return self.model([states, actions])\n',
      errors: [{ line: 17, column: 27 }],
      blocks: ['tensorflow'],
      output: HEAD + CRITIC + `        return self.model([${WRAP('states')}, ${WRAP('actions')}])\n`
    },
    {
      // A tuple; `predict()` gives NumPy, keras.ops of it a tensor: ValueError on all three (run).
      name: 'a tuple with predict() output and a keras.ops value',
      code: BASE + 'actor = keras.Model(s_in, keras.layers.Dense(1)(s_in))\nq = critic((states, keras.ops.tanh(actor.predict(states))))\n',
      errors: [{ line: 12, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: BASE + `actor = keras.Model(s_in, keras.layers.Dense(1)(s_in))\nq = critic((${WRAP('states')}, keras.ops.tanh(actor.predict(states))))\n`
    },
    {
      name: 'the model made by a factory in an earlier cell',
      code: [FACTORY, 'states = np.ones((4, 3))\nq = critic([states, keras.ops.ones((4, 1))], training=False)\n'],
      errors: [{ cell: 1, line: 2, column: 12 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: [FACTORY, `states = np.ones((4, 3))\nq = critic([${WRAP('states')}, keras.ops.ones((4, 1))], training=False)\n`]
    },
    {
      name: 'an element the code cannot tell: the fix wraps it too, unsafe',
      code: THREE + '    return model3([states, keras.ops.ones((4, 1)), extra])\n',
      errors: [{ line: 10, column: 19 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: THREE + `    return model3([${WRAP('states')}, keras.ops.ones((4, 1)), ${WRAP('extra')}])\n`
    }
  ]
});
