/**
 * Public names of the Keras modules notebooks star-import (`from tensorflow.keras.layers import *`),
 * so that `Dense(...)` after such an import resolves like an explicitly imported name. The union
 * of Keras 3's names and the Keras 2 names Keras 3 dropped (the rules flag those). Modules not
 * listed here bind nothing on a star import.
 */
export const STAR_EXPORTS: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'keras.layers',
    [
      'AbstractRNNCell', 'Activation', 'ActivityRegularization', 'AdaptiveAveragePooling1D',
      'AdaptiveAveragePooling2D', 'AdaptiveAveragePooling3D', 'AdaptiveMaxPooling1D', 'AdaptiveMaxPooling2D',
      'AdaptiveMaxPooling3D', 'Add', 'AdditiveAttention', 'AlphaDropout', 'Attention', 'AugMix',
      'AutoContrast', 'Average', 'AveragePooling1D', 'AveragePooling2D', 'AveragePooling3D', 'AvgPool1D',
      'AvgPool2D', 'AvgPool3D', 'BatchNormalization', 'Bidirectional', 'CategoryEncoding', 'CenterCrop',
      'Concatenate', 'ContrastLimitedAdaptiveHistogramEqualization', 'Conv1D', 'Conv1DTranspose', 'Conv2D',
      'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D',
      'Convolution1D', 'Convolution1DTranspose', 'Convolution2D', 'Convolution2DTranspose', 'Convolution3D',
      'Convolution3DTranspose', 'Cropping1D', 'Cropping2D', 'Cropping3D', 'CuDNNGRU', 'CuDNNLSTM', 'CutMix',
      'Dense', 'DenseFeatures', 'DepthwiseConv1D', 'DepthwiseConv2D', 'Discretization', 'Dot', 'Dropout',
      'ELU', 'EinsumDense', 'Embedding', 'Equalization', 'Flatten', 'GRU', 'GRUCell', 'GaussianDropout',
      'GaussianNoise', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalAveragePooling3D',
      'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'GlobalMaxPool1D', 'GlobalMaxPool2D',
      'GlobalMaxPool3D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPooling3D',
      'GroupNormalization', 'GroupQueryAttention', 'HashedCrossing', 'Hashing', 'Identity', 'Input',
      'InputLayer', 'InputSpec', 'IntegerLookup', 'LSTM', 'LSTMCell', 'Lambda', 'Layer',
      'LayerNormalization', 'LeakyReLU', 'LocallyConnected1D', 'LocallyConnected2D', 'Masking',
      'MaxNumBoundingBoxes', 'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'MaxPooling1D', 'MaxPooling2D',
      'MaxPooling3D', 'Maximum', 'MelSpectrogram', 'Minimum', 'MixUp', 'MultiHeadAttention', 'Multiply',
      'Normalization', 'PReLU', 'Permute', 'Pipeline', 'RMSNormalization', 'RNN', 'RandAugment',
      'RandomBrightness', 'RandomColorDegeneration', 'RandomColorJitter', 'RandomContrast', 'RandomCrop',
      'RandomElasticTransform', 'RandomErasing', 'RandomFlip', 'RandomGaussianBlur', 'RandomGrayscale',
      'RandomHue', 'RandomInvert', 'RandomPerspective', 'RandomPosterization', 'RandomRotation',
      'RandomSaturation', 'RandomSharpness', 'RandomShear', 'RandomTranslation', 'RandomZoom', 'ReLU',
      'RepeatVector', 'Rescaling', 'Reshape', 'Resizing', 'ReversibleEmbedding', 'STFTSpectrogram',
      'SeparableConv1D', 'SeparableConv2D', 'SeparableConvolution1D', 'SeparableConvolution2D', 'SimpleRNN',
      'SimpleRNNCell', 'Softmax', 'Solarization', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D',
      'SpectralNormalization', 'StackedRNNCells', 'StringLookup', 'Subtract', 'TextVectorization',
      'ThresholdedReLU', 'TimeDistributed', 'UnitNormalization', 'UpSampling1D', 'UpSampling2D',
      'UpSampling3D', 'Wrapper', 'ZeroPadding1D', 'ZeroPadding2D', 'ZeroPadding3D', 'add', 'average',
      'concatenate', 'dot', 'experimental', 'maximum', 'minimum', 'multiply', 'subtract'
    ]
  ],
  [
    'keras.models',
    [
      'Model', 'Sequential', 'clone_model', 'load_model', 'model_from_json', 'save_model'
    ]
  ],
  [
    'keras.optimizers',
    [
      'Adadelta', 'Adafactor', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'Ftrl', 'Lamb', 'Lion',
      'LossScaleOptimizer', 'MultiOptimizer', 'Muon', 'Nadam', 'Optimizer', 'OptimizerMap', 'RMSprop', 'SGD',
      'ScheduleFreeAdamW', 'experimental', 'legacy', 'schedules'
    ]
  ],
  [
    'keras.callbacks',
    [
      'BackupAndRestore', 'CSVLogger', 'Callback', 'CallbackList', 'EarlyStopping', 'History',
      'LambdaCallback', 'LearningRateScheduler', 'ModelCheckpoint', 'OrbaxCheckpoint', 'ProgbarLogger',
      'ReduceLROnPlateau', 'RemoteMonitor', 'SwapEMAWeights', 'TensorBoard', 'TerminateOnNaN'
    ]
  ]
]);

/** The names `from <module> import *` binds, for a `keras.` or `tensorflow.keras.` module. */
export function starExports(moduleName: string): readonly string[] {
  return STAR_EXPORTS.get(moduleName.replace(/^tensorflow\.(compat\.v[12]\.|python\.)?keras(?=\.|$)/, 'keras')) ?? [];
}
