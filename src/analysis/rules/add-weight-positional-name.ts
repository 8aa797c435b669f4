import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { addWeightCall } from '../rule-helpers';

/** Keras 2 positional order of `Layer.add_weight` and `Metric.add_weight`. */
const LAYER_ORDER = ['name', 'shape', 'dtype', 'initializer', 'regularizer', 'trainable', 'constraint'];
const METRIC_ORDER = ['name', 'shape', 'aggregation', 'synchronization', 'initializer', 'dtype'];

/** Keywords the Keras 3 methods accept (Layer.add_weight, Metric.add_weight). */
const LAYER_KEYWORDS = new Set(['shape', 'initializer', 'dtype', 'trainable', 'autocast', 'regularizer', 'constraint', 'aggregation', 'overwrite_with_gradient', 'name']);
const METRIC_KEYWORDS = new Set(['shape', 'initializer', 'dtype', 'name']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Keras 3 code may pass the shape positionally; Keras 2 code passed the name first. Only a
  // string in first place is unmistakably a Keras 2 call.
  const call = addWeightCall(node, ctx, ['add_weight', 'add_variable']);
  if (!call || !call.nameFirst) {
    return;
  }
  const { parts, onSelf } = call;
  // Keras 2's `add_variable` was `add_weight` under another name; Keras 3's takes the shape first
  // and requires an initializer: the call becomes `add_weight`.
  const method = child(parts.fn, 'attribute');
  const renamed = method && ctx.textOf(method) === 'add_variable' ? method : null;
  const first = parts.positional[0];
  const metric = onSelf && ctx.cls!.keras === 'component';
  const order = metric ? METRIC_ORDER : LAYER_ORDER;
  const accepted = metric ? METRIC_KEYWORDS : LAYER_KEYWORDS;
  let safe = !parts.splat && parts.positional.length <= order.length;
  const edits: OffsetEdit[] = [];
  parts.positional.forEach((arg, i) => {
    const name = order[i];
    if (name === undefined || parts.keywords.has(name) || !accepted.has(name)) {
      safe = false;
      return;
    }
    edits.push({ start: arg.start, end: arg.start, text: `${name}=` });
  });
  for (const name of parts.keywords.keys()) {
    if (!accepted.has(name)) {
      safe = false;
    }
  }
  if (renamed) {
    edits.push({ start: renamed.start, end: renamed.end, text: 'add_weight' });
  }
  ctx.report(
    first,
    renamed
      ? `Keras 3 \`add_variable()\` takes \`shape\` first and requires an \`initializer\` (Keras 2's was \`add_weight()\` under another name, the name first: ${ctx.textOf(first)}); call \`add_weight()\` with every argument by keyword.`
      : `Keras 3 \`add_weight()\` takes \`shape\` first and rejects a positional name (${ctx.textOf(first)}); pass every argument by keyword.`,
    edits.length ? { title: renamed ? 'Call `add_weight` with the arguments by keyword' : 'Pass the arguments by keyword', safe, edits } : null
  );
}

export const addWeightPositionalName: RuleDefinition = {
  code: 'KM169',
  name: 'add-weight-positional-name',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `self.add_weight("kernel", ...)` in Keras layers, models and metrics: a weight name passed as the first positional argument, the Keras 2 signature. Also Keras 2\'s `self.add_variable("kernel", ...)` (the same method under another name), which the fix turns into `add_weight` with keywords: Keras 3\'s `add_variable(shape, initializer, ...)` takes the shape first and requires an initializer ("got multiple values for argument \'shape\'", checked on Keras 3.15 with TensorFlow, JAX and PyTorch).',
    why:
      'Keras 2 `add_weight(name, shape, dtype, initializer, ...)` took the name first; Keras 3 `add_weight(shape, initializer, dtype, ...)` takes the shape first and raises "`name` must be passed as a keyword argument". Not covered by the migration guide. Passing each argument under its Keras 2 name keeps the meaning, so the rewrite is safe when every name is one Keras 3 accepts.',
    example: 'import keras\nclass Linear(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight("kernel", (input_shape[-1], 4))',
    useInstead: 'import keras\nclass Linear(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = self.add_weight(name="kernel", shape=(input_shape[-1], 4))'
  },
  calls: { names: ['add_weight', 'add_variable'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['add_weight', 'add_variable'],
  visitors: { call: visit }
};
