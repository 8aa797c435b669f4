import { ruleTester } from '../rule-tester';

const NET = 'import keras\nclass Net(keras.Model):\n    def call(self, x):\n        return x\nmodel = Net()\n';

ruleTester('subclassed-model-load-without-class', {
  valid: [
    { name: 'a subclassed model built beside the saved Sequential, which holds another model\'s layer (keras.io BiT near-duplicate search)', code: 'import keras\nclass MyBiTModel(keras.Model):\n    def __init__(self, module, **kwargs):\n        super().__init__(**kwargs)\n        self.bit_model = module\n    def call(self, x):\n        return self.bit_model(x)\nmodel = MyBiTModel(module=bit_module)\nembedding_model = keras.Sequential([keras.layers.Input((8, 8, 3)), bit_model.layers[1]])\nembedding_model.save("embedding_model.keras")\nembedding_model = keras.saving.load_model("embedding_model.keras")\n' },
    {
      name: 'a functional model with a Layer subclass named in custom_objects, or loaded in a custom_object_scope',
      code: "import keras\n\n\nclass Scale(keras.layers.Layer):\n    def call(self, x):\n        return x * 2.0\n\n\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, Scale()(inputs))\nmodel.save(\"m.keras\")\na = keras.models.load_model(\"m.keras\", custom_objects={\"Scale\": Scale})\nwith keras.saving.custom_object_scope({\"Scale\": Scale}):\n    b = keras.models.load_model(\"m.keras\")\n"
    },
    {
      name: 'a registered Layer subclass, and one that the saved model\'s factory does not use',
      code: "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass Scale(keras.layers.Layer):\n    pass\n\n\nclass Unused(keras.layers.Layer):\n    pass\n\n\ndef make():\n    inputs = keras.Input((3,))\n    return keras.Model(inputs, Scale()(inputs))\n\n\nother = Unused()\nmodel = make()\nmodel.save(\"m.keras\")\nm = keras.models.load_model(\"m.keras\")\n"
    },
    { name: 'the class is in custom_objects', code: NET + 'model.save("net.keras")\nm = keras.models.load_model("net.keras", custom_objects={"Net": Net})\n' },
    { name: 'a registered class', code: 'import keras\n@keras.saving.register_keras_serializable()\nclass Net(keras.Model):\n    pass\nmodel = Net()\nmodel.save("net.keras")\nm = keras.models.load_model("net.keras")\n' },
    { name: 'a functional model', code: 'import keras\ni = keras.Input((2,))\nmodel = keras.Model(i, i)\nmodel.save("m.keras")\nm = keras.models.load_model("m.keras")\n' },
    { name: 'a path this code does not save', code: NET + 'm = keras.models.load_model("other.keras")\n' }
  ],
  invalid: [
    {
      name: 'keras.io serialization guide: a path written twice (a functional model, then a subclassed one whose class is deleted) pairs its load with the nearest save; super(Cls, self) of the deleted class becomes super() (not in a comprehension)',
      code: "import keras\n\n\nclass CustomModel(keras.Model):\n    def __init__(self, hidden_units):\n        super(CustomModel, self).__init__()\n        self.hidden_units = hidden_units\n        self.dense_layers = [keras.layers.Dense(u) for u in hidden_units]\n\n    def call(self, inputs):\n        return [super(CustomModel, self) for _ in inputs] if False else inputs\n\n    def get_config(self):\n        return {\"hidden_units\": self.hidden_units}\n\n\ninputs = keras.Input(shape=(32,))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nmodel.save(\"my_model.keras\")\nfirst = keras.models.load_model(\"my_model.keras\")\nmodel = CustomModel([16, 10])\nmodel.save(\"my_model.keras\")\ndel CustomModel\nsecond = keras.models.load_model(\"my_model.keras\")\n",
      // Measured (/work/og41c r1d on Keras 3.15): "Could not locate class 'CustomModel'" on tf/jax/torch; registered, `super(CustomModel, self)` raises NameError after `del CustomModel`.
      errors: [{ line: 24, column: 10, message: "Could not locate class 'CustomModel'" }],
      fixOptions: { unsafe: true },
      output: "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass CustomModel(keras.Model):\n    def __init__(self, hidden_units):\n        super().__init__()\n        self.hidden_units = hidden_units\n        self.dense_layers = [keras.layers.Dense(u) for u in hidden_units]\n\n    def call(self, inputs):\n        return [super(CustomModel, self) for _ in inputs] if False else inputs\n\n    def get_config(self):\n        return {\"hidden_units\": self.hidden_units}\n\n\ninputs = keras.Input(shape=(32,))\nmodel = keras.Model(inputs, keras.layers.Dense(1)(inputs))\nmodel.save(\"my_model.keras\")\nfirst = keras.models.load_model(\"my_model.keras\")\nmodel = CustomModel([16, 10])\nmodel.save(\"my_model.keras\")\ndel CustomModel\nsecond = keras.models.load_model(\"my_model.keras\")\n"
    },
    {
      name: 'a Layer subclass whose __init__ takes **kwargs only: registered only (no empty get_config)',
      code: 'import keras\n\n\nclass Pre(keras.layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.d = keras.layers.Dense(2)\n\n    def call(self, x):\n        return self.d(x)\n\n\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Pre()(inp))\nmodel.save("m.keras")\nrestored = keras.models.load_model("m.keras")\n',
      errors: [{ line: 16, column: 12, message: 'holds a `Pre` layer' }],
      fixOptions: { unsafe: true },
      output: 'import keras\n\n\n@keras.saving.register_keras_serializable()\nclass Pre(keras.layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.d = keras.layers.Dense(2)\n\n    def call(self, x):\n        return self.d(x)\n\n\ninp = keras.Input((3,))\nmodel = keras.Model(inp, Pre()(inp))\nmodel.save("m.keras")\nrestored = keras.models.load_model("m.keras")\n'
    },
    {
      name: 'a Model subclass used as a layer of a functional model, saved with save_model: registered',
      code: 'import keras\n\n\nclass Scale(keras.models.Model):\n    def call(self, x):\n        return x * 2.0\n\n\ninp = keras.Input((3,))\nmodel = keras.Model(inp, keras.layers.Dense(1)(Scale()(inp)))\nkeras.models.save_model(model, "m.keras")\nrestored = keras.models.load_model("m.keras")\n',
      // Measured (claims/subclassed_model_as_layer_load_without_class.py): "Could not locate class 'Scale'" on every backend.
      errors: [{ line: 12, column: 12, message: 'holds a `Scale` layer, a Layer or Model subclass' }],
      fixOptions: { unsafe: true },
      output: 'import keras\n\n\n@keras.saving.register_keras_serializable()\nclass Scale(keras.models.Model):\n    def call(self, x):\n        return x * 2.0\n\n\ninp = keras.Input((3,))\nmodel = keras.Model(inp, keras.layers.Dense(1)(Scale()(inp)))\nkeras.models.save_model(model, "m.keras")\nrestored = keras.models.load_model("m.keras")\n'
    },
    {
      name: 'keras.io feature engineering: a functional model holding a Layer subclass whose __init__ takes *args, **kwargs, saved with save_model to a path in a name: registered',
      code: "import keras\n\n\nclass FeatureLayer(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super(FeatureLayer, self).__init__(*args, **kwargs)\n\n    def call(self, inputs):\n        return inputs\n\n\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs=inputs, outputs=FeatureLayer(name=\"features\")(inputs))\nsaved_dir = \"saved_model.keras\"\nkeras.models.save_model(model, saved_dir)\nloaded_model = keras.models.load_model(saved_dir)\n",
      // Measured (claims/subclassed_layer_load_without_class.py): "Could not locate class 'Scale'" on every backend.
      errors: [{ line: 16, column: 16, message: "Could not locate class 'FeatureLayer'" }],
      fixOptions: { unsafe: true },
      output: "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass FeatureLayer(keras.layers.Layer):\n    def __init__(self, *args, **kwargs):\n        super(FeatureLayer, self).__init__(*args, **kwargs)\n\n    def call(self, inputs):\n        return inputs\n\n\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs=inputs, outputs=FeatureLayer(name=\"features\")(inputs))\nsaved_dir = \"saved_model.keras\"\nkeras.models.save_model(model, saved_dir)\nloaded_model = keras.models.load_model(saved_dir)\n"
    },
    {
      name: 'a Layer subclass used in the function that builds the saved model, with a constructor argument: registered with a get_config()',
      code: "import keras\n\n\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n        self.factor = factor\n\n    def call(self, x):\n        return x * self.factor\n\n\ndef create_model():\n    inputs = keras.Input((3,))\n    return keras.Model(inputs, Scale(2.0)(inputs))\n\n\nmodel = create_model()\nmodel.save(\"m.keras\")\nm = keras.models.load_model(\"m.keras\")\n",
      errors: [{ line: 20, column: 5, message: 'holds a `Scale` layer' }],
      fixOptions: { unsafe: true },
      output: "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass Scale(keras.layers.Layer):\n    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n        self.factor = factor\n\n    def get_config(self):\n        config = super().get_config()\n        config.update(\n            {\n                \"factor\": self.factor,\n            }\n        )\n        return config\n\n    @classmethod\n    def from_config(cls, config):\n        # Keras objects among the constructor's arguments (a layer) are saved as their configs.\n        config = {\n            key: keras.saving.deserialize_keras_object(value) if isinstance(value, dict) and \"class_name\" in value else value\n            for key, value in config.items()\n        }\n        return cls(**config)\n\n    def call(self, x):\n        return x * self.factor\n\n\ndef create_model():\n    inputs = keras.Input((3,))\n    return keras.Model(inputs, Scale(2.0)(inputs))\n\n\nmodel = create_model()\nmodel.save(\"m.keras\")\nm = keras.models.load_model(\"m.keras\")\n"
    },
    {
      name: 'keras.io ShiftViT: custom_objects names the schedule only',
      code: NET + 'model.save("ShiftViT.keras")\nsaved = keras.models.load_model(\n    "ShiftViT.keras", custom_objects={"WarmUpCosine": WarmUpCosine}\n)\n',
      // Measured (claims/subclassed_model_load_without_class.py): "Could not locate class 'Net'" on every backend.
      errors: [{ line: 7, column: 9, message: "Could not locate class 'Net'" }],
      // No __init__: Keras 3's own get_config() (no arguments) rebuilds it once the class is registered.
      output:
        'import keras\n@keras.saving.register_keras_serializable()\nclass Net(keras.Model):\n    def call(self, x):\n        return x\nmodel = Net()\n' +
        'model.save("ShiftViT.keras")\nsaved = keras.models.load_model(\n    "ShiftViT.keras", custom_objects={"WarmUpCosine": WarmUpCosine}\n)\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'keras.io ShiftViT: get_config() returns sub-layers, not the constructor arguments (a layer among them): registered, get_config() returns the arguments (kept in __init__), from_config() deserializes the layer',
      code:
        'import keras\n' +
        'class Net(keras.Model):\n' +
        '    def __init__(self, augmentation, units, rate=0.1, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.augmentation = augmentation\n' +
        '        self.head = keras.layers.Dense(units)\n' +
        '\n' +
        '    def get_config(self):\n' +
        '        config = super().get_config()\n' +
        '        config.update({"augmentation": self.augmentation, "head": self.head})\n' +
        '        return config\n' +
        '\n' +
        '    def call(self, x):\n' +
        '        return self.head(self.augmentation(x))\n' +
        'model = Net(keras.Sequential([keras.layers.Rescaling(0.5)]), 3)\n' +
        'model.save("net.keras")\n' +
        'm = keras.models.load_model("net.keras")\n',
      errors: [{ line: 17, column: 5 }],
      output:
        'import keras\n' +
        '@keras.saving.register_keras_serializable()\n' +
        'class Net(keras.Model):\n' +
        '    def __init__(self, augmentation, units, rate=0.1, **kwargs):\n' +
        '        super().__init__(**kwargs)\n' +
        '        self.units = units\n' +
        '        self.rate = rate\n' +
        '        self.augmentation = augmentation\n' +
        '        self.head = keras.layers.Dense(units)\n' +
        '\n' +
        '    def get_config(self):\n' +
        '        config = super().get_config()\n' +
        '        config.update(\n' +
        '            {\n' +
        '                "augmentation": self.augmentation,\n' +
        '                "units": self.units,\n' +
        '                "rate": self.rate,\n' +
        '            }\n' +
        '        )\n' +
        '        return config\n' +
        '\n' +
        '    @classmethod\n' +
        '    def from_config(cls, config):\n' +
        "        # Keras objects among the constructor's arguments (a layer) are saved as their configs.\n" +
        '        config = {\n' +
        '            key: keras.saving.deserialize_keras_object(value) if isinstance(value, dict) and "class_name" in value else value\n' +
        '            for key, value in config.items()\n' +
        '        }\n' +
        '        return cls(**config)\n' +
        '\n' +
        '    def call(self, x):\n' +
        '        return self.head(self.augmentation(x))\n' +
        'model = Net(keras.Sequential([keras.layers.Rescaling(0.5)]), 3)\n' +
        'model.save("net.keras")\n' +
        'm = keras.models.load_model("net.keras")\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'get_config() already returns the constructor arguments: only the registration',
      code:
        'import keras\nclass Net(keras.Model):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.head = keras.layers.Dense(units)\n' +
        '    def get_config(self):\n        return {**super().get_config(), "units": self.units}\n    def call(self, x):\n        return self.head(x)\n' +
        'model = Net(3)\nmodel.save("n.keras")\nm = keras.saving.load_model("n.keras")\n',
      errors: [{ line: 13, column: 5 }],
      output:
        'import keras\n@keras.saving.register_keras_serializable()\nclass Net(keras.Model):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.head = keras.layers.Dense(units)\n' +
        '    def get_config(self):\n        return {**super().get_config(), "units": self.units}\n    def call(self, x):\n        return self.head(x)\n' +
        'model = Net(3)\nmodel.save("n.keras")\nm = keras.saving.load_model("n.keras")\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'look-alike: an argument name the model uses for another attribute (`self.units = units * 2`): no fix (the get_config() cannot be written mechanically)',
      code:
        'import keras\nclass Net(keras.Model):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units * 2\n        self.head = keras.layers.Dense(self.units)\n' +
        '    def call(self, x):\n        return self.head(x)\n' +
        'model = Net(3)\nmodel.save("n.keras")\nm = keras.saving.load_model("n.keras")\n',
      errors: [{ line: 11, column: 5 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'tf.keras spelling, a SavedModel directory',
      code: 'import tensorflow as tf\nclass Net(tf.keras.Model):\n    pass\nmodel = Net()\nmodel.save("saved_net")\nm = tf.keras.models.load_model("saved_net")\n',
      errors: [{ line: 6, column: 5 }],
      // The decorator's `keras` imported with it.
      output: 'import tensorflow as tf\nimport keras\n@keras.saving.register_keras_serializable()\nclass Net(tf.keras.Model):\n    pass\nmodel = Net()\nmodel.save("saved_net")\nm = tf.keras.models.load_model("saved_net")\n',
      fixOptions: { unsafe: true }
    }
  ]
});
