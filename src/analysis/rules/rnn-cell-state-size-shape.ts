/**
 * What it does: flags an RNN cell's `state_size` given as a `tf.TensorShape` (`self.state_size =
 * tf.TensorShape([chunk_size, dims])`, also inside a list, or returned by a `state_size` property).
 * A one-dimensional shape becomes its size (`tf.TensorShape([units])` -> `units`).
 * Why: Keras 2's `keras.layers.RNN` took a TensorShape, even of several dimensions (keras.io's
 * Temporal Latent Bottleneck keeps a (chunk_size, dims) state). Keras 3's RNN takes an integer or
 * a list/tuple of integers only: "state_size must be an integer, or a list/tuple of integers" on
 * every backend when the RNN is created. A state of several dimensions has to be kept flattened
 * (`state_size = chunk_size * dims`) and reshaped in the cell's `call()`.
 * Example: `self.state_size = tf.TensorShape([units])`
 * Use instead: `self.state_size = units`
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/** Where a value goes up to through list / tuple displays: the assignment or return holding it. */
function holder(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode = node;
  while (n.parent && (n.parent.type === 'list' || n.parent.type === 'tuple' || n.parent.type === 'parenthesized_expression')) {
    n = n.parent;
  }
  return n.parent;
}

/** Whether `stmt` sets a cell's state size: `self.state_size = ...`, or `return ...` in a `state_size` def. */
function setsStateSize(stmt: SyntaxNode | null, ctx: RuleContext): boolean {
  if (stmt?.type === 'assignment') {
    const left = child(stmt, 'left');
    return !!left && left.type === 'attribute' && /^self\s*\.\s*state_size$/.test(ctx.textOf(left));
  }
  if (stmt?.type === 'return_statement') {
    let def: SyntaxNode | null = stmt.parent;
    while (def && def.type !== 'function_definition' && def.type !== 'lambda' && def.type !== 'class_definition') {
      def = def.parent;
    }
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    return !!name && ctx.textOf(name) === 'state_size';
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolve(parts.fn) !== 'tensorflow.TensorShape' || !setsStateSize(holder(node), ctx)) {
    return;
  }
  const dims = parts.positional[0] ?? parts.keywords.get('dims')?.value;
  const items = dims && (dims.type === 'list' || dims.type === 'tuple') && !parts.splat && parts.positional.length + parts.keywords.size === 1 ? itemsOf(dims) : null;
  const single = items && items.length === 1 && items[0].type !== 'list_splat' ? items[0] : null;
  const shape = ctx.textOf(node);
  ctx.report(
    node,
    `An RNN cell's \`state_size\` is \`${shape}\`: Keras 3's \`keras.layers.RNN\` takes an integer or a list/tuple of integers only and raises "state_size must be an integer, or a list/tuple of integers" on every backend (Keras 2 took a TensorShape). ` +
      (single
        ? `Write \`${ctx.textOf(single)}\`.`
        : 'Keep a state of several dimensions flattened (its size the product of the dimensions) and reshape it in the cell\'s `call()`, as its output.'),
    single ? { title: `Use \`${ctx.textOf(single)}\``, safe: true, edits: [{ start: node.start, end: node.end, text: ctx.textOf(single) }] } : null
  );
}

export const rnnCellStateSizeShape: RuleDefinition = {
  code: 'KM255',
  name: 'rnn-cell-state-size-shape',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: `keras.layers.RNN(cell)` for a
   * cell whose state_size is tf.TensorShape([4]), tf.TensorShape([2, 2]) or [tf.TensorShape([4])]
   * fails on each ("state_size must be an integer, ...", or converting the shape inside a list);
   * state_size = 4 runs; tf_keras 2.21 runs keras.io's Temporal Latent Bottleneck cell.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `tf.TensorShape(...)` given as an RNN cell\'s `state_size` (`self.state_size = tf.TensorShape([...])`, also inside a list, or returned by a `state_size` property). The fix writes a one-dimensional shape as its size; a shape of several dimensions has no fix.',
    why:
      'Keras 2\'s `keras.layers.RNN` accepted a TensorShape state size, even of several dimensions (keras.io\'s Temporal Latent Bottleneck keeps a (chunk_size, dims) state in a custom cell). Keras 3\'s RNN takes an integer or a list/tuple of integers and raises "state_size must be an integer, or a list/tuple of integers (one for each state tensor)" on every backend when it is created. `tf.TensorShape([units])` is a state of `units` values in both, so that fix is safe; a state of several dimensions must be kept flattened (`chunk_size * dims`) and reshaped in the cell\'s `call()`. Not covered by the migration guide.',
    example:
      'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.state_size = tf.TensorShape([units])',
    useInstead:
      'import keras\nimport tensorflow as tf\nclass Cell(keras.layers.Layer):\n    def __init__(self, units, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n        self.state_size = units'
  },
  calls: { resolved: ['tensorflow.TensorShape'] },
  requires: ['TensorShape'],
  visitors: { call: visit }
};
