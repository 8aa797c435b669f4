import { child, SyntaxNode } from '../ast';
import { lastAssignedValue, valueBefore } from '../helpers/calls';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, escapeRegExp, folderCreationAfterAssignment, folderCreationEdits, isCheckpointPrefix, KERAS_CALLEES, laterThroughName, noneOf, PATH_WORDS, reportPathVariableRename, topLevelPathAssignments, weightsName, PathUse, PathUseKind, pathFact, pathGroup, pathUses, renameGroup, renameTail, pathRuleCall, writtenByTemplate } from '../rule-helpers';

const WEIGHT_KINDS: readonly PathUseKind[] = ['save-weights', 'load-weights', 'checkpoint-weights'];
const MODEL_KINDS: readonly PathUseKind[] = ['checkpoint-model', 'load-model'];

/**
 * The rename of one side of a save/load pair. Every use of the path in the cell gets the same
 * rename from its own finding, so the pair stays consistent. Safe when the pair is complete (a
 * saver and a loader, nothing else naming the file): the save raised on Keras 3 before, and the
 * load now reads what the save writes.
 */
function pairedRename(use: PathUse, kinds: readonly PathUseKind[], renamed: string, ctx: RuleContext): RawFix | null {
  const own = renameTail(use.path, renamed, ctx);
  if (!own) {
    return null;
  }
  const group = pathGroup(use, kinds, ctx);
  const saves = group.members.some(m => m.kind === 'save-weights' || m.kind.startsWith('checkpoint'));
  const loads = group.members.some(m => m.kind.startsWith('load'));
  const pair = group.complete && saves && loads ? renameGroup(group.members, weightsName, ctx) : null;
  // The rename of a literal the group shares (a name's assignment) renames every member's file: each
  // save among them needs its folder (a ModelCheckpoint's path and `save_weights(path.format(epoch=0))`).
  const renamedToo = group.members.filter(m => m === use || (!!m.path.tail && !!use.path.tail && m.path.tail.start === use.path.tail.start));
  return { title: `Use \`${renamed}\``, safe: pair !== null, edits: withFolders(pair ?? [own], pair ? group.members : renamedToo, ctx) };
}

/**
 * The rename's edits plus, before each `save_weights()` of a TensorFlow checkpoint prefix among
 * `uses`, the creation of the folder it writes into (Keras 2 created it; see folderCreationEdits),
 * with `import os` once where needed.
 */
function withFolders(edits: OffsetEdit[], uses: readonly PathUse[], ctx: RuleContext): OffsetEdit[] {
  const folders = uses
    .filter(u => u.kind === 'save-weights' && u.path.tailValue !== null && isCheckpointPrefix(u.path.tailValue))
    .flatMap(u => folderCreationEdits(u, weightsName(u.path.tailValue!), ctx));
  const imports = new Set<string>();
  return [...edits, ...folders.filter(f => !f.addsImport || (!imports.has(f.addsImport) && imports.add(f.addsImport)))];
}

/**
 * A weights save with the wrong name: renamed with its load when the cell holds both, and when
 * a later cell loads the same path, renamed alike there by that load's own finding (a variant
 * under that condition: safe when nothing else in this cell names the file, as the save raised
 * on Keras 3 before); otherwise a suggestion.
 */
function reportWithLaterLoad(pathNode: SyntaxNode, use: PathUse, message: string, tail: string, ctx: RuleContext): void {
  const inCell = pairedRename(use, WEIGHT_KINDS, weightsName(tail), ctx);
  const loadedHere = pathUses(use.call, ctx).some(u => u.kind === 'load-weights' && u.path.key === use.path.key);
  const edit = renameTail(use.path, weightsName(tail), ctx);
  if (loadedHere || !edit) {
    ctx.report(pathNode, message, inCell);
    return;
  }
  // A path held in a name (assigned here) may be loaded in later cells through that name too.
    const loadedLater = 'later:' + pathFact('load-weights', use.path.key) + (use.path.via ? ' | later:' + pathFact('load-weights', 'v:' + use.path.via) : '');
  const safe = pathGroup(use, WEIGHT_KINDS, ctx).complete;
  ctx.report(pathNode, `${message} A later cell loads these weights: it reads the renamed file.`, { title: `Use \`${weightsName(tail)}\``, safe, edits: withFolders([edit], [use], ctx) }, undefined, loadedLater);
  ctx.report(pathNode, message, inCell, undefined, noneOf(loadedLater));
}

/** The folder an `os.path.join(FOLDER, ...)` path expression names (its first argument), or null. */
function joinedFolder(expr: SyntaxNode | null, ctx: RuleContext): SyntaxNode | null {
  const parts = expr && expr.type === 'call' ? callParts(expr, ctx) : null;
  return parts && ctx.resolve(parts.fn) === 'os.path.join' && parts.positional.length >= 2 ? parts.positional[0] : null;
}

/** `tempfile.mkdtemp(...)` (or a name last assigned it): a folder Keras 2 wrote a SavedModel or checkpoint into. */
function isTemporaryFolder(node: SyntaxNode, at: SyntaxNode, ctx: RuleContext): boolean {
  const value = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), at, ctx) : node;
  return value?.type === 'call' && ctx.resolve(child(value, 'function') ?? value) === 'tempfile.mkdtemp';
}

/**
 * `ModelCheckpoint(filepath=log_dir)` with `log_dir = tempfile.mkdtemp()` (TensorFlow's checkpoint_saver
 * migration guide): Keras 2 saved a SavedModel into the folder; Keras 3 raises "The filepath provided must
 * end in `.keras`" (`.weights.h5` for weights only) on every backend. Suggested fix: a file in the folder.
 */
function reportTemporaryFolder(node: SyntaxNode, pathNode: SyntaxNode, weightsOnly: SyntaxNode | null, ctx: RuleContext): void {
  const flag = weightsOnly ? ctx.textOf(weightsOnly) : 'False';
  if ((flag !== 'True' && flag !== 'False') || !isTemporaryFolder(pathNode, node, ctx)) {
    return;
  }
  const file = flag === 'True' ? 'checkpoint.weights.h5' : 'checkpoint.keras';
  const os = ctx.importEdit('os');
  // The callback's `filepath` read as the folder later (`os.listdir(callback.filepath)`, the guide's
  // next line) would get the file: no fix then.
  const assignment = node.parent?.type === 'assignment' && child(node.parent, 'right') === node ? child(node.parent, 'left') : null;
  const readsFolder = assignment?.type === 'identifier' && new RegExp(`(?<![\\w.])${escapeRegExp(ctx.textOf(assignment))}\\s*\\.\\s*filepath\\b`).test(ctx.text);
  ctx.report(
    pathNode,
    `\`${ctx.textOf(pathNode)}\` is a folder (\`tempfile.mkdtemp()\`): Keras 3 ModelCheckpoint saves ${flag === 'True' ? 'weights only to a file ending in `.weights.h5`' : 'whole models only to `.keras` (or legacy `.h5`) files'} and rejects it on every backend; Keras 2 wrote a TensorFlow checkpoint into the folder. Save to a file in it (code reading the folder as a checkpoint reads that file instead).`,
    readsFolder ? null : { title: `Save to \`${file}\` in the folder`, safe: false, edits: [{ start: pathNode.start, end: pathNode.end, text: `os.path.join(${ctx.textOf(pathNode)}, "${file}")` }, ...(os ? [os] : [])] }
  );
}

/**
 * Whether the weights the cell saves (`save_weights()`, a weights-only `ModelCheckpoint`) go into the
 * folder `folder` names: their path is `os.path.join(folder, ...)` (directly or through a name), or
 * `folder` is a name assigned `os.path.dirname(path)` of a saved path (the TensorFlow tutorials'
 * `checkpoint_dir = os.path.dirname(checkpoint_path)`).
 */
function weightsSavedInto(folder: SyntaxNode, at: SyntaxNode, ctx: RuleContext): boolean {
  const folderText = ctx.textOf(folder);
  const valueOf = (n: SyntaxNode): SyntaxNode | null =>
    n.type === 'identifier' ? valueBefore(ctx.textOf(n), at, ctx) : n;
  const folderValue = folder.type === 'identifier' ? valueOf(folder) : null;
  const dirnameOf = folderValue && folderValue.type === 'call' ? callParts(folderValue, ctx) : null;
  const dirnamed = dirnameOf && ctx.resolve(dirnameOf.fn) === 'os.path.dirname' ? dirnameOf.positional[0] ?? null : null;
  return pathUses(at, ctx).some(u => {
    if (u.kind !== 'save-weights' && u.kind !== 'checkpoint-weights') {
      return false;
    }
    const parts = callParts(u.call, ctx);
    const pathNode = parts ? parts.positional[0] ?? parts.keywords.get('filepath')?.value ?? null : null;
    if (!pathNode) {
      return false;
    }
    if (dirnamed && ctx.textOf(dirnamed) === ctx.textOf(pathNode)) {
      return true;
    }
    const joined = joinedFolder(valueOf(pathNode), ctx);
    return !!joined && ctx.textOf(joined) === folderText;
  });
}

/**
 * `tf.train.latest_checkpoint(folder)` read by `load_weights()`, where the cell saves its weights
 * into that folder: the saves become `.weights.h5` files (their own findings rename them), so the
 * latest checkpoint is the newest such file. Safe: a TensorFlow checkpoint never loaded on Keras 3.
 */
function latestWeightsFix(latestCall: SyntaxNode, ctx: RuleContext): RawFix | null {
  const parts = callParts(latestCall, ctx);
  const folder = parts?.positional[0] ?? parts?.keywords.get('checkpoint_dir')?.value;
  if (!parts || !folder || parts.positional.length + parts.keywords.size !== 1 || !weightsSavedInto(folder, latestCall, ctx)) {
    return null;
  }
  const edits: OffsetEdit[] = [
    { start: latestCall.start, end: latestCall.end, text: `max(glob.glob(os.path.join(${ctx.textOf(folder)}, "*.weights.h5")), key=os.path.getmtime)` }
  ];
  for (const module of ['glob', 'os']) {
    const edit = ctx.importEdit(module);
    if (edit) {
      edits.push(edit);
    }
  }
  return { title: 'Load the newest `.weights.h5` file of the folder', safe: true, edits };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const call = pathRuleCall(node, ctx);
  if (!call) {
    return;
  }
  const { parts, method } = call;
  const isCheckpoint = method === 'ModelCheckpoint' && ctx.resolveKeras(parts.fn) === 'keras.callbacks.ModelCheckpoint';
  if (!isCheckpoint && !((method === 'save_weights' || method === 'load_weights') && parts.fn.type === 'attribute' && !ctx.resolve(parts.fn))) {
    return;
  }
  const use = pathUses(node, ctx).find(u => u.call === node);
  const pathNode = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  if (!use || !pathNode) {
    return;
  }
  const tail = use.path.tailValue;
  if (method === 'save_weights' || (isCheckpoint && parts.keywords.get('save_weights_only') && ctx.textOf(parts.keywords.get('save_weights_only')!.value) === 'True')) {
    if (tail !== null && !tail.endsWith('.weights.h5')) {
      const message =
        method === 'save_weights'
          ? `Keras 3 \`save_weights()\` needs a file name ending in \`.weights.h5\`, not \`${tail}\`.`
          : `With \`save_weights_only=True\`, Keras 3 ModelCheckpoint needs a path ending in \`.weights.h5\`, not \`${tail}\`.`;
      reportWithLaterLoad(pathNode, use, message, tail, ctx);
    } else if (tail === null && isCheckpoint) {
      reportTemporaryFolder(node, pathNode, parts.keywords.get('save_weights_only')?.value ?? null, ctx);
    }
    return;
  }
  if (method === 'load_weights') {
    const isLatest = (n: SyntaxNode | null): boolean => n?.type === 'call' && ctx.resolve(child(n, 'function') ?? n) === 'tensorflow.train.latest_checkpoint';
    // `latest = tf.train.latest_checkpoint(checkpoint_dir)` then `load_weights(latest)` (the TensorFlow tutorial's form).
    const assigned = pathNode.type === 'identifier' ? lastAssignedValue(ctx.textOf(pathNode), node, ctx) : null;
    const latestCall = isLatest(pathNode) ? pathNode : isLatest(assigned) ? assigned : null;
    const latest = latestCall !== null;
    const saved = pathUses(node, ctx).some(u => u.path.key === use.path.key && (u.kind === 'save-weights' || u.kind === 'checkpoint-weights'));
    if (saved && tail !== null && !tail.endsWith('.weights.h5')) {
      // The save above gets the `.weights.h5` name: this load must read that file.
      ctx.report(
        pathNode,
        `These weights are saved above with \`save_weights()\`/\`ModelCheckpoint\`, which Keras 3 writes only to a \`.weights.h5\` file; load \`${weightsName(tail)}\` instead of \`${tail}\`.`,
        pairedRename(use, WEIGHT_KINDS, weightsName(tail), ctx)
      );
      return;
    }
    // `load_weights("w/m-001.h5")` of a file a weights-only checkpoint template (`"w/m-{epoch:03d}.h5"`)
    // writes: the template becomes `.weights.h5` (its own finding), so the files it writes do too.
    const template = tail !== null && !tail.endsWith('.weights.h5') && !saved
      ? pathUses(node, ctx).find(u => u.kind === 'checkpoint-weights' && u.path.key !== use.path.key && writtenByTemplate(u.path, tail))
      : undefined;
    const templateEdit = template ? renameTail(use.path, weightsName(tail!), ctx) : null;
    if (template && templateEdit) {
      ctx.report(
        pathNode,
        `This file is written above by a weights-only \`ModelCheckpoint\` (\`${template.path.tailValue}\`), which Keras 3 writes only to \`.weights.h5\` files; load \`${weightsName(tail!)}\` instead of \`${tail}\`.`,
        { title: `Use \`${weightsName(tail!)}\``, safe: false, edits: [templateEdit] }
      );
      return;
    }
    // Saved in an earlier cell: that save's finding renames it; this load reads the same file.
    const savedEarlier = 'earlier:' + pathFact('save-weights', use.path.key);
    const acrossEdit = tail !== null && !tail.endsWith('.weights.h5') ? renameTail(use.path, weightsName(tail), ctx) : null;
    if (acrossEdit) {
      ctx.report(
        pathNode,
        `These weights are saved in an earlier cell with \`save_weights()\`/\`ModelCheckpoint\`, which Keras 3 writes only to a \`.weights.h5\` file; load \`${weightsName(tail!)}\` instead of \`${tail}\`.`,
        // Safe when nothing else in this cell names the file: the save raised on Keras 3 before.
        { title: `Use \`${weightsName(tail!)}\``, safe: pathGroup(use, WEIGHT_KINDS, ctx).complete, edits: [acrossEdit] },
        undefined,
        savedEarlier
      );
    }
    if (latest || (tail !== null && use.path.key.startsWith('s:') && isCheckpointPrefix(tail))) {
      const newest = latestCall ? latestWeightsFix(latestCall, ctx) : null;
      ctx.report(
        pathNode,
        newest
          ? 'Keras 3 `load_weights()` reads only `.weights.h5`, `.keras` and legacy `.h5` files, not the TensorFlow checkpoint `tf.train.latest_checkpoint()` names; the weights saved into this folder become `.weights.h5` files in Keras 3: load the newest of them.'
          : `Keras 3 \`load_weights()\` reads only \`.weights.h5\`, \`.keras\` and legacy \`.h5\` files; ${latest ? 'a TensorFlow checkpoint prefix' : `\`${tail}\``} cannot be loaded. Save the weights with \`save_weights("name.weights.h5")\` and load that file.`,
        newest,
        undefined,
        acrossEdit ? '!' + savedEarlier : undefined
      );
    }
    return;
  }
  if (tail === null) {
    reportTemporaryFolder(node, pathNode, parts.keywords.get('save_weights_only')?.value ?? null, ctx);
    return;
  }
  const weightsOnly = parts.keywords.get('save_weights_only');
  const flag = weightsOnly ? ctx.textOf(weightsOnly.value) : 'False';
  if (flag !== 'True' && flag !== 'False') {
    return; // decided at run time
  }
  if (flag === 'False' && !/\.(keras|h5)$/.test(tail)) {
    // `.hdf5` was an HDF5 file: `.h5` keeps that format; anything else becomes a `.keras` file.
    const renamed = /\.hdf5$/.test(tail) ? tail.replace(/\.hdf5$/, '.h5') : tail.replace(/\.ckpt$/, '') + '.keras';
    const edit = renameTail(use.path, renamed, ctx);
    const group = pathGroup(use, MODEL_KINDS, ctx);
    const fix = edit ? { title: `Save to \`${renamed}\``, safe: group.complete && group.members.some(m => m.kind === 'load-model'), edits: [edit] } : null;
    ctx.report(pathNode, `Keras 3 ModelCheckpoint saves whole models only to \`.keras\` (or legacy \`.h5\`) files; \`${tail}\` is rejected.`, fix);
  }
}

/**
 * A path assigned to a name at the top of the cell, through which later cells save weights
 * (`save_weights(CKPT)`, a weights-only `ModelCheckpoint`): those cells cannot see the value, so
 * the `.weights.h5` rename is made here, and `load_weights(CKPT)` reads the same file.
 */
function visitPathVariables(node: SyntaxNode, ctx: RuleContext): void {
  if (node.parent) {
    return;
  }
  // On leaving the cell: the cell's own `import os` is then in scope.
  for (const [name, path] of topLevelPathAssignments(node, ctx)) {
    const value = path.tailValue!;
    if (/\.(weights\.h5|keras)$/i.test(value) || !(isCheckpointPrefix(value) || /\.(h5|hdf5)$/i.test(value))) {
      continue;
    }
    const renamed = weightsName(value);
    reportPathVariableRename(
      path,
      renamed,
      `\`${name}\` (\`${value}\`) is where a later cell saves weights (\`save_weights()\` or a weights-only \`ModelCheckpoint\`): Keras 3 writes weights only to a file ending in \`.weights.h5\`; name it \`${renamed}\`, which \`load_weights(${name})\` then reads too (every later use of the name reads the new file name, which the notebook may use otherwise too).`,
      `${laterThroughName('save-weights', name)} & !${laterThroughName('save-model', name)} & !${laterThroughName('checkpoint-model', name)}`,
      ctx,
      // Keras 2 created a checkpoint prefix's folders at the save, in the later cell.
      isCheckpointPrefix(value) ? folderCreationAfterAssignment(name, path, renamed, ctx) : []
    );
  }
}

export const weightsFileExtension: RuleDefinition = {
  code: 'KM166',
  name: 'weights-file-extension',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  // `log_dir = tempfile.mkdtemp()` is read by a ModelCheckpoint's path (reportTemporaryFolder).
  triggers: ['save_weights', 'load_weights', 'mkdtemp'],
  docs: {
    whatItDoes:
      'Flags `save_weights(path)` whose path (a literal, a name assigned one, or an expression ending in one such as `os.path.join(d, "w.h5")`) does not end in `.weights.h5`, a `load_weights()` of the same path, `load_weights()` of a TensorFlow checkpoint (a literal prefix or `tf.train.latest_checkpoint(...)`), and `ModelCheckpoint` paths with the wrong extension for what they save (or a `tempfile.mkdtemp()` folder, where Keras 2 wrote a TensorFlow checkpoint: the suggested fix saves to a file in it). `load_weights(tf.train.latest_checkpoint(folder))` where the cell saves weights into that folder (a `save_weights()` or weights-only `ModelCheckpoint` path `os.path.join(folder, ...)`, or `folder = os.path.dirname(path)` of a saved path, as in the TensorFlow tutorials) gets a safe fix: the newest `.weights.h5` file of the folder, `max(glob.glob(os.path.join(folder, "*.weights.h5")), key=os.path.getmtime)` (the saves themselves are renamed to `.weights.h5` by their own findings; the TensorFlow checkpoint never loaded on Keras 3).',
    why:
      'Keras 3 raises "The filename must end in `.weights.h5`" for weights and requires `.keras` for whole-model checkpoints; TF-checkpoint prefixes no longer work. Not covered by the migration guide. A save and a load of the same path in the cell (a literal, a name assigned one, or the same `os.path.join(...)` expression) are renamed together, in one fix; that fix is safe when nothing else in the cell names the file (the save raised on Keras 3 before, and the load then reads what the save writes). A save and a load in different notebook cells (the load later) are renamed alike by each side\'s own finding, safe when nothing else in either cell names the file. A rename without its pair is a suggestion: other code may read the old name. Keras 2 created the folders of a TensorFlow checkpoint prefix, while Keras 3 writes a `.weights.h5` file only into a folder that exists: where the program creates no folders itself, the fix puts `os.makedirs(os.path.dirname(path) or ".", exist_ok=True)` before the save of a prefix that may name a folder (a literal with a folder, a name, an `os.path.join(...)` or an f-string), with `import os` where the program has none, and after the assignment of a path variable renamed for a later cell\'s save. A path assigned to a name at the top of a cell through which later cells save weights (`save_weights(CKPT)`, a weights-only `ModelCheckpoint`) is renamed at the value, so that `load_weights(CKPT)` reads the same file (a suggestion: the cells cannot see what else reads the name).',
    example: 'model.save_weights("ckpt/model")',
    useInstead: 'import os\n\nos.makedirs("ckpt", exist_ok=True)  # Keras 2 created the folder of a checkpoint prefix\nmodel.save_weights("ckpt/model.weights.h5")'
  },
  calls: { resolved: KERAS_CALLEES, names: ['save_weights', 'load_weights'] },
  // Every finding is on `save_weights`, `load_weights` or `ModelCheckpoint`, or holds only where a
  // cell saves weights through a name (a path fact); it notes path facts only, which need a path use.
  requires: PATH_WORDS,
  visitors: { call: visit, 'module:exit': visitPathVariables }
};
