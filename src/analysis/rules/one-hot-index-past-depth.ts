import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../rule-helpers';

const CUMSUM = /^(keras\.ops\.(numpy\.)?cumsum|tensorflow\.(math\.)?cumsum)$/;

/** Whether `node` computes a running count: a cumsum call in it, or in the value last assigned to a name in it (one step). */
function countsPositions(node: SyntaxNode, ctx: RuleContext, follow = true): boolean {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const name = fn ? ctx.resolveKeras(fn) ?? ctx.resolve(fn) : null;
      if (name && CUMSUM.test(name)) {
        return true;
      }
    } else if (n.type === 'identifier' && follow) {
      const value = lastAssignedValue(ctx.textOf(n), n, ctx);
      if (value && countsPositions(value, ctx, false)) {
        return true;
      }
    }
    stack.push(...n.children);
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  if (!fn || ctx.resolveKeras(fn) !== 'keras.ops.one_hot') {
    return;
  }
  const parts = callParts(node, ctx);
  const index = parts?.positional[0] ?? parts?.keywords.get('x')?.value ?? null;
  const depth = parts?.positional[1] ?? parts?.keywords.get('num_classes')?.value ?? null;
  // An index already chosen with `where(...)` or bounded with `minimum(...)`/`clip(...)` (keras.io's
  // hand-converted Switch Transformer clamps to the capacity) is left to the author.
  const chosen = index?.type === 'call' && /^keras\.ops\.(numpy\.)?(where|minimum|clip)$/.test(ctx.resolveKeras(child(index, 'function') ?? index) ?? '');
  if (!parts || !index || !depth || chosen || !countsPositions(index, ctx)) {
    return;
  }
  const x = ctx.textOf(index);
  const edits: OffsetEdit[] = [{ start: index.start, end: index.end, text: `keras.ops.where(${x} < ${ctx.textOf(depth)}, ${x}, -1)` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    index,
    'These one-hot indices are positions counted with `cumsum` (a slot in a buffer of `num_classes` places), which can reach `num_classes` when the buffer is full: TensorFlow and JAX give a zero row for such an index, PyTorch raises "Class values must be smaller than num_classes". Map indices past the depth to -1 (a zero row on every backend).',
    // Exact on TensorFlow and JAX; the index expression is written twice, so only a plain name is safe.
    { title: 'Map indices past the depth to -1', safe: index.type === 'identifier' && depth.type !== 'call', edits }
  );
}

export const oneHotIndexPastDepth: RuleDefinition = {
  code: 'KM209',
  name: 'one-hot-index-past-depth',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: ['one_hot'],
  docs: {
    whatItDoes: 'Flags `keras.ops.one_hot(positions, n)` where the positions are counted with `cumsum` (capacity-limited dispatch in mixture-of-experts routers, slots in a buffer), unless the index is already chosen with `keras.ops.where` or bounded with `keras.ops.minimum`/`keras.ops.clip`.',
    why:
      '`tf.one_hot` gives an all-zero row for an index outside `[0, depth)`, and code relies on it to drop what overflows a buffer (the keras.io Switch Transformer router one-hot encodes `cumsum` positions with the expert capacity as depth). `keras.ops.one_hot` does the same on TensorFlow and JAX, but on PyTorch an index >= `num_classes` raises "Class values must be smaller than num_classes" (checked on Keras 3.15; negative indices give a zero row on all three). `keras.ops.where(i < n, i, -1)` gives the same one-hot rows on every backend, so the fix is safe when the index is a plain name (otherwise the expression is written twice: a suggestion).',
    example:
      'import keras\n\ndef dispatch(mask, capacity):\n    position = keras.ops.cast(keras.ops.cumsum(mask, axis=0) * mask, "int32")\n    return keras.ops.one_hot(position, capacity)',
    useInstead:
      'import keras\n\ndef dispatch(mask, capacity):\n    position = keras.ops.cast(keras.ops.cumsum(mask, axis=0) * mask, "int32")\n    return keras.ops.one_hot(keras.ops.where(position < capacity, position, -1), capacity)'
  },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['one_hot'],
  visitors: { call: visit },
  calls: { names: ['one_hot'] }
};
