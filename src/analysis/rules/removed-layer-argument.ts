import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, removeArgument, KERAS_CALLEES } from '../rule-helpers';
import type { Backend } from '../types';

/**
 * What to do about a removed argument: drop it (safe when Keras 2 ignored it too), rename it, or rewrite by hand.
 * `ignored`: what Keras 3 does instead of failing (it drops the argument), so the finding blocks no backend.
 */
type Remedy = ({ advice: string; fix: 'remove' | 'remove-safe' | 'none' | 'off-on-torch' } | { advice: string; fix: 'rename'; to: string }) & {
  ignored?: string;
  /** An argument Keras 3 refuses on some backends only: those backends and what happens there. */
  onlyOn?: { blocks: Backend[]; failure: string };
};

/** Constructor arguments Keras 3 no longer accepts, by class. */
const REMOVED: Record<string, Record<string, Remedy>> = {
  // Keras 3 pops `input_length=` and warns "Argument `input_length` is deprecated. Just remove it." (checked on 3.6 and 3.15).
  'keras.layers.Embedding': {
    input_length: { advice: 'the sequence length comes from the input shape', fix: 'remove', ignored: 'is deprecated in Keras 3, which drops it with a warning' }
  },
  'keras.layers.BatchNormalization': {
    fused: { advice: 'Keras picks the implementation itself', fix: 'remove' },
    virtual_batch_size: { advice: 'not supported in Keras 3', fix: 'remove' },
    adjustment: { advice: 'not supported in Keras 3', fix: 'remove' }
  },
  'keras.layers.SimpleRNN': { implementation: { advice: 'Keras 3 has one implementation', fix: 'remove' } },
  // TensorFlow 2 Keras already ignored these four with a warning: dropping them changes nothing.
  'keras.callbacks.TensorBoard': {
    write_grads: { advice: 'TensorFlow 2 already ignored it', fix: 'remove-safe' },
    batch_size: { advice: 'TensorFlow 2 already ignored it', fix: 'remove-safe' },
    embeddings_layer_names: { advice: 'TensorFlow 2 already ignored it', fix: 'remove-safe' },
    embeddings_data: { advice: 'TensorFlow 2 already ignored it', fix: 'remove-safe' },
    // Keras 3.15 raises for a non-zero value on PyTorch and profiles on TensorFlow (JAX: Python 3.12+, else it warns and skips).
    profile_batch: {
      advice: 'Keras 3 profiles on TensorFlow and JAX only: pass 0 on PyTorch',
      fix: 'off-on-torch',
      onlyOn: { blocks: ['torch'], failure: 'raises "Profiling is not yet available with the torch backend" on PyTorch' }
    }
  },
  // Keras 3 accepts **kwargs here and drops them: `epsilon=` is silently ignored, not an error.
  'keras.callbacks.ReduceLROnPlateau': {
    epsilon: { advice: 'Keras 2 read it as `min_delta=`', fix: 'rename', to: 'min_delta', ignored: 'is ignored by Keras 3' }
  },
  // Keras 2 read `l=` as the factor of L1/L2 regularizers; Keras 3 raises TypeError.
  'keras.regularizers.l2': { l: { advice: 'the factor is `l2=`', fix: 'rename', to: 'l2' } },
  'keras.regularizers.L2': { l: { advice: 'the factor is `l2=`', fix: 'rename', to: 'l2' } },
  'keras.regularizers.l1': { l: { advice: 'the factor is `l1=`', fix: 'rename', to: 'l1' } },
  'keras.regularizers.L1': { l: { advice: 'the factor is `l1=`', fix: 'rename', to: 'l1' } },
  // Keras 2 kept these preprocessing-layer spellings as deprecated aliases of the same argument.
  'keras.layers.Discretization': { bins: { advice: 'the boundaries are `bin_boundaries=`', fix: 'rename', to: 'bin_boundaries' } },
  'keras.layers.CategoryEncoding': { max_tokens: { advice: 'the number of tokens is `num_tokens=`', fix: 'rename', to: 'num_tokens' } },
  // tf_keras read `smart_resize=` as `crop_to_aspect_ratio=`; Keras 3 raises "unexpected keyword argument 'smart_resize'"
  // on every backend (og48c repro_2, Chollet's DLwP ch. 12). `to_categorical(y=...)`: Keras 3 names it `x` (repro_2c).
  'keras.utils.image_dataset_from_directory': { smart_resize: { advice: 'Keras 3 calls it `crop_to_aspect_ratio=`', fix: 'rename', to: 'crop_to_aspect_ratio' } },
  'keras.preprocessing.image_dataset_from_directory': { smart_resize: { advice: 'Keras 3 calls it `crop_to_aspect_ratio=`', fix: 'rename', to: 'crop_to_aspect_ratio' } },
  'keras.utils.to_categorical': { y: { advice: 'Keras 3 names the labels `x=`', fix: 'rename', to: 'x' } },
  'keras.callbacks.ModelCheckpoint': {
    // Dropped, the checkpoint is written every epoch (Keras 3's default), not every `period` epochs: runs, but a suggestion.
    period: { advice: 'use `save_freq` (counted in batches, or "epoch"); without it the checkpoint is written every epoch', fix: 'remove' },
    options: { advice: 'Keras 3 checkpoints are not TensorFlow checkpoints', fix: 'none' }
  }
};

/** Keras 2 base-layer arguments every Keras 3 layer rejects (InputLayer and Embedding aside). */
const LAYER_WIDE: Record<string, Remedy> = {
  batch_input_shape: { advice: 'start the model with `keras.Input(batch_shape=...)`', fix: 'none' },
  batch_size: { advice: 'start the model with `keras.Input(shape=..., batch_size=...)`', fix: 'none' },
  weights: { advice: 'build the layer and call `layer.set_weights(...)`', fix: 'none' }
};

function remediesFor(name: string, ctx: RuleContext, fn: SyntaxNode): Record<string, Remedy> | undefined {
  const own = REMOVED[name];
  if (!/^keras\.layers\.[A-Z]\w*$/.test(name) || name === 'keras.layers.InputLayer' || name === 'keras.layers.Input' || ctx.kerasKindOfClass(fn) !== 'layer') {
    return own;
  }
  let merged = layerRemedies.get(name);
  if (merged === undefined) {
    const wide = { ...LAYER_WIDE };
    if (name === 'keras.layers.Embedding') {
      delete wide.weights; // Embedding(weights=[matrix]) is still accepted
    }
    merged = { ...wide, ...own };
    layerRemedies.set(name, merged);
  }
  return merged;
}

/** The remedies of a Keras layer class, by name: the layer-wide ones and its own, merged once. */
const layerRemedies = new Map<string, Record<string, Remedy>>();

const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);

/** Whether a layer call is the first item of the layer list given to `Sequential(...)`: its input is the model's. */
function firstInSequential(layer: SyntaxNode, ctx: RuleContext): boolean {
  const list = layer.parent;
  if (!list || list.type !== 'list' || !list.parent || list.parent.type !== 'argument_list') {
    return false;
  }
  const call = list.parent.parent;
  const fn = call && call.type === 'call' ? child(call, 'function') : null;
  const name = fn ? ctx.resolveKeras(fn) : null;
  const first = itemsOf(list)[0];
  return !!name && SEQUENTIAL.has(name) && first === layer && list.parent.children[0] === list;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  // Only keyword arguments are reported.
  if (!parts || parts.keywords.size === 0) {
    return;
  }
  // `layers.experimental.preprocessing.X` (moved by KM165) is the same class as `keras.layers.X`.
  const name = ctx.resolveKeras(parts.fn)?.replace(/^keras\.layers\.experimental\.preprocessing\./, 'keras.layers.') ?? null;
  const removed = name ? remediesFor(name, ctx, parts.fn) : undefined;
  if (!removed) {
    return;
  }
  const shortName = name!.split('.').pop();
  for (const [arg, remedy] of Object.entries(removed)) {
    const kw = parts.keywords.get(arg);
    if (!kw) {
      continue;
    }
    let fix = null;
    if (remedy.onlyOn && (/^(0|None|False|""|'')$/.test(ctx.textOf(kw.value)) || (kw.value.type === 'conditional_expression' && /\bbackend\(\)/.test(ctx.textOf(kw.value))))) {
      continue; // profiling off, or chosen per backend (the fix's form): runs everywhere
    }
    if (remedy.fix === 'off-on-torch') {
      // The value stays on the other backends; PyTorch gets 0. Safe: TensorFlow and JAX read the same value.
      const value = ctx.textOf(kw.value);
      const edits = [{ start: kw.value.start, end: kw.value.end, text: `${/^[\w.]+$|^\(.*\)$/.test(value) ? value : `(${value})`} if keras.backend.backend() != "torch" else 0` }];
      const importEdit = ctx.kerasImportEdit();
      fix = { title: 'Pass 0 on PyTorch', safe: true, edits: importEdit ? [...edits, importEdit] : edits };
    } else if (remedy.fix === 'rename') {
      fix = parts.keywords.has(remedy.to) ? null : { title: `Rename to \`${remedy.to}=\``, safe: true, edits: [{ start: kw.name.start, end: kw.name.end, text: remedy.to }] };
    } else if (arg === 'batch_input_shape' && firstInSequential(node, ctx)) {
      // Keras 2 built the model's InputLayer from it: `keras.Input(batch_shape=...)` first is the same model.
      const edits = [
        { start: node.start, end: node.start, text: `keras.Input(batch_shape=${ctx.textOf(kw.value)}), ` },
        removeArgument(kw.node, ctx)
      ];
      const importEdit = ctx.kerasImportEdit();
      fix = { title: 'Start the model with `keras.Input(batch_shape=...)`', safe: true, edits: importEdit ? [...edits, importEdit] : edits };
    } else if (remedy.fix !== 'none') {
      fix = { title: `Remove \`${arg}=\``, safe: remedy.fix === 'remove-safe', edits: [removeArgument(kw.node, ctx)] };
    }
    const failure =
      remedy.onlyOn?.failure ??
      remedy.ignored ??
      (name!.startsWith('keras.layers.') ? 'is not accepted by Keras 3 ("Unrecognized keyword arguments")' : 'is not accepted by Keras 3 (TypeError)');
    // An argument Keras 3 drops fails nowhere: the finding blocks no backend.
    ctx.report(kw.node, `\`${shortName}(${arg}=...)\` ${failure}; ${remedy.advice}.`, fix, undefined, undefined, remedy.onlyOn?.blocks ?? (remedy.ignored ? [] : undefined));
  }
}

export const removedLayerArgument: RuleDefinition = {
  code: 'KM164',
  name: 'removed-layer-argument',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags layer and callback constructor arguments Keras 3 dropped, such as `Embedding(input_length=...)`, `BatchNormalization(fused=...)`, `batch_input_shape=`/`batch_size=`/`weights=` on layers, `TensorBoard(write_grads=...)`, a non-zero `TensorBoard(profile_batch=...)` (PyTorch only), `ReduceLROnPlateau(epsilon=...)` and the Keras 2 preprocessing-layer aliases `Discretization(bins=...)` and `CategoryEncoding(max_tokens=...)`.',
    why:
      'Keras 3 layers reject unknown keyword arguments with "Unrecognized keyword arguments passed to BatchNormalization" and callbacks raise TypeError, on every backend. Two spellings run but do nothing, so their findings block no backend: `Embedding` drops `input_length=` with a deprecation warning, and `ReduceLROnPlateau` silently drops the Keras 2 `epsilon=` spelling of `min_delta=` (checked on Keras 3.15). Not covered by the migration guide. Keras 3 profiles on TensorFlow and JAX only and raises for a non-zero `profile_batch` on PyTorch: the safe fix passes 0 there (`profile_batch=2 if keras.backend.backend() != "torch" else 0`). Renaming `epsilon=` and dropping the TensorBoard arguments TensorFlow 2 already ignored are safe; removing a layer argument is a suggestion (it usually only fed shape inference, but check the model summary). `batch_input_shape=` on the first layer of a `Sequential` list becomes a `keras.Input(batch_shape=...)` in front of it, the input layer Keras 2 built from it (safe).',
    example: 'import keras\nembed = keras.layers.Embedding(10000, 64, input_length=100)',
    useInstead: 'import keras\nembed = keras.layers.Embedding(10000, 64)'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
