import { child, enclosingStatement, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { appendArgument, lastAssignedValue } from '../helpers/calls';
import { onlyVisibleDefinition } from '../helpers/model-code';
import { callParts, escapeRegExp, KERAS_CALLEES, lineStartAt } from '../rule-helpers';

/** Noted where the program builds a `Lambda` layer around a Python `lambda`. */
const PYTHON_LAMBDA_LAYER = 'lambda-layer-with-python-lambda';

const LOADERS = new Set(['keras.models.load_model', 'keras.saving.load_model']);
const CLONERS = new Set(['keras.models.clone_model']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  if (name === 'keras.layers.Lambda') {
    if (isPythonLambdaLayer(node, ctx)) {
      ctx.note(PYTHON_LAMBDA_LAYER);
    }
    return;
  }
  if (name && CLONERS.has(name)) {
    reportClone(node, ctx);
    return;
  }
  if (!name || !LOADERS.has(name) || parts.keywords.has('safe_mode') || parts.splat || !parts.args || parts.positional.length > 3) {
    return;
  }
  if (savedWithoutLambda(node, parts.positional[0] ?? parts.keywords.get('filepath')?.value ?? null, ctx)) {
    return;
  }
  // The finding only stands when the program built a Lambda around a Python lambda before this
  // load (earlier in this cell or in an earlier cell): a model from elsewhere may have none.
  ctx.report(
    node,
    'This program builds a `Lambda` layer around a Python `lambda`: Keras 3 refuses to load such a model (.keras or .h5) unless `safe_mode=False` ("Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda"), which Keras 2 never asked for. Pass `safe_mode=False` for files this program wrote, or replace the lambda by a registered function or a layer.',
    { title: 'Pass `safe_mode=False`', safe: true, edits: [appendArgument(parts.args, 'safe_mode=False', ctx)] },
    undefined,
    lambdaLayerBefore(node, ctx) ? undefined : 'earlier:' + PYTHON_LAMBDA_LAYER
  );
}

/**
 * `keras.models.clone_model(model)` of a model holding a `Lambda(lambda ...)` (keras.io DDIM's EMA
 * network with a lambda): Keras 3 clones through the layers' configs and refuses the lambda's
 * bytecode on every backend (checked on Keras 3.15, og45a); `clone_model` takes no `safe_mode`, so
 * the fix allows unsafe deserialization before it, for the rest of the program.
 */
function reportClone(node: SyntaxNode, ctx: RuleContext): void {
  // Allowed already (the fix's own line, or the program's).
  if (/\benable_unsafe_deserialization\s*\(/.test(ctx.text.slice(0, node.start))) {
    return;
  }
  const statement = enclosingStatement(node) ?? node;
  const keras = ctx.kerasImportEdit();
  const at = lineStartAt(ctx.text, statement.start);
  const indent = ctx.text.slice(at, statement.start);
  ctx.report(
    node,
    'This program builds a `Lambda` layer around a Python `lambda`: Keras 3 clones a model through its layers\' configs and refuses to deserialize the lambda ("Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda") on every backend; Keras 2 cloned it. `clone_model` takes no `safe_mode`: call `keras.config.enable_unsafe_deserialization()` before it (for the rest of the program), or replace the lambda by a registered function or a layer.',
    {
      title: 'Allow unsafe deserialization before the clone',
      // Global: later loads of lambdas no longer ask for `safe_mode=False` either.
      safe: false,
      edits: [{ start: at, end: at, text: `${indent}keras.config.enable_unsafe_deserialization()  # clone_model rebuilds the Lambda's Python lambda\n` }, ...(keras ? [keras] : [])]
    },
    undefined,
    lambdaLayerBefore(node, ctx) ? undefined : 'earlier:' + PYTHON_LAMBDA_LAYER
  );
}

/**
 * Whether the file loaded here was saved above in the cell (`model.save("m.keras")`, the same literal)
 * from a `Sequential` whose list holds no `Lambda` and that nothing `add`s to: another model of the
 * program holding the lambda does not matter (og47a repro_3, Géron's ch. 12 loads models without one).
 */
function savedWithoutLambda(load: SyntaxNode, path: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!path || path.type !== 'string') {
    return false;
  }
  const before = ctx.text.slice(0, load.start);
  const saves = [...before.matchAll(new RegExp(`(?<![\\w.])([A-Za-z_]\\w*)\\s*\\.\\s*save\\(\\s*${escapeRegExp(ctx.textOf(path))}\\s*[,)]`, 'g'))];
  const last = saves[saves.length - 1];
  if (!last || last.index === undefined) {
    return false;
  }
  const name = last[1];
  const value = lastAssignedValue(name, load, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  // `model = Regressor(1)` of a model class of the cell that makes no Lambda (handson-ml3 ch. 12, og49d repro_4).
  if (fn?.type === 'identifier' && !new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\s*\\.\\s*add\\(`).test(ctx.text)) {
    const cls = onlyVisibleDefinition(load, 'class_definition', ctx.textOf(fn), ctx);
    if (cls && !/\bLambda\b/.test(ctx.textOf(cls))) {
      return true;
    }
  }
  const list = value ? child(value, 'arguments')?.children.find(c => c.type !== 'comment') : null;
  return (
    !!fn &&
    /^keras\.(models\.)?Sequential$/.test(ctx.resolveKeras(fn) ?? '') &&
    list?.type === 'list' &&
    !/\bLambda\b/.test(ctx.textOf(list)) &&
    !new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\s*\\.\\s*add\\(`).test(ctx.text)
  );
}

function isPythonLambdaLayer(call: SyntaxNode, ctx: RuleContext): boolean {
  const parts = callParts(call, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.Lambda') {
    return false;
  }
  const fn = parts.positional[0] ?? parts.keywords.get('function')?.value;
  return fn?.type === 'lambda';
}

/** Whether this cell builds a `Lambda(lambda ...)` before `node`. */
function lambdaLayerBefore(node: SyntaxNode, ctx: RuleContext): boolean {
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  let found = false;
  const visit = (n: SyntaxNode): void => {
    if (found || n.start >= node.start) {
      return;
    }
    if (n.type === 'call' && isPythonLambdaLayer(n, ctx)) {
      found = true;
      return;
    }
    n.children.forEach(visit);
  };
  visit(root);
  return found;
}

export const lambdaLayerLoad: RuleDefinition = {
  code: 'KM202',
  name: 'lambda-layer-load',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `load_model(...)` without `safe_mode=`, and `clone_model(...)`, after the program built a `Lambda` layer around a Python `lambda` (earlier in the cell or in an earlier cell).',
    why:
      'Keras 3 stores a Python lambda as bytecode and refuses to deserialize it by default, from `.keras` and legacy `.h5` files alike: `load_model` raises "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda" on every backend (checked on Keras 3.15). Keras 2 loaded such models without asking. For a file the program itself wrote, `safe_mode=False` loads it as Keras 2 did; the fix is safe because the load failed without it. `keras.models.clone_model` rebuilds each layer from its config and refuses the lambda the same way (keras.io DDIM\'s EMA network); it takes no `safe_mode`, so its fix (a suggestion) calls `keras.config.enable_unsafe_deserialization()` before the clone, which allows it for the rest of the program.',
    example:
      'import keras\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2.0)(inputs))\nmodel.save("m.keras")\nrestored = keras.models.load_model("m.keras")',
    useInstead:
      'import keras\ninputs = keras.Input((3,))\nmodel = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2.0)(inputs))\nmodel.save("m.keras")\nrestored = keras.models.load_model("m.keras", safe_mode=False)'
  },
  calls: { resolved: KERAS_CALLEES },
  // Findings are on calls resolving to `load_model` or `clone_model` (the Lambda calls only note a fact for them).
  requires: ['load_model', 'clone_model'],
  visitors: { call: visit }
};
