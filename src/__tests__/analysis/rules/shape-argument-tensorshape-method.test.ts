import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nimport tensorflow as tf\n';

ruleTester('shape-argument-tensorshape-method', {
  valid: [
    {
      name: 'the shape rebound to a TensorShape, and as_list of a tensor\'s shape elsewhere',
      code: HEAD + 'class L(keras.layers.Layer):\n    def build(self, input_shape):\n        input_shape = tf.TensorShape(input_shape)\n        self.n = input_shape.as_list()[-1]\n    def call(self, x):\n        return x\n'
    },
    { name: 'a plain class', code: HEAD + 'class Shape:\n    def build(self, input_shape):\n        return input_shape.as_list()\n' }
  ],
  invalid: [
    {
      // og47a repro_5 (Géron's handson-ml2 ch. 12 MyDense): "'tuple' object has no attribute 'as_list'" on all three;
      // list(batch_input_shape) ran on all three.
      name: 'as_list() and rank of the shape given to compute_output_shape and build',
      code:
        HEAD +
        'class MyDense(keras.layers.Layer):\n    def build(self, batch_input_shape):\n        self.rank = batch_input_shape.rank\n    def compute_output_shape(self, batch_input_shape):\n        return tf.TensorShape(batch_input_shape.as_list()[:-1] + [2])\n',
      errors: [{ line: 5, column: 21 }, { line: 7, column: 31 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        HEAD +
        'class MyDense(keras.layers.Layer):\n    def build(self, batch_input_shape):\n        self.rank = len(batch_input_shape)\n    def compute_output_shape(self, batch_input_shape):\n        return tf.TensorShape(list(batch_input_shape)[:-1] + [2])\n'
    }
  ]
});
