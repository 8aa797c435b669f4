import { ruleTester } from '../rule-tester';

const LAYER = 'import tensorflow as tf\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, dtype=tf.float32, **kwargs):\n        super().__init__(dtype=dtype, **kwargs)\n        self.factor = factor\n\n    def call(self, inputs):\n        return inputs * self.factor\n';

ruleTester('tf-dtype-in-layer-arguments', {
  valid: [
    { name: 'a dtype name', code: LAYER.replace('dtype=tf.float32', 'dtype="float32"') + 'Scale(2.0).get_config()\n' },
    {
      name: 'the class writes its own get_config',
      code: LAYER + '\n    def get_config(self):\n        return {**super().get_config(), "factor": self.factor}\n\nScale(2.0, dtype=tf.float64).get_config()\n'
    },
    {
      name: 'a base class of the cell writes get_config',
      code: 'import tensorflow as tf\nimport keras\n\nclass Base(keras.layers.Layer):\n    def get_config(self):\n        return super().get_config()\n\nclass Scale(Base):\n    def __init__(self, dtype=tf.float32, **kwargs):\n        super().__init__(dtype=dtype, **kwargs)\n'
    },
    { name: 'a built-in layer serializes its dtype itself', code: 'import tensorflow as tf\nimport keras\nlayer = keras.layers.Dense(3, dtype=tf.float64)\ninputs = keras.Input((3,), dtype=tf.float32)\nlayer.get_config()\n' },
    { name: 'not a Keras class', code: 'import tensorflow as tf\n\nclass Plain:\n    def __init__(self, dtype=tf.float32):\n        self.dtype = dtype\n\nPlain(tf.int32)\n' }
  ],
  invalid: [
    {
      // claims/tf_dtype_in_layer_arguments.py: NotImplementedError at save on all three (Keras 3.15); the fixed program ran on all three.
      name: 'the doc example: an __init__ default, the model saved',
      code: LAYER + '\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save("scale.keras")\n',
      errors: [{ line: 5, column: 38, message: 'saving the model' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: LAYER.replace('dtype=tf.float32', 'dtype="float32"') + '\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save("scale.keras")\n'
    },
    {
      // og49d repro_1b: the argument given where the layer is made; a whole-model checkpoint asks for the config.
      name: 'an argument where the layer is made, a whole-model ModelCheckpoint',
      code: LAYER.replace('dtype=tf.float32', 'dtype="float32"') + 'x = Scale(2.0, dtype=tf.float16, name="s")\ncallback = keras.callbacks.ModelCheckpoint("best.keras")\n',
      errors: [{ line: 11, column: 22 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: LAYER.replace('dtype=tf.float32', 'dtype="float32"') + 'x = Scale(2.0, dtype="float16", name="s")\ncallback = keras.callbacks.ModelCheckpoint("best.keras")\n'
    },
    {
      name: 'nothing asks for the config (weights only): a note, blocking nothing',
      code: LAYER + 'inputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save_weights("scale.weights.h5")\ncallback = keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=True)\n',
      errors: [{ line: 5, column: 38, message: 'nothing fails yet' }],
      blocks: [],
      output: LAYER.replace('dtype=tf.float32', 'dtype="float32"') + 'inputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale(2.0)(inputs))\nmodel.save_weights("scale.weights.h5")\ncallback = keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=True)\n'
    },
    {
      name: 'the save in a later cell; tf.dtypes spelling',
      code: ['import tensorflow as tf\nimport keras\n\nclass Noise(keras.Model):\n    def __init__(self, out=tf.dtypes.int64):\n        super().__init__()\n        self.out = out\n', 'model = Noise()\nmodel.save("noise.keras")\n'],
      errors: [{ cell: 0, line: 5, column: 28 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: ['import tensorflow as tf\nimport keras\n\nclass Noise(keras.Model):\n    def __init__(self, out="int64"):\n        super().__init__()\n        self.out = out\n', 'model = Noise()\nmodel.save("noise.keras")\n']
    }
  ]
});
