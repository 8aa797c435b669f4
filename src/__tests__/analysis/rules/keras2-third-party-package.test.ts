import { ruleTester } from '../rule-tester';
import { TFP_DISTRIBUTION_CLASSES } from '../../../analysis/helpers/tfp-distributions';

const MVN = TFP_DISTRIBUTION_CLASSES.MultivariateNormalDiag;
const NORMAL = TFP_DISTRIBUTION_CLASSES.Normal;
const FLOW = 'class Flow(keras.Model):\n    def __init__(self):\n        super().__init__()\n';

ruleTester('keras2-third-party-package', {
  valid: [
    { code: 'import keras\nfrom transformers import AutoTokenizer, AutoModel\nimport tensorflow_probability as tfp\nd = tfp.distributions.Normal(0.0, 1.0)\n' },
    { name: 'KerasHub and Keras 3 packages', code: 'import keras_hub\nimport keras_cv\n' },
    {
      name: 'a distribution outside Keras classes (eager, TensorFlow tensors out)',
      code: 'import keras\nimport tensorflow_probability as tfp\n\n\ndef prior():\n    return tfp.distributions.MultivariateNormalDiag(loc=[0.0], scale_diag=[1.0])\n'
    }
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
    },
    {
      name: 'keras.io Real NVP: the latent MultivariateNormalDiag of a model, its only TFP use (a suggestion: the class replaces the import)',
      code: `import numpy as np\nimport tensorflow_probability as tfp\nfrom tensorflow import keras\n\n\n${FLOW}        self.distribution = tfp.distributions.MultivariateNormalDiag(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])\n`,
      errors: [{ line: 9, column: 29, message: 'JAX cannot trace' }],
      blocks: ['jax', 'torch'],
      fixOptions: { unsafe: true },
      output: `import numpy as np\nfrom tensorflow import keras\n\n\n${MVN}\n\n\n${FLOW}        self.distribution = MultivariateNormalDiag(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])\n`
    },
    {
      name: 'two kinds: both classes at one place, the import goes with the last call',
      code: `import keras\nimport tensorflow_probability as tfp\n\n\n${FLOW}        self.prior = tfp.distributions.MultivariateNormalDiag(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])\n        self.noise = tfp.distributions.Normal(0.0, 1.0)\n`,
      errors: [{ line: 8, column: 22 }, { line: 9, column: 22 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${MVN}\n\n\n${NORMAL}\n\n\n${FLOW}        self.prior = MultivariateNormalDiag(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])\n        self.noise = Normal(0.0, 1.0)\n`
    },
    {
      name: 'TFP used for more: the import stays, the class follows it',
      code: `import keras\nimport tensorflow_probability as tfp\n\n\nclass Head(keras.layers.Layer):\n    def call(self, x):\n        return tfp.distributions.Normal(x, 1.0).log_prob(x)\n\n\nprint(tfp.__version__)\n`,
      errors: [{ line: 7, column: 16 }],
      fixOptions: { unsafe: true },
      output: `import keras\nimport tensorflow_probability as tfp\n\n\n${NORMAL}\n\n\nclass Head(keras.layers.Layer):\n    def call(self, x):\n        return Normal(x, 1.0).log_prob(x)\n\n\nprint(tfp.__version__)\n`
    },
    {
      name: 'tfd imported from tensorflow_probability',
      code: `from tensorflow import keras\nfrom tensorflow_probability import distributions as tfd\n\n\n${FLOW}        self.noise = tfd.Normal(loc=0.0, scale=1.0)\n`,
      errors: [{ line: 8, column: 22 }],
      fixOptions: { unsafe: true },
      output: `from tensorflow import keras\n\n\n${NORMAL}\n\n\n${FLOW}        self.noise = Normal(loc=0.0, scale=1.0)\n`
    },
    {
      name: 'the program binds the name otherwise: no fix',
      code: `import keras\nimport tensorflow_probability as tfp\nfrom scipy.stats import Normal\n\n\n${FLOW}        self.noise = tfp.distributions.Normal(0.0, 1.0)\n`,
      errors: [{ line: 9, column: 22 }]
    }
  ]
});
