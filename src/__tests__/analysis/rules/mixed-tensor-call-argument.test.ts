import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport tensorflow as tf\nimport keras\n\n';
const MODEL = 's_in = keras.Input((3,))\na_in = keras.Input((1,))\nout = keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in]))\ncritic = keras.Model([s_in, a_in], out)\n';
const DATA = 'states = np.random.rand(4, 3).astype("float32")\nactions = np.random.rand(4, 1).astype("float32")\n';
const BASE = HEAD + MODEL + DATA;
const WRAP = (x: string): string => `keras.ops.convert_to_tensor(${x})`;
const CRITIC = 'class Critic:\n    def __init__(self):\n        self.model = self.nn_model()\n\n    def nn_model(self):\n        s = keras.Input((3,))\n        a = keras.Input((1,))\n        return tf.keras.Model([s, a], keras.layers.Dense(1)(keras.layers.concatenate([s, a])))\n\n    def q_values(self, states, actions):\n        states = np.asarray(states, dtype=np.float32)\n        actions = tf.convert_to_tensor(actions)\n';
const FACTORY = HEAD + 'def get_critic():\n    s = keras.Input((3,))\n    a = keras.Input((1,))\n    return keras.Model([s, a], keras.layers.Dense(1)(keras.layers.concatenate([s, a])))\n\ncritic = get_critic()\n';
const THREE = HEAD + 'x1, x2, x3 = keras.Input((3,)), keras.Input((1,)), keras.Input((2,))\nmodel3 = keras.Model([x1, x2, x3], keras.layers.Dense(1)(keras.layers.concatenate([x1, x2, x3])))\nstates = np.zeros((4, 3))\n\ndef q(extra):\n';
const SAMPLES = 'samples = [[np.random.rand(1, 3), np.random.rand(1, 1)] for _ in range(4)]\n';
const PROCESS = 'def process_actions(mean):\n    actions = tf.math.tanh(mean)\n    return actions, tf.reduce_sum(actions)\n\n';
const AGENT =
  'class Agent:\n    def __init__(self):\n        self.action_bound = 2.0\n\n    def process_actions(self, mean):\n        actions = tf.math.tanh(mean)\n        log_prob = tf.reduce_sum(actions)\n        actions = actions * self.action_bound\n        return actions, log_prob\n\n    def replay(self, states, mean):\n        states = np.asarray(states, dtype=np.float32)\n        next_actions, log_probs = self.process_actions(mean)\n';
const TWIN = 'twin = keras.Model(s_in, [keras.layers.Dense(1)(s_in), keras.layers.Dense(1)(s_in)])\n';
const ENC = 'enc = keras.Model(s_in, [keras.layers.Dense(3)(s_in), keras.layers.Dense(1)(s_in)])\ns, _ = enc.predict(states, verbose=0)\n';

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
    { name: 'the Functional API itself', code: BASE + 'y = critic([s_in, a_in])\n' },
    {
      // The element at that position of what the function returns: NumPy beside NumPy (ran on all three).
      name: 'unpacking a function of the program: only the position unpacked counts',
      code: BASE + 'def prepare():\n    return np.zeros((4, 3), "float32"), tf.constant(np.zeros((4, 1), "float32"))\n\ns, a = prepare()\nq = critic([s, np.ones((4, 1), "float32")])\n'
    },
    { name: 'unpacking a comprehension of TF tensors: TF tensors only', code: BASE + 's, a = [tf.constant(x) for x in (states, actions)]\nq = critic([s, a])\n' },
    {
      // Which `return` runs depends on the data: the rule does not guess.
      name: 'returns that disagree at that position: not told',
      code: BASE + 'def prepare(flag):\n    if flag:\n        return np.zeros((4, 3)), 1\n    return tf.zeros((4, 3)), 1\n\ns, n = prepare(True)\nq = critic([s, tf.constant(actions)])\n'
    },
    { name: 'a starred target: positions not told', code: BASE + 's, *rest = [np.vstack([states]) for i in range(3)]\nq = critic([rest, tf.constant(actions)])\n' }
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
    },
    {
      // og50c repro_2 (the TF2 RL Cookbook's SAC replay()): each element of a comprehension of NumPy arrays is one; ValueError on TensorFlow only (run).
      name: 'names unpacked from a comprehension of NumPy arrays',
      code: BASE + SAMPLES + 's, a = [np.vstack([x[i] for x in samples]).astype(np.float32) for i in range(2)]\nq = critic([s, tf.convert_to_tensor(a)])\n',
      errors: [{ line: 13, column: 12, message: 'on TensorFlow;' }],
      blocks: ['tensorflow'],
      output: BASE + SAMPLES + `s, a = [np.vstack([x[i] for x in samples]).astype(np.float32) for i in range(2)]\nq = critic([${WRAP('s')}, ${WRAP('tf.convert_to_tensor(a)')}])\n`
    },
    {
      // ValueError on TensorFlow only (run).
      name: 'names unpacked from np.split',
      code: BASE + 's, a = np.split(np.random.rand(4, 4).astype("float32"), [3], axis=1)\nq = critic([s, tf.constant(a)])\n',
      errors: [{ line: 12, column: 12, message: 'on TensorFlow;' }],
      blocks: ['tensorflow'],
      output: BASE + `s, a = np.split(np.random.rand(4, 4).astype("float32"), [3], axis=1)\nq = critic([${WRAP('s')}, ${WRAP('tf.constant(a)')}])\n`
    },
    {
      // og50c repro_2: the element at that position of what a function of the program returns (a TF op's result); ValueError on TensorFlow only (run).
      name: 'a name unpacked from a function of the program returning a TF tensor there',
      code: BASE + PROCESS + 'next_actions, log_probs = process_actions(actions)\nq = critic([states, next_actions])\n',
      errors: [{ line: 16, column: 12, message: 'TensorFlow tensors (`next_actions`)' }],
      blocks: ['tensorflow'],
      output: BASE + PROCESS + `next_actions, log_probs = process_actions(actions)\nq = critic([${WRAP('states')}, ${WRAP('next_actions')}])\n`
    },
    {
      // The cookbook's SAC: a method of the class returning `actions * self.action_bound` (arithmetic with a TF tensor is one); ValueError on TensorFlow only (run).
      name: 'a name unpacked from a method of the class (self.process_actions)',
      code: BASE + AGENT + '        return critic([states, next_actions])\n',
      errors: [{ line: 24, column: 23, message: 'on TensorFlow;' }],
      blocks: ['tensorflow'],
      output: BASE + AGENT + `        return critic([${WRAP('states')}, ${WRAP('next_actions')}])\n`
    },
    {
      // An output of a model with two, called on data: a backend tensor; ValueError on all three (run).
      name: 'a subscript of a model output (model(x)[0])',
      code: BASE + TWIN + 'q = critic([states, twin(states)[0]])\n',
      errors: [{ line: 12, column: 12, message: 'Keras tensors (`twin(states)[0]`)' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: BASE + TWIN + `q = critic([${WRAP('states')}, twin(states)[0]])\n`
    },
    {
      // predict() gives NumPy arrays, unpacked; ValueError on all three (run).
      name: 'a name unpacked from predict()',
      code: BASE + ENC + 'q = critic([s, keras.ops.ones((4, 1))])\n',
      errors: [{ line: 13, column: 12, message: 'NumPy arrays (`s`)' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: BASE + ENC + `q = critic([${WRAP('s')}, keras.ops.ones((4, 1))])\n`
    }
  ]
});
