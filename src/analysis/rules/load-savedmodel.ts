import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { isSavedModelPath } from '../knowledge';
import { callParts, kerasFileFor, notePathUses, PathUse, pathFact, pathGroup, pathUses, pathValue, PATH_WORDS, renameGroup, renameTail, withKerasImport, KERAS_CALLEES, nameReadAsSavedModel, readThroughCellFunction, savedModelOptionsRemovals } from '../rule-helpers';

const LOADERS = new Set(['keras.models.load_model', 'keras.saving.load_model']);

/** Uses that write the whole model to the path: `model.save(path)`, and a `ModelCheckpoint(path)` saving the model (not only weights), whose own finding moves it to a `.keras` file too. */
const MODEL_WRITERS = ['save-model', 'checkpoint-model'] as const;

const MODEL_ONLY = 'fit|evaluate|compile|predict|predict_on_batch|train_on_batch|test_on_batch|summary|save|save_weights|layers|get_layer|inputs|outputs';

function usedAsModel(call: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && call.field === 'right' ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(target).replace(/[^\w]/g, '');
  return new RegExp(`\\b${name}\\s*\\.\\s*(?:${MODEL_ONLY})\\b`).test(ctx.text.slice(call.end));
}

/** Both sides renamed in one fix when nothing else names the file (safe); else this side only, as a suggestion. */
function pairFix(use: PathUse, renamed: string, own: OffsetEdit, ctx: RuleContext): RawFix | null {
  // The name holding the path is also read as a SavedModel (`tf.saved_model.load(path)`, directly or
  // in a function of the cell it is given to): no rename.
  const pathNode = callParts(use.call, ctx)?.positional[0];
  if (nameReadAsSavedModel(use.path.via, ctx) || (pathNode && readThroughCellFunction(pathNode, ctx))) {
    return null;
  }
  const group = pathGroup(use, [...MODEL_WRITERS, 'load-model'], ctx);
  const both = group.complete ? renameGroup(group.members, v => kerasFileFor(v, ctx), ctx) : null;
  // A `save_format="tf"` on the save side is the save's own finding to remove.
  const formats = group.members.some(m => m.kind === 'save-model' && /save_format\s*=/.test(ctx.textOf(m.call)));
  return { title: `Load \`${renamed}\``, safe: both !== null && !formats, edits: [...(both ?? [own]), ...savedModelOptionsRemovals(both ? group.members : [use], ctx)] };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name !== null) {
    notePathUses(node, ctx);
  }
  if (!name || !LOADERS.has(name)) {
    return;
  }
  const pathNode = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  const use = pathUses(node, ctx).find(u => u.call === node);
  const path = pathValue(pathNode, ctx) ?? use?.path.tailValue ?? null;
  if (path === null || !isSavedModelPath(path)) {
    return;
  }
  // Saved above by model.save(path) or a ModelCheckpoint(path): that writer's finding moves it to
  // a `.keras` file; load the same file.
  const writer = use && pathUses(node, ctx).find(u => (MODEL_WRITERS as readonly string[]).includes(u.kind) && u.path.key === use.path.key);
  const saved = !!writer;
  const renamed = use?.path.tailValue ? kerasFileFor(use.path.tailValue, ctx) : null;
  const pairEdit = saved && renamed ? renameTail(use!.path, renamed, ctx) : null;
  if (pairEdit) {
    const fix = pairFix(use!, renamed!, pairEdit, ctx);
    ctx.report(
      node,
      `Keras 3 \`load_model()\` cannot read the SavedModel \`${path}\`; the model is saved above with ${writer!.kind === 'save-model' ? '`model.save()`' : 'a `ModelCheckpoint`'}, which Keras 3 writes to a \`.keras\` file: load \`${renamed}\`.` +
        (fix ? '' : ` No automatic fix: \`${use!.path.via}\` is also read as a SavedModel (\`tf.saved_model.load\`), which a \`.keras\` file is not; give this round trip a path of its own.`),
      fix
    );
    return;
  }
  // Saved in an earlier cell: that save's finding moves it to a `.keras` file; this load follows.
  const acrossName = use?.path.tailValue ? kerasFileFor(use.path.tailValue, ctx, true) : null;
  const acrossEdit = acrossName ? renameTail(use!.path, acrossName, ctx) : null;
  let condition: string | undefined;
  if (acrossEdit) {
    const savedEarlier = 'earlier:' + pathFact('save-model', use!.path.key);
    // Safe when nothing else in this cell names the file: this load raised on Keras 3 before.
    const safe = pathGroup(use!, ['load-model'], ctx).complete;
    ctx.report(
      node,
      `Keras 3 \`load_model()\` cannot read the SavedModel \`${path}\`; the model is saved in an earlier cell with \`model.save()\`, which Keras 3 writes to a \`.keras\` file: load \`${acrossName}\`.`,
      { title: `Load \`${acrossName}\``, safe, edits: [acrossEdit] },
      undefined,
      savedEarlier
    );
    condition = '!' + savedEarlier;
  }
  // Only a bare load_model(path) keeps its meaning as an inference layer, and only while the
  // result is not used as a Model (a TFSMLayer has no predict/fit/summary...).
  const asModel = usedAsModel(node, ctx);
  const plain = parts.positional.length === 1 && parts.keywords.size === 0 && !parts.splat && !asModel;
  // A TFSMLayer cannot be trained, evaluated or predicted with (TensorFlow multi-worker tutorial's
  // `loaded_model.fit(...)`: "'TFSMLayer' object has no attribute 'fit'"), so no fix where the result is used so.
  const fix = pathNode && !asModel
    ? {
        title: 'Reload the SavedModel as `keras.layers.TFSMLayer` (inference only)',
        safe: plain,
        edits: withKerasImport(ctx, [
          {
            start: node.start,
            end: node.end,
            text: `keras.layers.TFSMLayer(${ctx.textOf(pathNode)}, call_endpoint="serving_default")`
          }
        ])
      }
    : null;
  ctx.report(
    node,
    asModel
      ? `Keras 3 \`load_model()\` cannot read the SavedModel \`${path}\`, and the result is used as a Keras model below (\`fit\`, \`predict\`, \`layers\`, ...), which \`keras.layers.TFSMLayer\` (inference only) is not: save the model to a \`.keras\` file and load that.`
      : `Keras 3 \`load_model()\` cannot read the SavedModel \`${path}\`; reload it with \`keras.layers.TFSMLayer\`.`,
    fix,
    undefined,
    condition
  );
}

export const loadSavedmodel: RuleDefinition = {
  code: 'KM041',
  name: 'load-savedmodel',
  slug: 'savedmodel-load',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `keras.models.load_model(path)` where the literal path is a SavedModel directory (no `.keras`/`.h5` extension). The `TFSMLayer` suggestion is not offered where the result is used as a Keras model (`fit`, `predict`, `layers`, ...), which a `TFSMLayer` is not. The rename of a save-and-load pair to a `.keras` file drops `options=` (`tf.saved_model.LoadOptions`, which Keras 3 does not take) and is not offered where the name holding the path is also read by `tf.saved_model.load` (the message says to give the round trip a path of its own).',
    why:
      'Keras 3 `load_model()` reads only `.keras` and `.h5` files and raises "File format not supported" for a SavedModel. The SavedModel can still be used for inference through `keras.layers.TFSMLayer` (guide section "Loading a TF SavedModel"). When the same cell writes that path with `model.save()`, the save moves to a `.keras` file and the load follows it (both in one fix, safe when nothing else names the path); when an earlier cell writes it, this load reads the `.keras` file that save\'s finding moves it to.',
    example: 'import keras\nmodel = keras.models.load_model("exported/my_model")',
    useInstead: 'import keras\nmodel = keras.layers.TFSMLayer("exported/my_model", call_endpoint="serving_default")'
  },
  calls: { resolved: KERAS_CALLEES },
  // Every finding is on a `load_model` call; it notes path facts only, which need a path use.
  requires: PATH_WORDS,
  visitors: { call: visit }
};
