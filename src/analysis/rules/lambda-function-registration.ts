import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, stringValue, withKerasImport } from '../rule-helpers';
import { isRegistered, registrationDecoratorEdit } from '../helpers/registration';

/** Noted for each named function a `Lambda` layer wraps (its function or its output_shape): `lambda-function:NAME`. */
const LAMBDA_FUNCTION = 'lambda-function:';
/** Noted where the program rebuilds a model from its config (clone, load, from_config, from JSON). */
const REBUILT = 'model-rebuilt-from-config';
/** Noted where a rebuild passes a dict literal of custom objects; each string key is noted as `custom-object:NAME`. */
const REBUILT_WITH_CUSTOM_OBJECTS = 'model-rebuilt-with-custom-objects';
const CUSTOM_OBJECT = 'custom-object:';

/** Calls that rebuild a model's layers from their config (and so look the Lambda's function up by name). */
const REBUILDERS = new Set([
  'keras.models.clone_model',
  'keras.models.load_model',
  'keras.saving.load_model',
  'keras.models.model_from_json',
  'keras.models.model_from_config',
  'keras.Model.from_config',
  'keras.models.Model.from_config',
  'keras.Sequential.from_config',
  'keras.models.Sequential.from_config'
]);

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name === 'keras.layers.Lambda') {
    // Keras 3 saves a named output_shape function by name too, and looks it up the same way.
    const fn = parts.positional[0] ?? parts.keywords.get('function')?.value;
    const outputShape = parts.positional[1] ?? parts.keywords.get('output_shape')?.value;
    for (const f of [fn, outputShape]) {
      if (f && f.type === 'identifier') {
        ctx.note(LAMBDA_FUNCTION + ctx.textOf(f));
      }
    }
    return;
  }
  if (!name || !REBUILDERS.has(name) || parts.splat) {
    return;
  }
  // custom_objects= (or **kwargs that may hold it) can name the function: then nothing fails.
  const customObjects = parts.keywords.get('custom_objects')?.value;
  if (!customObjects) {
    ctx.note(REBUILT);
    return;
  }
  // A dict literal names what it holds: a function it leaves out is still looked up by name and
  // not found (Keras 2 programs name the loss and metrics there, but never a Lambda's output_shape
  // function, which Keras 2 saved as bytecode).
  const keys = literalDictKeys(customObjects, ctx);
  if (keys) {
    ctx.note(REBUILT_WITH_CUSTOM_OBJECTS);
    keys.forEach(key => ctx.note(CUSTOM_OBJECT + key));
  }
}

/** The string keys of a dict literal, or null when it has other keys or `**` entries. */
function literalDictKeys(node: SyntaxNode, ctx: RuleContext): string[] | null {
  if (node.type !== 'dictionary') {
    return null;
  }
  const keys: string[] = [];
  for (const entry of node.children) {
    if (entry.type === 'comment') {
      continue;
    }
    const key = entry.type === 'pair' ? stringValue(child(entry, 'key'), ctx) : null;
    if (key === null) {
      return null;
    }
    keys.push(key);
  }
  return keys;
}

function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  if (!nameNode) {
    return;
  }
  // Methods are not what a Lambda layer names; a nested def is (registered when it runs).
  let up = node.parent;
  while (up && up.type !== 'class_definition' && up.type !== 'function_definition') {
    up = up.parent;
  }
  if (up && up.type === 'class_definition') {
    return;
  }
  if (isRegistered(node, ctx)) {
    return;
  }
  const name = ctx.textOf(nameNode);
  const edits: OffsetEdit[] = [registrationDecoratorEdit(node, ctx)];
  ctx.report(
    nameNode,
    `\`${name}\` is wrapped in a \`Lambda\` layer (as its function or its output_shape) of a model this program rebuilds from its config (clone_model, load_model, from_config) without naming it in custom_objects: Keras 3 saves the function by name and finds it again only when it is registered ("Could not locate function '${name}'"). Keras 2 saved its bytecode. Register it with \`@keras.saving.register_keras_serializable()\`.`,
    { title: 'Register the function with `@keras.saving.register_keras_serializable()`', safe: true, edits: withKerasImport(ctx, edits) },
    undefined,
    `anywhere:${LAMBDA_FUNCTION}${name} & anywhere:${REBUILT} | ` +
      `anywhere:${LAMBDA_FUNCTION}${name} & anywhere:${REBUILT_WITH_CUSTOM_OBJECTS} & !anywhere:${CUSTOM_OBJECT}${name}`
  );
}

export const lambdaFunctionRegistration: RuleDefinition = {
  code: 'KM194',
  name: 'lambda-function-registration',
  slug: 'api-changes',
  severity: 'error',
  // Checked by running Keras 3.15: clone_model, load_model (.keras and .h5), from_config and
  // model_from_json raise "Could not locate function" on TensorFlow, JAX and PyTorch.
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a function passed by name to a `Lambda` layer (its `function` or its `output_shape`) when the program rebuilds a model from its config (`clone_model`, `load_model`, `Model.from_config`, `model_from_json`) without `custom_objects=` or with a `custom_objects` dict literal that does not name it, and the function is not registered.',
    why:
      'Keras 2 stored a Lambda layer\'s function as bytecode and rebuilt it anywhere. Keras 3 stores a named function by its name and looks it up among registered objects when the layer is rebuilt: `clone_model`, `load_model` (.keras and legacy .h5), `from_config` and `model_from_json` raise "Could not locate function \'...\'" on every backend (checked on Keras 3.15), as the keras.io DDIM example hit with its cloned EMA network. The same holds for a named `output_shape` function (`Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)` in the Keras 2 siamese examples), which Keras 2 programs never listed in the `custom_objects` they passed for their loss and metrics (checked on Keras 3.15, .keras and .h5, all three backends). Registering the function is what the Keras team did; it is safe because the rebuild failed without it.',
    example:
      'import keras\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nema_model = keras.models.clone_model(model)',
    useInstead:
      'import keras\n@keras.saving.register_keras_serializable()\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nema_model = keras.models.clone_model(model)'
  },
  // Its findings hold only for a function some `Lambda(...)` wraps (the `lambda-function:` fact).
  requires: ['Lambda'],
  visitors: { function_definition: visitFunction, call: visitCall }
};
