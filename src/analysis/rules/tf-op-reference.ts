import { child, SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { isTfOpName, kerasOpNamed, tfOp } from '../knowledge';
import { heldOpReplacement } from '../helpers/op-conversion';
import { keywordArgumentOfValue, modelCodeCondition, TF_ACTIVATION_EQUIVALENTS, tfApiName, withKerasImport } from '../rule-helpers';

/**
 * Where a function is held as a value to be called later: a dict entry
 * (`{"sum": tf.math.unsorted_segment_sum}`), an assignment (`reduce = tf.reduce_max`), a list or
 * tuple element, either branch of a conditional expression, a return value. Arguments of calls
 * are left out: `activation=tf.nn.relu` is KM133's, and a function handed to `dataset.map()` or
 * `tf.py_function` is TensorFlow's own business.
 */
const HOLDERS = new Set(['pair', 'assignment', 'list', 'tuple', 'conditional_expression', 'return_statement', 'expression_list']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parent = node.parent;
  if (!parent || !HOLDERS.has(parent.type)) {
    return;
  }
  // Only values: `{tf.float32: ...}` keys and assignment targets are not functions held.
  if ((parent.type === 'pair' && node.field !== 'value') || (parent.type === 'assignment' && node.field !== 'right')) {
    return;
  }
  const canonical = ctx.resolve(node);
  const name = tfApiName(canonical);
  // Only functions the catalog knows as ops: `tf.float32`, `tf.newaxis` are values, not functions.
  if (!canonical || !name || !isTfOpName(name) || !canonical.startsWith('tensorflow.') || (!tfOp(canonical) && !kerasOpNamed(name))) {
    return;
  }
  // An activation passed as an argument, in a conditional expression (`activation=tf.nn.gelu if
  // first else None`): KM133's, which holds the keras.activations function.
  if (TF_ACTIVATION_EQUIVALENTS[name] && keywordArgumentOfValue(node)) {
    return;
  }
  // Held by a name outside model code (`act = tf.math.exp`): model code where the name is handed to
  // Keras (`Dense(4, activation=act)`), as a def of that name would be.
  const left = parent.type === 'assignment' ? child(parent, 'left') : null;
  const condition = modelCodeCondition(node, ctx) ?? (left?.type === 'identifier' ? `model:${ctx.textOf(left)}` : null);
  if (condition === null) {
    return;
  }
  const target = heldOpReplacement(canonical);
  const fix: RawFix | null = target
    ? {
        title: target.lambda ? 'Hold a function of `keras.ops` calls instead' : `Hold \`${target.text}\` instead`,
        // A held function may be called with TF-only arguments (`name=`, other keywords): not provably exact.
        safe: false,
        edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: target.text }])
      }
    : null;
  const where = condition === true ? '' : ` (\`${condition.slice('model:'.length)}()\` runs as model code)`;
  ctx.report(
    node,
    `\`${name}\` is held as a function here and called later on model tensors${where}: a TensorFlow op fails on JAX, which traces this code (and on PyTorch when the tensors it gets require grad, behind a layer with weights); hold the \`keras.ops\` equivalent${target ? '' : ' (there is no direct one: write a small function of keras.ops calls)'}.`,
    fix,
    undefined,
    condition === true ? undefined : condition
  );
}

export const tfOpReference: RuleDefinition = {
  code: 'KM222',
  name: 'tf-op-reference',
  slug: 'keras-ops',
  severity: 'warning',
  /**
   * Measured with the keras.io traffic-forecasting GraphConv (Keras 3.15): runs on TensorFlow,
   * fails on JAX (a tracer); on PyTorch it ran, as its tensors came from the model input without
   * grad (TF converts those): which call gets what is not known from the reference, so no claim there.
   */
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a TensorFlow op held as a value in model code (a dict of functions chosen by a setting, an assignment, a list, a conditional expression, a return value), as in `{"sum": tf.math.unsorted_segment_sum, "mean": tf.math.unsorted_segment_mean}.get(self.aggregation_type)` in a layer method. Calls of TF ops are KM131; functions passed as arguments (`activation=tf.nn.relu`) are KM133.',
    why:
      'The function is called later on the layer\'s tensors, which are JAX arrays or torch tensors on those backends: the TF op rejects a JAX tracer, and a torch tensor that requires grad, just as a direct call would (guide section "Switching to Keras ops"). The suggested fix holds the `keras.ops` function instead when its parameters match TensorFlow\'s by name and place, or a lambda computing what the call rewrite of KM131 would (`unsorted_segment_mean` as a segment sum over the segment count).',
    example:
      'import keras\nimport tensorflow as tf\nclass Pool(keras.layers.Layer):\n    def call(self, x, ids):\n        pool = {"sum": tf.math.unsorted_segment_sum, "max": tf.math.unsorted_segment_max}.get("sum")\n        return pool(x, ids, num_segments=4)',
    useInstead:
      'import keras\nclass Pool(keras.layers.Layer):\n    def call(self, x, ids):\n        pool = {"sum": keras.ops.segment_sum, "max": keras.ops.segment_max}.get("sum")\n        return pool(x, ids, num_segments=4)'
  },
  attributes: { resolved: ['tensorflow.'] },
  visitors: { attribute: visit }
};
