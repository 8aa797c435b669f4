import { child, SyntaxNode } from '../ast';
import { moduleFunctionDefinition } from '../helpers/tape-context';
import type { RuleContext, RuleDefinition } from '../rule';
import { keywordArgumentOfValue, TF_ACTIVATION_EQUIVALENTS, tfApiName, withKerasImport } from '../rule-helpers';

/** The first positional argument of `keras.layers.Activation(...)` or `keras.layers.Lambda(...)`. */
function isLayerFunctionArgument(node: SyntaxNode, ctx: RuleContext): boolean {
  const args = node.parent;
  const call = args?.parent;
  if (!args || args.type !== 'argument_list' || !call || call.type !== 'call') {
    return false;
  }
  const first = args.children.find(c => c.type !== 'comment');
  const fn = call.children.find(c => c.field === 'function');
  const layer = fn ? ctx.resolveKeras(fn) : null;
  return first === node && (layer === 'keras.layers.Activation' || layer === 'keras.layers.Lambda');
}

/** The default of a parameter (`def mlp(x, activation=tf.tanh)`): the function the body hands on. */
function isParameterDefault(node: SyntaxNode): boolean {
  return node.field === 'value' && (node.parent?.type === 'default_parameter' || node.parent?.type === 'typed_default_parameter');
}

/**
 * A positional argument of a call to a function of this cell whose parameter at that place is an
 * activation (keras.io PPO's `mlp(x, sizes, tf.tanh, None)` for `def mlp(x, sizes, activation=..., ...)`).
 */
function isActivationParameterArgument(node: SyntaxNode, ctx: RuleContext): boolean {
  const args = node.parent;
  const call = args?.parent;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  if (args?.type !== 'argument_list' || fn?.type !== 'identifier') {
    return false;
  }
  const def = moduleFunctionDefinition(ctx.textOf(fn), call!, ctx);
  const positional = args.children.filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  const index = positional.indexOf(node);
  if (!def || index < 0 || positional.slice(0, index).some(c => c.type === 'keyword_argument' || c.type === 'list_splat' || c.type === 'dictionary_splat')) {
    return false;
  }
  const params = (child(def, 'parameters')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  const param = params[index];
  const name = param ? (param.type === 'identifier' ? param : child(param, 'name')) : null;
  return !!name && name.type === 'identifier' && /activation/.test(ctx.textOf(name));
}

/**
 * The value of a dict entry keyed like an activation: a layer config splatted into layers
 * (keras.io PatchConvNet's `config = {"kernel_size": (3, 3), "activation": tf.nn.gelu}` then
 * `layers.Conv2D(filters, **config)`).
 */
function isActivationEntryValue(node: SyntaxNode, ctx: RuleContext): boolean {
  const pair = node.parent;
  const key = pair?.type === 'pair' && node.field === 'value' ? child(pair, 'key') : null;
  return !!key && key.type === 'string' && /activation/.test(ctx.textOf(key));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Only references (`activation=tf.nn.relu`, `Activation(tf.nn.relu)`), not calls: calls are KM131/KM071.
  if (
    !keywordArgumentOfValue(node) &&
    !isLayerFunctionArgument(node, ctx) &&
    !isParameterDefault(node) &&
    !isActivationParameterArgument(node, ctx) &&
    !isActivationEntryValue(node, ctx)
  ) {
    return;
  }
  const name = tfApiName(ctx.resolve(node));
  const target = name ? TF_ACTIVATION_EQUIVALENTS[name] : undefined;
  if (!target) {
    return;
  }
  ctx.report(node, `\`${name}\` passed as a function only works on the TensorFlow backend; use \`${target}\`.`, {
    title: `Use \`${target}\``,
    safe: true,
    edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: target }])
  });
}

export const tfActivationReference: RuleDefinition = {
  code: 'KM133',
  name: 'tf-activation-reference',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags TensorFlow activation functions passed as arguments, such as `Dense(64, activation=tf.nn.relu)`, also as a branch of a conditional expression there (`activation=tf.nn.gelu if idx == 0 else None`), as a parameter\'s default (`def mlp(x, sizes, activation=tf.tanh)`), given positionally for a parameter named like `activation` of a function of the cell (keras.io PPO\'s `mlp(x, sizes, tf.tanh, None)`), and as the value of a dict entry keyed like `activation` (a layer config splatted into layers: keras.io PatchConvNet\'s `config = {"activation": tf.nn.gelu, ...}` then `layers.Conv2D(filters, **config)`).',
    why:
      'The layer calls the function on backend tensors; a TF function cannot take JAX or PyTorch tensors. `keras.activations` has the same functions with the same defaults (guide section "Switching to Keras ops").',
    example: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(64, activation=tf.nn.relu)',
    useInstead: 'import keras\nlayer = keras.layers.Dense(64, activation=keras.activations.relu)'
  },
  attributes: { resolved: ['tensorflow.'] },
  visitors: { attribute: visit }
};
