/**
 * legacy-h5-model-trained-without-compile (KM380)
 *
 * What it does: flags `model = keras.models.load_model("file.h5")` when the program then trains
 * that model (`model.fit(...)`, `model.train_on_batch(...)`) or evaluates it (`model.evaluate(...)`,
 * `model.test_on_batch(...)`) without compiling it again, in the same cell or a later one, and
 * never saves a model to that path itself (a round trip in the program is KM031's).
 *
 * Why: a Keras 2 program trained a loaded `.h5` model with the optimizer, loss and metrics saved
 * in the file. Keras 3 restores a legacy `.h5` file's training configuration only in part, so the
 * same program fails on every backend: at `fit()` with "Unknown variable ... This optimizer can
 * only be called for the variables it was originally built with" (TensorFlow, PyTorch), "Argument
 * `optimizer_variables` must be a list of tensors" or "'str' object is not callable" (JAX,
 * PyTorch, when the file names metrics), or already at `load_model()` when Keras 2 saved a loss
 * object ("SparseCategoricalCrossentropy.__init__() got an unexpected keyword argument 'fn'").
 * Checked by running Keras 3.15 on files saved by tf_keras 2.21 and by Keras 3 itself. Keras 2
 * could not have trained the model uncompiled, so the file held a training configuration.
 * Evaluation fails on every backend when the file names its metrics by strings
 * (`metrics=["accuracy"]`: "'str' object is not callable") or was compiled with a short loss name
 * (`loss="mse"` fails at load); with a full loss name and no metrics it runs, so that finding
 * claims no backend: what the file holds is not in the code.
 *
 * Example:
 *   model = keras.models.load_model("pretrained.h5")
 *   model.fit(x, y)
 *
 * Use instead:
 *   model = keras.models.load_model("pretrained.h5", compile=False)
 *   model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
 *   model.fit(x, y)
 *   model.save("pretrained.keras")
 *
 * Fix: none; the settings the file was compiled with are not in the code.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { nameOffsetsFollowedBy } from '../helpers/code-text';
import { legacyH5ModelLoad, savesNoModelTo, PATH_WORDS, uncompiledLoadedModel, pathRuleCall } from '../rule-helpers';

/** Noted where a cell trains the module-level model NAME that it does not assign (the model of an earlier cell). */
const TRAINS = 'trains-a-model-of-an-earlier-cell:';
/** Noted where a cell evaluates the module-level model NAME that it does not assign (the model of an earlier cell). */
const EVALUATES = 'evaluates-a-model-of-an-earlier-cell:';
/** Noted where a cell compiles the model NAME. */
const COMPILES = 'compiles-the-model:';
/** Noted where a cell assigns NAME a loaded model at its top level (a later load replaces an earlier one). */
const LOADS = 'loads-a-model-into:';

const REPORTED = new CellMemoKey<Set<string>>('legacy .h5 loads reported, by load and use');

const TRAINING = ['fit', 'train_on_batch'];
const EVALUATION = ['evaluate', 'test_on_batch'];

/** What the program does with the loaded model that needs the file's compile settings. */
type Use = 'trained' | 'evaluated';

function report(loader: SyntaxNode, name: string, use: Use, where: string, ctx: RuleContext, condition?: string): void {
  const reported = ctx.cellMemo(REPORTED, () => new Set());
  const id = `${loader.start}:${use}`;
  const load = reported.has(id) ? null : legacyH5ModelLoad(loader, ctx);
  if (!load) {
    return;
  }
  reported.add(id);
  // The program's own save of that file makes it a round trip, which KM031 reports.
  const noSave = savesNoModelTo(load.key);
  const loaded = `\`${name}\` is loaded from the legacy \`.h5\` file \`${load.file}\``;
  const message =
    use === 'trained'
      ? `${loaded} and trained ${where} without \`compile()\`: Keras 3 restores a legacy \`.h5\` model's optimizer, loss and metrics only in part, so training fails on every backend ("Unknown variable ... This optimizer can only be called for the variables it was originally built with", "'str' object is not callable"; a loss object saved by Keras 2 fails at load: "unexpected keyword argument 'fn'"). Load it with \`compile=False\`, \`compile()\` it with the settings it was trained with, and save it again as \`.keras\`.`
      : `${loaded} and evaluated ${where} without \`compile()\`: Keras 3 restores a legacy \`.h5\` model's loss and metrics only in part, so \`evaluate()\` fails on every backend when the file names its metrics by strings (\`metrics=["accuracy"]\`: "'str' object is not callable"), and loading fails when it was compiled with a short loss name (\`"mse"\`, \`"mae"\`) or a loss object. Load it with \`compile=False\`, \`compile()\` it with the loss and metrics it was trained with, and save it again as \`.keras\`.`;
  // Evaluation fails only for what the file holds (string metrics, a short loss name, a loss object), which the code does not show.
  const blocks = use === 'trained' ? undefined : [];
  ctx.report(loader, message, null, undefined, condition ? `${condition} & ${noSave}` : noSave, blocks);
}

/** `NAME = load_model(...)` as a statement of the cell's top level: NAME, else null. */
function moduleLevelTarget(loader: SyntaxNode, ctx: RuleContext): string | null {
  const assignment = loader.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === loader ? child(assignment, 'left') : null;
  const statement = assignment?.parent;
  return left && left.type === 'identifier' && statement?.type === 'expression_statement' && statement.parent?.type === 'module' ? ctx.textOf(left) : null;
}

const HANDLING = new CellMemoKey<Map<string, { last: number; firstSetting: number }>>('where the cell assigns, compiles, trains or evaluates NAME');

/**
 * Where the cell handles NAME (once per name and cell): the last offset where it assigns,
 * compiles, trains or evaluates it, and the first where it assigns or compiles it (-1 for none).
 */
function handling(name: string, ctx: RuleContext): { last: number; firstSetting: number } {
  const memo = ctx.cellMemo(HANDLING, () => new Map());
  let found = memo.get(name);
  if (!found) {
    const offsets = nameOffsetsFollowedBy(name, ctx.text, /^\s*(=[^=]|\.\s*(fit|train_on_batch|evaluate|test_on_batch|compile)\s*\()/);
    const setting = offsets.find(o => !/^\s*\.\s*(fit|train_on_batch|evaluate|test_on_batch)\b/.test(ctx.text.slice(o + name.length, o + name.length + 40)));
    found = { last: offsets.length ? offsets[offsets.length - 1] : -1, firstSetting: setting ?? -1 };
    memo.set(name, found);
  }
  return found;
}

/** Whether the cell's text after `from` assigns NAME again, compiles, trains or evaluates it (then this cell decides). */
function handledInCell(name: string, from: number, ctx: RuleContext): boolean {
  return handling(name, ctx).last >= from;
}

const LAST_TRAINING = new CellMemoKey<Map<string, number>>('offset of the last NAME.fit( / NAME.train_on_batch( in the cell');

/** Whether the cell's text after `from` trains NAME (`NAME.fit(`, `NAME.train_on_batch(`); found once per name and cell. */
function trainedAfter(name: string, from: number, ctx: RuleContext): boolean {
  const memo = ctx.cellMemo(LAST_TRAINING, () => new Map());
  let last = memo.get(name);
  if (last === undefined) {
    const offsets = nameOffsetsFollowedBy(name, ctx.text, /^\s*\.\s*(fit|train_on_batch)\s*\(/);
    last = offsets.length ? offsets[offsets.length - 1] : -1;
    memo.set(name, last);
  }
  return last >= from;
}

/** Whether the cell's text before `to` assigns or compiles NAME (its model is then not the earlier cell's as loaded). */
function handledBefore(name: string, to: number, ctx: RuleContext): boolean {
  const first = handling(name, ctx).firstSetting;
  return first >= 0 && first < to;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const call = pathRuleCall(node, ctx);
  if (!call) {
    return;
  }
  const { parts, method } = call;
  const receiver = parts.fn.type === 'attribute' ? child(parts.fn, 'object') : null;
  if (method === 'compile' && receiver?.type === 'identifier') {
    ctx.note(COMPILES + ctx.textOf(receiver));
    return;
  }
  const use: Use | null = TRAINING.includes(method) ? 'trained' : EVALUATION.includes(method) ? 'evaluated' : null;
  if (use) {
    const loader = uncompiledLoadedModel(node, ctx, use === 'trained' ? TRAINING : EVALUATION);
    if (loader) {
      // Evaluated, then trained below without compile(): the training's finding says more (and claims more).
      if (use === 'trained' || !trainedAfter(ctx.textOf(receiver!), node.end, ctx)) {
        report(loader, ctx.textOf(receiver!), use, 'below', ctx);
      }
      return;
    }
    // A model of an earlier cell, trained or evaluated at this cell's top level before anything here compiles or assigns it.
    if (receiver?.type === 'identifier' && !ctx.fn) {
      const name = ctx.textOf(receiver);
      if (!handledBefore(name, node.start, ctx)) {
        ctx.note((use === 'trained' ? TRAINS : EVALUATES) + name);
      }
    }
    return;
  }
  if (method === 'load_model' && /^keras\.(models|saving)\.load_model$/.test(ctx.resolveKeras(parts.fn) ?? '')) {
    const name = moduleLevelTarget(node, ctx);
    if (name) {
      ctx.note(LOADS + name);
    }
    if (name && !handledInCell(name, node.end, ctx)) {
      const untouched = `!later:${COMPILES}${name} & !later:${LOADS}${name}`;
      report(node, name, 'trained', 'in a later cell', ctx, `later:${TRAINS}${name} & ${untouched}`);
      report(node, name, 'evaluated', 'in a later cell', ctx, `later:${EVALUATES}${name} & !later:${TRAINS}${name} & ${untouched}`);
    }
  }
}

export const legacyH5ModelTrainedWithoutCompile: RuleDefinition = {
  code: 'KM380',
  name: 'legacy-h5-model-trained-without-compile',
  slug: 'savedmodel-load',
  severity: 'error',
  /**
   * Checked by running Keras 3.15: models compiled and saved to `.h5` by tf_keras 2.21 (adam or
   * sgd, string or object loss, with or without metrics), loaded and trained without
   * `compile()`, fail on TensorFlow, JAX and PyTorch, at load or at fit; compiled again, they train
   * (python_kernel_hooks/tests/claims/h5_load_only_trained_without_compile.py, whose file a child
   * process writes).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['load_model', 'fit', 'train_on_batch', 'evaluate', 'test_on_batch', 'compile', ...PATH_WORDS],
  docs: {
    whatItDoes:
      'Flags `model = keras.models.load_model("file.h5")` when the program trains that model (`fit()`, `train_on_batch()`) or evaluates it (`evaluate()`, `test_on_batch()`) without compiling it again, in the same cell or a later one, and saves no model to that path itself (a legacy `.h5` round trip within the program is KM031\'s).',
    why:
      'Keras 2 trained a loaded `.h5` model with the optimizer, loss and metrics saved in the file. Keras 3 restores a legacy `.h5` file\'s training configuration only in part, so training the loaded model fails on every backend: "Unknown variable ... This optimizer can only be called for the variables it was originally built with", "Argument `optimizer_variables` must be a list of tensors" or "\'str\' object is not callable" at `fit()`, or, where Keras 2 saved a loss object, already at `load_model()` ("unexpected keyword argument \'fn\'"). Evaluating the loaded model fails on every backend when the file names its metrics by strings (`metrics=["accuracy"]`: "\'str\' object is not callable") or was compiled with a short loss name such as `"mse"` (at load); with a full loss name and no metrics it runs, so an evaluation finding claims no backend. Loaded with `compile=False` and compiled again, the model trains and evaluates on every backend; saving it once as `.keras` keeps its training configuration for Keras 3. No fix is offered: the settings the file was compiled with are not in the code.',
    example: 'import keras\nmodel = keras.models.load_model("pretrained.h5")\nmodel.fit(x, y)\n',
    useInstead:
      'import keras\nmodel = keras.models.load_model("pretrained.h5", compile=False)\nmodel.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\nmodel.fit(x, y)\nmodel.save("pretrained.keras")\n'
  },
  calls: { names: ['load_model', 'fit', 'train_on_batch', 'evaluate', 'test_on_batch', 'compile', ...PATH_WORDS] },
  requires: ['load_model'],
  visitors: { call: visit }
};
