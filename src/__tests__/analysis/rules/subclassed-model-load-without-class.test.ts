import { ruleTester } from '../rule-tester';

const NET = 'import keras\nclass Net(keras.Model):\n    def call(self, x):\n        return x\nmodel = Net()\n';

ruleTester('subclassed-model-load-without-class', {
  valid: [
    { name: 'the class is in custom_objects', code: NET + 'model.save("net.keras")\nm = keras.models.load_model("net.keras", custom_objects={"Net": Net})\n' },
    { name: 'a registered class', code: 'import keras\n@keras.saving.register_keras_serializable()\nclass Net(keras.Model):\n    pass\nmodel = Net()\nmodel.save("net.keras")\nm = keras.models.load_model("net.keras")\n' },
    { name: 'a functional model', code: 'import keras\ni = keras.Input((2,))\nmodel = keras.Model(i, i)\nmodel.save("m.keras")\nm = keras.models.load_model("m.keras")\n' },
    { name: 'a path this code does not save', code: NET + 'm = keras.models.load_model("other.keras")\n' }
  ],
  invalid: [
    {
      name: 'keras.io ShiftViT: custom_objects names the schedule only',
      code: NET + 'model.save("ShiftViT.keras")\nsaved = keras.models.load_model(\n    "ShiftViT.keras", custom_objects={"WarmUpCosine": WarmUpCosine}\n)\n',
      // Measured (claims/subclassed_model_load_without_class.py): "Could not locate class 'Net'" on every backend.
      errors: [{ line: 7, column: 9, message: "Could not locate class 'Net'" }]
    },
    {
      name: 'tf.keras spelling, a SavedModel directory',
      code: 'import tensorflow as tf\nclass Net(tf.keras.Model):\n    pass\nmodel = Net()\nmodel.save("saved_net")\nm = tf.keras.models.load_model("saved_net")\n',
      errors: [{ line: 6, column: 5 }]
    }
  ]
});
