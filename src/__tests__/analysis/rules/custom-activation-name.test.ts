import { ruleTester } from '../rule-tester';

ruleTester('custom-activation-name', {
  valid: [
    { name: 'built-in names', code: 'import keras\nx = keras.layers.Dense(3, activation="relu")\ny = keras.layers.LSTM(4, activation="tanh", recurrent_activation="hard_sigmoid")\nz = keras.layers.Activation("gelu")\n' },
    { name: 'a function', code: 'import keras\ndef f(x):\n    return x\nx = keras.layers.Dense(3, activation=f)\n' },
    { name: 'not a Keras layer', code: 'from sklearn.neural_network import MLPClassifier\nclf = MLPClassifier(activation="logistic")\n' },
    { name: 'a notebook layer class taking its own names', code: 'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self, activation="mish_like"):\n        super().__init__()\nb = Block(activation="mish_like")\n' },
    { name: 'a variable', code: 'import keras\nact = "relu"\nx = keras.layers.Dense(3, activation=act)\n' }
  ],
  invalid: [
    {
      // The Stack Overflow custom-activation answer (Keras 2): Keras 3.15 raised "Could not interpret activation function identifier: swish_beta" on TensorFlow, JAX and PyTorch; activation=swish_beta ran on all three (examples/runnable/serialization_json_custom_objects.py).
      name: 'get_custom_objects().update with Activation(f)',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Dense\nfrom tensorflow.keras.utils import get_custom_objects\n\ndef swish_beta(x, beta=1.5):\n    return x * tf.sigmoid(beta * x)\n\nget_custom_objects().update({"swish_beta": Activation(swish_beta)})\nmodel = tf.keras.Sequential([Dense(8, activation="swish_beta"), Dense(1)])\n',
      errors: [{ line: 9, column: 50, message: 'Could not interpret activation function identifier: swish_beta' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Activation, Dense\nfrom tensorflow.keras.utils import get_custom_objects\n\ndef swish_beta(x, beta=1.5):\n    return x * tf.sigmoid(beta * x)\n\nget_custom_objects().update({"swish_beta": Activation(swish_beta)})\nmodel = tf.keras.Sequential([Dense(8, activation=swish_beta), Dense(1)])\n'
    },
    {
      name: 'keras.utils.generic_utils registry by subscript, Activation layer by name',
      code: "import keras\nfrom keras.utils.generic_utils import get_custom_objects\ndef my_act(x):\n    return x * 2\nget_custom_objects()['my_act'] = my_act\nlayer = keras.layers.Activation('my_act')\n",
      errors: [{ line: 6, column: 33 }],
      output: "import keras\nfrom keras.utils.generic_utils import get_custom_objects\ndef my_act(x):\n    return x * 2\nget_custom_objects()['my_act'] = my_act\nlayer = keras.layers.Activation(my_act)\n"
    },
    {
      name: 'register_keras_serializable package name, keras.activations.get',
      code: 'import keras\n@keras.utils.register_keras_serializable(package="Acts")\ndef shifted(x):\n    return x - 1\nf = keras.activations.get("Acts>shifted")\n',
      errors: [{ line: 5, column: 27 }],
      output: 'import keras\n@keras.utils.register_keras_serializable(package="Acts")\ndef shifted(x):\n    return x - 1\nf = keras.activations.get(shifted)\n'
    },
    {
      name: 'custom_object_scope, recurrent_activation',
      code: 'import keras\ndef hsig(x):\n    return keras.ops.clip(x, 0, 1)\nwith keras.utils.custom_object_scope({"hsig": hsig}):\n    lstm = keras.layers.LSTM(4, recurrent_activation="hsig")\n',
      errors: [{ line: 5, column: 54 }],
      output: 'import keras\ndef hsig(x):\n    return keras.ops.clip(x, 0, 1)\nwith keras.utils.custom_object_scope({"hsig": hsig}):\n    lstm = keras.layers.LSTM(4, recurrent_activation=hsig)\n'
    },
    {
      name: 'registered in another cell: no fix',
      code: ['from keras.utils import get_custom_objects\nimport keras\ndef f(x):\n    return x\nget_custom_objects().update({"f_act": f})\n', 'import keras\nd = keras.layers.Dense(2, activation="f_act")\n'],
      errors: [{ line: 2, column: 38 }]
    },
    {
      name: 'an unknown name, no registration: no fix',
      code: 'import keras\nd = keras.layers.Conv2D(4, 3, activation="LeakyReLU")\n',
      errors: [{ line: 2, column: 42 }]
    }
  ]
});
