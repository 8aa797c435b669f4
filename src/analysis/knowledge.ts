/**
 * Keras knowledge the rules and the type inference share: which classes are layers and models,
 * which Keras 2 modules moved or went away, which keras.backend functions remain, the TF op
 * table (src/catalog/ops.json), and path conventions. Facts and lookups only: no syntax, no
 * rule, no engine.
 */
import opsJson from '../catalog/ops.json';
import { TF_KERAS_ONLY_NAMES } from './catalog';

// ---- Keras classes and what calling them gives -----------------------------------------

export const LAYER_BASES = new Set(['keras.layers.Layer', 'keras.Layer', 'keras.engine.base_layer.Layer']);
/**
 * Layers exported outside `keras.layers`: a FeatureSpace is a Keras Layer (in tf_keras and Keras 3);
 * called eagerly it returns backend tensors (JAX arrays on JAX), as any layer does.
 */
const OTHER_LAYERS = new Set(['keras.utils.FeatureSpace']);
export const MODEL_BASES = new Set([
  'keras.Model',
  'keras.models.Model',
  'keras.Sequential',
  'keras.models.Sequential',
  'keras.engine.training.Model'
]);
export const INPUT_FACTORIES = new Set(['keras.Input', 'keras.layers.Input', 'keras.engine.input_layer.Input']);

/**
 * Built-in Keras layers without trainable weights (preprocessing, augmentation, reshaping,
 * pooling, merging, dropout): what passes through them from the model's inputs still needs no
 * grad, so TensorFlow ops on it run on PyTorch (checked by running; see tf-op-claims.ts). A FeatureSpace
 * is such preprocessing layers (its eager output converts with `.numpy()` on PyTorch: run).
 */
export const WEIGHTLESS_LAYER =
  /^(?:keras\.utils\.FeatureSpace|keras\.layers\.(?:experimental\.preprocessing\.)?(InputLayer|Normalization|Rescaling|Resizing|CenterCrop|Random(Flip|Rotation|Zoom|Contrast|Translation|Crop|Brightness)|Flatten|Reshape|Permute|RepeatVector|(Spatial)?Dropout[123]?D?|Gaussian(Noise|Dropout)|Activation|ReLU|Softmax|(Global)?(Max|Average)Pooling[123]D|(Cropping|ZeroPadding|UpSampling)[123]D|Concatenate|Add|Subtract|Multiply|Average|Maximum|Minimum|Masking|CategoryEncoding|StringLookup|IntegerLookup|Hashing|Discretization|TextVectorization))$/;

/** 'model', 'layer' or 'component' (metric, loss, ...) for a Keras class name, else null. */
export function kerasKindOfName(name: string): 'layer' | 'model' | 'component' | null {
  if (MODEL_BASES.has(name) || /^keras\.applications\.[\w.]*[A-Z]\w*$/.test(name)) {
    return 'model';
  }
  if (LAYER_BASES.has(name) || OTHER_LAYERS.has(name) || /^keras\.layers\.(\w+\.)*[A-Z]\w*$/.test(name)) {
    return 'layer';
  }
  // Learning-rate schedules run on the optimizer's step counter, a backend tensor (traced on JAX).
  // A subclass of the abstract optimizer too: its update code runs on the gradients, backend
  // tensors (traced on JAX). Not a built-in's subclass: what it overrides (Keras 2's
  // `get_gradients`, keras.io gradient centralization) is mostly never called by Keras 3.
  if (/^keras\.(metrics|losses|constraints|regularizers|initializers|optimizers\.schedules)\.[A-Z]\w*$/.test(name) || /^keras\.optimizers\.(legacy\.)?Optimizer$/.test(name)) {
    return 'component';
  }
  return null;
}

/**
 * `feature_space.get_encoded_features()`: a FeatureSpace's encoded inputs, a dict of KerasTensors
 * for a functional model (a name no other Keras or common object has; its receiver is not typed).
 */
export const FEATURE_SPACE_TENSORS: ReadonlySet<string> = new Set(['get_encoded_features']);

/** Layers whose constructor has an `input_dim` parameter of its own (the vocabulary size). */
export const TAKES_INPUT_DIM = new Set(['keras.layers.Embedding', 'keras.layers.ReversibleEmbedding']);

/**
 * keras.backend functions that do not build a KerasTensor from one: Python values (shapes,
 * dtypes, numbers) and graph-mode machinery (functions, gradients, variables).
 */
export const BACKEND_VALUE_FUNCTIONS = new Set(['int_shape', 'ndim', 'dtype', 'is_keras_tensor', 'is_tensor', 'is_sparse', 'get_value', 'batch_get_value', 'eval', 'count_params', 'print_tensor', 'function', 'gradients', 'variable', 'constant', 'placeholder']);

/**
 * keras.ops functions that give a Python value on a KerasTensor, not a KerasTensor: `shape` a tuple
 * (`keras.ops.shape(x)[1]` is an int or None), `dtype` a string, `is_tensor` a bool (Keras 3.15, by running).
 */
export const OPS_VALUE_FUNCTIONS = new Set(['shape', 'dtype', 'is_tensor']);

/** Loss, metric and activation functions are keras.ops code: on KerasTensors they give KerasTensors. */
export const KERAS_TENSOR_FUNCTIONS = /^keras\.(losses|metrics|activations)\.[a-z]\w*$/;

/**
 * Keyword arguments whose function value Keras runs on backend tensors: losses, metrics,
 * activations, regularizers, constraints, initializers (`kernel_regularizer=l1_fn`).
 */
export const MODEL_FUNCTION_KEYWORDS = /^(loss|metrics|weighted_metrics|activation|recurrent_activation|function|(\w+_)?(regularizer|constraint|initializer))$/;

/** Keras layers whose first argument is a function run on the layer's tensors. */
export const FUNCTION_LAYERS = new Set(['keras.layers.Lambda', 'keras.layers.Activation']);

/** TF namespaces whose functions are tensor ops (tf.experimental.numpy: TensorFlow NumPy, `tnp`; tf.random, tf.Variable... have their own rules). */
const TF_OP_NAME = /^tf\.((math|linalg|nn|image|signal|bitwise|sparse|experimental\.numpy)\.)?[a-z_][a-z0-9_]*$/;
const NOT_TF_OPS = new Set([
  'tf.function',
  'tf.print',
  'tf.py_function',
  'tf.numpy_function',
  'tf.executing_eagerly',
  'tf.is_tensor',
  'tf.control_dependencies',
  'tf.name_scope',
  'tf.device',
  'tf.GradientTape'
]);

/** Whether `tf.x` (as tfApiName spells it) is a tensor op that model code must not call on JAX/PyTorch. */
export function isTfOpName(name: string): boolean {
  return TF_OP_NAME.test(name) && !NOT_TF_OPS.has(name);
}

/** Builtins that take a tensor and return plain Python values (or are never model code). */
export const PYTHON_BUILTINS = new Set([
  'print', 'len', 'isinstance', 'issubclass', 'type', 'id', 'repr', 'str', 'int', 'float', 'bool',
  'list', 'tuple', 'dict', 'set', 'getattr', 'hasattr', 'setattr', 'zip', 'enumerate', 'range',
  'min', 'max', 'sum', 'abs', 'any', 'all', 'sorted', 'reversed', 'map', 'filter', 'iter', 'next',
  'vars', 'dir', 'hash', 'callable', 'format', 'round', 'display'
]);

// ---- TF ops and keras.backend functions (src/catalog/ops.json) ----------------------------

/** The conditions under which a call may be rewritten, shared by both tables. */
export interface CallRewrite {
  safe: boolean;
  renames: Record<string, string>;
  addKwargs?: Record<string, string>;
  requireKwargs?: string[];
  forbidKwargs?: string[];
  maxPositional?: number;
  minPositional?: number;
  /** Arguments the call must pass, by keyword or at the given position, for the rewrite to be safe. */
  requireArgs?: Array<[string, number]>;
  /** Wraps the first positional argument (`{}`) to keep a behaviour the Keras function lacks. */
  firstArgTemplate?: string;
  /** The TF function's parameters in order (`*x` varargs, `**x` keywords), from its real signature. */
  tfParams?: string[];
  /** The Keras function's parameters in order, from its real signature (python_kernel_hooks/tests/test_ops_conversions.py checks both). */
  kerasParams?: string[];
  /** TF parameters that change nothing on the result (hints such as `a_is_sparse`) and are left out. */
  dropParams?: string[];
  /**
   * TF parameters naming the result's dtype (`tf.argmax(x, output_type=tf.int32)`) that keras.ops
   * lacks: given as a TF dtype or a dtype string, the Keras call is wrapped in
   * `keras.ops.cast(..., "<dtype>")`; any other value gets no rewrite.
   */
  resultDtypeParams?: string[];
  /** TF boolean flags that become a wrapper around another argument: flag -> [that TF parameter, template with `{}`]. */
  booleanWraps?: Record<string, [string, string]>;
  /** Argument values (as written) under which the rewrite is not exact: parameter -> values. */
  unsafeValues?: Record<string, string[]>;
  /**
   * Parameters keras.ops iterates as a Python sequence (`keras.ops.tile`'s `repeats`): exact only
   * when the call writes a list or tuple there; a tensor (`tf.concat([...])`) fails in graph mode.
   */
  sequenceArgs?: string[];
  /**
   * Shape parameters TF takes as a bare integer (`tf.fill(4, t)`) where keras.ops needs a sequence
   * (`keras.ops.full(4, t)` fails on TensorFlow and PyTorch, checked by running): an integer
   * (literal, a local name or parameter default holding one) is written as `(n,)`; a list,
   * tuple or shape call is kept; anything else makes the rewrite a suggestion.
   */
  scalarShapeArgs?: string[];
  /**
   * Literal argument values Keras spells differently (`mode="CONSTANT"` -> `mode="constant"`):
   * parameter -> value as written (quotes normalised to `"`) -> the Keras value, or null to leave
   * the argument out (it is Keras's default). Any other value of that parameter gets no rewrite.
   */
  valueMaps?: Record<string, Record<string, string | null>>;
  /**
   * `valueMaps` parameters whose value, when it is a name or an expression rather than a literal
   * (`method=interpolation`), is passed on as it is (a suggestion: it may hold a value Keras
   * spells otherwise); an unknown literal still gets no rewrite.
   */
  valueMapsOpen?: string[];
  /**
   * Parameters TF takes in its four-entry window form `[1, a, b, 1]` (batch and channel entries)
   * that Keras takes as `(a, b)`: a literal is rewritten, another list length gets no rewrite, a
   * name gets no rewrite (it may hold the four-entry form, which Keras rejects), an attribute
   * (`self.strides`) makes the call a suggestion.
   */
  windowArgs?: string[];
  /** Exact when the result is indexed with an integer literal (`tf.shape(x)[0]`), though not otherwise. */
  safeWhenIndexed?: boolean;
  /** Exact when one of the first two operands is known to be floating (helpers/float-values.ts), though not for integers. */
  safeWhenFloat?: boolean;
  /**
   * Fields of the namedtuple TF returns that keras.ops returns as a plain tuple
   * (`tf.math.top_k(x, k).values`): field -> its index, written `[i]` in the rewrite (JAX's tuple
   * has no `.values`). A field in `exactFields` makes the rewrite exact (its value is the same on
   * every backend; `.indices` is int64 on PyTorch).
   */
  namedFields?: Record<string, number>;
  exactFields?: string[];
  /** The Keras expression for an op keras.ops spells as a composition, `{param}` for each TF argument (`keras.ops.square({x} - {y})`). */
  callTemplate?: string;
  /**
   * Parameters of a `callTemplate` that keras.ops needs as a tensor where TF also takes a Python
   * list (`segment_ids`: keras.ops reads its `.shape`): an argument not known to hold a tensor is
   * written as `keras.ops.convert_to_tensor(...)`.
   */
  tensorArgs?: string[];
  /**
   * Parameters of a `callTemplate` that keras.ops needs as a tensor where the program may pass a
   * NumPy array (an attribute, a NumPy call, a name assigned one): converted only then.
   */
  arrayArgs?: string[];
  /**
   * Parameters keras.ops takes as an int or a tensor but never a Python list, where TF takes a
   * list too (`keras.ops.repeat`'s `repeats`: JAX raises "repeat requires ndarray or scalar
   * arguments", PyTorch "Invalid dtype: object"): a one-element list or tuple literal becomes its
   * element (TF broadcasts it; exact), a longer one `keras.ops.convert_to_tensor(...)` (a
   * suggestion: JAX needs its values at trace time).
   */
  scalarOrTensorArgs?: string[];
  /**
   * TF parameters whose Keras counterpart is their square root (`tf.math.l2_normalize`'s epsilon
   * bounds the squared norm, `keras.ops.normalize`'s the norm itself): a number literal is written
   * as its root, anything else as `(...) ** 0.5`.
   */
  squareRootArgs?: string[];
}

export interface OpMapping extends CallRewrite {
  tf: string;
  keras: string | null;
  aliases?: string[];
  preferred?: boolean;
  skip?: boolean;
  layer?: boolean;
  method?: boolean;
  note?: string;
}

export interface BackendMapping extends CallRewrite {
  name: string;
  keras: string | null;
  note?: string;
}

const table = opsJson as unknown as { ops: OpMapping[]; backend: BackendMapping[]; kerasOps: string[]; tfKerasLegacyBackend: string[] };

const tfKerasLegacyBackend = new Set(table.tfKerasLegacyBackend);

/**
 * Whether TensorFlow's `tf.keras.backend` still has this Keras 2 backend function with Keras 3
 * installed (ops.json `tfKerasLegacyBackend`, the list the recognizer reads too): through
 * `tf.keras` it runs on the TensorFlow backend, while Keras 3's keras.backend lacks it.
 */
export function isTfKerasLegacyBackendFunction(name: string): boolean {
  return tfKerasLegacyBackend.has(name);
}

/** Every function of the installed Keras 3's `keras.ops` (the catalog's list, checked by test_ops_conversions.py). */
const KERAS_OPS = new Set(table.kerasOps);

/**
 * The `keras.ops` function with the same name as a TF op the table has no row for
 * (`tf.math.logsumexp`, `tf.reduce_logsumexp` -> `keras.ops.logsumexp`), or null.
 */
export function kerasOpNamed(tfName: string): string | null {
  const leaf = tfName.slice(tfName.lastIndexOf('.') + 1);
  for (const candidate of [leaf, leaf.replace(/^reduce_/, '')]) {
    if (KERAS_OPS.has(candidate)) {
      return 'keras.ops.' + candidate;
    }
  }
  return null;
}

/** `tensorflow.reduce_sum` -> mapping (preferred row when the guide lists two). */
const byCanonical = new Map<string, OpMapping>();
for (const op of table.ops) {
  if (op.skip || op.method) {
    continue;
  }
  for (const name of [op.tf, ...(op.aliases ?? [])]) {
    const canonical = 'tensorflow.' + name.slice(3);
    const existing = byCanonical.get(canonical);
    if (!existing || (op.preferred && !existing.preferred)) {
      byCanonical.set(canonical, op);
    }
  }
}

const backendByName = new Map(table.backend.map(b => [b.name, b]));

/** TensorFlow's NumPy API (`import tensorflow.experimental.numpy as tnp`). */
const TNP = 'tensorflow.experimental.numpy.';

/**
 * The mapping of a TF op: the table's row, else for a function of `tf.experimental.numpy` (tnp)
 * the `keras.ops` function of the same name, which follows the same NumPy API (`tnp.matmul`,
 * `tnp.maximum`, `tnp.mean(x, axis=0)`): a suggestion, not an exact rewrite (tnp follows
 * TensorFlow's dtype rules where keras.ops follows NumPy's promotion). Submodules (`tnp.random`)
 * have no such counterpart.
 */
export function tfOp(canonical: string): OpMapping | undefined {
  const known = byCanonical.get(canonical);
  if (known || !canonical.startsWith(TNP)) {
    return known;
  }
  const leaf = canonical.slice(TNP.length);
  if (!/^[a-z_][a-z0-9_]*$/.test(leaf) || !KERAS_OPS.has(leaf)) {
    return undefined;
  }
  return { tf: 'tf.experimental.numpy.' + leaf, keras: 'keras.ops.' + leaf, safe: false, renames: {} };
}

export function backendFunction(name: string): BackendMapping | undefined {
  return backendByName.get(name);
}

/**
 * Keras 2 modules with no Keras 3 counterpart, and where their contents went. More specific
 * prefixes come first. `replace` is given only where every public name of the old module lives
 * under the new one with the same meaning.
 */
const LAYER_SUBMODULES = ['core', 'convolutional', 'recurrent', 'pooling', 'normalization', 'embeddings', 'merge', 'wrappers', 'advanced_activations', 'noise', 'convolutional_recurrent', 'dense_attention'];
export interface MovedModule {
  prefix: string;
  message: string;
  replace?: string;
}

const MOVED: MovedModule[] = [
  { prefix: 'keras.layers.experimental.preprocessing', message: 'preprocessing layers are in `keras.layers`', replace: 'keras.layers' },
  { prefix: 'keras.optimizers.legacy', message: '`keras.optimizers.legacy` is not supported in Keras 3; use `keras.optimizers`', replace: 'keras.optimizers' },
  { prefix: 'keras.optimizers.experimental', message: 'the Keras 2.11 "experimental" optimizers are the regular `keras.optimizers` in Keras 3', replace: 'keras.optimizers' },
  { prefix: 'keras.layers.experimental.EinsumDense', message: 'it is `keras.layers.EinsumDense`', replace: 'keras.layers.EinsumDense' },
  { prefix: 'keras.layers.experimental.SyncBatchNormalization', message: 'use `keras.layers.BatchNormalization(synchronized=True)`' },
  { prefix: 'keras.callbacks.experimental', message: '`BackupAndRestore` is in `keras.callbacks`', replace: 'keras.callbacks' },
  { prefix: 'keras.experimental.CosineDecayRestarts', message: 'it is `keras.optimizers.schedules.CosineDecayRestarts`', replace: 'keras.optimizers.schedules.CosineDecayRestarts' },
  { prefix: 'keras.experimental.CosineDecay', message: 'it is `keras.optimizers.schedules.CosineDecay`', replace: 'keras.optimizers.schedules.CosineDecay' },
  // tf_keras/src/premade_models: LinearModel is one Dense kernel per input, summed, zero-initialised; WideDeepModel adds the two models' outputs.
  {
    prefix: 'keras.experimental.LinearModel',
    message:
      'Keras 2\'s `LinearModel(units)` was a linear layer over its inputs (one kernel per input of a list or dict, summed: one kernel over their concatenation), kernel and bias initialised to zeros; in Keras 3 use `keras.layers.Dense(units, kernel_initializer="zeros")` on the (concatenated) inputs'
  },
  {
    prefix: 'keras.experimental.WideDeepModel',
    message:
      'Keras 2\'s `WideDeepModel(linear_model, dnn_model, activation)` returned `activation(linear_model(x) + dnn_model(x))`; in Keras 3 build that as one functional model (`keras.layers.Add()([wide_output, deep_output])`, then the activation) and compile it with one optimizer (Keras 2 trained each part with its own when given a list of two: that needs a train_step per backend)'
  },
  { prefix: 'keras.experimental', message: '`keras.experimental` (LinearModel, WideDeepModel, SequenceFeatures...) was removed' },
  { prefix: 'keras.mixed_precision.experimental', message: 'use `keras.mixed_precision.set_global_policy()` and `keras.mixed_precision.Policy`' },
  ...['topology', 'base_layer'].map(mod => ({ prefix: `keras.engine.${mod}.Layer`, message: 'it is `keras.layers.Layer`', replace: 'keras.layers.Layer' })),
  ...['topology', 'input_spec', 'base_layer'].map(mod => ({ prefix: `keras.engine.${mod}.InputSpec`, message: 'it is `keras.layers.InputSpec`', replace: 'keras.layers.InputSpec' })),
  { prefix: 'keras.estimator', message: 'Keras 3 has no Estimator bridge; train the model with `fit()` (or keep that code on tf_keras)' },
  { prefix: 'keras.premade', message: '`LinearModel` and `WideDeepModel` were removed; build them from `keras.layers`' },
  { prefix: 'keras.feature_column', message: 'feature columns are not part of Keras 3; use `keras.utils.FeatureSpace` or preprocessing layers' },
  { prefix: 'keras.engine', message: '`keras.engine` is private Keras 2 API; use `keras.layers.Layer`, `keras.Model`, `keras.Input`' },
  { prefix: 'keras.wrappers.scikit_learn', message: 'the scikit-learn wrappers moved to the SciKeras package (or `keras.wrappers` in Keras 3.5+)' },
  { prefix: 'keras.preprocessing.image.ImageDataGenerator', message: '`ImageDataGenerator` is deprecated; use `keras.utils.image_dataset_from_directory` and preprocessing layers' },
  ...['NumpyArrayIterator', 'DirectoryIterator', 'Iterator', 'random_rotation', 'random_shift', 'random_shear', 'random_zoom', 'random_channel_shift', 'random_brightness', 'apply_affine_transform', 'apply_brightness_shift', 'apply_channel_shift'].map(name => ({
    prefix: `keras.preprocessing.image.${name}`,
    message: `\`${name}\` went with ImageDataGenerator; use the \`keras.layers.Random*\` preprocessing layers`
  })),
  { prefix: 'keras.preprocessing.sequence.TimeseriesGenerator', message: 'use `keras.utils.timeseries_dataset_from_array`' },
  { prefix: 'keras.preprocessing.sequence.skipgrams', message: '`keras.preprocessing.sequence` keeps only `pad_sequences`' },
  { prefix: 'keras.preprocessing.sequence.make_sampling_table', message: '`keras.preprocessing.sequence` keeps only `pad_sequences`' },
  { prefix: 'keras.applications.imagenet_utils.correct_pad', message: 'Keras 3\'s public `keras.applications.imagenet_utils` keeps only `decode_predictions` and `preprocess_input`' },
  { prefix: 'keras.applications.imagenet_utils.obtain_input_shape', message: 'Keras 3\'s public `keras.applications.imagenet_utils` keeps only `decode_predictions` and `preprocess_input`' },
  { prefix: 'keras.utils.multi_gpu_model', message: 'use a `tf.distribute.MirroredStrategy` scope (or `keras.distribution` on JAX)' },
  { prefix: 'keras.preprocessing.text', message: '`keras.preprocessing.text` (Tokenizer, one_hot, text_to_word_sequence) was removed; use `keras.layers.TextVectorization`' },
  { prefix: 'keras.utils.np_utils', message: 'its functions (`to_categorical`, `normalize`) are in `keras.utils`', replace: 'keras.utils' },
  { prefix: 'keras.utils.vis_utils', message: '`plot_model` and `model_to_dot` are in `keras.utils`', replace: 'keras.utils' },
  { prefix: 'keras.utils.generic_utils', message: '`get_custom_objects`, `CustomObjectScope`, `Progbar` and the (de)serialization helpers are in `keras.utils`', replace: 'keras.utils' },
  { prefix: 'keras.utils.data_utils', message: '`Sequence`, `get_file` and `pad_sequences` are in `keras.utils`', replace: 'keras.utils' },
  ...LAYER_SUBMODULES.map(sub => ({
    prefix: `keras.layers.${sub}`,
    message: 'Keras 3 has no layer submodules; every layer is in `keras.layers`',
    replace: 'keras.layers'
  }))
];

/**
 * Whether a canonical name spelled through `tensorflow.keras` still resolves on Keras 3: TensorFlow's
 * `tf.keras` is then `keras._tf_keras.keras`, which keeps the Keras 2 `preprocessing` modules
 * (`ImageDataGenerator` and its helpers, `preprocessing.text.Tokenizer`, `preprocessing.sequence`),
 * on every backend (checked on Keras 3.15 with TensorFlow 2.21: they are NumPy code). `keras.preprocessing.*`
 * itself lacks them, and the other MOVED modules are gone under both spellings.
 */
export function keptUnderTfKeras(canonical: string | null): boolean {
  return !!canonical && /^tensorflow\.keras\.preprocessing(\.|$)/.test(canonical);
}

/**
 * Keras 2 names Keras 3 keeps only under `tf.keras` that other rules explain with their own fix:
 * `losses.Reduction` (KM205), `ThresholdedReLU` (KM121); the dropped modules are MOVED's (KM165).
 */
const TF_KERAS_ONLY_EXPLAINED_ELSEWHERE = new Set(['keras.losses.Reduction', 'keras.layers.ThresholdedReLU']);

export interface TfKerasOnlyName {
  /** The Keras 2 name, spelled `keras.module.name`. */
  name: string;
  /** The Keras 3 name of the same object (`keras.losses.log_cosh`), or null. */
  replacement: string | null;
}

/**
 * A name (spelled `keras.x.y`) that only `tf.keras` has, from the catalog, unless another rule
 * owns it: `keras.metrics.mae` is `keras.metrics.mean_absolute_error` in Keras 3.
 */
export function tfKerasOnlyName(spelled: string | null): TfKerasOnlyName | null {
  if (!spelled || !TF_KERAS_ONLY_NAMES.has(spelled) || TF_KERAS_ONLY_EXPLAINED_ELSEWHERE.has(spelled) || movedModuleOf(spelled)) {
    return null;
  }
  return { name: spelled, replacement: TF_KERAS_ONLY_NAMES.get(spelled) ?? null };
}

/**
 * Layers and constraints Keras 3 dropped, with what to use instead (KM122 reports them).
 * Other rules leave these names alone: `keras.layers.DenseFeatures` does not exist either.
 */
export const REMOVED_LAYERS: Readonly<Record<string, string>> = {
  'keras.layers.LocallyConnected1D': 'use a Conv1D, or the LocallyConnected layer code from the Keras 2 sources as a custom layer',
  'keras.layers.LocallyConnected2D': 'use a Conv2D, or the LocallyConnected layer code from the Keras 2 sources as a custom layer',
  'keras.layers.experimental.RandomFourierFeatures': 'copy the layer from the Keras 2 sources as a custom layer',
  'keras.constraints.RadialConstraint': 'write a custom keras.constraints.Constraint',
  'keras.layers.DenseFeatures': 'preprocess features with keras.utils.FeatureSpace or preprocessing layers',
  'keras.layers.CuDNNLSTM': 'use keras.layers.LSTM (it uses cuDNN when it can)',
  'keras.layers.CuDNNGRU': 'use keras.layers.GRU (it uses cuDNN when it can)'
};

/**
 * Fact noted (with the bound module appended: `tf-keras-only-use:tensorflow.keras`) where code
 * reaches a name only `tf.keras` has (KM224's names, KM165's `preprocessing` modules) through a
 * name bound to a `tf.keras` module: rewriting that import to Keras 3's `keras` would break the
 * use, so the import fix is then only a suggestion.
 */
export const TF_KERAS_ONLY_USE = 'tf-keras-only-use:';

/** Position of each prefix in MOVED (the first one, where a prefix repeats). */
const MOVED_INDEX = new Map<string, number>();
MOVED.forEach((m, i) => {
  if (!MOVED_INDEX.has(m.prefix)) {
    MOVED_INDEX.set(m.prefix, i);
  }
});

/**
 * The first MOVED entry whose prefix is `name` or a dotted prefix of it. Asked for every
 * resolved attribute chain, so the name's few dotted prefixes are looked up instead of
 * scanning the table.
 */
export function movedModuleOf(name: string): MovedModule | undefined {
  // Every entry is under `keras.`; most names asked about (numpy, tf ops) are not.
  if (!name.startsWith('keras.')) {
    return undefined;
  }
  let known = movedMemo.get(name);
  if (known === undefined) {
    known = findMovedModule(name) ?? null;
    if (movedMemo.size >= 4096) {
      movedMemo.clear();
    }
    movedMemo.set(name, known);
  }
  return known ?? undefined;
}

/** movedModuleOf's answers by name: the same few Keras names come back on every attribute chain. */
const movedMemo = new Map<string, MovedModule | null>();

function findMovedModule(name: string): MovedModule | undefined {
  let first = -1;
  for (let dot = name.indexOf('.'); ; dot = name.indexOf('.', dot + 1)) {
    const index = MOVED_INDEX.get(dot < 0 ? name : name.slice(0, dot));
    if (index !== undefined && (first < 0 || index < first)) {
      first = index;
    }
    if (dot < 0) {
      return first < 0 ? undefined : MOVED[first];
    }
  }
}

/** Whether `from <module> import <names>` is a Keras 3-removed module this rule reports. */
export function isMovedImport(moduleName: string, names: string[]): boolean {
  const normalised = moduleName.replace(/^tensorflow\.(python\.)?keras/, 'keras');
  return movedModuleOf(normalised) !== undefined || names.some(n => movedModuleOf(normalised + '.' + n) !== undefined);
}

/** `tensorflow.keras.x` and `tensorflow.compat.v1.keras.x` spelled as `keras.x`. */
export function kerasSpelling(canonical: string | null): string | null {
  if (!canonical) {
    return null;
  }
  if (!canonical.startsWith('tensorflow.')) {
    return canonical;
  }
  // Asked for every resolved attribute chain, with the few dozen names resolve() hands out.
  let spelled = spellings.get(canonical);
  if (spelled === undefined) {
    if (spellings.size >= 4096) {
      spellings.clear();
    }
    spelled = canonical.replace(/^tensorflow\.(compat\.v[12]\.|python\.)?keras(?=\.|$)/, 'keras');
    // One string per spelling, as resolve()'s names are (see scope.ts canonicalName).
    spelled = spelled === canonical ? canonical : Object.keys({ [spelled]: 0 })[0];
    spellings.set(canonical, spelled);
  }
  return spelled;
}

/** kerasSpelling's answers for names under `tensorflow.`. */
const spellings = new Map<string, string>();

/** keras.backend functions that still exist in Keras 3. */
const KEPT = new Set([
  'backend',
  'clear_session',
  'epsilon',
  'set_epsilon',
  'floatx',
  'set_floatx',
  'image_data_format',
  'set_image_data_format',
  'is_keras_tensor',
  'get_uid',
  'standardize_dtype',
  'result_type',
  'is_float_dtype',
  'is_int_dtype',
  'KerasTensor'
]);

/** Whether `keras.backend.<name>` is a Keras 2 function Keras 3 no longer has. */
export function isRemovedBackendFunction(name: string): boolean {
  return !name.includes('.') && !KEPT.has(name);
}

/** A literal path Keras 3 refuses to save a model to: no .keras/.h5 extension. */
/** In FunctionScope.decorators beside `tensorflow.function`: the decorator applies tf.function on the TensorFlow backend only (`@(tf.function if ... else ...)`). */
export const TF_FUNCTION_ON_TENSORFLOW_ONLY = 'tensorflow.function:on-tensorflow-only';

export function isSavedModelPath(path: string): boolean {
  const last = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  if (/\.(keras|h5|hdf5)$/i.test(last)) {
    return false;
  }
  // Keras 2's `save()` wrote a SavedModel to every path not ending `.h5`/`.hdf5` (save_format "tf"),
  // `model.ckpt` and `model.tf` included; Keras 3 takes only `.keras`/`.h5` (og47a repro_4).
  return last !== '';
}

/**
 * Whether `name = <canonical>` is really an import in disguise: the Keras package itself,
 * one of its direct submodules, or a re-export under its own name (`Dense = ...Dense`).
 * Other assignments (`loss = tf.keras.losses.MSE`) are plain attribute uses (KM012).
 */
export function isImportAlias(canonical: string, name: string): boolean {
  if (canonical === 'tensorflow.keras') {
    return true;
  }
  const rest = canonical.slice('tensorflow.keras.'.length);
  const leaf = rest.slice(rest.lastIndexOf('.') + 1);
  return leaf === name || (!rest.includes('.') && /^[a-z_]+$/.test(rest));
}

/**
 * Fact noted where code still calls a Keras 2 backend function through `tf.keras.backend`
 * (which Keras 3 keeps there, not in `keras.backend`): rewriting the import that binds that
 * backend to `keras` would break the call, so the import fix is then only a suggestion.
 */
export const TF_KERAS_LEGACY_BACKEND_USE = 'tf-keras-legacy-backend-use';
