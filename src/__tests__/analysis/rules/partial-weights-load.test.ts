import { ruleTester } from '../rule-tester';

const HEADLESS = 'import keras\ninputs = keras.Input(shape=(8,))\nx = keras.layers.Dense(4, name="dense_1")(inputs)\npretrained = keras.Model(inputs, x)\n';
const WITH_HEAD = 'inputs = keras.Input(shape=(8,))\nx = keras.layers.Dense(4, name="dense_1")(inputs)\noutputs = keras.layers.Dense(5, name="predictions")(x)\nmodel = keras.Model(inputs, outputs)\n';

ruleTester('partial-weights-load', {
  valid: [
    { name: 'the model that saved the weights loads them', code: HEADLESS + 'pretrained.save_weights("ckpt")\npretrained.load_weights("ckpt")\n' },
    {
      name: 'two models made by one function of the code (TensorFlow save-and-load and imbalanced-data tutorials), and a clone',
      code: 'import keras\ndef create_model(bias=None):\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel = create_model(bias=0.5)\nmodel.save_weights("training_1/cp.ckpt")\nnew_model = create_model()\nnew_model.load_weights("training_1/cp.ckpt")\ntwin = keras.models.clone_model(model)\ntwin.load_weights("training_1/cp.ckpt")\n'
    },
    { name: 'a legacy .h5 file (Keras 2 loaded it strictly too)', code: HEADLESS + 'pretrained.save_weights("w.h5")\n' + WITH_HEAD + 'model.load_weights("w.h5")\n' },
    { name: 'skip_mismatch or by_name already given', code: HEADLESS + 'pretrained.save_weights("ckpt")\n' + WITH_HEAD + 'model.load_weights("ckpt", skip_mismatch=True)\nmodel.load_weights("ckpt", by_name=True)\n' },
    {
      name: 'the path written again by the loading model before its load',
      code: HEADLESS + 'pretrained.save_weights("ckpt")\n' + WITH_HEAD + 'model.save_weights("ckpt")\nmodel.load_weights("ckpt")\n'
    }
  ],
  invalid: [
    {
      // keras.io serialization guide's transfer-learning example (/work/og41c r4): "Layer 'predictions'
      // expected 2 variables, but received 0 variables during loading" on tf/jax/torch; with
      // skip_mismatch=True the shared layer's weights load on all three (Keras 3.15).
      name: 'a model with a new head loads a headless model\'s checkpoint',
      code: HEADLESS + 'pretrained.save_weights("pretrained_ckpt")\n' + WITH_HEAD + 'model.load_weights("pretrained_ckpt")\n',
      errors: [{ line: 10, column: 7, message: 'Keras 3 loads a `.weights.h5` file only into a model with the same layers' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output: HEADLESS + 'pretrained.save_weights("pretrained_ckpt")\n' + WITH_HEAD + 'model.load_weights("pretrained_ckpt", skip_mismatch=True)\n'
    },
    {
      name: 'a suggestion: the safe fix-all leaves it',
      code: HEADLESS + 'pretrained.save_weights("ckpt")\n' + WITH_HEAD + 'model.load_weights("ckpt")\n',
      errors: [{ line: 10, column: 7 }],
      output: HEADLESS + 'pretrained.save_weights("ckpt")\n' + WITH_HEAD + 'model.load_weights("ckpt")\n'
    }
  ]
});
