import { child, identifiersIn, rootOf, SyntaxNode } from '../ast';
import { isSavedModelPath } from '../knowledge';
import { nodesUnder } from '../helpers/multi-optimizer-step';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { argumentsByName, callParts, uncompiledLoadedModel, folderCreationAfterAssignment, folderCreationEdits, looksLikeModel, kerasFileFor, laterThroughName, noneOf, PathUse, reportPathVariableRename, topLevelPathAssignments, pathFact, pathGroup, pathSegment, pathUses, pathValue, writesPath, escapeRegExp, PATH_WORDS, removeArgument, renameGroup, renameTail, stringValue, KERAS_CALLEES, pathRuleCall, nameReadAsSavedModel, readThroughCellFunction, savedModelOptionsRemovals, SAVEDMODEL_READERS } from '../rule-helpers';


/**
 * Whether the code around the save names its path again (a later `load_model(path)`, a copy of
 * the folder...). `export()` writes a SavedModel that `load_model` cannot read, so then the
 * rewrite changes what that later line gets back: it is no longer a safe fix.
 */
function pathUsedElsewhere(node: SyntaxNode, pathNode: SyntaxNode, path: string, ctx: RuleContext, readersAllowed = false): boolean {
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  const text = ctx.textOf(root);
  const bare = path.replace(/[\\/]+$/, '');
  // A SavedModel reader's argument (`tf.saved_model.load(path)`) reads what `export()` writes.
  const readerArgument = (n: SyntaxNode): boolean =>
    readersAllowed && n.parent?.type === 'argument_list' && n.parent.parent?.type === 'call' && SAVEDMODEL_READERS.test(ctx.textOf(child(n.parent.parent, 'function') ?? n));
  // The literal stands in one string: in the call itself, or in the one assignment of the name
  // passed. Other names are no use of it: a variable named like the file
  // (`vision_encoder.save(".../vision_encoder")`), the `name=` a layer or model is given.
  const isName = (n: SyntaxNode): boolean => n.parent?.type === 'keyword_argument' && ctx.textOf(child(n.parent, 'name') ?? n) === 'name';
  // A string inside an f-string's interpolation is part of that string's text (counted once).
  const inString = (n: SyntaxNode): boolean => {
    for (let p = n.parent; p; p = p.parent) {
      if (p.type === 'string') {
        return true;
      }
    }
    return false;
  };
  if (bare && nodesUnder(root, n => n.type === 'string' && ctx.textOf(n).includes(bare) && !isName(n) && !readerArgument(n) && !inString(n)).length > 1) {
    return true;
  }
  if (pathNode.type === 'identifier') {
    const name = new RegExp(`\\b${ctx.textOf(pathNode)}\\b`, 'g');
    let uses = 0;
    while (name.exec(text) && uses <= 2) {
      uses++;
    }
    const readers = readersAllowed ? identifiersIn(root).filter(id => ctx.textOf(id) === ctx.textOf(pathNode) && readerArgument(id)).length : 0;
    // The assignment and this call.
    return uses - readers > 2;
  }
  return false;
}

/** Whether a SavedModel reader (`tf.saved_model.load(PATH)`) reads the path right after this save, before the path's next save. */
function readAsSavedModelBeforeNextSave(save: SyntaxNode, pathNode: SyntaxNode, sameKey: readonly PathUse[], ctx: RuleContext): boolean {
  const next = sameKey.filter(u => writesPath(u) && u.call.start > save.start).reduce((a, u) => Math.min(a, u.call.start), ctx.text.length);
  const between = ctx.text.slice(save.end, next);
  const reader = new RegExp(`${SAVEDMODEL_READERS.source}\\s*\\(\\s*(?:export_dir\\s*=\\s*)?${escapeRegExp(ctx.textOf(pathNode))}\\s*[,)]`);
  return reader.test(between);
}

/** Noted where the program compiles a model (`x.compile(...)`): what makes a legacy `.h5` round trip fail. */
const COMPILES = 'compiles-a-model';
/** Both failures of a legacy `.h5` round trip need a compiled model: an uncompiled model's runs on every backend (checked by running). */
/**
 * Noted where a model is compiled with a loss Keras 3 cannot read back from a legacy `.h5` file:
 * the short aliases ("Could not deserialize 'keras.metrics.mse'"; checked on Keras 3.15: mse,
 * mae, mape, msle and kld fail at load_model, other loss names load).
 */
const UNLOADABLE_LOSS = 'compiles-a-model-with-unloadable-h5-loss';
const UNLOADABLE_LOSS_TEXT = /["'](mse|mae|mape|msle|kld)["']/;
/**
 * Noted where a model `load_model` returned in the cell is trained (`fit`, `train_on_batch`)
 * without a `compile()` of it in between: Keras 3 rebuilds a legacy `.h5` model's optimizer in
 * part ("Unknown variable ..." / "Argument `optimizer_variables` must be a list of tensors ..."
 * on every backend; a recompiled model trains).
 */
const TRAINS_LOADED = 'trains-a-loaded-model-without-compile';
/**
 * Noted where the program applies a Keras operation to KerasTensors outside any layer: an operator
 * (`x + inputs`, `x * 2.0`) or a `keras.ops` call in a functional model's construction. Keras 3
 * writes such a node into a legacy `.h5` config, but `load_model` cannot call it again ("too many
 * positional arguments", "Only input tensors may be passed as positional arguments"; keras.io
 * timeseries Transformer's residual `x + res`), on every backend and compiled or not (checked by
 * running); the `.keras` format loads it.
 */
const SYMBOLIC_OP = 'applies-keras-ops-to-keras-tensors';
/** A legacy `.h5` round trip fails when the compiled model's loss does not load, when the loaded model trains without recompiling, or when the model holds an operation on KerasTensors. */
function failsWhere(compiled: string[]): string {
  return [...compiled.flatMap(c => [`${c} & anywhere:${UNLOADABLE_LOSS}`, `${c} & anywhere:${TRAINS_LOADED}`]), `anywhere:${SYMBOLIC_OP}`].join(' | ');
}

/**
 * Noted where a cell reads a SavedModel with TensorFlow's own tools (`tf.saved_model.load`,
 * `keras.layers.TFSMLayer`, the TFLite converter's `from_saved_model`, `saved_model_cli`): there a
 * SavedModel folder written by `model.save(dir)` must stay one, written by `export()`.
 */
const READS_SAVEDMODEL = 'reads-a-savedmodel';

const DERIVED = new CellMemoKey<Map<SyntaxNode, Set<string>>>('names a notebook function derives from its parameters');

/**
 * The names a notebook function derives from its parameters: the parameters, and names assigned a
 * layer call, an operator or a name on them (`x = layers.Dense(8)(inputs)`, `res = x + inputs`).
 * Attributes and subscripts (`inputs.shape[-1]`) are Python values and are not followed.
 */
function derivedNames(fn: SyntaxNode, ctx: RuleContext): Set<string> {
  const memo = ctx.cellMemo(DERIVED, () => new Map());
  let names = memo.get(fn);
  if (names) {
    return names;
  }
  // Seeded with the parameters a layer is applied to (`Dense(8)(inputs)`): tensors. A `name` or
  // `units` parameter used in `name + "_conv"` or `units * 2` is a Python value.
  const params = new Set((child(fn, 'parameters')?.children ?? []).filter(p => p.type === 'identifier' || p.type === 'default_parameter').map(p => ctx.textOf(p.type === 'identifier' ? p : child(p, 'name') ?? p)));
  names = new Set<string>();
  const assignments: SyntaxNode[] = [];
  const stack = [child(fn, 'body')!];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'assignment') {
      assignments.push(n);
    }
    if (n.type === 'call' && isLayerApplication(n, ctx)) {
      for (const arg of child(n, 'arguments')?.children ?? []) {
        if (arg.type === 'identifier' && params.has(ctx.textOf(arg))) {
          names.add(ctx.textOf(arg));
        }
      }
    }
    stack.push(...n.children);
  }
  assignments.sort((a, b) => a.start - b.start);
  for (const a of assignments) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left?.type === 'identifier' && right && carriesDerived(right, names, ctx)) {
      names.add(ctx.textOf(left));
    }
  }
  memo.set(fn, names);
  return names;
}

/** A derived name, a layer call on one (`Layer(...)(x)`), or an operator with one as an operand. */
function carriesDerived(node: SyntaxNode, names: Set<string>, ctx: RuleContext): boolean {
  if (node.type === 'identifier') {
    return names.has(ctx.textOf(node));
  }
  if (node.type === 'parenthesized_expression') {
    return node.children.some(c => carriesDerived(c, names, ctx));
  }
  if (node.type === 'binary_operator') {
    return node.children.some(c => carriesDerived(c, names, ctx));
  }
  if (node.type === 'call') {
    const args = child(node, 'arguments');
    return isLayerApplication(node, ctx) && !!args && args.children.some(c => carriesDerived(c, names, ctx));
  }
  return false;
}

/** `Dense(8)(x)`: a call of a Keras layer made in place. */
function isLayerApplication(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = child(call, 'function');
  const maker = fn && fn.type === 'call' ? child(fn, 'function') : null;
  return !!maker && ctx.kerasKindOfClass(maker) !== null;
}

/** Notes SYMBOLIC_OP at an operator on a KerasTensor (in a notebook function: on what its parameters give, where it gets KerasTensors). */
function visitOperator(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.fn && !ctx.notebookFunction()) {
    return; // a method's operators run on tensors, not in a functional construction
  }
  if (ctx.noted(SYMBOLIC_OP)) {
    return;
  }
  // The tree keeps a binary operator's two operands as its children (the operator is its text).
  const operands = node.children.filter(c => c.type !== 'comment');
  if (operands.some(c => ctx.isSymbolic(c))) {
    ctx.note(SYMBOLIC_OP);
    return;
  }
  // In a notebook function, on what its parameters give: a functional-model node where some call
  // passes it KerasTensors (`transformer_encoder(x, ...)`; the notebook's `functional:` join).
  const fn = ctx.notebookFunction();
  if (fn && operands.some(c => carriesDerived(c, derivedNames(fn.node, ctx), ctx))) {
    ctx.note(`if:functional:${fn.name}=>${SYMBOLIC_OP}`);
  }
}

const WHERE_FAILS = failsWhere(['anywhere:' + COMPILES]);
const WHERE_COMPILED = { tensorflow: WHERE_FAILS, jax: WHERE_FAILS, torch: WHERE_FAILS };

/** The receiver name of `NAME.method(...)`, or null. */
function receiverOf(call: SyntaxNode, method: string, ctx: RuleContext): string | null {
  const fn = child(call, 'function');
  const object = fn?.type === 'attribute' ? child(fn, 'object') : null;
  return object?.type === 'identifier' && ctx.textOf(child(fn!, 'attribute') ?? fn!) === method ? ctx.textOf(object) : null;
}

/**
 * The claim read from the cell itself, where it shows which model is saved and how it was last
 * compiled before: `model.save(path)`, or the model whose `fit(callbacks=[...])` is given the
 * checkpoint, and that name's last `compile()` before it (the name not bound again in between).
 * A loss Keras 3 cannot read back from `.h5` fails on every backend; another fails only where the
 * loaded model trains again or holds an operation on KerasTensors. Null where the cell does not
 * show it (a compile of another model, earlier or of the same name, no longer counts: og48a repro_3,
 * og47d repro_8).
 */
function compiledInCell(members: PathUse[], ctx: RuleContext): Partial<typeof WHERE_COMPILED> | null {
  const writers = members.filter(m => m.kind === 'save-model' || m.kind === 'checkpoint-model');
  if (writers.length !== 1) {
    return null;
  }
  const writer = writers[0];
  const calls = nodesUnder(rootOf(writer.call), n => n.type === 'call');
  let saved: string | null = null;
  let at = writer.call;
  if (writer.kind === 'save-model') {
    saved = receiverOf(writer.call, 'save', ctx);
  } else {
    // `checkpoint_cb = ModelCheckpoint(...)` then `model.fit(..., callbacks=[checkpoint_cb])`, or inline.
    const assigned = writer.call.parent?.type === 'assignment' ? child(writer.call.parent, 'left') : null;
    const fits = calls.filter(c => {
      const callbacks = receiverOf(c, 'fit', ctx) ? callParts(c, ctx)?.keywords.get('callbacks')?.value : null;
      if (!callbacks) {
        return false;
      }
      return (callbacks.start <= writer.call.start && writer.call.end <= callbacks.end) ||
        (assigned?.type === 'identifier' && new RegExp(`\\b${escapeRegExp(ctx.textOf(assigned))}\\b`).test(ctx.textOf(callbacks)));
    });
    if (fits.length !== 1) {
      return null;
    }
    at = fits[0];
    saved = receiverOf(fits[0], 'fit', ctx);
  }
  if (!saved) {
    return null;
  }
  const compiles = calls.filter(c => c.start < at.start && receiverOf(c, 'compile', ctx) === saved);
  const compile = compiles[compiles.length - 1];
  const bindings = [...ctx.text.slice(0, at.start).matchAll(new RegExp(`^[ \\t]*${escapeRegExp(saved)}[ \\t]*=(?!=)`, 'gm'))];
  const bound = bindings.length ? bindings[bindings.length - 1].index! : -1;
  if (!compile || bound > compile.start) {
    // Made in the cell and saved without a compile of it in between (og47d repro_8: an uncompiled feature
    // extractor): only an operation on KerasTensors fails to load back.
    return bound >= 0 ? { tensorflow: `anywhere:${SYMBOLIC_OP}`, jax: `anywhere:${SYMBOLIC_OP}`, torch: `anywhere:${SYMBOLIC_OP}` } : null;
  }
  const loss = callParts(compile, ctx)?.keywords.get('loss')?.value ?? callParts(compile, ctx)?.positional[1];
  if (loss && UNLOADABLE_LOSS_TEXT.test(ctx.textOf(loss))) {
    return {};
  }
  const condition = `anywhere:${TRAINS_LOADED} | anywhere:${SYMBOLIC_OP}`;
  return { tensorflow: condition, jax: condition, torch: condition };
}

/**
 * Where the saved model itself may be compiled. A sub-model reached through an attribute
 * (`vae.decoder.save(...)`, `self.generator.save(...)`) is compiled only by a `compile` on that
 * attribute name (`decoder.compile(...)`): compiling the outer model compiles no sub-model (a
 * beta-VAE compiled as `vae` and saving `vae.decoder` to `.h5` loads back and trains on every
 * backend, checked by running). A plain name may alias the compiled model, so any compile counts.
 */
function whereSavedModelCompiled(members: PathUse[], ctx: RuleContext): Partial<typeof WHERE_COMPILED> {
  const known = compiledInCell(members, ctx);
  if (known) {
    return known;
  }
  const names: string[] = [];
  for (const member of members) {
    if (member.kind === 'checkpoint-model') {
      return WHERE_COMPILED; // the checkpointed model is the one being fitted
    }
    if (member.kind !== 'save-model') {
      continue;
    }
    const parts = callParts(member.call, ctx);
    if (!parts) {
      return WHERE_COMPILED;
    }
    const kerasName = ctx.resolveKeras(parts.fn);
    const saved =
      kerasName === 'keras.models.save_model' || kerasName === 'keras.saving.save_model'
        ? parts.positional[0] ?? parts.keywords.get('model')?.value
        : parts.fn.type === 'attribute'
          ? child(parts.fn, 'object')
          : null;
    const attribute = saved && saved.type === 'attribute' ? child(saved, 'attribute') : null;
    if (!attribute) {
      return WHERE_COMPILED;
    }
    names.push(ctx.textOf(attribute));
  }
  if (names.length === 0) {
    return WHERE_COMPILED;
  }
  const condition = failsWhere([...new Set(names)].map(n => `anywhere:${COMPILES}:${n}`));
  return { tensorflow: condition, jax: condition, torch: condition };
}

const H5_PARTLY =
  'Keras 3 loads legacy `.h5` models only in part (a model compiled with `loss="mse"` fails with "Could not deserialize \'keras.metrics.mse\'", fit() on a loaded compiled model fails with "Unknown variable ... This optimizer can only be called for the variables it was originally built with", and a functional model with an operation on KerasTensors, `x + inputs`, fails with "too many positional arguments"; other uncompiled models load back)';

/**
 * `model.save("m.h5")` loaded back with `load_model` in the same cell: Keras 3 reads legacy HDF5
 * models only in part (a model compiled with `loss="mse"` fails with "Could not deserialize
 * 'keras.metrics.mse'", and a compiled model loaded back fails when trained again: "Unknown
 * variable ... This optimizer can only be called for the variables it was originally built
 * with", both checked by running Keras 3.15 on every backend). Both sides can move to the `.keras`
 * format; a suggestion, as the round trip often works.
 */
function legacyH5RoundTrip(node: SyntaxNode, use: PathUse, ctx: RuleContext): void {
  // A full-model ModelCheckpoint saves the same way (keras.io timeseries classification's "best_model.h5").
  const group = pathGroup(use, ['save-model', 'checkpoint-model', 'load-model'], ctx);
  if (!group.members.some(m => m.kind === 'load-model')) {
    // Loaded back in a later cell: the same failure; each cell sees one side, so no rename here.
    ctx.report(
      node,
      `${H5_PARTLY}; a later cell loads \`${use.path.tailValue}\` back with \`load_model()\`: save and load the \`.keras\` format (both sides).`,
      null,
      undefined,
      'later:' + pathFact('load-model', use.path.key),
      undefined,
      WHERE_COMPILED
    );
    return;
  }
  const toKeras = (v: string): string => v.replace(/\.(h5|hdf5)$/i, '.keras');
  const renames = renameGroup(group.members, toKeras, ctx);
  // `load_model(path, compile=False)` everywhere: neither failure (no compile config read, no
  // optimizer loaded), checked by running a model compiled with loss="mse" on every backend.
  const uncompiledLoads = group.members
    .filter(m => m.kind === 'load-model')
    .every(m => {
      const parts = callParts(m.call, ctx);
      const value = parts ? argumentsByName(parts, ['filepath', 'custom_objects', 'compile']).get('compile') : undefined;
      return !!value && ctx.textOf(value) === 'False';
    });
  // Keras 2 and 3 create a legacy `.h5` model's folder; Keras 3 writes `.keras` only into an existing one.
  const edits = renames && withOneImport([...renames, ...group.members.filter(m => m.kind === 'save-model').flatMap(m => folderCreationEdits(m, toKeras(m.path.tailValue!), ctx))]);
  ctx.report(
    node,
    `${H5_PARTLY}; this program loads \`${use.path.tailValue}\` back with \`load_model()\`: save and load the \`.keras\` format.`,
    edits ? { title: 'Save and load a `.keras` file', safe: false, edits } : null,
    undefined,
    undefined,
    undefined,
    // Loaded uncompiled, only an operation on KerasTensors in the model still fails to load.
    uncompiledLoads ? { tensorflow: `anywhere:${SYMBOLIC_OP}`, jax: `anywhere:${SYMBOLIC_OP}`, torch: `anywhere:${SYMBOLIC_OP}` } : whereSavedModelCompiled(group.members, ctx)
  );
}


function visit(node: SyntaxNode, ctx: RuleContext): void {
  const call = pathRuleCall(node, ctx);
  if (!call) {
    return;
  }
  const { parts, method } = call;
  if ((method === 'fit' || method === 'train_on_batch') && parts.fn.type === 'attribute') {
    if (uncompiledLoadedModel(node, ctx)) {
      ctx.note(TRAINS_LOADED);
    }
    return;
  }
  if (!ctx.noted(SYMBOLIC_OP) && /^keras\.ops\./.test(ctx.resolveKeras(parts.fn) ?? '') && (!ctx.fn || ctx.notebookFunction())) {
    if (parts.positional.some(a => ctx.isSymbolic(a))) {
      ctx.note(SYMBOLIC_OP);
    }
  }
  if (method === 'compile' && parts.fn.type === 'attribute') {
    ctx.note(COMPILES);
    const loss = parts.keywords.get('loss')?.value ?? parts.positional[1];
    if (loss && UNLOADABLE_LOSS_TEXT.test(ctx.textOf(loss))) {
      ctx.note(UNLOADABLE_LOSS);
    }
    const receiver = child(parts.fn, 'object');
    const name = receiver && (receiver.type === 'attribute' ? child(receiver, 'attribute') : receiver.type === 'identifier' ? receiver : null);
    if (name) {
      ctx.note(`${COMPILES}:${ctx.textOf(name)}`);
    }
    return;
  }
  const kerasName = ctx.resolveKeras(parts.fn);
  if (kerasName === 'keras.callbacks.ModelCheckpoint' && !parts.splat) {
    const use = pathUses(node, ctx).find(u => u.call === node && u.kind === 'checkpoint-model');
    if (use && /\.(h5|hdf5)$/i.test(use.path.tailValue ?? '')) {
      legacyH5RoundTrip(node, use, ctx);
    }
    return;
  }
  const isSaveModelFn = kerasName === 'keras.models.save_model' || kerasName === 'keras.saving.save_model';
  if (!isSaveModelFn && !(method === 'save' && parts.fn.type === 'attribute')) {
    return;
  }
  if (!isSaveModelFn && ctx.resolve(parts.fn)) {
    return; // np.save, torch.save, ...: module functions, not a model method
  }
  if (!isSaveModelFn && !looksLikeModel(child(parts.fn, 'object'), ctx)) {
    return; // tf.train.Checkpoint.save, PIL images, DataFrames...: not Model.save
  }
  const pathNode = isSaveModelFn ? parts.positional[1] ?? parts.keywords.get('filepath')?.value : parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  const format = parts.keywords.get('save_format');
  const formatValue = stringValue(format?.value, ctx);
  const use = pathUses(node, ctx).find(u => u.call === node);
  // A path built with os.path.join and friends: its last literal names the file.
  const path = pathValue(pathNode, ctx) ?? use?.path.tailValue ?? null;
  const tfFormat = formatValue !== null && /^(tf|savedmodel)$/i.test(formatValue);
  if (!tfFormat && path !== null && /\.(h5|hdf5)$/i.test(path) && use && !parts.splat) {
    legacyH5RoundTrip(node, use, ctx);
    return;
  }
  if (!tfFormat && (path === null || !isSavedModelPath(path))) {
    return;
  }
  if (!isSaveModelFn && parts.positional.length > 1) {
    return; // `obj.save(a, b)`: not Model.save's signature
  }
  // `save_format="h5"` (or "keras") with a bare name wrote that format in Keras 2: the SavedModel
  // rewrite would change the format, so the suggestion is the same name with the extension.
  const fileFormat = formatValue !== null && /^(h5|keras)$/i.test(formatValue) ? formatValue.toLowerCase() : null;
  const fileFormatGiven = fileFormat !== null;
  const modelArg = parts.positional[0];
  // Loaded again below with load_model(): export() would write what load_model cannot read, so
  // both sides move to one `.keras` file (each side's finding makes the same rename).
  // The loads of what this save writes (up to the next save of the path); a save nothing reads
  // before the next one pairs with the path's loads, unless a SavedModel reader reads it first.
  const sameKey = use ? pathUses(node, ctx).filter(u => u.path.key === use.path.key) : [];
  const segment = use ? pathSegment(use, sameKey) : [];
  const reloaded =
    use &&
    !fileFormatGiven &&
    (segment.some(u => u.kind === 'load-model') ||
      (segment.every(writesPath) && sameKey.some(u => u.kind === 'load-model') && !(pathNode && readAsSavedModelBeforeNextSave(node, pathNode, sameKey, ctx))));
  const renamed = use?.path.tailValue ? kerasFileFor(use.path.tailValue, ctx) : null;
  const pairEdit = reloaded && renamed ? renameTail(use!.path, renamed, ctx) : null;
  // The name holding the path is also read as a SavedModel (`tf.saved_model.load(keras_model_path)` after a
  // later `model.save(keras_model_path)`: TensorFlow's distributed save-and-load tutorial): renaming it to a
  // `.keras` file would break that reader, so this round trip needs a path of its own.
  const via = use?.path.via;
  if (pairEdit && pathNode && readThroughCellFunction(pathNode, ctx)) {
    ctx.report(node, `${reloadedMessage(path, tfFormat, renamed!, 'below')} No automatic fix: the path is also given to a function of the cell that reads it as a SavedModel (\`tf.saved_model.load\`), which a \`.keras\` file is not; give this round trip a path of its own.`, null);
    return;
  }
  if (pairEdit && nameReadAsSavedModel(via, ctx)) {
    ctx.report(node, `${reloadedMessage(path, tfFormat, renamed!, 'below')} No automatic fix: \`${via}\` is also read as a SavedModel (\`tf.saved_model.load\`), which a \`.keras\` file is not; give this round trip a path of its own.`, null);
    return;
  }
  if (pairEdit) {
    const group = pathGroup(use!, ['save-model', 'load-model'], ctx);
    const both = group.complete ? renameGroup(group.members, v => kerasFileFor(v, ctx), ctx) : null;
    // Keras 2 created the SavedModel's folders; the `.keras` file needs them to exist.
    const members = both ? group.members : [use!];
    // `save_format=` goes with the SavedModel-only arguments of its call (neighbours removed as one span).
    const formatInMember = !!format && members.some(m => m.call.start <= format.node.start && format.node.end <= m.call.end);
    const edits = [...(both ?? [pairEdit]), ...savedModelOptionsRemovals(members, ctx, format ? [format.node] : []), ...folderCreationEdits(use!, renamed!, ctx)];
    const fix = {
      title: `Save to \`${renamed}\` (and load that file)`,
      safe: both !== null && !parts.splat,
      edits: format && !formatInMember ? [...edits, removeArgument(format.node, ctx)] : edits
    };
    ctx.report(node, reloadedMessage(path, tfFormat, renamed!, 'below'), fix);
    return;
  }
  // Loaded in a later cell: the same rename, this side here and the load's side in its cell.
  const acrossName = use && !fileFormatGiven && use.path.tailValue ? kerasFileFor(use.path.tailValue, ctx, true) : null;
  const acrossEdit = acrossName ? renameTail(use!.path, acrossName, ctx) : null;
  let condition: string | undefined;
  if (acrossEdit) {
    // A path held in a name (assigned here) may be loaded in later cells through that name too.
    const loadedLater = 'later:' + pathFact('load-model', use!.path.key) + (use!.path.via ? ' | later:' + pathFact('load-model', 'v:' + use!.path.via) : '');
    const edits = [acrossEdit, ...(format ? [removeArgument(format.node, ctx)] : []), ...folderCreationEdits(use!, acrossName!, ctx)];
    // Safe when nothing else in this cell names the file: the save raised on Keras 3 before.
    const safe = pathGroup(use!, ['save-model'], ctx).complete && !parts.splat;
    ctx.report(node, reloadedMessage(path, tfFormat, acrossName!, 'in a later cell'), { title: `Save to \`${acrossName}\` (and load that file)`, safe, edits }, undefined, loadedLater);
    condition = noneOf(loadedLater);
  }
  // Nothing reads the folder as a SavedModel (no TensorFlow loader, TFSMLayer, TFLite converter or
  // saved_model_cli in any cell, and nothing else in this cell names the path): a `.keras` file
  // runs on every backend, while `export()` raises on PyTorch (KM211).
  const kerasFile = use?.path.tailValue && !fileFormatGiven ? kerasFileFor(use.path.tailValue, ctx) : null;
  const kerasEdit = kerasFile && pathNode && !parts.splat && (!isSaveModelFn || (modelArg && parts.positional.length === 2)) ? renameTail(use!.path, kerasFile, ctx) : null;
  const extra = [...parts.keywords.keys()].filter(k => k !== 'save_format' && k !== 'filepath');
  const usedElsewhere = pathNode ? pathUsedElsewhere(node, pathNode, path ?? '', ctx) : true;
  const message = tfFormat
    ? 'Keras 3 cannot save in the TensorFlow SavedModel format (`save_format="tf"`); use `model.export(path)` or a `.keras` file.'
    : fileFormatGiven
      ? `Keras 3 takes the format from the file extension and rejects \`save_format=\`; save the file as \`${path}.${fileFormat}\`.`
      : `Keras 3 cannot save a model to \`${path}\` (no .keras/.h5 extension); use \`model.export(path)\` for a SavedModel or \`model.save("name.keras")\`.`;
  if (kerasEdit && !usedElsewhere && extra.every(k => k === 'overwrite' || k === 'include_optimizer')) {
    const exportWhere = `anywhere:${READS_SAVEDMODEL} | earlier:${pathFact('load-model', use!.path.key)}`;
    const edits = [kerasEdit, ...(format ? [removeArgument(format.node, ctx)] : []), ...folderCreationEdits(use!, kerasFile!, ctx)];
    const keras = { title: `Save to \`${kerasFile}\``, safe: extra.length === 0, edits };
    ctx.report(
      node,
      `Keras 3 cannot save a model to \`${path}\`${tfFormat ? ' (`save_format="tf"`)' : ' (no .keras/.h5 extension)'}, and nothing in the program reads it as a SavedModel: save it to \`${kerasFile}\`, which runs on every backend (\`model.export(path)\` writes a SavedModel for serving, on the TensorFlow and JAX backends only).`,
      keras,
      undefined,
      [condition, noneOf(exportWhere)].filter(Boolean).join(' & ')
    );
    // Otherwise export() stays the fix (a load in an earlier cell read a SavedModel of a former run).
    condition = exportWhere.split(' | ').map(c => [condition, c].filter(Boolean).join(' & ')).join(' | ');
  }
  let fix = null;
  if (fileFormatGiven && pathNode && pathNode.type === 'string' && path !== null && format) {
    fix = {
      title: `Save to a \`.${fileFormat}\` file`,
      safe: false,
      edits: [{ start: pathNode.start, end: pathNode.end, text: JSON.stringify(path.replace(/[\\/]+$/, '') + '.' + fileFormat) }, removeArgument(format.node, ctx)]
    };
  } else if (isSaveModelFn && pathNode && modelArg && !parts.splat && (modelArg.type === 'identifier' || modelArg.type === 'attribute')) {
    // `keras.models.save_model(model, path)` -> `model.export(path)`: the same call as Model.save's fix.
    fix = {
      title: 'Use `model.export(path)` (SavedModel for serving)',
      safe: extra.length === 0 && parts.positional.length === 2 && !usedElsewhere,
      edits: [{ start: node.start, end: node.end, text: `${ctx.textOf(modelArg)}.export(${ctx.textOf(pathNode)})` }]
    };
  } else if (!isSaveModelFn && pathNode && !parts.splat) {
    const edits: OffsetEdit[] = [{ start: (parts.fn.children[1] ?? parts.fn).start, end: parts.fn.end, text: 'export' }];
    if (format) {
      edits.push(removeArgument(format.node, ctx));
    }
    // Safe when nothing but TensorFlow's SavedModel readers names the path: they read what export() writes.
    const safe = extra.length === 0 && !!pathNode && !pathUsedElsewhere(node, pathNode, path ?? '', ctx, true);
    fix = { title: 'Use `model.export(path)` (SavedModel for serving)', safe, edits };
  }
  ctx.report(node, message, fix, undefined, condition);
}

/**
 * A path assigned to a name at the top of the cell, through which later cells save a whole model
 * (`model.save(MODEL_DIR)`, a full-model `ModelCheckpoint`) and load it back: those cells cannot
 * see the value, so the rename is made here. A SavedModel folder becomes a `.keras` file; a
 * legacy `.h5` file saved and loaded back becomes `.keras` too.
 */
function visitPathVariables(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent) {
    return;
  }
  if (SAVEDMODEL_READERS.test(ctx.text)) {
    ctx.note(READS_SAVEDMODEL);
  }
  const note = 'every later use of the name reads the new file name, which the notebook may use otherwise too';
  for (const [name, path] of topLevelPathAssignments(node, ctx)) {
    const value = path.tailValue!;
    const saves = laterThroughName('save-model', name);
    const checkpoints = `${laterThroughName('checkpoint-model', name)} & !${saves}`;
    if (/\.(h5|hdf5)$/i.test(value) && !/\.weights\.h5$/i.test(value)) {
      const keras = value.replace(/\.(h5|hdf5)$/i, '.keras');
      const loads = laterThroughName('load-model', name);
      const message = `\`${name}\` (\`${value}\`) is where later cells save a whole model and load it back with \`load_model()\`: ${H5_PARTLY}; name the file \`${keras}\`, which both sides read through \`${name}\` (${note}).`;
      // Keras 2 and 3 create a legacy `.h5` model's folder at the save; Keras 3 writes `.keras` only into an existing one.
      const folder = folderCreationAfterAssignment(name, path, keras, ctx);
      reportPathVariableRename(path, keras, message, `${saves} & ${loads}`, ctx, folder, WHERE_COMPILED);
      reportPathVariableRename(path, keras, message, `${checkpoints} & ${loads}`, ctx, folder, WHERE_COMPILED);
    } else if (!/\.keras$/i.test(value) && isSavedModelPath(value)) {
      const keras = kerasFileFor(value, ctx, true);
      const message = `\`${name}\` (\`${value}\`) is where a later cell saves the model (\`model.save()\` or a \`ModelCheckpoint\`): Keras 3 saves whole models only to \`.keras\` files (a SavedModel folder raises "Invalid filepath extension for saving"); name it \`${keras}\`, which a \`load_model(${name})\` then reads too (\`model.export()\` writes a SavedModel that \`load_model\` cannot read; ${note}).`;
      // Keras 2 created the SavedModel's folders at the save (ModelCheckpoint creates them itself).
      reportPathVariableRename(path, keras, message, saves, ctx, folderCreationAfterAssignment(name, path, keras, ctx));
      reportPathVariableRename(path, keras, message, checkpoints, ctx);
    }
  }
}

/** Edits with each module's `import` edit once (several saves may each bring one). */
function withOneImport(edits: OffsetEdit[]): OffsetEdit[] {
  const modules = new Set<string>();
  return edits.filter(e => !e.addsImport || (!modules.has(e.addsImport) && modules.add(e.addsImport)));
}

/** The message when the saved model is loaded again with `load_model()` (`where`: below, in a later cell). */
function reloadedMessage(path: string | null, tfFormat: boolean, renamed: string, where: string): string {
  return `Keras 3 cannot save a model as a SavedModel (\`${path}\`${tfFormat ? ', `save_format="tf"`' : ''}), and this program loads it back with \`load_model()\` ${where}: save it to \`${renamed}\` and load that file (\`model.export()\` writes a SavedModel that \`load_model\` cannot read).`;
}

export const saveToSavedmodelPath: RuleDefinition = {
  code: 'KM031',
  name: 'save-to-savedmodel-path',
  slug: 'savedmodel-save',
  severity: 'error',
  fixAvailability: 'sometimes',
  // saved_model_cli: a shell line (`!saved_model_cli show --dir DIR`) reading the folder as a SavedModel.
  triggers: ['save', 'saved_model_cli'],
  docs: {
    whatItDoes:
      'Flags `model.save(path)` and `keras.models.save_model(model, path)` where the literal path has no `.keras`/`.h5` extension, or where `save_format="tf"` is passed. The rename of a save-and-load pair to a `.keras` file drops the SavedModel-only `options=` (`tf.saved_model.SaveOptions`), `signatures=` and `save_traces=` (Keras 3: "The following argument(s) are not supported: [\'signatures\']") and is not offered where the name holding the path is also read by `tf.saved_model.load` (TensorFlow\'s distributed save-and-load tutorial).',
    why:
      'Keras 3 writes only the `.keras` format (and legacy `.h5`) from `save()`; a directory path raises "Invalid filepath extension for saving". A SavedModel for serving is written by `model.export()` (guide section "Saving a model in the TF SavedModel format"), which raises on the PyTorch backend (KM211). Where nothing reads the folder as a SavedModel (no `tf.saved_model.load`, `keras.layers.TFSMLayer`, TFLite `from_saved_model` or `saved_model_cli` in any cell, no `load_model` of it in an earlier cell, and no other string of the cell naming the path), the fix saves a `.keras` file instead (the folders of a relative literal path become part of its name), which runs on every backend; it is safe when the save has no other arguments. Where something does read it, the fix is `export()`, safe only when the code names the path nowhere else: `load_model` cannot read what `export()` writes, so when the cell loads the same path with `load_model()`, the fix renames both sides to one `.keras` file instead (safe when nothing else names the path). When a later notebook cell loads the path, this save moves to the `.keras` file and that load\'s own finding makes the same rename in its cell (folders become part of the file name, as the cells cannot see each other\'s `makedirs`). A path assigned to a name at the top of a cell (`MODEL_DIR = os.path.join(BASE, "model")`) through which later cells save the model (and load it back) is renamed at the value, once, so that both sides read one `.keras` file; likewise a legacy `.h5` name that later cells save and load back with `load_model` (Keras 3 reads such files only in part; a legacy `.h5` round trip, in one cell, through a path name or with the load in a later cell, claims a backend only where the program compiles a model, as an uncompiled model\'s round trip runs on every backend; a sub-model saved through an attribute, `vae.decoder.save(...)`, only where a model of that name is compiled, as compiling the outer model compiles no sub-model; and of a compiled model only where its loss is a short alias Keras 3 cannot read back, `"mse"`, `"mae"`, `"mape"`, `"msle"` or `"kld"` ("Could not deserialize \'keras.metrics.mse\'"), or where the loaded model is trained without being compiled again (its optimizer comes back only in part), as other compiled models load back, predict, evaluate and, recompiled, train on every backend; and, compiled or not, where the program applies an operation to KerasTensors outside a layer, `x + inputs` or a `keras.ops` call in a functional model\'s construction or in a block function that gets KerasTensors, which Keras 3 writes into the `.h5` config but cannot call again at load: "too many positional arguments" on every backend). Those renames are suggestions: the cells cannot see what else reads the name. Keras 2 created a SavedModel\'s folders (Keras 2 and 3 those of a legacy `.h5` model), while Keras 3 writes a `.keras` file only into a folder that exists: where the renamed path keeps folders (an `os.path.join(...)`, an f-string, a name, an absolute literal) and the program creates none itself, the fix puts `os.makedirs(os.path.dirname(path) or ".", exist_ok=True)` before the save (after the assignment, for a path variable), with `import os` where the program has none.',
    example: 'model.save("exported/my_model")',
    useInstead: 'model.save("exported_my_model.keras")  # model.export("exported/my_model") where a SavedModel is read'
  },
  calls: { resolved: KERAS_CALLEES, names: ['save', 'compile', 'fit', 'train_on_batch'] },
  // Every finding is on a save (`save`, `save_model`, `ModelCheckpoint`) or holds only where a
  // cell saves through a name (a path fact); path facts need a path use (PATH_WORDS), and the
  // compile and training facts are read by this rule's own findings only.
  requires: [...PATH_WORDS, 'saved_model', 'TFSMLayer', 'from_saved_model', 'saved_model_cli'],
  visitors: { call: visit, binary_operator: visitOperator, 'module:exit': visitPathVariables }
};
