import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, removeArgument, KERAS_CALLEES } from '../rule-helpers';

const RNN_LAYERS = /^keras\.layers\.(RNN|SimpleRNN|LSTM|GRU|ConvLSTM[123]D|Bidirectional)$/;
const ON_BATCH = new Set(['train_on_batch', 'test_on_batch']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const kerasName = ctx.resolveKeras(parts.fn);
  const method = calleeName(parts.fn, ctx);
  const flag = (arg: string, why: string): void => {
    const kw = parts.keywords.get(arg);
    if (kw) {
      ctx.report(kw.node, why, { title: `Remove \`${arg}=\``, safe: false, edits: [removeArgument(kw.node, ctx)] });
    }
  };
  if (kerasName && RNN_LAYERS.test(kerasName)) {
    flag('time_major', '`time_major=` was removed from Keras 3 RNN layers; transpose the input to batch-major instead.');
    flag('constants', '`constants=` was removed from Keras 3 RNN layers; pass the constants to the cell another way.');
  }
  if (ON_BATCH.has(method) && parts.fn.type === 'attribute' && !ctx.resolve(parts.fn)) {
    flag('reset_metrics', `\`${method}(reset_metrics=...)\` is gone in Keras 3; call \`model.reset_metrics()\` yourself.`);
  }
  // `super().__init__(dynamic=True)` in a Keras class, or a layer constructed with dynamic=.
  const isSuperInit =
    method === '__init__' && parts.fn.type === 'attribute' && ctx.cls?.keras && ctx.textOf(child(parts.fn, 'object') ?? parts.fn).startsWith('super(');
  const kind = kerasName ? ctx.kerasKindOfClass(parts.fn) : null;
  if (isSuperInit || kind === 'layer' || kind === 'model') {
    flag('dynamic', '`dynamic=` is not a Keras 3 layer argument ("Unrecognized keyword arguments"); remove it.');
  }
}

export const removedArgument: RuleDefinition = {
  code: 'KM123',
  name: 'removed-argument',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['train_on_batch', 'test_on_batch'],
  docs: {
    whatItDoes: 'Flags arguments Keras 3 dropped: RNN `time_major=` and `constants=`, `train_on_batch`/`test_on_batch(reset_metrics=)`, and `dynamic=` on layers.',
    why:
      'Keras 3 rejects these keywords with "Unrecognized keyword arguments" or TypeError (guide section "Removed features"). Removing them is offered as an unsafe fix because the code may rely on their behaviour.',
    example: 'import keras\nrnn = keras.layers.LSTM(32, time_major=True)',
    useInstead: 'import keras\nrnn = keras.layers.LSTM(32)  # and feed batch-major input'
  },
  calls: { resolved: KERAS_CALLEES, names: [...ON_BATCH, '__init__'] },
  visitors: { call: visit }
};
