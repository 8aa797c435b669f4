/**
 * What it does: flags `get_initial_state(x)` on a Keras recurrent layer or cell (GRU, LSTM,
 * SimpleRNN, RNN and their cells) given the inputs tensor, as Keras 2 took it. The fix passes the
 * batch size: `get_initial_state(keras.ops.shape(x)[0])`.
 * Why: Keras 2's `RNN.get_initial_state(inputs)` (and a cell's `get_initial_state(inputs=...)`)
 * read the batch size off the inputs. Keras 3's takes `batch_size` and makes zeros of shape
 * `(batch_size, units)`: given a tensor it fails on every backend (TensorFlow "InvalidArgumentError",
 * JAX and PyTorch a TypeError about the shape). The TensorFlow tutorial "Text generation with an
 * RNN" wrote `states = self.gru.get_initial_state(x)` in its model's call().
 * Example: `states = self.gru.get_initial_state(x)`
 * Use instead: `states = self.gru.get_initial_state(keras.ops.shape(x)[0])`
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, enclosingClass, nodesOfType, selfAttribute, selfAttributesMadeBy } from '../rule-helpers';
import { isKnownInt } from '../helpers/int-values';

const RECURRENT = /^keras\.layers\.(GRU|LSTM|SimpleRNN|RNN|GRUCell|LSTMCell|SimpleRNNCell)$/;

function makesRecurrent(fn: SyntaxNode, ctx: RuleContext): boolean {
  return RECURRENT.test(ctx.resolveKeras(fn) ?? '');
}

/** Whether `receiver` (`self.gru`, `gru`) holds a recurrent layer or cell made in this cell's code. */
function isRecurrent(receiver: SyntaxNode, ctx: RuleContext): boolean {
  const attr = selfAttribute(receiver, ctx);
  if (attr) {
    const cls = enclosingClass(receiver);
    return !!cls && selfAttributesMadeBy(cls, ctx, fn => makesRecurrent(fn, ctx)).has(attr);
  }
  if (receiver.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(receiver);
  let root: SyntaxNode = receiver;
  while (root.parent) {
    root = root.parent;
  }
  const values: SyntaxNode[] = [];
  for (const a of nodesOfType(root, 'assignment')) {
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (left?.type === 'identifier' && ctx.textOf(left) === name && right) {
      values.push(right);
    }
  }
  return values.length > 0 && values.every(v => v.type === 'call' && makesRecurrent(child(v, 'function') ?? v, ctx));
}

/** Whether `arg` reads as a batch size already (an int, `batch_size`, `tf.shape(x)[0]`, `x.shape[0]`). */
function looksLikeBatchSize(arg: SyntaxNode, ctx: RuleContext): boolean {
  if (isKnownInt(arg, ctx) || arg.type === 'subscript' || arg.type === 'none' || arg.type === 'binary_operator') {
    return true;
  }
  const text = ctx.textOf(arg);
  return /batch|size|^(n|bs|b|num\w*)$/i.test(text);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const fn = parts?.fn;
  if (!parts || parts.splat || fn?.type !== 'attribute' || ctx.textOf(child(fn, 'attribute') ?? fn) !== 'get_initial_state') {
    return;
  }
  const receiver = child(fn, 'object');
  const inputsKeyword = parts.keywords.get('inputs');
  const arg = parts.positional[0] ?? inputsKeyword?.value;
  if (!receiver || !arg || parts.positional.length + parts.keywords.size !== 1 || looksLikeBatchSize(arg, ctx) || !isRecurrent(receiver, ctx)) {
    return;
  }
  const text = ctx.textOf(arg);
  const replacement = `keras.ops.shape(${text})[0]`;
  const target = inputsKeyword ? inputsKeyword.node : arg;
  const edits: OffsetEdit[] = [{ start: target.start, end: target.end, text: inputsKeyword ? `batch_size=${replacement}` : replacement }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    arg,
    `\`${ctx.textOf(receiver)}.get_initial_state(${ctx.textOf(target)})\` passes the inputs, as Keras 2's recurrent layers took them: Keras 3's \`get_initial_state\` takes the batch size and fails on every backend when given a tensor. Pass \`${replacement}\`.`,
    { title: `Pass \`${replacement}\``, safe: true, edits }
  );
}

export const rnnInitialStateFromInputs: RuleDefinition = {
  code: 'KM259',
  name: 'rnn-initial-state-from-inputs',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: a model whose call() does
   * `states = self.gru.get_initial_state(x)` on its embedded inputs fails on each (TensorFlow
   * InvalidArgumentError, JAX and PyTorch TypeError on the zeros' shape); with
   * `keras.ops.shape(x)[0]` it runs; tf_keras 2.21 runs the TensorFlow text-generation tutorial's model.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['get_initial_state'],
  docs: {
    whatItDoes:
      'Flags `get_initial_state(x)` (or a cell\'s `get_initial_state(inputs=x)`) on a Keras GRU, LSTM, SimpleRNN or RNN layer or cell made by the code (`self.gru = keras.layers.GRU(...)`), when the argument is not already a batch size (an integer, a subscript such as `tf.shape(x)[0]`, a name like `batch_size`). The fix passes `keras.ops.shape(x)[0]`.',
    why:
      'Keras 2\'s recurrent layers read the batch size off the inputs given to `get_initial_state`; the TensorFlow tutorial "Text generation with an RNN" starts its GRU with `states = self.gru.get_initial_state(x)` in the model\'s `call()`. Keras 3\'s `get_initial_state(batch_size)` makes zeros of shape `(batch_size, units)` and fails on TensorFlow, JAX and PyTorch when handed a tensor. The batch dimension of the same tensor gives the same states, so the fix is safe. Not covered by the migration guide.',
    example:
      'import keras\n\nclass CharModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.gru = keras.layers.GRU(32, return_sequences=True, return_state=True)\n\n    def call(self, x, states=None):\n        if states is None:\n            states = self.gru.get_initial_state(x)\n        x, states = self.gru(x, initial_state=states)\n        return x',
    useInstead:
      'import keras\n\nclass CharModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.gru = keras.layers.GRU(32, return_sequences=True, return_state=True)\n\n    def call(self, x, states=None):\n        if states is None:\n            states = self.gru.get_initial_state(keras.ops.shape(x)[0])\n        x, states = self.gru(x, initial_state=states)\n        return x'
  },
  calls: { names: ['get_initial_state'] },
  requires: ['get_initial_state'],
  visitors: { call: visit }
};
