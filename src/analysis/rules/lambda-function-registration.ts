import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lineStartAt, withKerasImport } from '../rule-helpers';

/** Noted for each named function a `Lambda` layer wraps: `lambda-function:NAME`. */
const LAMBDA_FUNCTION = 'lambda-function:';
/** Noted where the program rebuilds a model from its config (clone, load, from_config, from JSON). */
const REBUILT = 'model-rebuilt-from-config';

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
    const fn = parts.positional[0] ?? parts.keywords.get('function')?.value;
    if (fn && fn.type === 'identifier') {
      ctx.note(LAMBDA_FUNCTION + ctx.textOf(fn));
    }
    return;
  }
  // custom_objects= (or **kwargs that may hold it) can name the function: then nothing fails.
  if (name && REBUILDERS.has(name) && !parts.keywords.has('custom_objects') && !parts.splat) {
    ctx.note(REBUILT);
  }
}

/** The decorators' text of a function definition. */
function decoratorsOf(def: SyntaxNode, ctx: RuleContext): string[] {
  const parent = def.parent;
  if (!parent || parent.type !== 'decorated_definition') {
    return [];
  }
  return parent.children.filter(c => c.type === 'decorator').map(c => ctx.textOf(c));
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
  const decorators = decoratorsOf(node, ctx);
  if (decorators.some(d => /register_keras_serializable|register_serializable/.test(d))) {
    return;
  }
  const name = ctx.textOf(nameNode);
  // The decorator goes above the definition (and above its other decorators), at its indentation.
  const first = node.parent && node.parent.type === 'decorated_definition' ? node.parent : node;
  const lineStart = lineStartAt(ctx.text, first.start);
  const indent = ctx.text.slice(lineStart, first.start);
  const edits: OffsetEdit[] = [{ start: first.start, end: first.start, text: `@keras.saving.register_keras_serializable()\n${indent}` }];
  ctx.report(
    nameNode,
    `\`${name}\` is wrapped in a \`Lambda\` layer of a model this program rebuilds from its config (clone_model, load_model, from_config): Keras 3 saves the function by name and finds it again only when it is registered ("Could not locate function '${name}'"). Keras 2 saved its bytecode. Register it with \`@keras.saving.register_keras_serializable()\`.`,
    { title: 'Register the function with `@keras.saving.register_keras_serializable()`', safe: true, edits: withKerasImport(ctx, edits) },
    undefined,
    `anywhere:${LAMBDA_FUNCTION}${name} & anywhere:${REBUILT}`
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
      'Flags a function passed by name to a `Lambda` layer when the program rebuilds a model from its config (`clone_model`, `load_model`, `Model.from_config`, `model_from_json`) without `custom_objects=`, and the function is not registered.',
    why:
      'Keras 2 stored a Lambda layer\'s function as bytecode and rebuilt it anywhere. Keras 3 stores a named function by its name and looks it up among registered objects when the layer is rebuilt: `clone_model`, `load_model` (.keras and legacy .h5), `from_config` and `model_from_json` raise "Could not locate function \'...\'" on every backend (checked on Keras 3.15), as the keras.io DDIM example hit with its cloned EMA network. Registering the function is what the Keras team did; it is safe because the rebuild failed without it.',
    example:
      'import keras\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nema_model = keras.models.clone_model(model)',
    useInstead:
      'import keras\n@keras.saving.register_keras_serializable()\ndef double(t):\n    return t * 2.0\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(double)(inputs))\nema_model = keras.models.clone_model(model)'
  },
  visitors: { function_definition: visitFunction, call: visitCall }
};
