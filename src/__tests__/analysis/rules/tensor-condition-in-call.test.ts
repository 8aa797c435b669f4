import { ruleTester } from '../rule-tester';

const LAYER_HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('tensor-condition-in-call', {
  valid: [
    {
      name: 'a layer call() branching on a Python flag given as its second argument',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x, is_real):\n        label = 1.0 if is_real else -1.0\n        return x * label\n'
    },
    {
      name: 'a loss function (not a Loss subclass) handed a flag',
      code: 'import keras\ndef d_loss(y, is_real):\n    label = 1.0 if is_real else -1.0\n    return keras.ops.mean(y * label)\n'
    },
    {
      name: 'configuration helpers return Python values',
      code:
        LAYER_HEAD +
        'from tensorflow.keras import backend as K\nclass Conv(keras.layers.Layer):\n    def call(self, x):\n        if K.image_data_format() == "channels_first":\n            x = keras.ops.transpose(x, (0, 2, 3, 1))\n        if tf.keras.backend.floatx() == "float16":\n            x = keras.ops.cast(x, "float16")\n        if K.int_shape(x)[-1] == 1:\n            x = x * 2\n        return x\n'
    },
    {
      code:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def call(self, x, training=None, mask=None):\n        if training:\n            x = x * 2\n        if mask is not None:\n            x = x * mask\n        if x.shape[-1] > 3:\n            x = x[..., :3]\n        while len(self.items) > 0:\n            pass\n        return x\n'
    },
    { name: 'RNN cell states are a Python list', code: LAYER_HEAD + 'class Cell(keras.layers.Layer):\n    def call(self, inputs, states):\n        if states:\n            return inputs, states\n        return inputs, []\n' },
    { name: '@tf.function keeps AutoGraph', code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    @tf.function\n    def call(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n        return -x\n' },
    { name: 'not in call()', code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def helper(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n' },
    {
      name: 'a notebook function with a tensor condition that only a tf.data map calls (not model code)',
      code: LAYER_HEAD + 'def maybe_flip(x):\n    if tf.random.uniform([]) < 0.5:\n        x = tf.image.flip_left_right(x)\n    return x\nds = ds.map(maybe_flip)\n'
    }
  ],
  invalid: [
    {
      // TensorFlow data-augmentation tutorial (/work/oe40e invert_fit): in fit of a Sequential with an Input,
      // TensorFlow's symbolic build fails ("Could not automatically infer the output shape"); JAX and PyTorch
      // run it (the draw is an eager TF tensor there). Keras 3.15.
      name: 'a helper of call() branching on a TF draw of Python values: TensorFlow only, reported where model code calls it',
      code: LAYER_HEAD + 'def random_invert_img(x, p=0.5):\n    if tf.random.uniform([]) < p:\n        x = (255 - x)\n    return x\nclass RandomInvert(keras.layers.Layer):\n    def call(self, x):\n        return random_invert_img(x)\n',
      errors: [{ line: 4, column: 8, message: 'inside `random_invert_img()`, which model code calls' }],
      blocks: ['tensorflow'],
      fixOptions: { unsafe: true },
      output: LAYER_HEAD + 'def random_invert_img(x, p=0.5):\n    x = keras.ops.cond(keras.ops.convert_to_tensor(tf.random.uniform([]) < p), lambda: (255 - x), lambda: x)\n    return x\nclass RandomInvert(keras.layers.Layer):\n    def call(self, x):\n        return random_invert_img(x)\n'
    },
    {
      name: 'in call(): a TF op of a TF draw of Python values blocks TensorFlow only too',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        if tf.reduce_sum(tf.random.uniform([3])) > 1.5:\n            x = -x\n        return x\n',
      errors: [{ line: 5, column: 12, message: 'a TF op on Python values is an eager TensorFlow tensor on JAX and PyTorch' }],
      blocks: ['tensorflow']
    },
    {
      name: 'in call(): a TF draw of Python values blocks TensorFlow only',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, x):\n        if tf.random.uniform([]) < 0.5:\n            x = -x\n        return x\n',
      errors: [{ line: 5, column: 12, message: 'a TF op on Python values is an eager TensorFlow tensor on JAX and PyTorch' }],
      blocks: ['tensorflow']
    },
    {
      // claims/loss_call_python_flag.py: fails on TensorFlow and JAX (traced steps), runs on PyTorch.
      name: 'keras.io GauGAN: a Loss subclass whose call() branches on its second argument (Loss.__call__ makes it a tensor)',
      code: 'import keras\nclass DiscriminatorLoss(keras.losses.Loss):\n    def call(self, y, is_real):\n        label = 1.0 if is_real else -1.0\n        if is_real:\n            pass\n        return keras.ops.mean(y * label)\n',
      errors: [{ line: 4, column: 24 }, { line: 5, column: 12 }],
      blocks: ['tensorflow', 'jax'],
      // The conditional expression of two numbers becomes keras.ops.where (the float flag is true when nonzero).
      fixOptions: { unsafe: true },
      output: 'import keras\nclass DiscriminatorLoss(keras.losses.Loss):\n    def call(self, y, is_real):\n        label = keras.ops.where(is_real, 1.0, -1.0)\n        if is_real:\n            pass\n        return keras.ops.mean(y * label)\n'
    },
    {
      name: 'a conditional expression with a call in a value: no fix (keras.ops.where would run both)',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return self.a(x) if keras.ops.sum(x) > 0 else -x\n',
      errors: [{ line: 4, column: 29 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a tensor argument compared by value, arithmetic values: keras.ops.where with tensorflow imported as tf elsewhere',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, inputs):\n        return inputs * 2 if inputs > 0 else -inputs\n',
      errors: [{ line: 5, column: 30 }],
      fixOptions: { unsafe: true },
      output: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, inputs):\n        return keras.ops.where(inputs > 0, inputs * 2, -inputs)\n'
    },
    {
      // claims/random_branch_in_call.py: the RNG fix's keras.random draw is still a tensor, so the
      // `if` fails on TensorFlow (OperatorNotAllowedInGraphError in fit) and JAX; keras.ops.cond runs on all three.
      name: 'a random flip: `if <draw> < p: return flipped` then `return x` becomes one keras.ops.cond',
      code:
        'import keras\nclass Flip(keras.layers.Layer):\n    def call(self, x, training=None):\n        if training:\n            if keras.random.uniform([], seed=self.seed_generator) < self.p:\n                return keras.ops.flip(x, axis=[2])\n        return x\n',
      errors: [{ line: 5, column: 16 }],
      blocks: ['tensorflow', 'jax'],
      fixOptions: { unsafe: true },
      output:
        'import keras\nclass Flip(keras.layers.Layer):\n    def call(self, x, training=None):\n        if training:\n            return keras.ops.cond(keras.random.uniform([], seed=self.seed_generator) < self.p, lambda: keras.ops.flip(x, axis=[2]), lambda: x)\n        return x\n'
    },
    {
      name: 'an `if` that only reassigns a parameter keeps its value otherwise',
      code: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, image):\n        if tf.random.uniform(()) > 0.5:\n            image = tf.image.flip_left_right(image)\n        return image\n',
      errors: [{ line: 5, column: 12 }],
      fixOptions: { unsafe: true },
      output: LAYER_HEAD + 'class L(keras.layers.Layer):\n    def call(self, image):\n        image = keras.ops.cond(keras.ops.convert_to_tensor(tf.random.uniform(()) > 0.5), lambda: tf.image.flip_left_right(image), lambda: image)\n        return image\n'
    },
    {
      name: 'if/else returning tuples: each lambda returns the tuple',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        if keras.ops.sum(x) > 0:\n            return x, x\n        else:\n            # negate\n            return -x, x\n',
      errors: [{ line: 4, column: 12 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.cond(keras.ops.sum(x) > 0, lambda: (x, x), lambda: (-x, x))\n'
    },
    {
      name: 'no fix: a name with no value before the `if`, an elif chain, two statements in a branch',
      code:
        'import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        if keras.ops.sum(x) > 0:\n            y = x\n        if keras.ops.sum(x) > 1:\n            return x\n        elif keras.ops.sum(x) > 2:\n            return -x\n        if keras.ops.sum(x) > 3:\n            x = x * 2\n            x = x + 1\n        return x\n',
      errors: [{ line: 4, column: 12 }, { line: 6, column: 12 }, { line: 8, column: 14 }, { line: 10, column: 12 }],
      fixOptions: { unsafe: true }
    },
    {
      code:
        LAYER_HEAD +
        'class L(keras.layers.Layer):\n    def call(self, inputs):\n        if tf.reduce_sum(inputs) > 0:\n            return inputs\n        s = keras.ops.mean(inputs)\n        while s > 1:\n            s = s / 2\n        return inputs if inputs > 0 else -inputs\n',
      errors: [
        { line: 5, column: 12, endColumn: 37 },
        { line: 8, column: 15, endColumn: 20 },
        { line: 10, column: 26, endColumn: 36 }
      ],
      // JAX traces call() under jit: a traced array has no truth value (checked by running); PyTorch runs it.
      blocks: ['tensorflow', 'jax']
    },
    {
      // /work/og46b repro_3: `if tf.reduce_max(y) > 0 and tf.reduce_min(y) > -10:` in call(). keras.ops.cond of the `and`
      // failed on TensorFlow and JAX (the truth value of a symbolic tensor); keras.ops.logical_and ran on all three.
      name: 'an and/or/not of tensor comparisons becomes keras.ops.logical_and/or/not in the cond predicate',
      code: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, y):\n        if keras.ops.max(y) > 0 and not keras.ops.min(y) < -10:\n            y = y + 1.0\n        return y\n',
      errors: [{ line: 4, column: 12 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nclass L(keras.layers.Layer):\n    def call(self, y):\n        y = keras.ops.cond(keras.ops.logical_and(keras.ops.max(y) > 0, keras.ops.logical_not(keras.ops.min(y) < -10)), lambda: y + 1.0, lambda: y)\n        return y\n'
    }
  ]
});
