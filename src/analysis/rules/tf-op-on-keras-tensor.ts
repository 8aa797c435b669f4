import { child, identifiersIn, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { isTfOpName } from '../knowledge';
import { callParts, tfApiName, tfOpCall } from '../rule-helpers';
import { inModelConstructorArgument } from '../helpers/model-constructor-argument';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const canonical = ctx.resolve(parts.fn);
  const args = [...parts.positional, ...[...parts.keywords.values()].map(k => k.value)];
  if (canonical?.startsWith(TFP)) {
    visitProbabilityCall(parts.fn, canonical, args, ctx);
    return;
  }
  const name = tfApiName(canonical);
  if (!name || name.startsWith('tf.data.')) {
    return;
  }
  // In the outputs of `keras.Model(...)`, a layer call's result is a KerasTensor even where its input
  // is a name the analysis cannot follow (unpacked from a helper's tuple).
  const symbolic =
    args.find(a => ctx.isSymbolic(a)) ??
    (isTfOpName(name) && inModelConstructorArgument(node, ctx)
      ? args.find(a => a.type === 'call' && ctx.isLayerInstance(child(a, 'function') ?? a))
      : undefined);
  // In a notebook function that code elsewhere calls with KerasTensors (`log_scale(inputs["a"])`),
  // its TF ops get them too: the finding holds when such a call exists, in any cell.
  // A lambda in such a function is a callback with its own parameters (`dataset.map(lambda x:
  // tf.expand_dims(x, -1))`, a tf.data pipeline that stays TensorFlow; a `Lambda` layer's is KM131's).
  const outer = symbolic || ctx.fn?.name === '<lambda>' ? null : ctx.notebookFunction();
  if (!symbolic && !(outer && isTfOpName(name))) {
    return;
  }
  const { mapping, target, conversion } = tfOpCall(node, ctx)!;
  const batchRead = name === 'tf.shape' && batchEntryRead(node, ctx);
  // `n, h, w, c = tf.shape(x)` then `tf.minimum(4, n)` (keras.io StyleGAN's minibatch_std called on a
  // KerasTensor): `keras.ops.shape` of a KerasTensor gives None for the batch size, and computing
  // with None fails on every backend (measured on Keras 3: "Attempt to convert a value (None)" on
  // TensorFlow, "None is not a valid value for jnp.array" on JAX). No rewrite of the call helps.
  const { fix, unmapped } = batchRead ? { fix: null, unmapped: null } : conversion;
  const how = batchRead
    ? 'its batch entry is read, and `keras.ops.shape` gives None for the batch size of a KerasTensor (computing with it fails on every backend): ' +
      'move the code into the `call()` of a layer (a `keras.layers.Layer` subclass with `compute_output_shape`), where the batch size is known ' +
      '(a Python int on JAX and PyTorch, where shape arithmetic must stay in Python, `min()` rather than `keras.ops.minimum`; a scalar tensor on TensorFlow).'
    : unmapped
      ? `\`${target}\` has no counterpart for ${unmapped}: rewrite the call by hand or wrap the TF code in a layer.`
      : target
        ? `use \`${target}\`${mapping ? '' : ' (check its arguments)'} or wrap the TF code in a layer.`
        : 'use keras.ops or wrap the TF code in a layer.';
  if (symbolic) {
    ctx.report(parts.fn, `\`${name}\` is applied to \`${ctx.textOf(symbolic)}\`, a symbolic Keras tensor; ${how}`, fix);
  } else {
    const fnName = outer!.name;
    ctx.report(parts.fn, `\`${name}\` in \`${fnName}()\`, which is called with symbolic Keras tensors; ${how}`, fix, undefined, 'functional:' + fnName);
  }
}

const TFP = 'tensorflow_probability.';

/**
 * TensorFlow Probability called on a KerasTensor while a Functional model is built
 * (`tfp.distributions.Categorical(logits=x)` in keras.io's VQ-VAE sampler): TFP's distributions
 * and functions run TensorFlow ops on their arguments, which refuse a KerasTensor on every backend
 * with KM071's error ("A KerasTensor cannot be used as input to a TensorFlow function"; run on
 * Keras 3.15 with TFP 0.25). No rewrite: `keras.random.categorical`, `keras.ops` or a layer
 * subclass doing the sampling in `call()` replaces it by hand.
 */
function visitProbabilityCall(fn: SyntaxNode, canonical: string, args: SyntaxNode[], ctx: RuleContext): void {
  const symbolic = args.find(a => ctx.isSymbolic(a));
  if (!symbolic) {
    return;
  }
  const name = 'tfp.' + canonical.slice(TFP.length).replace(/^python\./, '');
  ctx.report(
    fn,
    `\`${name}\` is applied to \`${ctx.textOf(symbolic)}\`, a symbolic Keras tensor: TensorFlow Probability runs TensorFlow ops on it, which refuse a KerasTensor on every backend; compute it with \`keras.ops\` / \`keras.random\` (\`keras.random.categorical(logits, 1)\` samples a categorical) or inside the \`call()\` of a layer subclass.`,
    null
  );
}

/** Whether `node` is `index` 0 (`[0]`, `[-k]` aside) or a slice from the start (`[:2]`, `[0:2]`). */
function readsFirstEntry(index: SyntaxNode, ctx: RuleContext): boolean {
  const text = ctx.textOf(index).replace(/\s+/g, '');
  if (index.type === 'slice') {
    return /^(0?)(:|$)/.test(text);
  }
  return text === '0' || !/^-?\d+$/.test(text);
}

/**
 * Whether the batch entry of a shape value is read: `value[0]`, a slice from the start, the value
 * passed on whole (`tf.zeros(tf.shape(x))`, `tf.reshape(y, shape)`), or the first name it is
 * unpacked into read later in the scope. `value[1:3]`, `value[-1]`, `len(value)`, a `.shape` read
 * and an unread first name (`_, h, w, c = ...`) are not.
 */
function shapeBatchRead(value: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  const parent = value.parent;
  if (!parent || depth > 2) {
    return false;
  }
  if (parent.type === 'subscript' && child(parent, 'value') === value) {
    const index = parent.children.filter(c => c !== value && c.type !== '[' && c.type !== ']' && c.type !== ',' && c.type !== 'comment');
    return index.length === 1 && readsFirstEntry(index[0], ctx);
  }
  if (parent.type === 'attribute') {
    return false;
  }
  if (parent.type === 'argument_list') {
    const fn = parent.parent?.type === 'call' ? child(parent.parent, 'function') : null;
    return !(fn?.type === 'identifier' && ['len', 'print'].includes(ctx.textOf(fn)));
  }
  if (parent.type === 'assignment' && child(parent, 'right') === value) {
    const left = child(parent, 'left');
    const scope = scopeOf(parent);
    if (!left || !scope) {
      return false;
    }
    if (left.type === 'identifier') {
      const name = ctx.textOf(left);
      return readsOf(scope, name, parent, ctx).some(r => shapeBatchRead(r, ctx, depth + 1));
    }
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      const first = itemsOf(left)[0];
      return first?.type === 'identifier' && readsOf(scope, ctx.textOf(first), parent, ctx).length > 0;
    }
    return false;
  }
  // An argument (`keyword_argument`), a list or tuple entry (`[tf.shape(x)[0], 1]`): a read.
  return parent.type === 'keyword_argument' || parent.type === 'list' || parent.type === 'tuple' || parent.type === 'return_statement';
}

/** The function body (or module) a statement is in. */
function scopeOf(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node.parent;
  while (n && n.type !== 'function_definition' && n.type !== 'module') {
    n = n.parent;
  }
  return n;
}

/** Identifiers `name` in `scope` after `statement`, other than assignment targets. */
function readsOf(scope: SyntaxNode, name: string, statement: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return identifiersIn(scope).filter(id => {
    if (id.start < statement.end || ctx.textOf(id) !== name) {
      return false;
    }
    const p = id.parent;
    return !(p?.type === 'assignment' && child(p, 'left') === id) && !(p?.type === 'keyword_argument' && child(p, 'name') === id);
  });
}

/** Whether the `tf.shape(...)` call's batch entry is read (shapeBatchRead). */
function batchEntryRead(call: SyntaxNode, ctx: RuleContext): boolean {
  let value = call;
  while (value.parent?.type === 'parenthesized_expression') {
    value = value.parent;
  }
  return shapeBatchRead(value, ctx);
}

export const tfOpOnKerasTensor: RuleDefinition = {
  code: 'KM071',
  name: 'tf-op-on-keras-tensor',
  slug: 'kerastensor-tf-op',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Follows symbolic tensors of Functional models (from `keras.Input`, through layer calls, layer-returning helper functions, loop variables, assignments and containers filled by subscript, across cells) and flags TensorFlow functions applied to them, also inside notebook functions the model-building code calls with KerasTensors.',
    why:
      'In Keras 3 the placeholders of a Functional model are KerasTensors, not TensorFlow tensors, and TF functions refuse them with "A KerasTensor cannot be used as input to a TensorFlow function" (guide section "Calling TF ops with a KerasTensor"). `keras.ops` functions accept them.',
    example: 'import keras\nimport tensorflow as tf\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = tf.nn.relu(x)',
    useInstead: 'import keras\ninputs = keras.Input((8,))\nx = keras.layers.Dense(4)(inputs)\ny = keras.ops.relu(x)'
  },
  calls: { resolved: ['tensorflow.', 'tensorflow_probability.'] },
  visitors: { call: visit }
};
