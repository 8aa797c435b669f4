import { child } from '../ast';
import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, removeArgument } from '../rule-helpers';

/** Keras 2 keywords of `save_weights` / `load_weights` that Keras 3 rejects, and how it rejects them. */
const LEGACY: Record<string, Record<string, string>> = {
  save_weights: {
    save_format: 'Keras 3 takes the format from the file name (`.weights.h5`) and `save_weights()` has no `save_format=` (TypeError)',
    options: '`options=` (a `tf.train.CheckpointOptions`) is not a Keras 3 `save_weights()` argument (TypeError)'
  },
  load_weights: {
    options: '`options=` is not a Keras 3 `load_weights()` argument ("Invalid keyword arguments")',
    by_name: '`by_name=` is only read for legacy `.h5`/`.hdf5` files in Keras 3; with a `.weights.h5` or `.keras` file any value of it raises ValueError'
  }
};

/** A string literal naming a legacy HDF5 file (`w.h5`, not `w.weights.h5`). */
function legacyH5(path: SyntaxNode | undefined, ctx: RuleContext): boolean {
  const text = path?.type === 'string' ? ctx.textOf(path).replace(/^[rbfu]*["']+|["']+$/gi, '') : '';
  return /\.(h5|hdf5)$/.test(text) && !/\.weights\.h5$/.test(text);
}

/** Fact: some code calls `save_weights` / `load_weights` (other than an override forwarding to an inner model). */
const CALLED = 'weights-method-called:';

/** Callbacks that call the model's `save_weights` / `load_weights` themselves. */
const WEIGHTS_CALLBACKS = new Set(['ModelCheckpoint', 'BackupAndRestore']);

/**
 * The override the call sits in, when it is a method of the same name (`def save_weights(self, ...)`
 * forwarding to `self.dce_model.save_weights(...)`, keras.io Zero-DCE): it fails only if something
 * calls that method, which defining it does not.
 */
function overrideOf(method: string, ctx: RuleContext): boolean {
  return !!ctx.cls && ctx.fn?.name === method && ctx.fn.classScope === ctx.cls;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const callee = parts.fn.type === 'attribute' ? child(parts.fn, 'attribute') : parts.fn;
  if (callee && WEIGHTS_CALLBACKS.has(ctx.textOf(callee))) {
    ctx.note(CALLED + 'save_weights');
    ctx.note(CALLED + 'load_weights');
    return;
  }
  if (parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const legacy = LEGACY[method];
  // Only Keras models have methods of these names (tf.train.Checkpoint has save/write/restore).
  if (!legacy) {
    return;
  }
  const inOverride = overrideOf(method, ctx);
  if (!inOverride) {
    ctx.note(CALLED + method);
  }
  // In an override, the claim holds where something calls the method (a call, or a callback that does).
  const condition = `anywhere:${CALLED}${method}`;
  const claim = inOverride ? { tensorflow: condition, jax: condition, torch: condition } : undefined;
  for (const [arg, why] of Object.entries(legacy)) {
    const kw = parts.keywords.get(arg);
    if (!kw) {
      continue;
    }
    const value = ctx.textOf(kw.value).trim();
    // `by_name=True` loads by layer name from a legacy .h5 file: dropping it changes what loads.
    const keepsMeaning = arg !== 'by_name' || value === 'False' || value === 'None';
    ctx.report(
      kw.node,
      `${why}; remove \`${arg}=\`${arg === 'by_name' && !keepsMeaning ? ' (and match the layers another way if it loaded by name)' : ''}.`,
      { title: `Remove \`${arg}=\``, safe: keepsMeaning, edits: [removeArgument(kw.node, ctx)] },
      undefined,
      undefined,
      // by_name= runs with a legacy .h5 file, written by Keras 2 (Keras 3 writes `.weights.h5`).
      arg === 'by_name' && legacyH5(parts.positional[0] ?? parts.keywords.get('filepath')?.value, ctx) ? [] : undefined,
      claim
    );
  }
}

export const weightsFileLegacyArguments: RuleDefinition = {
  code: 'KM213',
  name: 'weights-file-legacy-arguments',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError / ValueError when called (Keras 3.15, TF/JAX/PyTorch); by_name= on a literal legacy .h5 path claims nothing; in an override of the same method, only where something calls it. */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['save_weights', 'load_weights', 'ModelCheckpoint', 'BackupAndRestore'],
  docs: {
    whatItDoes:
      'Flags the Keras 2 keywords `save_format=` and `options=` of `save_weights()`, and `options=` and `by_name=` of `load_weights()`, on any receiver (only Keras models have methods of these names), also when an override forwards them to an inner model (keras.io\'s Zero-DCE): there the claim holds only where something calls that method (a call of it, or a `ModelCheckpoint`/`BackupAndRestore` callback, which call it).',
    why:
      'Keras 3\'s `Model.save_weights(filepath, overwrite=True, max_shard_size=None)` rejects `save_format=` and `options=` with TypeError; `load_weights(filepath, skip_mismatch=False)` rejects `options=` ("Invalid keyword arguments") and accepts `by_name=` only for legacy `.h5` files, raising ValueError for `.weights.h5` and `.keras` files whatever its value (checked on Keras 3.15). Keras 3 takes the format from the file name. Removing them is safe (the call raised), except `by_name=` with a value other than False/None, which is a suggestion.',
    example: 'import keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.save_weights("w.weights.h5", save_format="h5")',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.save_weights("w.weights.h5")'
  },
  calls: { names: ['save_weights', 'load_weights', 'ModelCheckpoint', 'BackupAndRestore'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['save_weights', 'load_weights', 'ModelCheckpoint', 'BackupAndRestore'],
  visitors: { call: visit }
};
