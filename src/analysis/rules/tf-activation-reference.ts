import { child, SyntaxNode } from '../ast';
import { moduleFunctionDefinition } from '../helpers/tape-context';
import type { RuleContext, RuleDefinition } from '../rule';
import { isTfOpName, kerasOpNamed, MODEL_FUNCTION_KEYWORDS, tfOp } from '../knowledge';
import { heldOpReplacement } from '../helpers/op-conversion';
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

/**
 * The `functools.partial(tf.nn.leaky_relu, alpha=0.1)` call whose function the node is, given to a
 * layer (`activation=partial(...)`) or held by a name (`act = partial(...)`), else null.
 */
function partialOfFunction(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const args = node.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  const fn = call?.type === 'call' ? child(call, 'function') : null;
  const first = args?.children.find(c => c.type !== 'comment' && c.type !== '(');
  return fn && first === node && ctx.resolve(fn) === 'functools.partial' ? call : null;
}

/**
 * A TF op bound by `functools.partial` for a layer's function slot: Keras calls it on backend tensors
 * (JAX: "Unable to automatically build the model", PyTorch: "Can't call numpy() on Tensor that requires
 * grad"; /work/og46a variants/w_partial.py). No fix: the partial's keywords are TensorFlow's
 * (`alpha=`), which the Keras function may spell otherwise (`negative_slope=`).
 */
function reportPartial(node: SyntaxNode, partial: SyntaxNode, ctx: RuleContext): void {
  const canonical = ctx.resolve(node);
  const name = tfApiName(canonical);
  if (!canonical?.startsWith('tensorflow.') || !name || (!TF_ACTIVATION_EQUIVALENTS[name] && !(isTfOpName(name) && (tfOp(canonical) || kerasOpNamed(name))))) {
    return;
  }
  const keyword = keywordArgumentOfValue(partial);
  const slot = keyword ? ctx.textOf(child(keyword, 'name') ?? keyword) : null;
  const left = partial.parent?.type === 'assignment' && partial.field === 'right' ? child(partial.parent, 'left') : null;
  if (slot ? !MODEL_FUNCTION_KEYWORDS.test(slot) || /initializer$/.test(slot) : left?.type !== 'identifier') {
    return;
  }
  const target = TF_ACTIVATION_EQUIVALENTS[name] ?? 'the `keras.ops` function';
  ctx.report(
    node,
    `\`${name}\` bound by \`functools.partial\` is called on a layer's tensors${slot ? '' : ` where \`${ctx.textOf(left!)}\` is handed to a layer`}: a TensorFlow op fails there on JAX, which traces it, and on PyTorch, where they require grad; bind ${target} instead, with its own argument names.`,
    null,
    undefined,
    slot ? undefined : `model:${ctx.textOf(left!)}`,
    ['jax', 'torch']
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const partial = partialOfFunction(node, ctx);
  if (partial) {
    reportPartial(node, partial, ctx);
    return;
  }
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
  const canonical = ctx.resolve(node);
  const name = tfApiName(canonical);
  const target = name ? TF_ACTIVATION_EQUIVALENTS[name] : undefined;
  if (!target) {
    if (canonical && name) {
      visitOpReference(node, canonical, name, ctx);
    }
    return;
  }
  ctx.report(node, `\`${name}\` passed as a function only works on the TensorFlow backend; use \`${target}\`.`, {
    title: `Use \`${target}\``,
    safe: true,
    edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: target }])
  });
}

/**
 * Any other TF op handed to a layer as its function (`Dense(4, activation=tf.math.sin)`,
 * `Lambda(tf.math.exp)`, `kernel_regularizer=tf.nn.l2_loss`): the layer calls it on backend tensors
 * as it calls an activation (JAX: "Unable to automatically build the model", PyTorch: "Can't call
 * numpy() on Tensor that requires grad"; checked on Keras 3.15, /work/og46a repro_4, repro_5). The
 * `keras.ops` function whose parameters match TensorFlow's by name and place replaces it (safe in an
 * activation or Lambda slot, which hands it the tensor alone); a constraint runs after the
 * optimizer's step, without grad, so PyTorch runs it there.
 */
function visitOpReference(node: SyntaxNode, canonical: string, name: string, ctx: RuleContext): void {
  const keyword = keywordArgumentOfValue(node);
  const slot = keyword ? ctx.textOf(child(keyword, 'name') ?? keyword) : isLayerFunctionArgument(node, ctx) ? 'function' : null;
  if (!slot || !MODEL_FUNCTION_KEYWORDS.test(slot) || !canonical.startsWith('tensorflow.') || !isTfOpName(name) || (!tfOp(canonical) && !kerasOpNamed(name))) {
    return;
  }
  const replacement = heldOpReplacement(canonical);
  const plain = replacement && !replacement.lambda ? replacement.text : null;
  const unary = slot === 'function' || /activation$/.test(slot);
  const constraint = /constraint$/.test(slot);
  ctx.report(
    node,
    `\`${name}\` handed to a layer as a function (\`${slot === 'function' ? 'Lambda/Activation' : slot + '='}\`) is called on the layer's tensors: a TensorFlow op fails there on JAX, which traces it${constraint ? '' : ', and on PyTorch, where they require grad'}; ${plain ? `use \`${plain}\`` : 'write a function of `keras.ops` calls'}.`,
    plain
      ? { title: `Use \`${plain}\``, safe: unary, edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: plain }]) }
      : null,
    undefined,
    undefined,
    constraint ? ['jax'] : ['jax', 'torch']
  );
}

export const tfActivationReference: RuleDefinition = {
  code: 'KM133',
  name: 'tf-activation-reference',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags TensorFlow activation functions passed as arguments, such as `Dense(64, activation=tf.nn.relu)`, and any other TensorFlow op handed to a layer as its function (`activation=tf.math.sin`, `Lambda(tf.math.exp)`, `kernel_regularizer=`, `kernel_constraint=`), also as a branch of a conditional expression there (`activation=tf.nn.gelu if idx == 0 else None`), as a parameter\'s default (`def mlp(x, sizes, activation=tf.tanh)`), given positionally for a parameter named like `activation` of a function of the cell (keras.io PPO\'s `mlp(x, sizes, tf.tanh, None)`), and as the value of a dict entry keyed like `activation` (a layer config splatted into layers: keras.io PatchConvNet\'s `config = {"activation": tf.nn.gelu, ...}` then `layers.Conv2D(filters, **config)`).',
    why:
      'The layer calls the function on backend tensors; a TF function cannot take JAX or PyTorch tensors. `keras.activations` has the same functions with the same defaults (guide section "Switching to Keras ops"). Another TF op becomes the `keras.ops` function whose parameters match TensorFlow\'s by name and place (safe where the layer hands it the tensor alone: an activation, `Lambda`, `Activation`; a suggestion in a regularizer, initializer or constraint slot); a constraint runs after the optimizer step without grad, so it claims JAX only (checked on Keras 3.15).',
    example: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(64, activation=tf.nn.relu)',
    useInstead: 'import keras\nlayer = keras.layers.Dense(64, activation=keras.activations.relu)'
  },
  attributes: { resolved: ['tensorflow.'] },
  visitors: { attribute: visit }
};
