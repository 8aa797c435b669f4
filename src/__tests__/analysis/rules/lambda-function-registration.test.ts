import { ruleTester } from '../rule-tester';

ruleTester('lambda-function-registration', {
  valid: [
    {
      name: 'Lambda around a named function, model never rebuilt from its config',
      code: 'import keras\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nmodel.fit(x, y)\n'
    },
    {
      name: 'function already registered',
      code: 'import keras\n@keras.saving.register_keras_serializable(package="demo")\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nclone = keras.models.clone_model(model)\n'
    },
    {
      name: 'load_model names the function in custom_objects',
      code: 'import keras\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nmodel.save("m.keras")\nm = keras.models.load_model("m.keras", custom_objects={"double": double})\n'
    },
    {
      name: 'custom_objects dict names the output_shape function too',
      code: 'import keras\ndef dist(v):\n    return v[0] - v[1]\ndef out_shape(shapes):\n    return shapes[0]\nd = keras.layers.Lambda(dist, output_shape=out_shape)\nm = keras.models.load_model("m.keras", custom_objects={"dist": dist, "out_shape": out_shape})\n'
    },
    {
      name: 'custom_objects not a literal dict (may hold anything)',
      code: 'import keras\ndef dist(v):\n    return v[0] - v[1]\nd = keras.layers.Lambda(dist)\nobjs = {"dist": dist}\nm = keras.models.load_model("m.keras", custom_objects=objs)\nn = keras.models.load_model("m.keras", custom_objects={"loss": l, **objs})\n'
    },
    {
      name: 'a Python lambda (KM202 territory) and a method of the same name',
      code: 'import keras\nclass Block(keras.layers.Layer):\n    def double(self, t):\n        return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2.0)(inputs))\nclone = keras.models.clone_model(model)\n'
    }
  ],
  invalid: [
    {
      name: 'keras.io siamese: output_shape function left out of the custom_objects of an .h5 load',
      code: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras import backend as K\n\ndef euclidean_distance(vects):\n    x, y = vects\n    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))\n\ndef eucl_dist_output_shape(shapes):\n    shape1, shape2 = shapes\n    return (shape1[0], 1)\n\nd = layers.Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([a, b])\nm = keras.models.load_model("s.h5", custom_objects={"contrastive_loss": loss, "euclidean_distance": euclidean_distance})\n',
      errors: [{ line: 9, column: 5, message: "Could not locate function 'eucl_dist_output_shape'" }],
      output: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras import backend as K\n\ndef euclidean_distance(vects):\n    x, y = vects\n    return K.sqrt(K.sum(K.square(x - y), axis=1, keepdims=True))\n\n@keras.utils.register_keras_serializable()\ndef eucl_dist_output_shape(shapes):\n    shape1, shape2 = shapes\n    return (shape1[0], 1)\n\nd = layers.Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([a, b])\nm = keras.models.load_model("s.h5", custom_objects={"contrastive_loss": loss, "euclidean_distance": euclidean_distance})\n'
    },
    {
      name: 'keras.io DDIM: sinusoidal embedding in a Lambda, network cloned for the EMA',
      code: 'import math\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\ndef sinusoidal_embedding(x):\n    return tf.sin(x * math.pi)\n\nnoise_variances = keras.Input(shape=(1, 1, 1))\ne = layers.Lambda(sinusoidal_embedding)(noise_variances)\nnetwork = keras.Model(noise_variances, e)\nema_network = keras.models.clone_model(network)\n',
      errors: [{ line: 6, column: 5, message: "Could not locate function 'sinusoidal_embedding'" }],
      output: 'import math\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n@keras.utils.register_keras_serializable()\ndef sinusoidal_embedding(x):\n    return tf.sin(x * math.pi)\n\nnoise_variances = keras.Input(shape=(1, 1, 1))\ne = layers.Lambda(sinusoidal_embedding)(noise_variances)\nnetwork = keras.Model(noise_variances, e)\nema_network = keras.models.clone_model(network)\n'
    },
    {
      name: 'decorated nested def, function= keyword, model loaded in a later cell',
      code: [
        'import keras\nimport functools\n\ndef build():\n    @functools.lru_cache\n    def scale(t):\n        return t * 3.0\n    inputs = keras.Input((2,))\n    return keras.Model(inputs, keras.layers.Lambda(function=scale)(inputs))\n',
        'from keras.models import load_model\nm = load_model("m.keras")\n'
      ],
      errors: [{ cell: 0, line: 6, column: 9 }],
      output: [
        'import keras\nimport functools\n\ndef build():\n    @keras.saving.register_keras_serializable()\n    @functools.lru_cache\n    def scale(t):\n        return t * 3.0\n    inputs = keras.Input((2,))\n    return keras.Model(inputs, keras.layers.Lambda(function=scale)(inputs))\n',
        'from keras.models import load_model\nm = load_model("m.keras")\n'
      ]
    },
    {
      name: 'Model.from_config of a tf.keras model',
      code: 'import tensorflow as tf\ndef clip(t):\n    return tf.clip_by_value(t, 0.0, 1.0)\ninputs = tf.keras.Input((3,))\nmodel = tf.keras.Model(inputs, tf.keras.layers.Lambda(clip)(inputs))\ncopy = tf.keras.Model.from_config(model.get_config())\n',
      errors: [{ line: 2, column: 5 }],
      output: 'import tensorflow as tf\nimport keras\n@keras.saving.register_keras_serializable()\ndef clip(t):\n    return tf.clip_by_value(t, 0.0, 1.0)\ninputs = tf.keras.Input((3,))\nmodel = tf.keras.Model(inputs, tf.keras.layers.Lambda(clip)(inputs))\ncopy = tf.keras.Model.from_config(model.get_config())\n'
    }
  ]
});
