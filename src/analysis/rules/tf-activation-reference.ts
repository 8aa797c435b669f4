import type { SyntaxNode } from '../ast';
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

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Only references (`activation=tf.nn.relu`, `Activation(tf.nn.relu)`), not calls: calls are KM131/KM071.
  if (!keywordArgumentOfValue(node) && !isLayerFunctionArgument(node, ctx)) {
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
    whatItDoes: 'Flags TensorFlow activation functions passed as arguments, such as `Dense(64, activation=tf.nn.relu)`, also as a branch of a conditional expression there (`activation=tf.nn.gelu if idx == 0 else None`).',
    why:
      'The layer calls the function on backend tensors; a TF function cannot take JAX or PyTorch tensors. `keras.activations` has the same functions with the same defaults (guide section "Switching to Keras ops").',
    example: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(64, activation=tf.nn.relu)',
    useInstead: 'import keras\nlayer = keras.layers.Dense(64, activation=keras.activations.relu)'
  },
  attributes: { resolved: ['tensorflow.'] },
  visitors: { attribute: visit }
};
