import { ruleTester } from '../rule-tester';

const SPACE = 'import keras\nfrom keras.utils import FeatureSpace\nfeature_space = FeatureSpace(features={"thal": FeatureSpace.string_categorical(num_oov_indices=1), "age": FeatureSpace.float_normalized()}, output_mode="concat")\n';

ruleTester('feature-space-string-inputs-model', {
  valid: [
    { name: 'the model on the encoded features', code: SPACE + 'encoded = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=encoded, outputs=keras.layers.Dense(1)(encoded))\n' },
    {
      name: 'a FeatureSpace without string features',
      code: 'import keras\nfeature_space = keras.utils.FeatureSpace(features={"age": "float_normalized"}, output_mode="concat")\nencoded = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=feature_space.get_inputs(), outputs=keras.layers.Dense(1)(encoded))\n'
    },
    {
      name: 'built but never used to predict (a hand conversion predicting with the training model)',
      code: SPACE + 'encoded = feature_space.get_encoded_features()\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=keras.layers.Dense(1)(encoded))\n'
    }
  ],
  invalid: [
    {
      // examples/runnable/structured_data_feature_space.py: predict on a raw sample runs on TF, fails on JAX and PyTorch.
      name: 'keras.io structured data: the inference model on get_inputs() (through a name)',
      code: SPACE + 'dict_inputs = feature_space.get_inputs()\nencoded = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1)(encoded)\ninference_model = keras.Model(inputs=dict_inputs, outputs=predictions)\nprediction = inference_model.predict(input_dict)\n',
      errors: [{ line: 7, column: 19, message: 'No automatic fix here (no model built on' }],
      blocks: ['jax', 'torch']
    },
    {
      // examples/runnable/structured_data_feature_space.py: fixed, it runs on TensorFlow, JAX and PyTorch.
      name: 'keras.io structured data with its training model: encode the sample with the FeatureSpace and predict with the training model',
      code: SPACE + 'dict_inputs = feature_space.get_inputs()\nencoded_features = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1)(encoded_features)\ntraining_model = keras.Model(inputs=encoded_features, outputs=predictions)\ninference_model = keras.Model(inputs=dict_inputs, outputs=predictions)\ninput_dict = {"thal": ["fixed"], "age": [60.0]}\nprediction = inference_model.predict(input_dict)\n',
      errors: [{ line: 8, column: 19, message: 'Suggested fix: encode the raw samples' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: SPACE + 'dict_inputs = feature_space.get_inputs()\nencoded_features = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1)(encoded_features)\ntraining_model = keras.Model(inputs=encoded_features, outputs=predictions)\ninference_model = keras.Model(inputs=dict_inputs, outputs=predictions)\ninput_dict = {"thal": ["fixed"], "age": [60.0]}\nprediction = training_model.predict(feature_space(input_dict))\n'
    },
    {
      // keras.io FeatureSpace advanced use cases (Keras 2 original): the saved FeatureSpace loaded, the trained model called on its
      // encoded features. Fixed, it runs on TensorFlow, JAX and PyTorch (run; unfixed it fails on JAX and PyTorch at predict).
      name: 'the trained model called on a FeatureSpace\'s encoded features: predict with it on the FeatureSpace\'s encoding',
      code:
        SPACE +
        'encoded_features = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=encoded_features, outputs=keras.layers.Dense(1)(encoded_features))\nloaded_feature_space = keras.saving.load_model("fs.keras")\ndict_inputs = loaded_feature_space.get_inputs()\nencoded_features = loaded_feature_space.get_encoded_features()\noutputs = model(encoded_features)\ninference_model = keras.Model(inputs=dict_inputs, outputs=outputs)\npredictions = inference_model.predict(input_dict)\n',
      errors: [{ line: 10, column: 19, message: 'Suggested fix: encode the raw samples' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        SPACE +
        'encoded_features = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=encoded_features, outputs=keras.layers.Dense(1)(encoded_features))\nloaded_feature_space = keras.saving.load_model("fs.keras")\ndict_inputs = loaded_feature_space.get_inputs()\nencoded_features = loaded_feature_space.get_encoded_features()\noutputs = model(encoded_features)\ninference_model = keras.Model(inputs=dict_inputs, outputs=outputs)\npredictions = model.predict((input_dict.map(lambda x, *rest: (loaded_feature_space(x), *rest)) if hasattr(input_dict, "element_spec") else loaded_feature_space(input_dict)))\n'
    },
    {
      name: 'a model called inline on the encoded features, no name for the outputs',
      code:
        SPACE +
        'encoded = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=encoded, outputs=keras.layers.Dense(1)(encoded))\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=model(feature_space.get_encoded_features()))\ninference_model.predict(feature_space_sample)\n',
      errors: [{ line: 6, column: 19, message: 'Suggested fix: encode the raw samples' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output:
        SPACE +
        'encoded = feature_space.get_encoded_features()\nmodel = keras.Model(inputs=encoded, outputs=keras.layers.Dense(1)(encoded))\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=model(feature_space.get_encoded_features()))\nmodel.predict((feature_space_sample.map(lambda x, *rest: (feature_space(x), *rest)) if hasattr(feature_space_sample, "element_spec") else feature_space(feature_space_sample)))\n'
    },
    {
      name: 'a layer (not a model) called on the encoded features: no fix (nothing trained predicts alone)',
      code: SPACE + 'head = keras.layers.Dense(1)\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=head(feature_space.get_encoded_features()))\ninference_model.predict(sample)\n',
      errors: [{ line: 5, column: 19, message: 'No automatic fix here (no model built on' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'a model called on another FeatureSpace\'s encoded features: no fix',
      code:
        SPACE +
        'other = FeatureSpace(features={"age": FeatureSpace.float_normalized()}, output_mode="concat")\nencoded = other.get_encoded_features()\nmodel = keras.Model(inputs=encoded, outputs=keras.layers.Dense(1)(encoded))\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=model(other.get_encoded_features()))\ninference_model.predict(sample)\n',
      errors: [{ line: 7, column: 19, message: 'No automatic fix here (no model built on' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'the inference model also evaluated: no fix (the labels of the data), the message says what to do',
      code: SPACE + 'encoded_features = feature_space.get_encoded_features()\npredictions = keras.layers.Dense(1)(encoded_features)\ntraining_model = keras.Model(inputs=encoded_features, outputs=predictions)\ninference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=predictions)\ninference_model.predict(input_dict)\ninference_model.evaluate(raw_ds)\n',
      errors: [{ line: 7, column: 19, message: 'No automatic fix here (the model is given data with `.evaluate()`)' }],
      blocks: ['jax', 'torch']
    },
    {
      name: 'preset names, the string feature declared in an earlier cell, the prediction in a later one',
      code: [
        'import keras\nfeature_space = keras.utils.FeatureSpace(features={"thal": "string_categorical"}, output_mode="concat")\n',
        'encoded = feature_space.get_encoded_features()\nmodel = keras.Model(feature_space.get_inputs(), keras.layers.Dense(1)(encoded))\n',
        'model.predict(raw_samples)\n'
      ],
      errors: [{ cell: 1, line: 2, column: 9 }],
      blocks: ['jax', 'torch']
    }
  ]
});
