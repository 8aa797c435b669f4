import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, escapeRegExp } from '../rule-helpers';

/**
 * What it does: flags `load_model(PATH)` of a model this code saved to PATH with `model.save(PATH)`
 * when that model is an instance of a `keras.Model` subclass defined here, the class is not
 * registered (`@keras.saving.register_keras_serializable()`) and `custom_objects` does not name it.
 *
 * Why: Keras 2 revived a subclassed model from its SavedModel directory without the class; Keras 3's
 * `.keras` format rebuilds it from its class: "Could not locate class 'NAME'" on every backend.
 *
 * Example: `model = Net(); model.save("net.keras"); keras.models.load_model("net.keras")`
 *
 * Use instead: `keras.models.load_model("net.keras", custom_objects={"Net": Net})`, with a `get_config()`
 * returning the constructor's arguments (or reload the weights into a new instance).
 */

const LOADERS = new Set(['keras.models.load_model', 'keras.saving.load_model']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !LOADERS.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const pathArg = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  if (!pathArg || pathArg.type !== 'string') {
    return;
  }
  const text = ctx.text;
  const path = escapeRegExp(ctx.textOf(pathArg));
  const saved = new RegExp(`\\b(\\w+)\\.save\\(\\s*${path}\\s*[,)]`).exec(text);
  if (!saved) {
    return;
  }
  const made = new RegExp(`^\\s*${escapeRegExp(saved[1])}\\s*=\\s*(\\w+)\\(`, 'm').exec(text);
  if (!made) {
    return;
  }
  const cls = made[1];
  const def = new RegExp(`(@[^\\n]*\\n\\s*)*class\\s+${escapeRegExp(cls)}\\s*\\(([^)]*)\\)`).exec(text);
  if (!def || !/\bModel\b/.test(def[2]) || /register_keras_serializable/.test(def[0])) {
    return;
  }
  const custom = parts.keywords.get('custom_objects')?.value ?? parts.positional[1];
  if (custom && (custom.type !== 'dictionary' || new RegExp(`["']${escapeRegExp(cls)}["']`).test(ctx.textOf(custom)))) {
    return;
  }
  ctx.report(
    parts.fn,
    `\`${saved[1]}\` is a \`${cls}\`, a subclassed model, saved to ${ctx.textOf(pathArg)}: Keras 3 rebuilds it from its class ("Could not locate class '${cls}'"; Keras 2 revived a SavedModel without it). Pass \`custom_objects={"${cls}": ${cls}}\` (or register the class with \`@keras.saving.register_keras_serializable()\`) and give it a \`get_config()\` returning its constructor's arguments, or reload the weights into a new \`${cls}\`.`,
    null
  );
}

export const subclassedModelLoadWithoutClass: RuleDefinition = {
  code: 'KM231',
  name: 'subclassed-model-load-without-class',
  slug: 'savedmodel-load',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: ['load_model'],
  docs: {
    whatItDoes:
      'Flags `load_model(PATH)` of a model the code saved to the same literal PATH with `model.save(PATH)` when that model was made from a `keras.Model` subclass defined in the same code, the class is not registered with `@keras.saving.register_keras_serializable()` and `custom_objects` (a dict literal) does not name it.',
    why:
      'Keras 2 revived a subclassed model from its SavedModel directory without its Python class. Keras 3 saves the `.keras` format, which rebuilds the model from its class and `get_config()`: without the class the load fails with "Could not locate class \'NAME\'" on every backend (checked by running Keras 3.15 on each; keras.io ShiftViT saves and reloads its subclassed model this way). No fix: the class must be passed and its `get_config()` must return the constructor\'s arguments, which only the author can write.',
    example:
      'import keras\nclass Net(keras.Model):\n    def call(self, x):\n        return x\nmodel = Net()\nmodel.save("net.keras")\nrestored = keras.models.load_model("net.keras")',
    useInstead:
      'import keras\nclass Net(keras.Model):\n    def call(self, x):\n        return x\nmodel = Net()\nmodel.save("net.keras")\nrestored = keras.models.load_model("net.keras", custom_objects={"Net": Net})'
  },
  calls: { names: ['load_model'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['load_model'],
  visitors: { call: visit }
};
