import { ruleTester } from '../rule-tester';

ruleTester('removed-model-method', {
  valid: [
    { name: 'scikit-learn predict_proba', code: 'from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression().fit(X, y)\np = clf.predict_proba(X)\n' },
    { code: 'import keras\nmodel = keras.Sequential()\np = model.predict(x)\nmodel.make_predict_function()\n' }
  ],
  invalid: [
    {
      name: 'private graph-function builders, in a cell that names nothing Keras',
      code: ['from tensorflow.keras.models import load_model\nmodel = load_model("m.keras")\n', 'net._make_train_function()\nnet._make_test_function()\n'],
      errors: [{ line: 1, column: 5, message: '_make_train_function' }, { line: 2, column: 5, message: '_make_test_function' }]
    },
    {
      code: 'from tensorflow.keras.models import Sequential\nmodel = Sequential()\nlabels = model.predict_classes(x)\nprobs = model.predict_proba(x, batch_size=32)\nmodel._make_predict_function()\n',
      errors: [{ line: 3, column: 16, message: 'np.argmax(model.predict(x), axis=-1)' }, { line: 4, column: 15 }, { line: 5, column: 7 }],
      output: 'from tensorflow.keras.models import Sequential\nmodel = Sequential()\nlabels = model.predict_classes(x)\nprobs = model.predict(x, batch_size=32)\nmodel._make_predict_function()\n'
    }
  ]
});
