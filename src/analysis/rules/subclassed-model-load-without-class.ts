import { child, descendants, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, escapeRegExp, pathSegment, pathUses } from '../rule-helpers';
import { registrationDecoratorEdit } from '../helpers/registration';
import { indentOf } from '../helpers/init-attribute';
import { classMethods, onlyVisibleDefinition } from '../helpers/model-code';

/**
 * What it does: flags `load_model(PATH)` of a model this code saved to PATH with `model.save(PATH)`
 * (or `save_model(model, PATH)`) when that model is an instance of a `keras.Model` subclass defined
 * here, the class is not registered (`@keras.saving.register_keras_serializable()`) and
 * `custom_objects` does not name it; likewise for each unregistered `Layer` subclass of the code
 * (or `Model` subclass used as a layer) that a built-in model (functional, `Sequential`, or one
 * returned by a function of the code) holds.
 *
 * Why: Keras 2 revived a subclassed model from its SavedModel directory without the class; Keras 3's
 * `.keras` format rebuilds it from its class: "Could not locate class 'NAME'" on every backend.
 *
 * Example: `model = Net(); model.save("net.keras"); keras.models.load_model("net.keras")`
 *
 * Use instead: `keras.models.load_model("net.keras", custom_objects={"Net": Net})` (or the class
 * registered), with a `get_config()` returning the constructor's arguments (or reload the weights
 * into a new instance). The suggested fix registers the class and writes that get_config() (and a
 * from_config() rebuilding the Keras objects among the arguments) when the class lacks it.
 */

const LOADERS = new Set(['keras.models.load_model', 'keras.saving.load_model']);

/** The class definition named `name` that the code at `node` sees (the cell's top level, or a script's `main()` around it). */
function classNamed(node: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  return onlyVisibleDefinition(node, 'class_definition', name, ctx);
}

/** Nodes between which zero-argument `super()` loses the method's class cell or first argument. */
const OWN_SCOPES = new Set(['function_definition', 'lambda', 'class_definition', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);

/**
 * Where the code deletes the class (`del CustomModel`, as the keras.io serialization guide does
 * to show that loading does not need it), the registered class still rebuilds the model, but its
 * `super(CustomModel, self).__init__()` looks the deleted name up: NameError. `super()` finds the
 * class through the method's own cell, the same class. Only calls made directly in a method whose
 * first parameter is `self`.
 */
function superOfDeletedClassEdits(cls: SyntaxNode, name: string, ctx: RuleContext): OffsetEdit[] {
  if (!new RegExp(`^[ \\t]*del\\s+(?:[\\w.]+\\s*,\\s*)*${escapeRegExp(name)}\\s*(?:,|#|$)`, 'm').test(ctx.text)) {
    return [];
  }
  const edits: OffsetEdit[] = [];
  for (const { def } of classMethods(cls, ctx).values()) {
    const first = child(def, 'parameters')?.children[0];
    if (!first || first.type !== 'identifier' || ctx.textOf(first) !== 'self') {
      continue;
    }
    for (const n of descendants(def)) {
      if (n.type !== 'call' || ctx.textOf(child(n, 'function') ?? n) !== 'super') {
        continue;
      }
      const args = child(n, 'arguments');
      if (!args || !new RegExp(`^\\(\\s*${escapeRegExp(name)}\\s*,\\s*self\\s*\\)$`).test(ctx.textOf(args))) {
        continue;
      }
      let scope = n.parent;
      while (scope && scope !== def && !OWN_SCOPES.has(scope.type)) {
        scope = scope.parent;
      }
      if (scope === def) {
        edits.push({ start: args.start, end: args.end, text: '()' });
      }
    }
  }
  return edits;
}

/**
 * The suggested fix: the class registered (`@keras.saving.register_keras_serializable()`, so every
 * load finds it), and, unless its get_config() already returns exactly its constructor's
 * arguments, a get_config() that does (each argument kept as `self.<name>` in __init__() where
 * it is not already) and a from_config() turning the Keras objects among them (a layer passed to
 * the constructor) back from their saved form. Null when that cannot be written: splat or
 * annotated parameters other than `**kwargs`, an attribute of an argument's name holding
 * something else, no `super().__init__(...)` to put the assignments after, or a from_config() of
 * its own.
 */
function registrationFix(cls: SyntaxNode, name: string, ctx: RuleContext): RawFix | null {
  const decorator = registrationDecoratorEdit(cls, ctx);
  const edits: OffsetEdit[] = [decorator];
  // The module the decorator is spelled from (`keras.utils` where `keras` is TensorFlow's, which may lack `saving`).
  const saving = decorator.text.startsWith('@keras.utils.') ? 'keras.utils' : 'keras.saving';
  const methods = classMethods(cls, ctx);
  const init = methods.get('__init__');
  const title = `Register ${name} with Keras (@keras.saving.register_keras_serializable())`;
  const imp = ctx.kerasImportEdit();
  if (imp) {
    edits.push(imp);
  }
  edits.push(...superOfDeletedClassEdits(cls, name, ctx));
  if (!init) {
    return { title, safe: false, edits };
  }
  const params: string[] = [];
  let kwargs = false;
  let args = false;
  for (const p of (child(init.def, 'parameters')?.children ?? []).slice(1)) {
    const id = p.type === 'identifier' ? p : p.type === 'default_parameter' ? child(p, 'name') : null;
    if (id && id.type === 'identifier') {
      params.push(ctx.textOf(id));
    } else if (p.type === 'dictionary_splat_pattern') {
      kwargs = true;
    } else if (p.type === 'list_splat_pattern') {
      args = true;
    } else if (p.type !== ',' && p.type !== '(' && p.type !== ')' && p.type !== 'comment') {
      return null;
    }
  }
  if (args) {
    // `__init__(self, *args, **kwargs)` handing everything to the base class: Keras 3's own
    // get_config() (name, dtype, trainable) rebuilds it once the class is registered.
    return params.length === 0 && !methods.has('get_config') && !methods.has('from_config') ? { title, safe: false, edits } : null;
  }
  const getConfig = methods.get('get_config');
  if (params.length === 0 && kwargs && !getConfig && !methods.has('from_config')) {
    // `__init__(self, **kwargs)`: nothing of its own to save; Keras 3's get_config() rebuilds it.
    return { title, safe: false, edits };
  }
  if (getConfig) {
    const keys = new Set([...ctx.textOf(getConfig.def).matchAll(/["'](\w+)["']\s*:/g)].map(m => m[1]));
    if (keys.size === params.length && params.every(p => keys.has(p))) {
      return { title, safe: false, edits };
    }
  }
  if (methods.has('from_config')) {
    return null;
  }
  const classText = ctx.textOf(cls);
  const initBody = child(init.def, 'body');
  const superCall = initBody?.children.find(st => /^super\([^)]*\)\.__init__\(/.test(ctx.textOf(st)));
  if (!initBody || !superCall) {
    return null;
  }
  const stored: string[] = [];
  for (const p of params) {
    const assigned = [...classText.matchAll(new RegExp(`\\bself\\.${escapeRegExp(p)}\\s*=(?!=)\\s*([^\\n]*)`, 'g'))].map(m => m[1].trim());
    if (assigned.length === 0) {
      stored.push(p);
    } else if (assigned.some(v => v !== p)) {
      return null;
    }
  }
  const inside = indentOf(superCall, ctx);
  const indent = indentOf(init.outer, ctx);
  if (stored.length) {
    edits.push({ start: superCall.end, end: superCall.end, text: stored.map(p => `\n${inside}self.${p} = ${p}`).join('') });
  }
  const entries = params.map(p => `${inside}    ${JSON.stringify(p)}: self.${p},`).join('\n');
  const getConfigText =
    `def get_config(self):\n` +
    (kwargs ? `${inside}config = super().get_config()\n${inside}config.update(\n${inside}    {\n${entries.replace(/^/gm, '    ')}\n${inside}    }\n${inside})\n` : `${inside}config = {\n${entries}\n${inside}}\n`) +
    `${inside}return config\n\n` +
    `${indent}@classmethod\n${indent}def from_config(cls, config):\n` +
    `${inside}# Keras objects among the constructor's arguments (a layer) are saved as their configs.\n` +
    `${inside}config = {\n${inside}    key: ${saving}.deserialize_keras_object(value) if isinstance(value, dict) and "class_name" in value else value\n${inside}    for key, value in config.items()\n${inside}}\n` +
    `${inside}return cls(**config)`;
  if (getConfig) {
    edits.push({ start: getConfig.outer.start, end: getConfig.outer.end, text: getConfigText });
  } else {
    edits.push({ start: init.outer.end, end: init.outer.end, text: `\n\n${indent}${getConfigText}` });
  }
  return {
    title: `${title}, with a get_config() returning its constructor's arguments${stored.length ? ` (kept as ${stored.map(p => `self.${p}`).join(', ')})` : ''} and a from_config() that rebuilds the Keras objects among them`,
    safe: false,
    edits
  };
}

/** Built-in model constructors: a model made by one of them holds the layers built before it (functional) or given to it. */
const BUILT_IN_MODELS = new Set(['Model', 'Sequential', 'Functional']);

/**
 * The classes whose definition's text (decorators and header) names a Layer or Model base and no
 * registration: a `keras.Model` subclass called on a KerasTensor is a layer of the model too.
 */
function unregisteredLayerClasses(text: string): { name: string; model: boolean }[] {
  const found: { name: string; model: boolean }[] = [];
  for (const m of text.matchAll(/((?:@[^\n]*\n[ \t]*)*)class\s+(\w+)\s*\(([^)]*)\)/g)) {
    if (/\b(Layer|Model)\b/.test(m[3]) && !/register_keras_serializable/.test(m[1])) {
      found.push({ name: m[2], model: !/\bLayer\b/.test(m[3]) });
    }
  }
  return found;
}

/**
 * The custom layer classes a saved model holds that Keras 3 must find to load it: unregistered
 * `Layer` subclasses defined in the code and instantiated (`Cls(...)`, not its own `class` line) in
 * the code that builds the model: before the model's save at the top level of the cell (a
 * functional model or a `Sequential`), or in the function that returns it (`model = create_model()`).
 */
function layerClassesOfModel(made: RegExpMatchArray, savedAt: number, text: string): string[] {
  const callee = made[1].split('.').pop()!;
  let scope: string | null = null;
  if (BUILT_IN_MODELS.has(callee) && !new RegExp(`class\\s+${escapeRegExp(callee)}\\b`).test(text)) {
    scope = text.slice(0, Math.max(savedAt, (made.index ?? 0) + made[0].length));
  } else if (!made[1].includes('.')) {
    const def = new RegExp(`^([ \\t]*)def\\s+${escapeRegExp(callee)}\\s*\\(`, 'm').exec(text);
    if (def) {
      // The function's text: up to the next line indented no deeper than its `def`.
      const rest = text.slice(def.index + def[0].length);
      const end = new RegExp(`\\n(?!${def[1]}[ \\t]|[ \\t]*\\n|${def[1]}\\)|$)`).exec(rest);
      scope = rest.slice(0, end ? end.index : rest.length);
    }
  }
  if (scope === null) {
    return [];
  }
  const body = scope;
  // A Model subclass counts only where it is called as a layer right where it is made (`Scale()(inputs)`):
  // a subclassed model built beside the saved one (trained on its own, a source of layers) is not in it.
  return unregisteredLayerClasses(text)
    .filter(cls => new RegExp(`(?<!class\\s+)\\b${escapeRegExp(cls.name)}\\s*\\(${cls.model ? '[^()]*(?:\\([^()]*\\)[^()]*)*\\)\\s*\\(' : ''}`).test(body))
    .map(cls => cls.name);
}

/** The last match starting before `offset`, else the first one (code that runs later, in a function or another cell): the assignment of the saved model's name. */
function nearestBefore(matches: RegExpMatchArray[], offset: number): RegExpMatchArray | null {
  let best: RegExpMatchArray | null = null;
  for (const m of matches) {
    const at = m.index ?? 0;
    const bestAt = best?.index ?? 0;
    if (at < offset ? !best || bestAt >= offset || at > bestAt : !best || (bestAt >= offset && at < bestAt)) {
      best = m;
    }
  }
  return best;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || !LOADERS.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const pathArg = parts.positional[0] ?? parts.keywords.get('filepath')?.value;
  if (!pathArg || (pathArg.type !== 'string' && pathArg.type !== 'identifier')) {
    return;
  }
  const text = ctx.text;
  // The save this load reads back (helpers/paths: the nearest save of the path before it, as a
  // path written twice holds the second model): `model.save(PATH)` or `save_model(model, PATH)`.
  const uses = pathUses(node, ctx);
  const use = uses.find(u => u.call === node && u.kind === 'load-model');
  const save = use ? pathSegment(use, uses.filter(u => u.path.key === use.path.key)).find(u => u.kind === 'save-model') : undefined;
  const saveParts = save ? callParts(save.call, ctx) : null;
  const savedModel = saveParts ? (calleeName(saveParts.fn, ctx) === 'save_model' ? saveParts.positional[0] : child(saveParts.fn, 'object')) : null;
  if (!save || !savedModel || savedModel.type !== 'identifier') {
    return;
  }
  const savedName = ctx.textOf(savedModel);
  // The model saved is the one last assigned to its name before the save.
  const made = nearestBefore([...text.matchAll(new RegExp(`^\\s*${escapeRegExp(savedName)}\\s*=\\s*([\\w.]+)\\(`, 'gm'))], save.call.start);
  if (!made) {
    return;
  }
  const custom = parts.keywords.get('custom_objects')?.value ?? parts.positional[1];
  const named = (cls: string): boolean => !!custom && (custom.type !== 'dictionary' || new RegExp(`["']${escapeRegExp(cls)}["']`).test(ctx.textOf(custom)));
  const cls = made[1];
  const def = /^\w+$/.test(cls) ? new RegExp(`(@[^\\n]*\\n\\s*)*class\\s+${escapeRegExp(cls)}\\s*\\(([^)]*)\\)`).exec(text) : null;
  if (def && /\bModel\b/.test(def[2])) {
    if (/register_keras_serializable/.test(def[0]) || named(cls)) {
      return;
    }
    const clsNode = classNamed(node, cls, ctx);
    ctx.report(
      parts.fn,
      `\`${savedName}\` is a \`${cls}\`, a subclassed model, saved to ${ctx.textOf(pathArg)}: Keras 3 rebuilds it from its class ("Could not locate class '${cls}'"; Keras 2 revived a SavedModel without it). Pass \`custom_objects={"${cls}": ${cls}}\` (or register the class with \`@keras.saving.register_keras_serializable()\`) and give it a \`get_config()\` returning its constructor's arguments, or reload the weights into a new \`${cls}\`.`,
      clsNode ? registrationFix(clsNode, cls, ctx) : null
    );
    return;
  }
  // Custom objects given another way (a scope, the global registry): not followed.
  if ((custom && custom.type !== 'dictionary') || /custom_object_scope|CustomObjectScope|get_custom_objects/.test(text)) {
    return;
  }
  for (const layer of layerClassesOfModel(made, save.call.start, text)) {
    if (named(layer)) {
      continue;
    }
    const clsNode = classNamed(node, layer, ctx);
    ctx.report(
      parts.fn,
      `\`${savedName}\`, saved to ${ctx.textOf(pathArg)}, holds a \`${layer}\` layer, a Layer or Model subclass of this code: Keras 3 rebuilds the model from its config and needs the class ("Could not locate class '${layer}'"; Keras 2 revived a SavedModel without it). Pass \`custom_objects={"${layer}": ${layer}}\` or register the class with \`@keras.saving.register_keras_serializable()\` (with a \`get_config()\` returning its constructor's arguments).`,
      clsNode ? registrationFix(clsNode, layer, ctx) : null
    );
  }
}

export const subclassedModelLoadWithoutClass: RuleDefinition = {
  code: 'KM231',
  name: 'subclassed-model-load-without-class',
  slug: 'savedmodel-load',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['load_model'],
  docs: {
    whatItDoes:
      'Flags `load_model(PATH)` of a model the code saved to the same PATH (a literal, or the same name) with `model.save(PATH)` or `save_model(model, PATH)` (the nearest such save before the load: a path written twice holds the second model) when that model was made from a `keras.Model` subclass defined in the same code, the class is not registered with `@keras.saving.register_keras_serializable()` and `custom_objects` (a dict literal) does not name it. Also, for a model made by `keras.Model(...)` / `Sequential(...)` (or by a function of the code that returns it, `model = create_model()`), each unregistered `Layer` (or `Model`) subclass of the code instantiated in the code that builds it (the top level before the save, or that function) and not named in `custom_objects` (no finding where the program uses a `custom_object_scope` or `get_custom_objects`).',
    why:
      'Keras 2 revived a subclassed model from its SavedModel directory without its Python class. Keras 3 saves the `.keras` format, which rebuilds the model from its class and `get_config()`: without the class the load fails with "Could not locate class \'NAME\'" on every backend (checked by running Keras 3.15 on each; keras.io ShiftViT saves and reloads its subclassed model this way). Fix safety: a suggestion. It registers the class with `@keras.saving.register_keras_serializable()` (every load then finds it) and, unless its `get_config()` already returns exactly the constructor\'s arguments (or it has no `__init__()`, whose default config Keras 3 writes), gives it a `get_config()` returning them (each kept as `self.<name>` after `super().__init__()` where no attribute of that name exists) and a `from_config()` turning the Keras objects among them (a layer passed to the constructor, saved as its config) back into objects (ran on TensorFlow, JAX and PyTorch: keras.io ShiftViT, whose `get_config()` returned its sub-layers). A Layer subclass gets the same fix (keras.io feature engineering with a custom feature layer, whose `__init__(self, *args, **kwargs)` only hands everything to the base class: registered only, Keras 3\'s own get_config() rebuilds it). Where the code deletes the class (`del CustomModel`, as the keras.io serialization guide does), its methods\' `super(CustomModel, self)` becomes `super()`: the registered class still loads, but the two-argument form looks the deleted name up (NameError). No fix when an argument\'s name is an attribute holding something else, the constructor takes `*args` beside named parameters or annotated parameters, has no `super().__init__(...)`, or the class has a `from_config()` of its own.',
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
