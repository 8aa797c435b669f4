import { ruleTester } from '../rule-tester';

const ALL = ['tensorflow', 'jax', 'torch'] as const;

ruleTester('legacy-h5-model-trained-without-compile', {
  valid: [
    { name: 'compiled again before training', code: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\n' },
    { name: 'compiled again (the file compile settings read)', code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\n' },
    { name: 'only predicts', code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.predict(x)\n' },
    { name: 'a .keras file', code: 'import keras\nmodel = keras.models.load_model("model.keras")\nmodel.fit(x, y)\n' },
    { name: 'a weights file is no model file', code: 'import keras\nmodel = keras.models.load_model("m.weights.h5")\nmodel.fit(x, y)\n' },
    { name: 'loaded with compile=False (Keras 2 could not train it either)', code: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.fit(x, y)\n' },
    { name: 'saved by the program itself (a round trip: KM031)', code: 'import keras\nnet = keras.Sequential([keras.layers.Dense(1)])\nnet.compile(optimizer="adam", loss="mse")\nnet.fit(x, y)\nnet.save("m.h5")\nmodel = keras.models.load_model("m.h5")\nmodel.fit(x, y)\n' },
    { name: 'saved by a model whose name says nothing, bound above in the cell (a round trip)', code: 'import keras\nbase = keras.Model(inputs, outputs)\nbase.save("m.h5")\nreloaded = keras.models.load_model("m.h5")\nreloaded.fit(x, y)\n' },
    { name: 'saved in a later cell', code: ['import keras\nmodel = keras.models.load_model("m.h5")\nmodel.fit(x, y)\n', 'model.save("m.h5")\n'] },
    { name: 'another model trained', code: 'import keras\nold = keras.models.load_model("old.h5")\nnet = keras.Sequential([keras.layers.Dense(1)])\nnet.compile(optimizer="adam", loss="mse")\nnet.fit(x, y)\n' },
    { name: 'compiled in a later cell', code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'model.compile(optimizer="adam", loss="mse")\n', 'model.fit(x, y)\n'] },
    { name: 'assigned again in the training cell', code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'model = build()\nmodel.fit(x, y)\n'] },
    { name: 'another file loaded into the name in between', code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'model = keras.models.load_model("new.keras")\n', 'model.fit(x, y)\n'] },
    { name: 'compiled again before evaluating', code: 'import keras\nmodel = keras.models.load_model("old.h5", compile=False)\nmodel.compile(loss="mse", metrics=["mae"])\nmodel.evaluate(x, y)\n' },
    { name: 'compiled in a later cell, then evaluated', code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'model.compile(loss="mse")\nmodel.evaluate(x, y)\n'] },
    { name: 'evaluated after a round trip in the program (KM031)', code: 'import keras\nnet.save("m.h5")\nmodel = keras.models.load_model("m.h5")\nmodel.evaluate(x, y)\n' },
    { name: 'a tf.train.Checkpoint-like object named otherwise', code: 'import numpy as np\nmodel = np.load("old.h5")\nmodel.fit(x, y)\n' }
  ],
  invalid: [
    {
      name: 'the doc example',
      code: 'import keras\nmodel = keras.models.load_model("pretrained.h5")\nmodel.fit(x, y)\n',
      errors: [{ line: 2, column: 9, message: 'trained below without `compile()`' }],
      blocks: [...ALL]
    },
    {
      name: 'tf.keras, a path in a name, train_on_batch',
      code: 'import tensorflow as tf\nPATH = "models/classifier.hdf5"\nclassifier = tf.keras.models.load_model(PATH, custom_objects={"f": f})\nfor xb, yb in batches:\n    classifier.train_on_batch(xb, yb)\n',
      errors: [{ line: 3, column: 14, message: '`models/classifier.hdf5`' }],
      blocks: [...ALL]
    },
    {
      name: 'trained in a later cell',
      code: ['from tensorflow import keras\nmodel = keras.models.load_model("pretrained.h5")\nmodel.summary()\n', null, 'history = model.fit(x, y, epochs=3)\n'],
      errors: [{ cell: 0, line: 2, column: 9, message: 'trained in a later cell' }],
      blocks: [...ALL]
    },
    {
      name: 'evaluated without compile: no backend claimed (what fails depends on the file)',
      code: 'import keras\nmodel = keras.models.load_model("classifier.h5")\nloss, acc = model.evaluate(x_test, y_test)\n',
      errors: [{ line: 2, column: 9, message: 'evaluated below without `compile()`' }],
      blocks: []
    },
    {
      name: 'evaluated in a later cell',
      code: ['from tensorflow import keras\nmodel = keras.models.load_model("classifier.h5")\n', 'for xb, yb in batches:\n    model.test_on_batch(xb, yb)\n'],
      errors: [{ cell: 0, line: 2, column: 9, message: 'evaluated in a later cell' }],
      blocks: []
    },
    {
      name: 'evaluated, then trained: the training finding alone',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.evaluate(x, y)\nmodel.fit(x, y)\n',
      errors: [{ line: 2, column: 9, message: 'trained below' }],
      blocks: [...ALL]
    },
    {
      name: 'evaluated in one later cell, trained in another: the training finding alone',
      code: ['import keras\nmodel = keras.models.load_model("old.h5")\n', 'model.evaluate(x, y)\n', 'model.fit(x, y)\n'],
      errors: [{ cell: 0, line: 2, column: 9, message: 'trained in a later cell' }],
      blocks: [...ALL]
    },
    {
      name: 'compiled only after training',
      code: 'import keras\nmodel = keras.models.load_model("old.h5")\nmodel.fit(x, y)\nmodel.compile(optimizer="sgd", loss="mse")\nmodel.fit(x, y)\n',
      errors: [{ line: 2, column: 9 }],
      blocks: [...ALL]
    }
  ]
});
