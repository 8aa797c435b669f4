import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('len-of-tensor', {
  valid: [
    {
      name: 'len of a list of inputs in call() (unpacked, indexed, concatenated)',
      code:
        HEAD +
        'class Merge(keras.layers.Layer):\n    def call(self, inputs):\n        if len(inputs) == 2:\n            a, b = inputs\n            return a + b\n        return tf.concat(inputs, axis=-1)\n' +
        'class Pick(keras.layers.Layer):\n    def call(self, inputs):\n        n = len(inputs)\n        return inputs[0] * n\n'
    },
    {
      // keras.io GaUGAN's FeatureMatchingLoss, called directly on lists of feature maps.
      name: 'a loss whose y_true is indexed over range(len(y_true))',
      code: HEAD + 'class FeatureMatchingLoss(keras.losses.Loss):\n    def call(self, y_true, y_pred):\n        loss = 0\n        for i in range(len(y_true) - 1):\n            loss += keras.ops.mean(keras.ops.abs(y_true[i] - y_pred[i]))\n        return loss\n'
    },
    { name: 'len of a Python list built in call()', code: HEAD + 'class Sum(keras.layers.Layer):\n    def call(self, x):\n        parts = [x, x]\n        return tf.add_n(parts) / len(parts)\n' },
    { name: 'len of an input under @tf.function (AutoGraph converts it)', code: HEAD + 'class L(keras.layers.Layer):\n    @tf.function\n    def call(self, x):\n        return x * tf.cast(len(x), tf.float32)\n' },
    { name: 'len of data in eager code and in a train_step tuple', code: HEAD + 'x = tf.zeros((4, 2))\nprint(len(x))\nclass M(keras.Model):\n    def train_step(self, data):\n        if len(data) == 3:\n            x, y, w = data\n        return {}\n' },
    { name: 'len of a tensor in an eager method no traced code calls', code: HEAD + 'class GAN(keras.Model):\n    def call(self, x):\n        return x\n    def plot(self, x):\n        y = tf.square(x)\n        print(len(y))\n' }
  ],
  invalid: [
    {
      // /work/og46b repro_5: `n = len(x)` in a layer's call(), the layer in a functional model. Keras 3:
      // TensorFlow "len is not well defined for a symbolic Tensor", JAX "'_DimExpr' object cannot be interpreted
      // as an integer"; keras.ops.shape(x)[0] ran on all three (/tmp/len47).
      name: 'len of the input of a layer a functional model builds: TensorFlow and JAX; keras.ops.shape (suggestion)',
      code: HEAD + 'class Scale(keras.layers.Layer):\n    def call(self, x):\n        n = len(x)\n        return x * tf.cast(n, x.dtype)\ninp = keras.Input(shape=(3,))\nout = Scale()(inp)\n',
      errors: [{ line: 5, column: 13, message: 'len is not well defined' }],
      blocks: ['tensorflow', 'jax'],
      fixOptions: { unsafe: true },
      output: HEAD + 'class Scale(keras.layers.Layer):\n    def call(self, x):\n        n = keras.ops.shape(x)[0]\n        return x * tf.cast(n, x.dtype)\ninp = keras.Input(shape=(3,))\nout = Scale()(inp)\n'
    },
    {
      name: 'len of a subclassed model\'s input trained by fit: TensorFlow only',
      code: HEAD + 'class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(1)\n    def call(self, x):\n        x = tf.cast(x, tf.float32)\n        return self.d(x) / len(x)\n',
      errors: [{ line: 9, column: 28, message: 'cast it before Python arithmetic' }],
      blocks: ['tensorflow']
    },
    {
      // /tmp/len47 a.py loss: TensorFlow "len is not well defined for a symbolic Tensor"; JAX and PyTorch ran it.
      name: 'len of y_true in a loss function: TensorFlow; the value reaches a keras.ops call',
      code: HEAD + 'def loss(y_true, y_pred):\n    sq = tf.square(y_true - y_pred)\n    return keras.ops.sum(sq) / keras.ops.cast(len(sq), "float32")\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=loss)\n',
      errors: [{ line: 5, column: 47 }],
      blocks: ['tensorflow'],
      fixOptions: { unsafe: true },
      output: HEAD + 'def loss(y_true, y_pred):\n    sq = tf.square(y_true - y_pred)\n    return keras.ops.sum(sq) / keras.ops.cast(keras.ops.shape(sq)[0], "float32")\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss=loss)\n'
    }
  ]
});
