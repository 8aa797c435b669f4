import { ruleTester } from '../rule-tester';

ruleTester('legacy-h5-model-loaded-with-training-config', {
  valid: [
    { name: 'already compile=False', code: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.predict(x)\n' },
    { name: 'a .keras file', code: 'import keras\nmodel = keras.models.load_model("model.keras")\nmodel.predict(x)\n' },
    { name: 'a weights file', code: 'import keras\nmodel = keras.models.load_model("m.weights.h5")\nmodel.predict(x)\n' },
    { name: 'trained with the file settings (KM380)', code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.fit(x, y)\n' },
    { name: 'evaluated in a later cell (KM380)', code: ['import keras\nmodel = keras.models.load_model("old.h5")\nmodel.predict(x)\n', 'model.evaluate(x, y)\n'] },
    { name: 'saved by the program itself (a round trip: KM031)', code: 'import keras\nnet.save("m.h5")\nmodel = keras.models.load_model("m.h5")\nmodel.predict(x)\n' },
    { name: 'saved by a model whose name says nothing, bound above in the cell (a round trip)', code: 'import keras\nbase = keras.Model(inputs, outputs)\nbase.save("m.h5")\nreloaded = keras.models.load_model("m.h5")\nreloaded.predict(x)\n' },
    { name: 'saved in a later cell', code: ['import keras\nmodel = keras.models.load_model("m.h5")\nmodel.predict(x)\n', 'model.save("m.h5")\n'] },
    { name: 'a path the code does not show', code: 'import keras\nmodel = keras.models.load_model(path)\nmodel.predict(x)\n' },
    { name: 'arguments splatted', code: 'import keras\nmodel = keras.models.load_model("old.h5", **options)\nmodel.predict(x)\n' },
    { name: 'returned by a function (where it goes is not followed)', code: 'import keras\ndef get():\n    return keras.models.load_model("old.h5")\n' },
    { name: 'fit straight on the loaded model', code: 'import keras\nkeras.models.load_model("old.h5").fit(x, y)\n' },
    { name: 'the useInstead', code: 'import keras\nmodel = keras.models.load_model("classifier.h5", compile=False)\npredictions = model.predict(x)\n' }
  ],
  invalid: [
    {
      name: 'the doc example',
      code: 'import keras\nmodel = keras.models.load_model("classifier.h5")\npredictions = model.predict(x)\n',
      errors: [{ line: 2, column: 9, message: '`model` is loaded from the legacy `.h5` file `classifier.h5`' }],
      blocks: [],
      output: 'import keras\nmodel = keras.models.load_model("classifier.h5", compile=False)\npredictions = model.predict(x)\n'
    },
    {
      name: 'tf.keras, custom objects, a call and layers read',
      code: 'import tensorflow as tf\nPATH = "models/unet.hdf5"\nnet = tf.keras.models.load_model(PATH, custom_objects={"dice": dice})\nprint(net.layers[0].name)\nmask = net(image)\n',
      errors: [{ line: 3, column: 7, message: '`models/unet.hdf5`' }],
      blocks: [],
      output: 'import tensorflow as tf\nPATH = "models/unet.hdf5"\nnet = tf.keras.models.load_model(PATH, custom_objects={"dice": dice}, compile=False)\nprint(net.layers[0].name)\nmask = net(image)\n'
    },
    {
      name: 'compile=True given: replaced',
      code: 'from keras.models import load_model\nmodel = load_model("old.h5", compile=True)\nmodel.summary()\n',
      errors: [{ line: 2, column: 9 }],
      output: 'from keras.models import load_model\nmodel = load_model("old.h5", compile=False)\nmodel.summary()\n'
    },
    {
      name: 'compiled anew before training: the file settings are never used',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\nmodel.save("new.keras")\n',
      errors: [{ line: 2, column: 9 }],
      output: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\nmodel.save("new.keras")\n'
    },
    {
      name: 'a method straight on the loaded model',
      code: 'import keras\np = keras.models.load_model("old.h5").predict(x)\n',
      errors: [{ line: 2, column: 5, message: 'the model is loaded' }],
      output: 'import keras\np = keras.models.load_model("old.h5", compile=False).predict(x)\n'
    },
    {
      name: 'in a function that predicts with it',
      code: 'import keras\ndef predict(x):\n    model = keras.models.load_model("old.h5")\n    return model.predict(x)\n',
      errors: [{ line: 3, column: 13 }],
      output: 'import keras\ndef predict(x):\n    model = keras.models.load_model("old.h5", compile=False)\n    return model.predict(x)\n'
    },
    {
      name: 'saved again as .keras: the file settings would be kept, so a suggestion',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.save("new.keras")\n',
      errors: [{ line: 2, column: 9 }],
      output: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.save("new.keras")\n'
    },
    {
      name: 'saved again: the suggestion applied with --unsafe',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.save("new.keras")\n',
      errors: [{ line: 2, column: 9 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.save("new.keras")\n'
    },
    {
      name: 'handed to a function: a suggestion',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nreport(model, x)\n',
      errors: [{ line: 2, column: 9 }]
    },
    {
      name: 'handed on in a later cell: a suggestion',
      code: ['import keras\nmodel = keras.models.load_model("old.h5")\nmodel.predict(x)\n', 'score(x, model=model)\n'],
      errors: [{ cell: 0, line: 2, column: 9 }]
    },
    {
      name: 'its optimizer read in a later cell: a suggestion',
      code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'print(model.optimizer.learning_rate)\n'],
      errors: [{ cell: 0, line: 2, column: 9 }]
    },
    {
      name: 'predicted in a later cell: safe',
      code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'y = model.predict(x)\n'],
      errors: [{ cell: 0, line: 2, column: 9 }],
      output: ['import keras\nmodel = keras.models.load_model("old.h5", compile=False)\n', 'y = model.predict(x)\n']
    }
  ]
});
