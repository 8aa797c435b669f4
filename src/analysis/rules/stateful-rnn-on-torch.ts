import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, KERAS_CALLEES } from '../rule-helpers';

/** Recurrent layers whose stateful training fails on PyTorch (checked by running; a stateful SimpleRNN trains). */
const RECURRENT = /^keras\.layers\.(LSTM|GRU)$/;

/** Noted where the program trains a model (`fit`, `train_on_batch`): predicting with a stateful layer runs on PyTorch. */
const TRAINS = 'trains-a-model';
const TRAINING_METHODS = ['fit', 'train_on_batch', 'fit_generator'];

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
  if (!name || !RECURRENT.test(name) || !stateful || ctx.textOf(stateful) !== 'True') {
    return;
  }
  ctx.report(
    stateful,
    `\`${name.split('.').pop()}(stateful=True)\` cannot be trained on the PyTorch backend: the state carried between batches is updated in place and the backward pass raises "one of the variables needed for gradient computation has been modified by an inplace operation". It trains on TensorFlow and JAX.`,
    null,
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
  fixAvailability: 'never',
  triggers: ['stateful', ...TRAINING_METHODS],
  docs: {
    whatItDoes: 'Flags `stateful=True` on a Keras `LSTM` or `GRU` layer (a stateful `SimpleRNN` trains on PyTorch and is not flagged).',
    why:
      'Keras 3 keeps a stateful layer\'s state in variables it updates after each batch. On the PyTorch backend that in-place update breaks the autograd graph, and `fit` raises "one of the variables needed for gradient computation has been modified by an inplace operation". TensorFlow and JAX train it. Only training fails: the finding blocks PyTorch only when the program trains a model (`fit`, `train_on_batch`); predicting with the stateful layer runs (checked on Keras 3.15). Not covered by the migration guide. No automatic fix: run the model on TensorFlow or JAX, or carry the state yourself (`return_state=True` and `initial_state=`).',
    example: 'import keras\nlayer = keras.layers.LSTM(8, stateful=True)',
    useInstead: 'import keras\nlayer = keras.layers.LSTM(8, return_state=True)  # pass the states back as initial_state='
  },
  calls: { resolved: KERAS_CALLEES, names: TRAINING_METHODS },
  // Findings are on a recurrent layer made with `stateful=True` (the `fit` calls only note a fact for them).
  requires: ['stateful'],
  visitors: { call: visit }
};
