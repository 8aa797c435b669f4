/**
 * What it does: flags targets given as a dict with one key (`{"outputs": y}`) to a model whose
 * outputs are no dict: in a tf.data map function's `(inputs, targets)` return, in
 * `Dataset.from_tensor_slices((x, {...}))`, or as `fit`/`evaluate`'s `y`.
 *
 * Why: Keras 2 matched the key to the single output's name. Keras 3 only matches dict targets to
 * dict outputs; a single-output model takes the dict as a structure of targets and fails on every
 * backend ("Expected float32, but got outputs of type 'str'").
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import { callParts, calleeName, lastAssignedValue } from '../helpers/calls';
import { looksLikeDataset, mappedFunction, returnedValues, unparenthesized } from '../helpers/tf-data';
import type { RuleContext, RuleDefinition } from '../rule';

/** Fact: some model of the notebook has dict outputs (a `Model(..., outputs={...})` or a `call()` returning a dict). */
const DICT_OUTPUTS = 'dict-outputs';

const MODEL_CLASSES = new Set(['keras.Model', 'keras.models.Model']);
const FIT_METHODS = new Set(['fit', 'evaluate', 'train_on_batch', 'test_on_batch']);

/** The one value of a dict literal with one `key: value` pair, or null. */
function singlePairValue(node: SyntaxNode | null | undefined): SyntaxNode | null {
  const dict = node ? unparenthesized(node) : null;
  if (!dict || dict.type !== 'dictionary') {
    return null;
  }
  const items = dict.children.filter(c => c.type !== 'comment');
  if (items.length !== 1 || items[0].type !== 'pair') {
    return null;
  }
  return child(items[0], 'value');
}

/** The targets item of an `(inputs, targets)` or `(inputs, targets, weights)` tuple. */
function targetsOfTuple(node: SyntaxNode): SyntaxNode | null {
  const v = unparenthesized(node);
  if (v.type !== 'tuple' && v.type !== 'expression_list') {
    return null;
  }
  const items = itemsOf(v);
  return items.length === 2 || items.length === 3 ? items[1] : null;
}

function report(dict: SyntaxNode, value: SyntaxNode, ctx: RuleContext): void {
  const key = ctx.textOf(child(unparenthesized(dict).children.find(c => c.type === 'pair')!, 'key') ?? dict);
  ctx.report(
    dict,
    `Targets given as a dict with one key (\`{${key}: ...}\`): Keras 2 matched the key to the model's single output, Keras 3 matches dict targets only to dict outputs, so a single-output model fails on every backend ("Expected float32, but got ... of type 'str'" on TensorFlow, "could not convert string to float" on JAX). Give the targets themselves.`,
    { title: 'Give the targets without the dict', safe: false, edits: [{ start: dict.start, end: dict.end, text: ctx.textOf(value) }] },
    undefined,
    `!anywhere:${DICT_OUTPUTS}`
  );
}

function checkTargets(targets: SyntaxNode | null | undefined, ctx: RuleContext): void {
  const value = singlePairValue(targets);
  if (targets && value) {
    report(unparenthesized(targets), value, ctx);
  }
}

function isDictValue(node: SyntaxNode | null | undefined, ctx: RuleContext): boolean {
  if (!node) {
    return false;
  }
  const v = unparenthesized(node);
  if (v.type === 'dictionary' || v.type === 'dictionary_comprehension') {
    return true;
  }
  // `dict(out=y)`, `dict(zip(names, outputs))`: the builtin, not a name the program rebinds.
  const fn = v.type === 'call' ? child(v, 'function') : null;
  if (fn?.type === 'identifier' && ctx.textOf(fn) === 'dict' && ctx.lookup('dict') === undefined) {
    return true;
  }
  if (v.type === 'identifier') {
    const assigned = lastAssignedValue(ctx.textOf(v), v, ctx);
    return assigned !== null && assigned !== v && isDictValue(assigned, ctx);
  }
  return false;
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const fn = parts.fn;
  const resolved = ctx.resolveKeras(fn);
  if (resolved && MODEL_CLASSES.has(resolved)) {
    if (isDictValue(parts.positional[1] ?? parts.keywords.get('outputs')?.value, ctx)) {
      ctx.note(DICT_OUTPUTS);
    }
    return;
  }
  if (fn.type !== 'attribute' || ctx.resolve(fn)) {
    if (ctx.resolve(fn) === 'tensorflow.data.Dataset.from_tensor_slices') {
      const data = parts.positional[0];
      const targets = data ? targetsOfTuple(data) : null;
      checkTargets(targets, ctx);
    }
    return;
  }
  const method = calleeName(fn, ctx);
  if (FIT_METHODS.has(method)) {
    checkTargets(parts.positional[1] ?? parts.keywords.get('y')?.value, ctx);
  } else if (method === 'map' && looksLikeDataset(child(fn, 'object'), ctx)) {
    const mapped = mappedFunction(node, ctx);
    for (const value of mapped ? returnedValues(mapped) : []) {
      checkTargets(targetsOfTuple(value), ctx);
    }
  }
}

/** A Keras class's `call()` returning a dict literal: its model has dict outputs. */
function visitReturn(node: SyntaxNode, ctx: RuleContext): void {
  const value = node.children.find(c => c.type !== 'comment');
  if (ctx.cls?.keras && ctx.fn?.name === 'call' && value && isDictValue(value, ctx)) {
    ctx.note(DICT_OUTPUTS);
  }
}

export const singleKeyDictTargets: RuleDefinition = {
  code: 'KM291',
  name: 'single-key-dict-targets',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: a functional model with one output named "out" fitted on
   * `(x, {"out": y})` (arrays, or a tf.data map returning `({"x": a}, {"out": b})`, or a nested
   * model named "out") fails with "TypeError: Expected float32, but got out of type 'str'" on
   * TensorFlow, "ValueError: could not convert string to float: 'out'" on JAX and "Invalid dtype:
   * str96" on PyTorch, with a loss or metrics dict too; with dict outputs `{"out": out}` it trains.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags targets written as a dict with one key (`{"outputs": y}`) for a model whose outputs are no dict: the `(inputs, targets)` a tf.data map function returns, the targets of `Dataset.from_tensor_slices`, or the `y` of `fit()`/`evaluate()`, as keras.io\'s FNet text generation did. Nothing is flagged when a model of the notebook has dict outputs.',
    why:
      'Keras 2 matched a dict of targets to the model\'s output names, one output included. Keras 3 matches dict targets only to dict outputs: a single-output model treats the dict as a nested structure and fails on every backend ("Expected float32, but got outputs of type \'str\'"). The targets themselves train the model as Keras 2 did; the fix is a suggestion because which model the targets meet is not traced.',
    example:
      'import tensorflow as tf\ndef split(inputs, outputs):\n    return {"encoder_inputs": inputs}, {"outputs": outputs}\ntrain_ds = tf.data.Dataset.from_tensor_slices((x, y)).map(split)',
    useInstead:
      'import tensorflow as tf\ndef split(inputs, outputs):\n    return {"encoder_inputs": inputs}, outputs\ntrain_ds = tf.data.Dataset.from_tensor_slices((x, y)).map(split)'
  },
  visitors: { call: visitCall, return_statement: visitReturn }
};
