import type { SyntaxNode } from '../ast';
import type { RawFix, RuleContext, RuleDefinition } from '../rule';
import { isTfOpName, kerasOpNamed, tfOp } from '../knowledge';
import { keywordArgumentOfValue, modelCodeCondition, TF_ACTIVATION_EQUIVALENTS, tfApiName, withKerasImport } from '../rule-helpers';

/**
 * Where a function is held as a value to be called later: a dict entry
 * (`{"sum": tf.math.unsorted_segment_sum}`), an assignment (`reduce = tf.reduce_max`), a list or
 * tuple element, either branch of a conditional expression, a return value. Arguments of calls
 * are left out: `activation=tf.nn.relu` is KM133's, and a function handed to `dataset.map()` or
 * `tf.py_function` is TensorFlow's own business.
 */
const HOLDERS = new Set(['pair', 'assignment', 'list', 'tuple', 'conditional_expression', 'return_statement', 'expression_list']);

/** The parameters a `callTemplate` uses, in the TF signature's order. */
function templateParams(template: string, tfParams: readonly string[]): string[] | null {
  const used = [...template.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
  const params = tfParams.filter(p => used.includes(p));
  return used.every(u => params.includes(u)) ? params : null;
}

/** A Keras replacement for the function value, or null when its calls cannot be known to fit. */
function replacement(canonical: string): { text: string; lambda: boolean } | null {
  const op = tfOp(canonical);
  if (!op || !op.keras) {
    return null;
  }
  const tfParams = (op.tfParams ?? []).filter(p => p !== 'name');
  if (op.callTemplate) {
    const params = templateParams(op.callTemplate, tfParams);
    if (!params || params.length === 0) {
      return null;
    }
    // `lambda data, segment_ids, num_segments, name=None: ...`: called as the TF function was
    // (positionally or by TF's keyword names), it computes what the call rewrite would.
    // A parameter keras.ops needs as a tensor (`segment_ids`, which TF also takes as a list) is converted.
    const body = op.callTemplate.replace(/\{(\w+)\}/g, (_, p: string) => (op.tensorArgs?.includes(p) ? `keras.ops.convert_to_tensor(${p})` : p));
    return { text: `(lambda ${params.join(', ')}, name=None: ${body})`, lambda: true };
  }
  // The Keras function itself, when every TF parameter has the same name at the same place; the
  // first may be named otherwise (`tf.identity(input)` is `keras.ops.copy(x)`): a held function
  // gets its tensor positionally.
  const kerasParams = op.kerasParams ?? [];
  const renamed = Object.keys(op.renames ?? {});
  const plain =
    renamed.every(p => p === tfParams[0]) &&
    !op.addKwargs &&
    !op.firstArgTemplate &&
    !op.booleanWraps &&
    !op.valueMaps &&
    !op.windowArgs &&
    tfParams.length > 0 &&
    tfParams.every((p, i) => kerasParams[i] === (i === 0 ? op.renames?.[p] ?? p : p));
  return plain ? { text: op.keras, lambda: false } : null;
}

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
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  const target = replacement(canonical);
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
