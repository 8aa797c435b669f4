import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';
import { appendArgument } from '../helpers/calls';

/** Recurrent layers whose stateful training fails on PyTorch (checked by running; a stateful SimpleRNN trains). */
const RECURRENT = /^keras\.layers\.(LSTM|GRU)$/;

/** Noted where the program trains a model (`fit`, `train_on_batch`): predicting with a stateful layer runs on PyTorch. */
const TRAINS = 'trains-a-model';
const TRAINING_METHODS = ['fit', 'train_on_batch', 'fit_generator'];

function* walk(node: SyntaxNode): Generator<SyntaxNode> {
  yield node;
  for (const c of node.children) {
    yield* walk(c);
  }
}

/** Attribute uses of a stateful layer that run no training: its state read or reset. */
const STATE_ATTRIBUTES = new Set(['states', 'reset_states', 'reset_state', 'stateful', 'name']);

/**
 * Whether the stateful layer made by `layer` (a call) is only run eagerly on data: assigned at module
 * level to a name whose every other use in the cell is a module-level call of it on non-symbolic
 * data (the "Working with RNNs" guide's `lstm_layer(paragraph1)`) or a read/reset of its state,
 * with at least one such call. Never put in a model, it is never trained.
 */
const same = (a: SyntaxNode | null, b: SyntaxNode | null): boolean => a !== null && b !== null && a.start === b.start && a.end === b.end && a.type === b.type;

function enclosingDefinition(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') {
      return p;
    }
  }
  return null;
}

/** Whether a function body assigns `name` itself (a local of its own), without `global name`. */
function assignsLocally(def: SyntaxNode, name: string, ctx: RuleContext): boolean {
  if (def.type !== 'function_definition') {
    return false;
  }
  const body = child(def, 'body');
  const text = body ? ctx.textOf(body) : '';
  return new RegExp(`^[ \\t]*${name}[ \\t]*=[^=]`, 'm').test(text) && !new RegExp(`\\bglobal\\b[^\\n]*\\b${name}\\b`).test(text);
}

function onlyRunEagerly(layer: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = layer.parent;
  const target = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
  if (ctx.fn || !target || target.type !== 'identifier' || assignment?.parent?.type !== 'expression_statement') {
    return false;
  }
  const name = ctx.textOf(target);
  let root: SyntaxNode = layer;
  while (root.parent) {
    root = root.parent;
  }
  let called = false;
  for (const n of walk(root)) {
    if (n.type !== 'identifier' || n.start <= assignment!.end || ctx.textOf(n) !== name) {
      continue; // uses before this binding read an earlier one
    }
    const parent = n.parent;
    const scope = enclosingDefinition(n);
    if (scope !== null) {
      if (assignsLocally(scope, name, ctx)) {
        continue; // a function's own local of the same name
      }
      return false; // read by a function: maybe a training step
    }
    if (parent?.type === 'assignment' && same(child(parent, 'left'), n)) {
      break; // rebound at module level: later uses are another layer's
    }
    if (parent?.type === 'attribute' && same(child(parent, 'object'), n) && STATE_ATTRIBUTES.has(ctx.textOf(child(parent, 'attribute') ?? parent))) {
      continue;
    }
    if (parent?.type !== 'call' || !same(child(parent, 'function'), n)) {
      return false; // handed to a model, a list, a function...
    }
    for (let p: SyntaxNode | null = parent.parent; p; p = p.parent) {
      if (p.type === 'with_statement' || p.type === 'lambda') {
        return false; // under a tape: maybe training
      }
    }
    const args = child(parent, 'arguments');
    if ((args?.children ?? []).some(a => a.type !== '(' && a.type !== ')' && a.type !== ',' && ctx.isSymbolic(a.type === 'keyword_argument' ? child(a, 'value') ?? a : a))) {
      return false; // called on a KerasTensor: part of a functional model
    }
    called = true;
  }
  return called;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (parts.fn.type === 'attribute' && TRAINING_METHODS.includes(ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn))) {
    ctx.note(TRAINS);
    return;
  }
  const name = ctx.resolveKeras(parts.fn);
  const stateful = parts.keywords.get('stateful')?.value;
  if (!name || !RECURRENT.test(name) || !stateful || ctx.textOf(stateful) !== 'True' || onlyRunEagerly(node, ctx)) {
    return;
  }
  // Only Keras's fused PyTorch path fails: with `use_cudnn=False` or a recurrent dropout the layer
  // steps in Python and trains (og47b repro_2, Géron's char-RNN with recurrent_dropout=0.2; /tmp/ck47 st.py).
  const cudnn = parts.keywords.get('use_cudnn')?.value;
  const recurrentDropout = parts.keywords.get('recurrent_dropout')?.value;
  if ((cudnn && ctx.textOf(cudnn) === 'False') || (recurrentDropout && !/^0*\.?0*$/.test(ctx.textOf(recurrentDropout)))) {
    return;
  }
  const args = child(node, 'arguments');
  const fix = args && !cudnn && !parts.splat ? { title: 'Pass `use_cudnn=False`', safe: false, edits: [appendArgument(args, 'use_cudnn=False', ctx)] } : null;
  ctx.report(
    stateful,
    `\`${name.split('.').pop()}(stateful=True)\` cannot be trained on the PyTorch backend through Keras's fused recurrent step: the state carried between batches is updated in place and the backward pass raises "one of the variables needed for gradient computation has been modified by an inplace operation". It trains on TensorFlow and JAX, and on PyTorch with \`use_cudnn=False\` (the step-by-step path, slower on a GPU).`,
    fix,
    undefined,
    undefined,
    undefined,
    // Only training fails: a program that only predicts with the layer runs on PyTorch (checked by running).
    { torch: 'anywhere:' + TRAINS }
  );
}

export const statefulRnnOnTorch: RuleDefinition = {
  code: 'KM193',
  name: 'stateful-rnn-on-torch',
  slug: 'api-changes',
  severity: 'warning',
  /** RuntimeError in the backward pass on PyTorch (Keras 3.15, torch 2.x); TensorFlow and JAX train it (checked by running). */
  blocks: ['torch'],
  fixAvailability: 'sometimes',
  triggers: ['stateful', ...TRAINING_METHODS],
  docs: {
    whatItDoes: 'Flags `stateful=True` on a Keras `LSTM` or `GRU` layer that takes Keras\'s fused recurrent step (no `use_cudnn=False`, no nonzero `recurrent_dropout`; a stateful `SimpleRNN` and those two train on PyTorch and are not flagged). The suggested fix passes `use_cudnn=False`.',
    why:
      'Keras 3 keeps a stateful layer\'s state in variables it updates after each batch. On the PyTorch backend that in-place update breaks the autograd graph, and `fit` raises "one of the variables needed for gradient computation has been modified by an inplace operation". TensorFlow and JAX train it. Only training fails: the finding blocks PyTorch only when the program trains a model (`fit`, `train_on_batch`); predicting with the stateful layer runs (checked on Keras 3.15), and a stateful layer assigned to a name that the cell only calls directly on data at module level (and whose `states` it reads or resets), as the "Working with RNNs" guide does, is never trained and not flagged. Not covered by the migration guide. No automatic fix: run the model on TensorFlow or JAX, or carry the state yourself (`return_state=True` and `initial_state=`).',
    example: 'import keras\nlayer = keras.layers.LSTM(8, stateful=True)',
    useInstead: 'import keras\nlayer = keras.layers.LSTM(8, stateful=True, use_cudnn=False)'
  },
  calls: { resolved: KERAS_CALLEES, names: TRAINING_METHODS },
  // Findings are on a recurrent layer made with `stateful=True` (the `fit` calls only note a fact for them).
  requires: ['stateful'],
  visitors: { call: visit }
};
