import { ruleTester } from '../rule-tester';

ruleTester('add-weight-positional-name', {
  valid: [
    { name: 'keywords', code: 'import keras\nclass D(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight(name="w", shape=(s[-1], 2))\n' },
    { name: 'Keras 3 positional shape', code: 'import keras\nclass D(keras.layers.Layer):\n    def build(self, s):\n        self.w = self.add_weight((s[-1], 2), "zeros")\n' },
    { name: 'not a Keras class', code: 'class Store:\n    def setup(self):\n        self.add_weight("w", 3)\n' }
  ],
  invalid: [
    {
      // keras.io serialization guide (helper oe41c): Keras 3 raises "Layer.add_variable() got multiple
      // values for argument 'shape'" on every backend; add_weight with keywords runs on all three.
      name: 'Keras 2 add_variable with the name first becomes add_weight with keywords',
      code: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.kernel = self.add_variable("kernel", shape=(4, 2))\n',
      errors: [{ line: 5, column: 41, message: 'requires an `initializer`' }],
      output: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.kernel = self.add_weight(name="kernel", shape=(4, 2))\n'
    },
    {
      name: 'TF tutorial layer: name first, shape by keyword',
      code: [
        'import tensorflow as tf\n',
        'class MyDenseLayer(tf.keras.layers.Layer):\n  def build(self, input_shape):\n    self.kernel = self.add_weight("kernel",\n                                  shape=[int(input_shape[-1]), 10])\n'
      ],
      errors: [{ line: 3, column: 35, endColumn: 43, message: 'positional name' }],
      output: [
        'import tensorflow as tf\n',
        'class MyDenseLayer(tf.keras.layers.Layer):\n  def build(self, input_shape):\n    self.kernel = self.add_weight(name="kernel",\n                                  shape=[int(input_shape[-1]), 10])\n'
      ]
    },
    {
      name: 'every positional argument gets its Keras 2 name',
      code: 'import keras\nclass A(keras.layers.Layer):\n    def build(self, s):\n        self.b = self.add_weight("att_bias", (s[1], 1), "float32", "zeros", None, True)\n',
      errors: [{ line: 4, column: 34 }],
      output: 'import keras\nclass A(keras.layers.Layer):\n    def build(self, s):\n        self.b = self.add_weight(name="att_bias", shape=(s[1], 1), dtype="float32", initializer="zeros", regularizer=None, trainable=True)\n'
    },
    {
      name: 'metric: Keras 2 Metric.add_weight order',
      code: 'import keras\nclass F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight("tp", initializer="zeros")\n',
      errors: [{ line: 5, column: 35 }],
      output: 'import keras\nclass F1(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.tp = self.add_weight(name="tp", initializer="zeros")\n'
    },
    {
      name: 'metric keyword Keras 3 does not take: suggestion only',
      code: 'import keras\nimport tensorflow as tf\nclass C(keras.metrics.Metric):\n    def __init__(self):\n        super().__init__()\n        self.n = self.add_weight("n", aggregation=tf.VariableAggregation.SUM)\n',
      errors: [{ line: 6, column: 34 }]
    }
  ]
});
