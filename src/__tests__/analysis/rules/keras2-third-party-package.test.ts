import { ruleTester } from '../rule-tester';
import { TFP_CATEGORICAL_SAMPLE_LAYER, TFP_DISTRIBUTION_CLASSES } from '../../../analysis/helpers/tfp-distributions';
import { ADDONS_REPLACEMENTS } from '../../../analysis/helpers/tensorflow-addons';

const MVN = TFP_DISTRIBUTION_CLASSES.MultivariateNormalDiag;
const CATEGORICAL = TFP_CATEGORICAL_SAMPLE_LAYER;
const NORMAL = TFP_DISTRIBUTION_CLASSES.Normal;
const ROTATE_TF = ADDONS_REPLACEMENTS['image.rotate'].define!.tfSource!;
const TRANSFORM = ADDONS_REPLACEMENTS['image.transform'].define!.source;
const GAUSS = ADDONS_REPLACEMENTS['image.gaussian_filter2d'].define!.source;
const SPARSEMAX = ADDONS_REPLACEMENTS['activations.sparsemax'].define!.source;
const FOCAL = ADDONS_REPLACEMENTS['losses.sigmoid_focal_crossentropy'].define!.source;
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
      name: 'a TFA import nothing uses (keras.io MobileViT): the suggested fix drops it',
      code: 'import tensorflow as tf\nimport tensorflow_addons as tfa\nfrom tensorflow import keras\n\nmodel = keras.Sequential([keras.layers.Dense(2)])\n',
      errors: [{ line: 2, column: 8, message: 'end-of-life' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: 'import tensorflow as tf\nfrom tensorflow import keras\n\nmodel = keras.Sequential([keras.layers.Dense(2)])\n',
      fixOptions: { unsafe: true }
    },
    {
      name: 'a TFA import a later line uses keeps its import (no fix where nothing is rewritten)',
      code: 'import tensorflow_addons as tfa\n\nloss = tfa.losses.TripletSemiHardLoss()\n',
      errors: [{ line: 1, column: 8, message: 'end-of-life' }]
    },
    {
      name: 'TFA AdamW, the only TFA use: Keras 3 AdamW, and the import goes',
      code: 'import keras\nimport tensorflow_addons as tfa\n\nopt = tfa.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4)\n',
      errors: [
        { line: 2, column: 8, message: '`tfa.optimizers.AdamW` → `keras.optimizers.AdamW` (suggested fix)' },
        { line: 4, column: 7, message: 'scales the weight decay by the learning rate' }
      ],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import keras\n\nopt = keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4)\n'
    },
    {
      name: "TFA optimizers take the weight decay first: positional arguments become keywords; SGDW keeps TFA's learning rate",
      code: 'import keras\nimport tensorflow_addons as tfa\n\na = tfa.optimizers.AdamW(1e-4, 3e-4)\nb = tfa.optimizers.SGDW(5e-5, momentum=0.9)\n',
      errors: [{ line: 2, column: 8, message: '`tfa.optimizers.SGDW` → `keras.optimizers.SGD(weight_decay=...)`' }, { line: 4, column: 5 }, { line: 5, column: 5, message: 'default learning rate is 0.01' }],
      fixOptions: { unsafe: true },
      output: 'import keras\n\na = keras.optimizers.AdamW(weight_decay=1e-4, learning_rate=3e-4)\nb = keras.optimizers.SGD(weight_decay=5e-5, momentum=0.9, learning_rate=0.001)\n'
    },
    {
      name: "TFA LAMB: Keras 3 Lamb; the old keyword weight_decay_rate is spelled weight_decay, and TFA's epsilon is kept",
      code: 'import keras\nimport tensorflow_addons as tfa\n\nopt = tfa.optimizers.LAMB(\n    learning_rate=2e-3, weight_decay_rate=1e-4,\n)\n',
      errors: [
        { line: 2, column: 8, message: '`tfa.optimizers.LAMB` → `keras.optimizers.Lamb`' },
        { line: 4, column: 7, message: 'apart from the layer-wise trust ratio' }
      ],
      fixOptions: { unsafe: true },
      output: 'import keras\n\nopt = keras.optimizers.Lamb(\n    learning_rate=2e-3, weight_decay=1e-4, epsilon=1e-6,\n)\n'
    },
    {
      name: 'TFA LAMB by position: same order as Keras 3, written by keyword; an epsilon given is not added again',
      code: 'import keras\nimport tensorflow_addons as tfa\n\nopt = tfa.optimizers.LAMB(1e-3, 0.9, 0.99, 1e-8, 0.01)\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 7 }],
      fixOptions: { unsafe: true },
      output: 'import keras\n\nopt = keras.optimizers.Lamb(learning_rate=1e-3, beta_1=0.9, beta_2=0.99, epsilon=1e-8, weight_decay=0.01)\n'
    },
    {
      name: 'TFA LAMB with an exclusion list Keras 3 has no parameter for, or both spellings of the decay: no fix, the import stays',
      code: 'import keras\nimport tensorflow_addons as tfa\n\na = tfa.optimizers.LAMB(weight_decay=0.01, exclude_from_weight_decay=["bias"])\nb = tfa.optimizers.LAMB(weight_decay=0.01, weight_decay_rate=0.02)\n',
      errors: [{ line: 2, column: 8, message: 'without `exclude_from_weight_decay`' }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'a layer imported by name from TFA: InstanceNormalization is GroupNormalization with one group per channel',
      code: 'from tensorflow import keras\nfrom tensorflow_addons.layers import InstanceNormalization\n\nnorm = InstanceNormalization(epsilon=1e-5)\n',
      errors: [{ line: 2, column: 6, message: '`InstanceNormalization` → `keras.layers.GroupNormalization(groups=-1)`' }, { line: 4, column: 8 }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\n\nnorm = keras.layers.GroupNormalization(epsilon=1e-5, groups=-1)\n'
    },
    {
      name: "TFA's gelu is the tanh approximation: the fix says so",
      code: 'import keras\nimport tensorflow_addons as tfa\n\ny = tfa.activations.gelu(keras.ops.ones((2,)))\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 5 }],
      fixOptions: { unsafe: true },
      output: 'import keras\n\ny = keras.activations.gelu(keras.ops.ones((2,)), approximate=True)\n'
    },
    {
      name: "TFA's F-scores lose num_classes (positional or keyword; the rest by keyword), LAMB keeps TFA's epsilon",
      code: 'import tensorflow as tf\nimport tensorflow_addons as tfa\n\nf1 = tfa.metrics.F1Score(5, "weighted", 0.5)\nf2 = tfa.metrics.FBetaScore(num_classes=5, beta=0.5)\nopt = tfa.optimizers.LAMB(2e-3, 0.8)\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 6 }, { line: 5, column: 6 }, { line: 6, column: 7, message: "TFA's epsilon 1e-6" }],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nimport keras\n\nf1 = keras.metrics.F1Score(average="weighted", threshold=0.5)\nf2 = keras.metrics.FBetaScore(beta=0.5)\nopt = keras.optimizers.Lamb(learning_rate=2e-3, beta_1=0.8, epsilon=1e-6)\n'
    },
    {
      name: "TFA's GELU layer is an Activation layer (its approximate flag dropped, whether given or not: the message says how TFA's default differs)",
      code: 'from tensorflow import keras\nimport tensorflow_addons as tfa\n\na = tfa.layers.GELU()\nb = tfa.layers.GELU(False)\nc = tfa.layers.GELU(approximate=True, name="g")\n',
      errors: [
        { line: 2, column: 8 },
        { line: 4, column: 5, message: 'tanh approximation' },
        { line: 5, column: 5 },
        { line: 6, column: 5 }
      ],
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\n\na = keras.layers.Activation(activation="gelu")\nb = keras.layers.Activation(activation="gelu")\nc = keras.layers.Activation(name="g", activation="gelu")\n'
    },
    {
      name: "TFA's RSquare is Keras 3's R2Score under TFA's metric name (history keys unchanged); multioutput or a positional argument: no fix",
      code: 'from tensorflow import keras\nimport tensorflow_addons as tfa\n\nm = [tfa.metrics.RSquare(), tfa.metrics.RSquare(num_regressors=2)]\nn = tfa.metrics.RSquare(multioutput="raw_values")\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 6 }, { line: 4, column: 29 }],
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\nimport tensorflow_addons as tfa\n\nm = [keras.metrics.R2Score(name="r_square"), keras.metrics.R2Score(num_regressors=2, name="r_square")]\nn = tfa.metrics.RSquare(multioutput="raw_values")\n'
    },
    {
      name: 'TFA activations handed to layers uncalled: the Keras 3 functions, and the import goes with the last',
      code: 'from tensorflow import keras\nimport tensorflow_addons as tfa\n\nhidden = keras.layers.Dense(16, activation=tfa.activations.gelu)\nout = keras.layers.Dense(4, activation=tfa.activations.mish)\n',
      errors: [
        { line: 2, column: 8 },
        { line: 4, column: 44, message: "Keras 3's `gelu` is exact (`approximate=False`) by default" },
        { line: 5, column: 40, message: 'use `keras.activations.mish`.' }
      ],
      fixOptions: { unsafe: true },
      output: 'from tensorflow import keras\n\nhidden = keras.layers.Dense(16, activation=keras.activations.gelu)\nout = keras.layers.Dense(4, activation=keras.activations.mish)\n'
    },
    {
      name: 'an uncalled TFA function without a Keras 3 function to hand over: named by the import finding only',
      code: 'import keras\nimport tensorflow_addons as tfa\n\nact = tfa.activations.lisht\n',
      errors: [{ line: 2, column: 8, message: '`tfa.activations.lisht` → `x * keras.ops.tanh(x)`' }],
      fixOptions: { unsafe: true }
    },
    {
      name: "TFA's focal loss function handed to compile: the fix defines it (summed over the classes, as TFA) and hands it over; the import goes",
      code: 'import keras\nimport tensorflow_addons as tfa\n\nmodel.compile(optimizer="adam", loss=tfa.losses.sigmoid_focal_crossentropy)\n',
      errors: [{ line: 2, column: 8, message: 'a `sigmoid_focal_crossentropy` function written with `keras.ops` (the fix defines it' }, { line: 4, column: 38 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${FOCAL}\n\nmodel.compile(optimizer="adam", loss=sigmoid_focal_crossentropy)\n`
    },
    {
      name: "TFA's focal loss class: Keras 3's BinaryFocalCrossentropy with class balancing, the difference said; a reduction (a Keras 2 enum) or a positional argument: no fix",
      code: 'import keras\nimport tensorflow_addons as tfa\n\na = tfa.losses.SigmoidFocalCrossEntropy(from_logits=True, gamma=3.0)\nb = tfa.losses.SigmoidFocalCrossEntropy(reduction=r)\nc = tfa.losses.SigmoidFocalCrossEntropy(True)\n',
      errors: [{ line: 2, column: 8 }, { line: 4, column: 5, message: 'divided by the number of classes' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow_addons as tfa\n\na = keras.losses.BinaryFocalCrossentropy(from_logits=True, gamma=3.0, apply_class_balancing=True)\nb = tfa.losses.SigmoidFocalCrossEntropy(reduction=r)\nc = tfa.losses.SigmoidFocalCrossEntropy(True)\n'
    },
    {
      name: 'TFA image ops: in a dataset.map function the defined function uses TensorFlow ops (tf.data runs them on every backend), in a layer keras.ops; both after the imports, the import goes',
      code:
        'import tensorflow as tf\nimport tensorflow_addons as tfa\nimport keras\n\n\ndef augment(image, label):\n    return tfa.image.rotate(image, 0.2), label\n\n\nds = ds.map(augment)\n\n\n' +
        'class Shear(keras.layers.Layer):\n    def call(self, x):\n        return tfa.image.transform(x, [1.0, 0.1, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0])\n',
      errors: [{ line: 2, column: 8, message: '`tfa.image.rotate` → a `rotate_images` function' }, { line: 7, column: 12 }, { line: 15, column: 16, message: 'one transform spread over the batch' }],
      fixOptions: { unsafe: true },
      output:
        `import tensorflow as tf\nimport keras\n\n\n${TRANSFORM}\n\n\n${ROTATE_TF}\n\n\ndef augment(image, label):\n    return rotate_images(image, 0.2), label\n\n\nds = ds.map(augment)\n\n\n` +
        'class Shear(keras.layers.Layer):\n    def call(self, x):\n        return transform_images(x, [1.0, 0.1, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0])\n'
    },
    {
      name: "a TFA function imported by its own name (gaussian_filter2d): the definition takes its place and the import goes",
      code: 'import keras\nfrom tensorflow_addons.image import gaussian_filter2d\n\n\nclass Blur(keras.layers.Layer):\n    def call(self, x):\n        return gaussian_filter2d(x, sigma=0.5)\n',
      errors: [{ line: 2, column: 6 }, { line: 7, column: 16 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${GAUSS}\n\n\nclass Blur(keras.layers.Layer):\n    def call(self, x):\n        return gaussian_filter2d(x, sigma=0.5)\n`
    },
    {
      name: "TFA's sparsemax (Keras 3.15's gives other values): the fix defines TFA's with keras.ops, called or handed over",
      code: 'import keras\nimport tensorflow_addons as tfa\n\nmask = keras.layers.Dense(8, activation=tfa.activations.sparsemax)\np = tfa.activations.sparsemax(x, axis=1)\n',
      errors: [{ line: 2, column: 8, message: 'computes its threshold from the sum of the running sums' }, { line: 4, column: 41 }, { line: 5, column: 5 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${SPARSEMAX}\n\nmask = keras.layers.Dense(8, activation=sparsemax)\np = sparsemax(x, axis=1)\n`
    },
    {
      name: "TFA's transform with an output shape Keras 3 cannot give: no fix",
      code: 'import keras\nimport tensorflow_addons as tfa\n\na = tfa.image.transform(x, t, output_shape=(8, 8))\nb = tfa.image.transform(x, t, "nearest", "constant", (8, 8))\n',
      errors: [{ line: 2, column: 8 }],
      fixOptions: { unsafe: true }
    },
    {
      name: 'TFA adaptive pooling and shrink activations: Keras 3 has them (one threshold: TFA bounds given, no fix)',
      code:
        'import keras\nimport tensorflow_addons as tfa\n\npool = tfa.layers.AdaptiveAveragePooling2D((4, 4))\nmx = tfa.layers.AdaptiveMaxPooling1D(8, "channels_last")\n' +
        'h = keras.layers.Dense(8, activation=tfa.activations.hardshrink)\ns = tfa.activations.softshrink(x)\nt = tfa.activations.tanhshrink(x)\nu = tfa.activations.softshrink(x, lower=-1.0, upper=1.0)\n',
      errors: [
        { line: 2, column: 8, message: '`tfa.activations.softshrink` → `keras.activations.soft_shrink`' },
        { line: 4, column: 8 },
        { line: 5, column: 6 },
        { line: 6, column: 38 },
        { line: 7, column: 5 },
        { line: 8, column: 5 }
      ],
      fixOptions: { unsafe: true },
      output:
        'import keras\nimport tensorflow_addons as tfa\n\npool = keras.layers.AdaptiveAveragePooling2D((4, 4))\nmx = keras.layers.AdaptiveMaxPooling1D(8, "channels_last")\n' +
        'h = keras.layers.Dense(8, activation=keras.activations.hard_shrink)\ns = keras.activations.soft_shrink(x)\nt = keras.activations.tanh_shrink(x)\nu = tfa.activations.softshrink(x, lower=-1.0, upper=1.0)\n'
    },
    {
      name: 'TFA used for something Keras 3 lacks too: the message names both, the import stays',
      code: 'import keras\nimport tensorflow_addons as tfa\n\nopt = tfa.optimizers.AdamW(weight_decay=1e-4)\nloss = tfa.losses.TripletSemiHardLoss()\n',
      errors: [
        { line: 2, column: 8, message: '`tfa.losses.TripletSemiHardLoss` → no Keras 3 loss' },
        { line: 4, column: 7 }
      ],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow_addons as tfa\n\nopt = keras.optimizers.AdamW(weight_decay=1e-4)\nloss = tfa.losses.TripletSemiHardLoss()\n'
    },
    {
      name: "TFA's N-pairs loss (keras.io supervised contrastive learning): the fix defines it with keras.ops after the imports and calls it",
      code: 'import keras\nimport tensorflow_addons as tfa\n\n\nclass SupCon(keras.losses.Loss):\n    def __call__(self, labels, logits, sample_weight=None):\n        return tfa.losses.npairs_loss(labels, logits)\n',
      errors: [{ line: 2, column: 8, message: 'an `npairs_loss` function written with `keras.ops`' }, { line: 7, column: 16 }],
      fixOptions: { unsafe: true },
      output:
        'import keras\n\n\n' +
        'def npairs_loss(y_true, y_pred):\n' +
        "    # TensorFlow Addons' N-pairs loss with keras.ops: row i of the logits is scored against\n" +
        '    # every row with the label of i, the target spread evenly over those rows.\n' +
        '    y_pred = keras.ops.convert_to_tensor(y_pred)\n' +
        '    labels = keras.ops.reshape(keras.ops.cast(y_true, y_pred.dtype), (-1, 1))\n' +
        '    same = keras.ops.cast(keras.ops.equal(labels, keras.ops.transpose(labels)), y_pred.dtype)\n' +
        '    targets = same / keras.ops.sum(same, axis=1, keepdims=True)\n' +
        '    loss = keras.ops.categorical_crossentropy(targets, y_pred, from_logits=True)\n' +
        '    return keras.ops.mean(loss)\n' +
        '\n\nclass SupCon(keras.losses.Loss):\n    def __call__(self, labels, logits, sample_weight=None):\n        return npairs_loss(labels, logits)\n'
    },
    {
      name: 'the program has its own npairs_loss name for something else: no fix',
      code: 'import keras\nimport tensorflow_addons as tfa\nfrom mylosses import npairs_loss\n\nloss = tfa.losses.npairs_loss(y, p)\n',
      errors: [{ line: 2, column: 8 }]
    },
    {
      name: 'an argument the replacement does not take, or a splat: no fix',
      code: 'import keras\nimport tensorflow_addons as tfa\n\nnorm = tfa.layers.InstanceNormalization(groups=4)\nopt = tfa.optimizers.AdamW(**config)\n',
      errors: [{ line: 2, column: 8 }]
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
      name: 'a DistributionLambda of Categorical drawing codes from logits (a suggestion: a Keras layer that samples with keras.random; the TFP import goes)',
      code: 'import numpy as np\nimport tensorflow_probability as tfp\nfrom tensorflow import keras\n\nlogits = keras.Input(shape=(5, 10))\ndraw = tfp.layers.DistributionLambda(tfp.distributions.Categorical)(logits)\npicker = keras.Model(logits, draw)\n',
      errors: [{ line: 6, column: 8, message: 'tf_keras' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: `import numpy as np\nfrom tensorflow import keras\n\n\n${CATEGORICAL}\n\nlogits = keras.Input(shape=(5, 10))\ndraw = CategoricalSample()(logits)\npicker = keras.Model(logits, draw)\n`
    },
    {
      name: 'Categorical through a tfd import: both TFP imports go with the one call that used them',
      code: 'import keras\nimport tensorflow_probability as tfp\nfrom tensorflow_probability import distributions as tfd\n\nhead = tfp.layers.DistributionLambda(tfd.Categorical, name="pick")\n',
      errors: [{ line: 5, column: 8 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${CATEGORICAL}\n\nhead = CategoricalSample(name="pick")\n`
    },
    {
      name: 'two such calls: the class is written once, the import goes with the last call',
      code: 'import keras\nimport tensorflow_probability as tfp\n\na = tfp.layers.DistributionLambda(tfp.distributions.Categorical)\nb = tfp.layers.DistributionLambda(tfp.distributions.Categorical, name="b")\n',
      errors: [{ line: 4, column: 5 }, { line: 5, column: 5 }],
      fixOptions: { unsafe: true },
      output: `import keras\n\n\n${CATEGORICAL}\n\na = CategoricalSample()\nb = CategoricalSample(name="b")\n`
    },
    {
      name: 'TFP used elsewhere too: the import stays',
      code: 'import keras\nimport tensorflow_probability as tfp\n\nhead = tfp.layers.DistributionLambda(tfp.distributions.Categorical)\nprint(tfp.__version__)\n',
      errors: [{ line: 4, column: 8 }],
      fixOptions: { unsafe: true },
      output: `import keras\nimport tensorflow_probability as tfp\n\n\n${CATEGORICAL}\n\nhead = CategoricalSample()\nprint(tfp.__version__)\n`
    },
    {
      name: 'the distribution object is used (log_prob in a loss), another conversion, or another distribution: no fix',
      code: 'import keras\nimport tensorflow_probability as tfp\n\na = tfp.layers.DistributionLambda(tfp.distributions.Categorical)\nb = tfp.layers.DistributionLambda(tfp.distributions.Categorical, convert_to_tensor_fn=tfp.distributions.Distribution.mode)\nc = tfp.layers.DistributionLambda(tfp.distributions.Bernoulli)\nnll = lambda y, rv: -rv.log_prob(y)\n',
      errors: [{ line: 4, column: 5 }, { line: 5, column: 5 }, { line: 6, column: 5 }],
      fixOptions: { unsafe: true },
      output: 'import keras\nimport tensorflow_probability as tfp\n\na = tfp.layers.DistributionLambda(tfp.distributions.Categorical)\nb = tfp.layers.DistributionLambda(tfp.distributions.Categorical, convert_to_tensor_fn=tfp.distributions.Distribution.mode)\nc = tfp.layers.DistributionLambda(tfp.distributions.Bernoulli)\nnll = lambda y, rv: -rv.log_prob(y)\n'
    },
    {
      name: 'the program binds the name otherwise: no fix',
      code: `import keras\nimport tensorflow_probability as tfp\nfrom scipy.stats import Normal\n\n\n${FLOW}        self.noise = tfp.distributions.Normal(0.0, 1.0)\n`,
      errors: [{ line: 9, column: 22 }]
    }
  ]
});
