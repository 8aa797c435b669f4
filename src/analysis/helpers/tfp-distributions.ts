/**
 * The source of keras.ops classes that a program can define in place of TensorFlow Probability's
 * `Normal` and `MultivariateNormalDiag` distributions (TF ops, which JAX cannot trace and PyTorch
 * tensors that require grad cannot enter). Written for the keras2-third-party-package fix. Not a rule.
 *
 * The same densities as TFP (log_prob of a normal: -z²/2 - log(scale) - log(2π)/2, summed over the
 * last axis for the diagonal multivariate one) and the same sample shapes (sample_shape followed by
 * the batch and event shape of loc and scale), checked against TFP 0.25 by running.
 */

/** 0.5 * log(2π). */
const HALF_LOG_TWO_PI = '0.9189385332046727';

const COMMON = (locName: string, scaleName: string): string[] => [
  '',
  '    def prob(self, value):',
  '        return keras.ops.exp(self.log_prob(value))',
  '',
  '    def sample(self, sample_shape=(), seed=None):',
  '        shape = tuple(sample_shape) if isinstance(sample_shape, (list, tuple)) else (int(sample_shape),)',
  `        shape = shape + tuple(keras.ops.shape(self.${locName} + self.${scaleName}))`,
  `        return self.${locName} + self.${scaleName} * keras.random.normal(shape, seed=seed)`,
  '',
  '    def mean(self):',
  `        return self.${locName} + keras.ops.zeros_like(self.${scaleName})`,
  '',
  '    def stddev(self):',
  `        return self.${scaleName} + keras.ops.zeros_like(self.${locName})`
];

export const TFP_DISTRIBUTION_CLASSES: Readonly<Record<string, string>> = {
  Normal: [
    'class Normal:',
    '    """tfp.distributions.Normal written with keras.ops (TFP\'s distributions run on TensorFlow only)."""',
    '',
    '    def __init__(self, loc, scale, **kwargs):',
    '        self.loc = keras.ops.convert_to_tensor(loc, dtype=keras.backend.floatx())',
    '        self.scale = keras.ops.convert_to_tensor(scale, dtype=keras.backend.floatx())',
    '',
    '    def log_prob(self, value):',
    '        z = (keras.ops.convert_to_tensor(value) - self.loc) / self.scale',
    `        return -0.5 * keras.ops.square(z) - keras.ops.log(self.scale) - ${HALF_LOG_TWO_PI}`,
    ...COMMON('loc', 'scale')
  ].join('\n'),
  MultivariateNormalDiag: [
    'class MultivariateNormalDiag:',
    '    """tfp.distributions.MultivariateNormalDiag written with keras.ops (TFP\'s distributions run on TensorFlow only)."""',
    '',
    '    def __init__(self, loc=None, scale_diag=None, **kwargs):',
    '        if loc is None:',
    '            loc = keras.ops.zeros_like(scale_diag)',
    '        self.loc = keras.ops.convert_to_tensor(loc, dtype=keras.backend.floatx())',
    '        if scale_diag is None:',
    '            scale_diag = keras.ops.ones_like(self.loc)',
    '        self.scale_diag = keras.ops.convert_to_tensor(scale_diag, dtype=keras.backend.floatx())',
    '',
    '    def log_prob(self, value):',
    '        z = (keras.ops.convert_to_tensor(value) - self.loc) / self.scale_diag',
    '        log_det = keras.ops.sum(keras.ops.log(self.scale_diag + keras.ops.zeros_like(self.loc)), axis=-1)',
    `        return -0.5 * keras.ops.sum(keras.ops.square(z), axis=-1) - log_det - ${HALF_LOG_TWO_PI} * keras.ops.shape(z)[-1]`,
    ...COMMON('loc', 'scale_diag')
  ].join('\n')
};

/**
 * A Keras layer a program can define in place of `tfp.layers.DistributionLambda(tfp.distributions.Categorical)`
 * (a TFP Keras layer, built on tf_keras, which a Keras 3 model refuses on every backend): like that layer's
 * output (TFP's default `convert_to_tensor_fn`, a sample), one draw of the categorical distribution over
 * the last axis of its logits, int32, of the logits' shape without that axis (keras.random.categorical on
 * the flattened logits, seeded by the layer's SeedGenerator). Checked by running: the VQ-VAE prior sampler of
 * keras.io and a program of ours draw codes of the same shape and dtype as TFP 0.25 with tf_keras did,
 * on the three backends.
 */
export const TFP_CATEGORICAL_SAMPLE_LAYER = [
  'class CategoricalSample(keras.layers.Layer):',
  '    """One sample of a categorical distribution over the last axis of the logits it gets',
  '    (tfp.layers.DistributionLambda(tfp.distributions.Categorical) written with keras.random)."""',
  '',
  '    def __init__(self, seed=None, **kwargs):',
  '        super().__init__(**kwargs)',
  '        self.seed_generator = keras.random.SeedGenerator(seed)',
  '',
  '    def call(self, logits):',
  '        flat = keras.ops.reshape(logits, (-1, keras.ops.shape(logits)[-1]))',
  '        samples = keras.random.categorical(flat, 1, seed=self.seed_generator)',
  '        return keras.ops.reshape(samples, keras.ops.shape(logits)[:-1])'
].join('\n');
