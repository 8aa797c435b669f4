import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nfrom keras.utils import FeatureSpace\n';

ruleTester('feature-space-cross-more-than-two', {
  valid: [
    {
      name: 'a cross of two features (keras.io structured data)',
      code: HEAD + 'fs = FeatureSpace(features={"sex": "integer_categorical", "age": "float_discretized"}, crosses=[("sex", "age")], output_mode="concat")\n'
    },
    {
      name: 'FeatureSpace.cross of two features (the Keras team\'s conversion of the advanced example)',
      code: HEAD + 'fs = FeatureSpace(features={}, crosses=[FeatureSpace.cross(feature_names=("housing", "loan"), crossing_dim=6)], output_mode="concat")\n'
    },
    {
      name: 'a cross whose feature names are not written out (a name): not read',
      code: HEAD + 'fs = FeatureSpace(features={}, crosses=[FeatureSpace.cross(feature_names=names, crossing_dim=6)])\n'
    },
    { name: 'HashedCrossing of two KerasTensors', code: 'import keras\na = keras.Input((1,), dtype="int64")\nb = keras.Input((1,), dtype="int64")\ncrossed = keras.layers.HashedCrossing(num_bins=8)([a, b])\n' },
    // An eager call on three arrays runs on TensorFlow and JAX (Keras 3.15).
    { name: 'HashedCrossing called eagerly on three arrays', code: 'import keras\nimport numpy as np\nout = keras.layers.HashedCrossing(num_bins=8)((np.ones((2, 1)), np.ones((2, 1)), np.ones((2, 1))))\n' },
    { name: 'another function named cross', code: 'import numpy as np\nnp.cross(a, b)\ncross(("a", "b", "c"))\n' }
  ],
  invalid: [
    {
      // python_kernel_hooks/tests/claims/hashed_crossing_three_keras_tensors.py: fails on TF, JAX and PyTorch; tf_keras runs it.
      name: 'HashedCrossing made and called on three KerasTensors in a functional model',
      code: 'import tensorflow as tf\nx = tf.keras.Input((1,), dtype="int64")\ny = tf.keras.Input((1,), dtype="int64")\nz = tf.keras.Input((1,), dtype="int64")\ncrossed = tf.keras.layers.HashedCrossing(num_bins=8)([x, y, z])\n',
      errors: [{ line: 5, column: 54, message: 'is given 3 inputs' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      // python_kernel_hooks/tests/claims/feature_space_cross_three_features.py: adapt fails on TF, JAX and PyTorch; tf_keras runs it.
      name: 'keras.io FeatureSpace advanced use cases (Keras 2): FeatureSpace.cross of three features',
      code:
        'import tensorflow as tf\nfrom tensorflow.keras.utils import FeatureSpace\nfs = FeatureSpace(\n    features={},\n    crosses=[\n        FeatureSpace.cross(feature_names=("default", "housing", "loan"), crossing_dim=6),\n    ],\n    output_mode="concat",\n)\n',
      errors: [{ line: 6, column: 42, message: 'Keras 3 crosses exactly two features' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'a preset cross of three features in crosses=[...]',
      code: HEAD + 'fs = FeatureSpace(features={}, crosses=[("sex", "age"), ("thal", "ca", "cp")], crossing_dim=32)\n',
      errors: [{ line: 3, column: 57, message: '`("thal", "ca", "cp")` crosses 3 features' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'keras.utils.FeatureSpace.cross with positional feature names, kept in a name',
      code: 'import keras\nc = keras.utils.FeatureSpace.cross(["a", "b", "c", "d"], crossing_dim=8)\n',
      errors: [{ line: 2, column: 36, message: 'crosses 4 features' }],
      blocks: ['tensorflow', 'jax', 'torch']
    }
  ]
});
