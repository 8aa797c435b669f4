import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, removeArgument } from '../rule-helpers';
import { appendArgument, parameterNames } from '../helpers/calls';
import { classMethodDefinitions, onlyVisibleDefinition } from '../helpers/model-code';

const RNN_LAYERS = /^keras\.layers\.(RNN|SimpleRNN|LSTM|GRU|ConvLSTM[123]D|Bidirectional)$/;
const ON_BATCH = new Set(['train_on_batch', 'test_on_batch']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Every call reaches here (the notebook's own classes have any name): only keyword calls matter.
  const args = child(node, 'arguments');
  if (!args || !args.children.some(c => c.type === 'keyword_argument')) {
    return;
  }
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
  if (isSuperInit || kind === 'layer' || kind === 'model' || forwardsToKeras(parts.fn, ctx)) {
    flag('dynamic', '`dynamic=` is not a Keras 3 layer argument ("Unrecognized keyword arguments"); remove it (`compile(run_eagerly=True)` runs a model eagerly).');
  }
  // `Attention(causal=True)`: Keras 3 takes `use_causal_mask=True` when the layer is called.
  if (kerasName === 'keras.layers.Attention' || kerasName === 'keras.layers.AdditiveAttention') {
    const kw = parts.keywords.get('causal');
    const applied = node.parent?.type === 'call' && child(node.parent, 'function') === node ? node.parent : null;
    const args = applied ? child(applied, 'arguments') : null;
    if (kw) {
      const value = child(kw.node, 'value');
      const edits = [removeArgument(kw.node, ctx)];
      if (args && value && args.children.some(c => c.type !== 'comment' && c.type !== 'keyword_argument')) {
        edits.push(appendArgument(args, `use_causal_mask=${ctx.textOf(value)}`, ctx));
      } else if (value && !args && (/^(True|False)$/.test(ctx.textOf(value)) || /^self\.\w+$/.test(ctx.textOf(value)))) {
        // (A literal or an attribute of the layer: what the other methods can read too.)
        edits.push(...storedLayerCalls(node, `use_causal_mask=${ctx.textOf(value)}`, ctx));
      }
      ctx.report(
        kw.node,
        `\`causal=\` is not a Keras 3 \`${kerasName.slice('keras.layers.'.length)}\` argument ("Unrecognized keyword arguments"); pass \`use_causal_mask=${value ? ctx.textOf(value) : 'True'}\` where the layer is called.`,
        edits.length > 1 ? { title: 'Pass `use_causal_mask=` to the call', safe: true, edits } : null,
        undefined,
        undefined,
        ['tensorflow', 'jax', 'torch']
      );
    }
  }
}

/**
 * `self.attention = Attention(causal=self.causal)` in a class (Géron's MultiHeadAttention, og47b): the
 * edits adding `addition` to every `self.attention(...)` call of the class, each given its inputs;
 * none when there is no such call, or one passes no inputs or already passes the argument.
 */
function storedLayerCalls(constructor: SyntaxNode, addition: string, ctx: RuleContext): ReturnType<typeof appendArgument>[] {
  const assignment = constructor.parent?.type === 'assignment' && child(constructor.parent, 'right') === constructor ? constructor.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  const cls = ctx.cls?.node;
  if (!target || target.type !== 'attribute' || ctx.textOf(child(target, 'object') ?? target) !== 'self' || !cls) {
    return [];
  }
  const held = ctx.textOf(target).replace(/\s+/g, '');
  const edits: ReturnType<typeof appendArgument>[] = [];
  const stack: SyntaxNode[] = [cls];
  while (stack.length) {
    const n = stack.pop()!;
    const fn = n.type === 'call' ? child(n, 'function') : null;
    if (fn && ctx.textOf(fn).replace(/\s+/g, '') === held) {
      const args = child(n, 'arguments');
      const given = args?.children.filter(c => c.type !== 'comment') ?? [];
      const name = addition.slice(0, addition.indexOf('='));
      if (!args || !given.some(c => c.type !== 'keyword_argument') || given.some(c => c.type === 'keyword_argument' && ctx.textOf(child(c, 'name') ?? c) === name)) {
        return [];
      }
      edits.push(appendArgument(args, addition, ctx));
    }
    stack.push(...n.children);
  }
  return edits;
}

/**
 * Whether the callee is a Keras layer or model class of the notebook whose `__init__` does not take
 * `dynamic` itself (it hands `**kwargs` on to Keras, or has no `__init__`; og47a repro_6).
 */
function forwardsToKeras(fn: SyntaxNode, ctx: RuleContext): boolean {
  const binding = fn.type === 'identifier' ? ctx.lookup(ctx.textOf(fn)) : undefined;
  if (binding?.kind !== 'class' || (binding.keras !== 'layer' && binding.keras !== 'model')) {
    return false;
  }
  const cls = onlyVisibleDefinition(fn, 'class_definition', ctx.textOf(fn), ctx);
  const init = cls ? classMethodDefinitions(cls, ctx).get('__init__') : undefined;
  return !init || !(parameterNames(init, ctx) ?? []).includes('dynamic');
}

export const removedArgument: RuleDefinition = {
  code: 'KM123',
  name: 'removed-argument',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['train_on_batch', 'test_on_batch', 'dynamic', 'causal'],
  docs: {
    whatItDoes: 'Flags arguments Keras 3 dropped: RNN `time_major=` and `constants=`, `train_on_batch`/`test_on_batch(reset_metrics=)`, `dynamic=` on layers and models (built-in ones and the notebook\'s own classes that hand their keyword arguments on to Keras), and `causal=` of `Attention` / `AdditiveAttention`, which becomes `use_causal_mask=` of the call where the layer is called in place, or of every call of it in its class where it is kept in `self.attr` (safe).',
    why:
      'Keras 3 rejects these keywords with "Unrecognized keyword arguments" or TypeError (guide section "Removed features"). Removing them is offered as an unsafe fix because the code may rely on their behaviour.',
    example: 'import keras\nrnn = keras.layers.LSTM(32, time_major=True)',
    useInstead: 'import keras\nrnn = keras.layers.LSTM(32)  # and feed batch-major input'
  },
  // Every call: the notebook's own layer classes (`MyModel(dynamic=True)`) have any name.
  visitors: { call: visit }
};
