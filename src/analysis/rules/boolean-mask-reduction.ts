/**
 * What it does: suggests rewriting a mean or sum of `tf.boolean_mask(...)` selections in a function
 * (a masked loss or metric) as a masked reduction with `keras.ops.where`, both inline
 * (`tf.reduce_mean(tf.boolean_mask(loss, mask))`) and when the selection is assigned to a name in
 * the statement just before (`loss_ = tf.boolean_mask(loss_, mask)` / `return tf.reduce_mean(loss_)`).
 * Why: `tf.boolean_mask` has a data-dependent output shape and no `keras.ops` equivalent, so it
 * fails on JAX (which traces losses and metrics) and on PyTorch in training (KM131 reports it).
 * A mean over the selected elements equals the sum of the masked values divided by the number of
 * `True` entries, which every backend computes.
 * Example: `return tf.reduce_mean(tf.boolean_mask(loss, mask))`.
 * Use instead: `return (keras.ops.sum(keras.ops.where(mask, loss, 0)) / keras.ops.sum(keras.ops.cast(mask, "float32")))`.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, withKerasImport } from '../rule-helpers';

const MEAN = new Set(['tensorflow.reduce_mean', 'tensorflow.math.reduce_mean', 'keras.ops.mean']);
const SUM = new Set(['tensorflow.reduce_sum', 'tensorflow.math.reduce_sum', 'keras.ops.sum']);
const BOOLEAN_MASK = new Set(['tensorflow.boolean_mask']);
/** Elementwise calls a masked expression may apply to the selections (they commute with the selection). */
const ELEMENTWISE = new Set(
  ['cast', 'equal', 'not_equal', 'square', 'abs', 'absolute', 'exp', 'log', 'sqrt', 'math.equal', 'math.not_equal', 'math.square', 'math.abs', 'math.exp', 'math.log', 'math.sqrt'].flatMap(n => [
    `tensorflow.${n}`,
    `keras.ops.${n}`
  ])
);
const PLAIN = new Set(['identifier', 'attribute', 'integer', 'float', 'string', 'binary_operator', 'unary_operator', 'comparison_operator', 'parenthesized_expression', 'argument_list', 'keyword_argument', 'true', 'false', 'none']);

function calleeOf(node: SyntaxNode, ctx: RuleContext): string {
  const fn = child(node, 'function');
  return fn ? (ctx.resolve(fn) ?? ctx.resolveKeras(fn) ?? '') : '';
}

interface Selection {
  call: SyntaxNode;
  values: SyntaxNode;
  mask: SyntaxNode;
}

/** The `tf.boolean_mask(values, mask)` call's two arguments, or null. */
function selection(node: SyntaxNode, ctx: RuleContext): Selection | null {
  if (node.type !== 'call' || !BOOLEAN_MASK.has(calleeOf(node, ctx))) {
    return null;
  }
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.positional.length !== 2 || parts.keywords.size > 0) {
    return null;
  }
  return { call: node, values: parts.positional[0], mask: parts.positional[1] };
}

/** Collects the selections in an elementwise expression; false when something else is in it. */
function collect(node: SyntaxNode, ctx: RuleContext, out: Selection[]): boolean {
  const sel = selection(node, ctx);
  if (sel) {
    out.push(sel);
    return true;
  }
  if (node.type === 'call') {
    if (!ELEMENTWISE.has(calleeOf(node, ctx))) {
      return false;
    }
    const args = child(node, 'arguments');
    return !!args && args.children.every(c => c.type === 'comment' || collect(c, ctx, out));
  }
  if (!PLAIN.has(node.type)) {
    return false;
  }
  return node.children.every(c => c.type === 'comment' || collect(c, ctx, out));
}

/** The text of `node` with each selection replaced by its values. */
function unmasked(node: SyntaxNode, selections: Selection[], ctx: RuleContext): string {
  let out = '';
  let pos = node.start;
  for (const s of [...selections].sort((a, b) => a.call.start - b.call.start)) {
    out += ctx.text.slice(pos, s.call.start) + ctx.textOf(s.values);
    pos = s.call.end;
  }
  return out + ctx.text.slice(pos, node.end);
}

function reduction(kind: 'mean' | 'sum', masked: string, mask: string): string {
  const total = `keras.ops.sum(${masked})`;
  return kind === 'sum' ? total : `(${total} / keras.ops.sum(keras.ops.cast(${mask}, "float32")))`;
}

/** The statement directly holding `node` in a block, and that block. */
function statementOf(node: SyntaxNode): SyntaxNode | null {
  let s: SyntaxNode | null = node;
  while (s && s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') {
    s = s.parent;
  }
  return s && s.parent ? s : null;
}

/** `V = tf.boolean_mask(X, M)` (or an elementwise expression of selections by M) in the statement just before the reduction's, V read nowhere after it. */
function assignedSelection(name: string, reduce: SyntaxNode, ctx: RuleContext): { right: SyntaxNode; masked: string; mask: string } | null {
  const stmt = statementOf(reduce);
  const block = stmt?.parent;
  if (!stmt || !block) {
    return null;
  }
  const index = block.children.indexOf(stmt);
  const previous = index > 0 ? block.children[index - 1] : null;
  const assignment = previous && previous.type === 'expression_statement' ? previous.children[0] : null;
  const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
  const right = assignment && assignment.type === 'assignment' ? child(assignment, 'right') : null;
  if (!left || !right || left.type !== 'identifier' || ctx.textOf(left) !== name) {
    return null;
  }
  const selections: Selection[] = [];
  if (!collect(right, ctx, selections) || selections.length === 0) {
    return null;
  }
  const mask = ctx.textOf(selections[0].mask);
  const word = new RegExp(`\\b${name}\\b`);
  if (selections.some(sel => ctx.textOf(sel.mask) !== mask) || word.test(mask)) {
    return null;
  }
  // The reduction is the only read of V: once in its statement, and nowhere in the statements after.
  const uses = ctx.textOf(stmt).match(new RegExp(`\\b${name}\\b`, 'g')) ?? [];
  if (uses.length !== 1 || block.children.slice(index + 1).some(s => word.test(ctx.textOf(s)))) {
    return null;
  }
  return { right, masked: unmasked(right, selections, ctx), mask };
}

const MESSAGE =
  '`tf.boolean_mask` selects a data-dependent number of elements, which JAX cannot trace and `keras.ops` has no function for; a mean or sum of the selection is a masked reduction: sum `keras.ops.where(mask, values, 0)` (divided by the number of `True` mask entries for a mean), which runs on every backend.';
const TITLE = 'Reduce with `keras.ops.where(mask, values, 0)` instead of selecting with `tf.boolean_mask`';

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  if (!ctx.fn) {
    return;
  }
  const name = calleeOf(node, ctx);
  const kind = MEAN.has(name) ? 'mean' : SUM.has(name) ? 'sum' : null;
  const parts = kind ? callParts(node, ctx) : null;
  if (!kind || !parts || parts.splat || parts.positional.length !== 1 || parts.keywords.size > 0) {
    return;
  }
  const arg = parts.positional[0];
  if (arg.type === 'identifier') {
    const found = assignedSelection(ctx.textOf(arg), node, ctx);
    if (!found) {
      return;
    }
    const { right, masked, mask } = found;
    const edits: OffsetEdit[] = [
      { start: right.start, end: right.end, text: `keras.ops.where(${mask}, ${masked}, 0)` },
      { start: node.start, end: node.end, text: reduction(kind, ctx.textOf(arg), mask) }
    ];
    ctx.report(node, MESSAGE, { title: TITLE, safe: false, edits: withKerasImport(ctx, edits) });
    return;
  }
  const selections: Selection[] = [];
  if (!collect(arg, ctx, selections) || selections.length === 0) {
    return;
  }
  const mask = ctx.textOf(selections[0].mask);
  if (selections.some(s => ctx.textOf(s.mask) !== mask)) {
    return;
  }
  const masked = `keras.ops.where(${mask}, ${unmasked(arg, selections, ctx)}, 0)`;
  ctx.report(node, MESSAGE, { title: TITLE, safe: false, edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: reduction(kind, masked, mask) }]) });
}

export const booleanMaskReduction: RuleDefinition = {
  code: 'KM238',
  name: 'boolean-mask-reduction',
  slug: 'keras-ops',
  severity: 'warning',
  // The failure itself is KM131's claim on `tf.boolean_mask`; this rule only offers the rewrite.
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: ['boolean_mask'],
  docs: {
    whatItDoes:
      'In a function (a masked loss or metric), suggests rewriting `tf.reduce_mean` / `tf.reduce_sum` of `tf.boolean_mask(values, mask)` selections (inline, through elementwise ops such as `tf.cast(tf.equal(...))` with one mask, or assigned, alone or in such an expression, to a name in the statement just before and read only there) as a masked reduction with `keras.ops.where`.',
    why:
      '`tf.boolean_mask` returns a data-dependent number of elements and has no `keras.ops` equivalent: it fails on JAX, which traces losses and metrics, and on PyTorch in training (KM131). The mean over the selected elements is the sum of `keras.ops.where(mask, values, 0)` divided by the number of `True` entries, which every backend computes (how the Keras team\'s ports write masked losses). A suggestion: it assumes the mask has the shape of the values (a mask of lower rank selecting whole rows needs `keras.ops.expand_dims` and a different count).',
    example:
      'import tensorflow as tf\ndef masked_loss(loss, mask):\n    return tf.reduce_mean(tf.boolean_mask(loss, mask))',
    useInstead:
      'import keras\ndef masked_loss(loss, mask):\n    return (keras.ops.sum(keras.ops.where(mask, loss, 0)) / keras.ops.sum(keras.ops.cast(mask, "float32")))'
  },
  // Findings reduce a `tf.boolean_mask` selection.
  requires: ['boolean_mask'],
  visitors: { call: visitCall }
};
