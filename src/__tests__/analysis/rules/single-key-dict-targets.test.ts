import { ruleTester } from '../rule-tester';

const HEAD = 'import tensorflow as tf\nfrom tensorflow import keras\n';

ruleTester('single-key-dict-targets', {
  valid: [
    { name: 'plain targets', code: HEAD + 'def split(a, b):\n    return {"encoder_inputs": a}, b\nds = tf.data.Dataset.from_tensor_slices((x, y)).map(split)\n' },
    { name: 'a one-key dict of inputs', code: HEAD + 'ds = tf.data.Dataset.from_tensor_slices(({"image": x}, y))\nmodel.fit({"image": x}, y)\n' },
    { name: 'two keys: a multi-output model', code: HEAD + 'model.fit(x, {"a": y1, "b": y2})\n' },
    {
      name: 'a model with dict outputs',
      code: HEAD + 'inp = keras.Input((4,))\nmodel = keras.Model(inp, {"out": keras.layers.Dense(1)(inp)})\nmodel.fit(x, {"out": y})\n'
    },
    {
      name: 'dict outputs through a name, in another cell',
      code: [HEAD + 'model.fit(x, {"out": y})\n', 'outs = {"out": keras.layers.Dense(1)(inp)}\nmodel = keras.Model(inputs=inp, outputs=outs)\n']
    },
    {
      name: 'dict outputs made by dict()',
      code: HEAD + 'inp = keras.Input((4,))\nmodel = keras.Model(inp, dict(out=keras.layers.Dense(1)(inp)))\nmodel.fit(x, {"out": y})\n'
    },
    {
      name: 'a subclassed model returning a dict',
      code: HEAD + 'class M(keras.Model):\n    def call(self, x):\n        return {"out": self.d(x)}\nM().fit(x, {"out": y})\n'
    },
    { name: 'a Python map', code: HEAD + 'pairs = list(map(lambda a: (a, {"k": a}), xs))\n' }
  ],
  invalid: [
    {
      name: 'keras.io FNet text generation: a map function returning one-key dict targets',
      code:
        HEAD +
        'def vectorize_text(inputs, outputs):\n    return (\n        {"encoder_inputs": inputs, "decoder_inputs": outputs[:-1]},\n        {"outputs": outputs[1:]},\n    )\ntrain_dataset = train_dataset.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)\n',
      errors: [{ line: 6, column: 9, message: 'one key (`{"outputs": ...}`)' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'def vectorize_text(inputs, outputs):\n    return (\n        {"encoder_inputs": inputs, "decoder_inputs": outputs[:-1]},\n        outputs[1:],\n    )\ntrain_dataset = train_dataset.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)\n'
    },
    {
      name: 'fit y=, from_tensor_slices, evaluate, a lambda map',
      code:
        HEAD +
        'model.fit(x, y={"out": y})\nds = tf.data.Dataset.from_tensor_slices((x, {"out": y}))\nmodel.evaluate(x, {"out": y})\nds2 = ds.map(lambda a, b: (a, {"out": b}))\n',
      errors: [{ line: 3, column: 16 }, { line: 4, column: 45 }, { line: 5, column: 19 }, { line: 6, column: 31 }],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'model.fit(x, y=y)\nds = tf.data.Dataset.from_tensor_slices((x, y))\nmodel.evaluate(x, y)\nds2 = ds.map(lambda a, b: (a, b))\n'
    }
  ]
});
