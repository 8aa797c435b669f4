import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { withKerasImport } from './util';

/**
 * Keras 2 modules with no Keras 3 counterpart, and where their contents went. More specific
 * prefixes come first. `replace` is given only where every public name of the old module lives
 * under the new one with the same meaning.
 */
const LAYER_SUBMODULES = ['core', 'convolutional', 'recurrent', 'pooling', 'normalization', 'embeddings', 'merge', 'wrappers', 'advanced_activations', 'noise', 'convolutional_recurrent', 'dense_attention'];
const MOVED: Array<{ prefix: string; message: string; replace?: string }> = [
  { prefix: 'keras.layers.experimental.preprocessing', message: 'preprocessing layers are in `keras.layers`', replace: 'keras.layers' },
  { prefix: 'keras.optimizers.legacy', message: '`keras.optimizers.legacy` is not supported in Keras 3; use `keras.optimizers`', replace: 'keras.optimizers' },
  { prefix: 'keras.optimizers.experimental', message: 'the Keras 2.11 "experimental" optimizers are the regular `keras.optimizers` in Keras 3', replace: 'keras.optimizers' },
  { prefix: 'keras.layers.experimental.EinsumDense', message: 'it is `keras.layers.EinsumDense`', replace: 'keras.layers.EinsumDense' },
  { prefix: 'keras.layers.experimental.SyncBatchNormalization', message: 'use `keras.layers.BatchNormalization(synchronized=True)`' },
  { prefix: 'keras.callbacks.experimental', message: '`BackupAndRestore` is in `keras.callbacks`', replace: 'keras.callbacks' },
  { prefix: 'keras.experimental.CosineDecayRestarts', message: 'it is `keras.optimizers.schedules.CosineDecayRestarts`', replace: 'keras.optimizers.schedules.CosineDecayRestarts' },
  { prefix: 'keras.experimental.CosineDecay', message: 'it is `keras.optimizers.schedules.CosineDecay`', replace: 'keras.optimizers.schedules.CosineDecay' },
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
function movedFor(name: string): (typeof MOVED)[number] | undefined {
  // Every entry is under `keras.`; most names asked about (numpy, tf ops) are not.
  if (!name.startsWith('keras.')) {
    return undefined;
  }
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

/** The Keras 2 module entry a Keras name falls under, if Keras 3 dropped it (other rules defer to this one). */
export function movedModuleOf(name: string): { prefix: string; replace?: string } | undefined {
  return movedFor(name);
}

/** Whether `from <module> import <names>` is a Keras 3-removed module this rule reports. */
export function isMovedImport(moduleName: string, names: string[]): boolean {
  const normalised = moduleName.replace(/^tensorflow\.(python\.)?keras/, 'keras');
  return movedFor(normalised) !== undefined || names.some(n => movedFor(normalised + '.' + n) !== undefined);
}

/** `tensorflow.keras.x` and `tensorflow.compat.v1.keras.x` spelled as `keras.x`. */
function kerasSpelling(canonical: string | null): string | null {
  return canonical ? canonical.replace(/^tensorflow\.(compat\.v[12]\.|python\.)?keras(?=\.|$)/, 'keras') : null;
}

function rootIdentifier(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'attribute') {
    n = child(n, 'object') ?? n;
    if (n.type !== 'attribute') {
      break;
    }
  }
  return n;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent?.type === 'attribute' && node.field === 'object') {
    const whole = kerasSpelling(ctx.resolve(node.parent));
    if (whole && movedFor(whole)) {
      return; // reported once, on the outermost name
    }
  }
  const name = kerasSpelling(ctx.resolve(node));
  const moved = name ? movedFor(name) : undefined;
  if (!moved || !name) {
    return;
  }
  // `preprocessing.Normalization()` after `from ...experimental import preprocessing`: the
  // import is what fails, and it is reported (and fixed) there.
  const root = rootIdentifier(node);
  const rootName = root.type === 'identifier' ? kerasSpelling(ctx.resolve(root)) : null;
  if (rootName && movedFor(rootName) && root !== node) {
    return;
  }
  let fix = null;
  if (moved.replace) {
    const prefixNode = findPrefixNode(node, moved.prefix, ctx);
    if (prefixNode) {
      fix = { title: `Use \`${moved.replace}\``, safe: true, edits: withKerasImport(ctx, [{ start: prefixNode.start, end: prefixNode.end, text: moved.replace }]) };
    }
  }
  ctx.report(node, `\`${name}\` does not exist in Keras 3: ${moved.message}.`, fix);
}

/** The part of a dotted chain spelling the moved module (`tf.keras.optimizers.legacy` in `tf.keras.optimizers.legacy.Adam`). */
function findPrefixNode(node: SyntaxNode, prefix: string, ctx: RuleContext): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n && n.type === 'attribute'; n = child(n, 'object')) {
    if (kerasSpelling(ctx.resolve(n)) === prefix) {
      const root = rootIdentifier(n);
      // Only chains spelled from a module import (`keras.`, `tf.keras.`), not from an alias of
      // a submodule, are rewritten.
      const rootCanonical = root.type === 'identifier' ? ctx.resolve(root) : null;
      return rootCanonical === 'keras' || rootCanonical === 'tensorflow' || rootCanonical === 'tensorflow.keras' ? n : null;
    }
  }
  return null;
}

function visitImportFrom(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  if (!moduleNode) {
    return;
  }
  const moduleName = ctx.textOf(moduleNode).replace(/\s+/g, '');
  const normalised = moduleName.replace(/^tensorflow\.(python\.)?keras/, 'keras');
  if (!normalised.startsWith('keras')) {
    return;
  }
  let moved = movedFor(normalised);
  let names = node.children.filter(c => c.field === 'name');
  // `from keras.engine.topology import Layer`: an entry for the name itself is more precise
  // than the one for its module.
  const nameOf = (n: SyntaxNode): string => ctx.textOf(n.type === 'aliased_import' ? (child(n, 'name') ?? n) : n);
  const single = names.length === 1 ? movedFor(normalised + '.' + nameOf(names[0])) : undefined;
  if (single && moved && single.prefix.length > moved.prefix.length) {
    moved = single;
  }
  // `from keras.layers.experimental import preprocessing`: the imported name is the module.
  if (!moved) {
    const hits = names.filter(n => movedFor(normalised + '.' + ctx.textOf(n.type === 'aliased_import' ? child(n, 'name') ?? n : n)));
    if (hits.length === 0) {
      return;
    }
    moved = movedFor(normalised + '.' + ctx.textOf(hits[0].type === 'aliased_import' ? child(hits[0], 'name') ?? hits[0] : hits[0]));
    names = hits;
  }
  if (!moved) {
    return;
  }
  // The `tensorflow.` spelling is rewritten too: the new module path is a plain `keras` one.
  const privateApi = moduleName.startsWith('tensorflow.python.');
  let fix = null;
  if (moved.replace && !privateApi && normalised === moved.prefix) {
    fix = { title: `Import from \`${moved.replace}\``, safe: true, edits: [{ start: moduleNode.start, end: moduleNode.end, text: moved.replace }] };
  } else if (moved.replace && !privateApi && names.length === 1 && node.children.filter(c => c.field === 'name').length === 1) {
    // `from keras.layers.experimental import preprocessing` -> `from keras import layers as preprocessing`
    const item = names[0];
    const alias = item.type === 'aliased_import' ? ctx.textOf(child(item, 'alias') ?? item) : ctx.textOf(item);
    const dot = moved.replace.lastIndexOf('.');
    const leaf = moved.replace.slice(dot + 1);
    const statement = `from ${moved.replace.slice(0, dot)} import ${leaf}${leaf === alias ? '' : ' as ' + alias}`;
    fix = { title: `Use \`${statement}\``, safe: true, edits: [{ start: node.start, end: node.end, text: statement }] };
  }
  ctx.report(node, `\`${moved.prefix}\` does not exist in Keras 3: ${moved.message}.`, fix);
}

export const legacyModule: RuleDefinition = {
  code: 'KM165',
  name: 'removed-keras-module',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  docs: {
    whatItDoes:
      'Flags imports and uses of Keras 2 modules that Keras 3 dropped: `layers.experimental.preprocessing`, `optimizers.legacy`, `keras.engine`, `wrappers.scikit_learn`, `ImageDataGenerator`.',
    why:
      'These imports fail with ModuleNotFoundError or ImportError ("`keras.optimizers.legacy` is not supported in Keras 3"). Not covered by the migration guide. Where the same classes live elsewhere under the same names the rewrite is safe.',
    example: 'from keras.layers.experimental.preprocessing import Rescaling\nopt = keras.optimizers.legacy.Adam()',
    useInstead: 'from keras.layers import Rescaling\nopt = keras.optimizers.Adam()'
  },
  visitors: { attribute: visitAttribute, import_from_statement: visitImportFrom }
};
