import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('complex-fft', {
  valid: [
    { name: 'keras.ops.fft2 on a (real, imaginary) pair', code: HEAD + 'class F(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.fft2((x, keras.ops.zeros_like(x)))[0]\n' },
    { name: 'the complex result itself kept (no real part taken): not this rewrite', code: HEAD + 'class F(keras.layers.Layer):\n    def call(self, x):\n        return tf.signal.fft2d(tf.cast(x, tf.complex64))\n' },
    { name: 'outside model code (a tf.data or NumPy step)', code: HEAD + 'spectrum = tf.math.real(tf.signal.fft(tf.cast(tf.range(8.0), tf.complex64)))\n' },
    { name: 'a cast of a computed value (written twice in the pair it would be computed twice): not rewritten', code: HEAD + 'class F(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.real(tf.signal.fft2d(tf.cast(x * 2, tf.complex64)))\n' },
    { name: 'a cast to an integer dtype is not the real part', code: HEAD + 'class F(keras.layers.Layer):\n    def call(self, x):\n        return tf.cast(tf.signal.fft2d(tf.cast(x, tf.complex64)), tf.int32)\n' }
  ],
  invalid: [
    {
      name: "FNet's mixing: the cast back to float32 keeps the real part (a suggestion: TF casts integers and float64 to complex64 too)",
      code:
        HEAD +
        'class FNet(keras.layers.Layer):\n    def call(self, inputs):\n        x = tf.cast(\n            tf.signal.fft2d(tf.cast(inputs, dtype=tf.dtypes.complex64)),\n            dtype=tf.dtypes.float32,\n        )\n        return x + inputs\nmodel.fit(x, y)\n',
      errors: [{ line: 5, column: 13, message: 'use `keras.ops.fft2((inputs, keras.ops.zeros_like(inputs)))[0]`' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: HEAD + 'class FNet(keras.layers.Layer):\n    def call(self, inputs):\n        x = keras.ops.fft2((inputs, keras.ops.zeros_like(inputs)))[0]\n        return x + inputs\nmodel.fit(x, y)\n'
    },
    {
      name: 'the cast form is no safe fix',
      code: HEAD + 'class FNet(keras.layers.Layer):\n    def call(self, inputs):\n        return tf.math.real(tf.signal.fft2d(tf.cast(inputs, tf.complex64)))\n',
      errors: [{ line: 5, column: 16 }]
    },
    {
      name: 'tf.complex(x, tf.zeros_like(x)): the same values and dtype (safe); imag gives the second part; fft and ifft2d',
      code:
        HEAD +
        'class F(keras.layers.Layer):\n    def call(self, x, y):\n        a = tf.math.real(tf.signal.fft2d(tf.complex(x, tf.zeros_like(x))))\n        b = tf.math.imag(tf.signal.fft(tf.complex(x, y)))\n        c = tf.math.real(tf.signal.ifft2d(tf.dtypes.complex(real=x, imag=y)))\n        return a + b + c\n',
      errors: [{ line: 5, column: 13 }, { line: 6, column: 13 }, { line: 7, column: 13 }],
      output:
        HEAD +
        'class F(keras.layers.Layer):\n    def call(self, x, y):\n        a = keras.ops.fft2((x, keras.ops.zeros_like(x)))[0]\n        b = keras.ops.fft((x, y))[1]\n        c = keras.ops.ifft2((x, y))[0]\n        return a + b + c\n'
    }
  ]
});
