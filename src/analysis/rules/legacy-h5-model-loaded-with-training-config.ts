/**
 * legacy-h5-model-loaded-with-training-config (KM381)
 *
 * What it does: flags `keras.models.load_model("file.h5")` without `compile=False` when the
 * program only runs the loaded model (predicts, calls it, reads its layers) or compiles it anew
 * before training it, and never writes a model to that path itself. A model trained or evaluated
 * with the file's own settings is KM380's; a round trip in the program is KM031's.
 *
 * Why: `load_model` reads a legacy `.h5` file's training configuration (loss, metrics,
 * optimizer) as well as the model, and Keras 3 cannot read every one Keras 2 wrote. Loading
 * fails on every backend when the model was compiled with a short loss or metric name
 * ("Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass") or
 * with a loss object (`keras.losses.MeanSquaredError()`: "could not be deserialized properly"),
 * files that Keras 2 loaded without complaint. With `compile=False` the same files load on every
 * backend, and a model that is only run, or compiled again, does not miss what was skipped.
 * Checked by running Keras 3.15 on files saved by tf_keras 2.21 and by Keras 3 itself. Whether
 * a given file fails depends on how it was compiled, which the code does not show, so the
 * finding claims no backend.
 *
 * Example:
 *   model = keras.models.load_model("classifier.h5")
 *   predictions = model.predict(x)
 *
 * Use instead:
 *   model = keras.models.load_model("classifier.h5", compile=False)
 *   predictions = model.predict(x)
 *
 * Fix: adds `compile=False`. Safe when the program only runs the model or compiles it before
 * any other use; a suggestion when the model is handed on, saved again or its training
 * attributes are read, where dropping the file's settings changes what later code gets.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { CellMemoKey } from '../rule';
import { appendArgument, argumentsByName, callParts, compilesBetween, legacyH5ModelLoad, savesNoModelTo } from '../rule-helpers';

/** Noted where a cell trains or evaluates NAME with the settings it has (KM380's case, not this rule's). */
const TRAINED = 'trains-or-evaluates-the-model-named:';
/** Noted where a cell reads NAME's training settings, saves it or hands it on (to a call, a container, another name). */
const HANDED_ON = 'reads-settings-saves-or-hands-on-the-model-named:';

const TRAINING_METHODS = 'fit|fit_generator|evaluate|evaluate_generator|train_on_batch|test_on_batch';
/** Attribute uses that read or keep the training configuration. */
const SETTINGS_USES =
  'optimizer|loss|compiled_loss|compiled_metrics|compile_metrics|metrics|metrics_names|compiled|get_compile_config|compute_loss|compute_metrics|train_step|test_step|save|export|to_json|get_config';

/** `.fit`, `.optimizer`, ...: found from the dot (rarer than the starts of names), the name before it read backwards. */
const ATTRIBUTE_USE = new RegExp(`\\.\\s*(${TRAINING_METHODS}|${SETTINGS_USES})\\b`, 'g');
const TRAINING = new RegExp(`^(?:${TRAINING_METHODS})$`);
const TRAINING_OR_SETTINGS = new RegExp(`^(?:${TRAINING_METHODS}|${SETTINGS_USES})$`);

/** The bare name right before the dot at `dot` (`model` in `model.fit`), or null (`self.model.fit`, `f(x).fit`). */
function nameBefore(text: string, dot: number): string | null {
  let end = dot;
  while (end > 0 && /\s/.test(text[end - 1])) {
    end--;
  }
  let start = end;
  while (start > 0 && /\w/.test(text[start - 1])) {
    start--;
  }
  const name = text.slice(start, end);
  return name && /^[A-Za-z_]/.test(name) && (start === 0 || text[start - 1] !== '.') ? name : null;
}
/**
 * A bare name handed on: an argument (`f(model)`, `f(m=model)`), an item of a list, tuple or dict,
 * the value of another name (`m = model`), returned or yielded. What it reaches is not followed.
 */
const HANDED_ON_USE = /(?:[([{,:]|[^=!<>]=|\breturn\b|\byield\b)[ \t]*([A-Za-z_]\w*)[ \t]*(?=[)\]},;#\n]|$)/g;

/** How a stretch of code uses a name: trains or evaluates it, or uses it beyond running it (`attribute`: through one of its attributes). */
interface ModelUse {
  name: string;
  at: number;
  trained: boolean;
  attribute: boolean;
}

/** Every use of a bare name in `text[from, to)` that trains it or goes beyond running it (one scan for the attributes, one for names handed on). */
function modelUses(text: string, from = 0, to = text.length): ModelUse[] {
  const stretch = from === 0 && to === text.length ? text : text.slice(from, to);
  const uses: ModelUse[] = [];
  for (const m of stretch.matchAll(ATTRIBUTE_USE)) {
    const name = nameBefore(stretch, m.index!);
    if (name) {
      uses.push({ name, at: from + m.index!, trained: TRAINING.test(m[1]), attribute: true });
    }
  }
  for (const m of stretch.matchAll(HANDED_ON_USE)) {
    uses.push({ name: m[1], at: from + m.index!, trained: false, attribute: false });
  }
  return uses;
}

const NOTED = new CellMemoKey<{ done: boolean }>('legacy .h5 model uses noted');

/**
 * Notes, once per cell, how it uses the models earlier cells loaded (names bound to what
 * `load_model` returned when the cell starts): trained or evaluated, or used beyond running them.
 * The loading cell's own uses are read from its text where the load is.
 */
function noteModelUses(node: SyntaxNode, ctx: RuleContext): void {
  const noted = ctx.cellMemo(NOTED, () => ({ done: false }));
  if (noted.done || node.parent) {
    return;
  }
  noted.done = true;
  const loaded = new Map<string, boolean>();
  for (const use of modelUses(ctx.text)) {
    let known = loaded.get(use.name);
    if (known === undefined) {
      const binding = ctx.lookup(use.name);
      known = binding?.kind === 'value' && binding.loaded === true;
      loaded.set(use.name, known);
    }
    if (known) {
      ctx.note((use.trained ? TRAINED : HANDED_ON) + use.name);
    }
  }
}

/** `NAME = load_model(...)`: NAME (an identifier target), else null. */
function assignedName(loader: SyntaxNode, ctx: RuleContext): string | null {
  const assignment = loader.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === loader ? child(assignment, 'left') : null;
  return left && left.type === 'identifier' ? ctx.textOf(left) : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !/^keras\.(models|saving)\.load_model$/.test(ctx.resolveKeras(parts.fn) ?? '') || !parts.args) {
    return;
  }
  const load = legacyH5ModelLoad(node, ctx);
  if (!load) {
    return;
  }
  const name = assignedName(node, ctx);
  // A method called on the loaded model at once (`load_model(p).predict(x)`): running it is all the program does.
  const chained = node.parent?.type === 'attribute' && child(node.parent, 'object') === node ? ctx.textOf(child(node.parent, 'attribute')!) : null;
  if (!name && !(chained && !TRAINING_OR_SETTINGS.test(chained))) {
    return;
  }
  let condition = savesNoModelTo(load.key);
  let safe = true;
  if (name) {
    // Within a function, the name is the function's own: its body after the load is all there is.
    const scopeEnd = ctx.fn ? ctx.fn.node.end : ctx.text.length;
    const uses = modelUses(ctx.text, node.end, scopeEnd).filter(u => u.name === name);
    const firstAttributeUse = Math.min(scopeEnd, ...uses.filter(u => u.attribute).map(u => u.at));
    if (compilesBetween(name, node.end, firstAttributeUse, ctx)) {
      // Compiled anew before anything else: the file's settings are never used.
    } else if (uses.some(u => u.trained)) {
      return;
    } else {
      safe = uses.length === 0;
      if (!ctx.fn) {
        condition += ` & !later:${TRAINED}${name}`;
        if (safe) {
          // Two variants: a safe fix unless a later cell uses the model beyond running it, a suggestion if one does.
          report(node, load.file, name, true, `${condition} & !later:${HANDED_ON}${name}`, ctx);
          condition += ` & later:${HANDED_ON}${name}`;
          safe = false;
        }
      }
    }
  }
  report(node, load.file, name ?? 'the model', safe, condition, ctx);
}

function report(loader: SyntaxNode, file: string, name: string, safe: boolean, condition: string, ctx: RuleContext): void {
  const parts = callParts(loader, ctx)!;
  const given = argumentsByName(parts, ['filepath', 'custom_objects', 'compile']).get('compile');
  const edit = given ? { start: given.start, end: given.end, text: 'False' } : appendArgument(parts.args!, 'compile=False', ctx);
  const model = name === 'the model' ? name : `\`${name}\``;
  ctx.report(
    loader,
    `${model} is loaded from the legacy \`.h5\` file \`${file}\` with the training settings (loss, metrics, optimizer) Keras 2 saved in it, which this program does not use: Keras 3 cannot read all of them, and loading fails on every backend when the model was compiled with a short loss or metric name ("Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass") or a loss object ("could not be deserialized properly"). Load it with \`compile=False\`.`,
    { title: 'Load the model with compile=False', safe, edits: [edit] },
    undefined,
    condition
  );
}

export const legacyH5ModelLoadedWithTrainingConfig: RuleDefinition = {
  code: 'KM381',
  name: 'legacy-h5-model-loaded-with-training-config',
  slug: 'savedmodel-load',
  severity: 'warning',
  // Whether the load fails depends on how the file was compiled, which the code does not show.
  blocks: [],
  fixAvailability: 'always',
  // The cells that use a loaded model mention its name, bound in the environment (a `load_model` value): relevant already.
  triggers: ['load_model'],
  docs: {
    whatItDoes:
      'Flags `keras.models.load_model("file.h5")` without `compile=False` when the program only runs the loaded model (predicts, calls it, reads its layers) or compiles it anew before training it, and never writes a model to that path itself. A model trained or evaluated with the file\'s own settings is KM380\'s; a round trip in the program is KM031\'s.',
    why:
      '`load_model` reads a legacy `.h5` file\'s training configuration (loss, metrics, optimizer) as well as the model, and Keras 3 cannot read every one Keras 2 wrote. Loading fails on every backend when the model was compiled with a short loss or metric name ("Could not deserialize \'keras.metrics.mse\' because it is not a KerasSaveable subclass") or with a loss object ("could not be deserialized properly"), files Keras 2 loaded without complaint. With `compile=False` the same files load on every backend, and a model that is only run, or compiled again, does not miss what was skipped. Whether a given file fails depends on how it was compiled, which the code does not show, so the finding claims no backend. The fix is safe when the program only runs the model or compiles it before any other use, and a suggestion when the model is handed on, saved again or its training attributes are read.',
    example: 'import keras\nmodel = keras.models.load_model("classifier.h5")\npredictions = model.predict(x)\n',
    useInstead: 'import keras\nmodel = keras.models.load_model("classifier.h5", compile=False)\npredictions = model.predict(x)\n'
  },
  calls: { names: ['load_model'] },
  requires: ['load_model'],
  visitors: { call: visit, module: noteModelUses }
};
