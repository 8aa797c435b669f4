import { ruleTester } from '../rule-tester';

ruleTester('keras2-third-party-package', {
  valid: [
    { code: 'import keras\nfrom transformers import AutoTokenizer, AutoModel\nimport tensorflow_probability as tfp\nd = tfp.distributions.Normal(0.0, 1.0)\n' },
    { name: 'KerasHub and Keras 3 packages', code: 'import keras_hub\nimport keras_cv\n' }
  ],
  invalid: [
    {
      code: 'import tensorflow_addons as tfa\nfrom tensorflow_addons.layers import GroupNormalization\n',
      errors: [{ line: 1, column: 8, endColumn: 25, message: 'keras.optimizers.AdamW' }, { line: 2, column: 6, message: 'tf-keras' }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'the TensorFlow models of Transformers',
      code: 'from transformers import AutoTokenizer, TFAutoModel, TFBertForSequenceClassification as Clf\n',
      errors: [{ line: 1, column: 41, message: '`AutoModel`' }, { line: 1, column: 54, message: 'BertForSequenceClassification' }]
    },
    {
      name: 'TensorFlow Probability Keras layers',
      code: 'import tensorflow_probability as tfp\nlayer = tfp.layers.DenseVariational(4, make_posterior_fn=post, make_prior_fn=prior)\n',
      errors: [{ line: 2, column: 9, message: 'tf_keras' }]
    }
  ]
});
