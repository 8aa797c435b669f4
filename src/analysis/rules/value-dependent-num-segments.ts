/**
 * What it does: in model code, flags the `num_segments` of a segment reduction
 * (`keras.ops.segment_sum`/`segment_max`, `tf.math.unsorted_segment_*`) computed from the values
 * of a tensor (`tf.math.reduce_max(ids) + 1`, `keras.ops.max(ids) + 1`, or a name assigned such
 * a value).
 * Why: JAX traces model code (in `fit()`, `predict()`, `evaluate()`), and the number of segments
 * is the size of the result: it must be a concrete Python int, and a maximum of the segment ids is
 * a traced value there (ConcretizationTypeError, and the model cannot even be built for `fit()`).
 * TensorFlow takes a tensor, and PyTorch computes it eagerly.
 * Example: `keras.ops.segment_sum(x, ids, num_segments=keras.ops.max(ids) + 1)` in `call()`
 * Use instead: a number known without the data, such as the number of nodes
 * (`keras.ops.shape(nodes)[0]`, a Python int on JAX).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, classMethodDefinitions, inModelCode, kerasMethodName, lastAssignedValue, nodesOfType, KERAS_CALLEES } from '../rule-helpers';

/** Segment reductions whose third argument (`num_segments`) sizes the result. */
const SEGMENT_OPS =
  /^(keras\.ops\.segment_(sum|max)|tensorflow\.(math\.)?unsorted_segment_(sum|mean|max|min|prod|sqrt_n))$/;
/** Reductions over the values of a tensor: on JAX, under tracing, their result is a traced array. */
const VALUE_REDUCTIONS =
  /^(keras\.ops\.(max|amax|min|amin|sum|count_nonzero|argmax|argmin)|tensorflow\.(math\.)?(reduce_max|reduce_min|reduce_sum|count_nonzero|argmax|argmin))$/;

/** The value-reduction call in an expression (following names to their last assignment), or null. */
function valueReduction(expr: SyntaxNode, at: SyntaxNode, ctx: RuleContext, depth = 0): SyntaxNode | null {
  if (depth > 3) {
    return null;
  }
  if (expr.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(expr), at, ctx);
    return value ? valueReduction(value, value, ctx, depth + 1) : null;
  }
  const calls = expr.type === 'call' ? [expr, ...nodesOfType(expr, 'call')] : [...nodesOfType(expr, 'call')];
  for (const call of calls) {
    const fn = child(call, 'function');
    const name = fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) : null;
    if (name && VALUE_REDUCTIONS.test(name)) {
      return call;
    }
  }
  // `n = count + 1` with `count = keras.ops.max(ids)`: the names an arithmetic expression reads.
  if (expr.type === 'binary_operator' || expr.type === 'parenthesized_expression') {
    for (const id of nodesOfType(expr, 'identifier')) {
      const found = valueReduction(id, at, ctx, depth + 1);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? (ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)) : null;
  if (!parts || !name || !SEGMENT_OPS.test(name) || parts.splat || !inModelCode(node, ctx)) {
    return;
  }
  // `__init__` and `build` run eagerly, once: their values are concrete on every backend.
  const method = kerasMethodName(ctx);
  if (method === '__init__' || method === 'build') {
    return;
  }
  const count = parts.keywords.get('num_segments')?.value ?? parts.positional[2];
  const reduction = count ? valueReduction(count, node, ctx) : null;
  if (!count || !reduction) {
    return;
  }
  const short = name.replace(/^tensorflow\./, 'tf.');
  // Values the layer holds (`self.edges`) stay concrete under JAX's tracing; values of the method's
  // arguments are traced whenever Keras traces the layer. A Keras layer without its own `build()`
  // is built by tracing `call()` on symbolic stand-ins of all its inputs (constants passed as
  // inputs included), so there the failure is certain; with a `build()`, it depends on whether the
  // ids come from the training data or from a constant the model passes in (keras.io GAT's edges,
  // which runs): no claim.
  const fromArguments = !/^self\./.test(ctx.textOf(child(reduction, 'arguments') ?? reduction).replace(/^\(\s*/, ''));
  const cls = ctx.cls?.keras ? ctx.cls.node : null;
  const builtByTracing = cls === null || !classMethodDefinitions(cls, ctx).has('build');
  const certain = fromArguments && builtByTracing;
  const where = cls === null
    ? ''
    : builtByTracing
      ? ' Keras builds a layer without its own `build()` by tracing `call()` on symbolic stand-ins of every input, so this fails there even for a constant passed as an input.'
      : ' It fails where the segment ids come from the training data; values the model holds and passes in stay concrete.';
  ctx.report(
    count,
    `The \`num_segments\` of \`${short}\` is computed from tensor values (\`${ctx.textOf(reduction)}\`): on JAX, which traces model code in \`fit()\`, \`predict()\` and \`evaluate()\`, such a value is traced, and the number of segments sizes the result, so it must be a concrete int (ConcretizationTypeError; the model cannot be built for \`fit()\`).${where} TensorFlow and PyTorch run it. Pass a number known without the data, such as the number of nodes (\`keras.ops.shape(nodes)[0]\`, a Python int on JAX).`,
    null,
    undefined,
    undefined,
    certain ? ['jax'] : []
  );
}

export const valueDependentNumSegments: RuleDefinition = {
  code: 'KM330',
  name: 'value-dependent-num-segments',
  slug: 'keras-ops',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15 (python_kernel_hooks/tests/claims/value_dependent_num_segments.py):
   * a layer whose `call()` gives `keras.ops.segment_sum` `num_segments=keras.ops.max(ids) + 1`
   * trains on TensorFlow and PyTorch; on JAX `fit()` fails (ConcretizationTypeError while tracing,
   * then "Unable to automatically build the model"). keras.io's graph convolution example
   * (`tf.math.unsorted_segment_sum(..., num_segments=tf.math.reduce_max(node_indices) + 1)`) fails
   * the same way once its TF ops are converted: its layer has no `build()`, and Keras traces `call()`
   * symbolically to build it. keras.io GAT's layer has a `build()` and computes the count from the
   * constant edges the model passes in: it runs on JAX (examples/runnable/gat_attention_train_step.py),
   * so no claim there.
   */
  blocks: ['jax'],
  fixAvailability: 'never',
  triggers: ['segment_sum', 'segment_max', 'unsorted_segment_sum', 'unsorted_segment_mean', 'unsorted_segment_max'],
  docs: {
    whatItDoes:
      'In model code (layer and model methods other than `__init__` and `build`, losses, Lambda functions), flags the `num_segments` of `keras.ops.segment_sum`/`segment_max` or `tf.math.unsorted_segment_sum`/`mean`/`max`/`min`/`prod`/`sqrt_n` when it is computed from the values of a tensor: a `keras.ops.max`/`min`/`sum`/`count_nonzero`/`argmax` or `tf.math.reduce_max`/`reduce_min`/`reduce_sum`/`count_nonzero` call, in the argument or in the names it reads (`num_nodes = tf.math.reduce_max(node_indices) + 1`). It claims JAX where the reduced values are not the layer\'s own (`self.edges`) and the code is not in a layer with its own `build()` (a function, or a layer Keras builds by tracing `call()`); in a layer with a `build()` it only warns. No fix: the number of segments is the program\'s to choose.',
    why:
      'The number of segments is the length of the result. JAX traces model code in `fit()`, `predict()` and `evaluate()`, and the size of an array must then be a concrete Python int; a maximum of the segment ids is a traced value, so the op fails with a ConcretizationTypeError, and Keras cannot build the model for `fit()` ("Unable to automatically build the model"). A direct eager call of the model runs, which hides the problem until training. Values a layer holds (`self.edges`) stay concrete when JAX traces, and so does a constant the model passes to a sub-layer that has its own `build()` (keras.io GAT runs on JAX); a sub-layer without `build()` is built by Keras tracing its `call()` on symbolic stand-ins of all its inputs, constants included, and fails (keras.io\'s graph convolution layer). TensorFlow accepts a tensor for `num_segments`, and PyTorch computes it eagerly. A number known without the data (the number of nodes of the graph, `keras.ops.shape(nodes)[0]`, a Python int on JAX) runs on every backend. Not covered by the migration guide.',
    example:
      'import keras\nclass Pool(keras.layers.Layer):\n    def call(self, x, ids):\n        return keras.ops.segment_sum(x, ids, num_segments=keras.ops.max(ids) + 1)\n',
    useInstead:
      'import keras\nclass Pool(keras.layers.Layer):\n    def __init__(self, num_nodes, **kwargs):\n        super().__init__(**kwargs)\n        self.num_nodes = num_nodes\n\n    def call(self, x, ids):\n        return keras.ops.segment_sum(x, ids, num_segments=self.num_nodes)\n'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
