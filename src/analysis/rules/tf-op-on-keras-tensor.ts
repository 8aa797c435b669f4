import { child, identifiersIn, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { isTfOpName } from '../knowledge';
import { callParts, lastAssignedValue, tfApiName, tfOpCall } from '../rule-helpers';
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
  const entryRead = name === 'tf.shape' ? unknownEntryRead(node, ctx) : null;
  const batchRead = entryRead !== null;
  // `n, h, w, c = tf.shape(x)` then `tf.minimum(4, n)` (keras.io StyleGAN's minibatch_std called on a
  // KerasTensor): `keras.ops.shape` of a KerasTensor gives None for the batch size, and computing
  // with None fails on every backend (measured on Keras 3: "Attempt to convert a value (None)" on
  // TensorFlow, "None is not a valid value for jnp.array" on JAX). No rewrite of the call helps.
  const { fix, unmapped } = batchRead ? { fix: null, unmapped: null } : conversion;
  const how = entryRead === 'dimension'
    ? 'an entry its `keras.Input` leaves None is read, and `keras.ops.shape` gives None there for a KerasTensor (computing or slicing with it fails on every backend): ' +
      'move the code into the `call()` of a layer (a `keras.layers.Layer` subclass with `compute_output_shape`), where the size is known.'
    : batchRead
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

/**
 * Whether a shape value's subscript reads an entry in `unknown` (the batch entry 0, and the
 * dimensions `keras.Input` leaves None): `[0]`, `[k]`, a slice over one, or an index that is no
 * literal. `[-k]` is not read as one (the rank is not followed).
 */
function readsUnknownEntry(index: SyntaxNode, unknown: ReadonlySet<number>, ctx: RuleContext): boolean {
  const text = ctx.textOf(index).replace(/\s+/g, '');
  if (index.type === 'slice') {
    const m = /^(\d*):(\d*)(:.*)?$/.exec(text);
    if (!m || m[3]) {
      return /^(0?)(:|$)/.test(text);
    }
    const from = m[1] === '' ? 0 : Number(m[1]);
    const to = m[2] === '' ? Infinity : Number(m[2]);
    return [...unknown].some(k => k >= from && k < to);
  }
  if (/^-\d+$/.test(text)) {
    return false;
  }
  return /^\d+$/.test(text) ? unknown.has(Number(text)) : true;
}

/**
 * Whether the batch entry of a shape value is read: `value[0]`, a slice from the start, the value
 * passed on whole (`tf.zeros(tf.shape(x))`, `tf.reshape(y, shape)`), or the first name it is
 * unpacked into read later in the scope. `value[1:3]`, `value[-1]`, `len(value)`, a `.shape` read
 * and an unread first name (`_, h, w, c = ...`) are not.
 */
function shapeBatchRead(value: SyntaxNode, unknown: ReadonlySet<number>, ctx: RuleContext, depth = 0): boolean {
  const parent = value.parent;
  if (!parent || depth > 2) {
    return false;
  }
  if (parent.type === 'subscript' && child(parent, 'value') === value) {
    const index = parent.children.filter(c => c !== value && c.type !== '[' && c.type !== ']' && c.type !== ',' && c.type !== 'comment');
    return index.length === 1 && readsUnknownEntry(index[0], unknown, ctx);
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
      return readsOf(scope, name, parent, ctx).some(r => shapeBatchRead(r, unknown, ctx, depth + 1));
    }
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      // `n, l = tf.shape(x)`: the names of unknown entries, read later.
      return itemsOf(left).some((item, k) => unknown.has(k) && item.type === 'identifier' && readsOf(scope, ctx.textOf(item), parent, ctx).length > 0);
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

/**
 * Whether the `tf.shape(x)` call's batch entry, or an entry `x`'s `keras.Input` leaves None, is
 * read (shapeBatchRead): 'batch', 'dimension', or null.
 */
function unknownEntryRead(call: SyntaxNode, ctx: RuleContext): 'batch' | 'dimension' | null {
  let value = call;
  while (value.parent?.type === 'parenthesized_expression') {
    value = value.parent;
  }
  if (shapeBatchRead(value, new Set([0]), ctx)) {
    return 'batch';
  }
  const dims = inputDimensionsLeftNone(call, ctx);
  return dims.size > 0 && shapeBatchRead(value, dims, ctx) ? 'dimension' : null;
}

/**
 * The dimensions (after the batch) that `x` of `tf.shape(x)` leaves None, where `x` is a name last
 * assigned `keras.Input(shape=...)` or `keras.Input(batch_shape=...)` written out: `keras.Input(
 * batch_shape=(1, None))` gives {1}, `keras.Input((None, 3))` {1}. Empty where not known.
 */
function inputDimensionsLeftNone(call: SyntaxNode, ctx: RuleContext): Set<number> {
  const found = new Set<number>();
  const parts = callParts(call, ctx);
  const x = parts?.positional[0] ?? parts?.keywords.get('input')?.value;
  const value = x?.type === 'identifier' ? lastAssignedValue(ctx.textOf(x), call, ctx) : null;
  const input = value?.type === 'call' ? callParts(value, ctx) : null;
  if (!input || !/^keras\.(layers\.)?Input$/.test(ctx.resolveKeras(input.fn) ?? '')) {
    return found;
  }
  const batchShape = input.keywords.get('batch_shape')?.value;
  const shape = batchShape ?? input.keywords.get('shape')?.value ?? input.positional[0];
  if (!shape || (shape.type !== 'tuple' && shape.type !== 'list')) {
    return found;
  }
  itemsOf(shape).forEach((item, k) => {
    if (item.type === 'none') {
      found.add(batchShape ? k : k + 1);
    }
  });
  found.delete(0);
  return found;
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
