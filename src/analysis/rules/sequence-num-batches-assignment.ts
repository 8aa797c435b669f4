/**
 * sequence-num-batches-assignment (KM311)
 *
 * What it does: flags `self.num_batches = ...` in a subclass of `keras.utils.Sequence` /
 * `keras.utils.PyDataset` (a batch generator told how many batches to give, keras.io's metric
 * learning example), and renames the attribute to `self._num_batches` throughout the class.
 * Why: Keras 2's Sequence had no `num_batches`; since Keras 3.3 `PyDataset.num_batches` is a
 * read-only property (it returns `len(self)`), so the assignment raises "AttributeError: property
 * 'num_batches' of 'X' object has no setter" on every backend before fit() starts. Renaming only
 * the assignment would not do: `__len__` reading `self.num_batches` would call the property, which
 * calls `__len__` again.
 * Example: `self.num_batches = num_batches`
 * Use instead: `self._num_batches = num_batches`
 * Fix (safe when the class defines `__len__` and no `_num_batches`, else a suggestion; none when the
 * class uses `_num_batches` already): every `self.num_batches` of the class becomes `self._num_batches`.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';

const SEQUENCE = /^keras\.utils\.(Sequence|PyDataset)$/;
const ATTRIBUTE = 'num_batches';
const RENAMED = '_num_batches';

/** Whether the class derives from `keras.utils.Sequence` / `keras.utils.PyDataset` directly. */
function isSequenceClass(cls: SyntaxNode, ctx: RuleContext): boolean {
  const bases = child(cls, 'superclasses');
  return !!bases && bases.children.some(b => SEQUENCE.test(ctx.resolveKeras(b) ?? ''));
}

/** The names the class body defines as methods or properties. */
function definedNames(cls: SyntaxNode, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const s of child(cls, 'body')?.children ?? []) {
    const def = s.type === 'decorated_definition' ? child(s, 'definition') : s;
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    if (name) {
      names.add(ctx.textOf(name));
    }
  }
  return names;
}

/** Every `self.<name>` attribute in the class's methods, in order. */
function selfAttributes(cls: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [cls];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'attribute') {
      const obj = child(node, 'object');
      const attr = child(node, 'attribute');
      if (obj?.type === 'identifier' && ctx.textOf(obj) === 'self' && attr && ctx.textOf(attr) === name) {
        found.push(node);
      }
    }
    stack.push(...node.children);
  }
  return found.sort((a, b) => a.start - b.start);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  if (!left || left.type !== 'attribute' || ctx.textOf(left).replace(/\s+/g, '') !== `self.${ATTRIBUTE}`) {
    return;
  }
  if (!ctx.fn || !ctx.cls || !isSequenceClass(ctx.cls.node, ctx)) {
    return;
  }
  const cls = ctx.cls.node;
  const defined = definedNames(cls, ctx);
  if (defined.has(ATTRIBUTE)) {
    return; // the class defines its own `num_batches` (a property with a setter, say)
  }
  const uses = selfAttributes(cls, ATTRIBUTE, ctx);
  const assignments = uses.filter(u => u.parent?.type === 'assignment' && child(u.parent, 'left') === u);
  if (assignments[0] !== left) {
    return; // one finding per class, at its first assignment
  }
  // Renaming every `self.num_batches` of the class keeps what it stored; the property (which
  // others may read) returns `len(self)`, the same count when `__len__` returns it. Safe when the
  // class has `__len__` and no `_num_batches` of its own.
  const clash = selfAttributes(cls, RENAMED, ctx).length > 0 || defined.has(RENAMED);
  const edits = uses.map(u => {
    const attr = child(u, 'attribute')!;
    return { start: attr.start, end: attr.end, text: RENAMED };
  });
  ctx.report(
    left,
    '`self.num_batches = ...` in a `keras.utils.Sequence` subclass: since Keras 3.3 `PyDataset.num_batches` is a read-only property (it returns `len(self)`), so this raises "AttributeError: property \'num_batches\' ... has no setter" on every backend (Keras 2\'s Sequence had no such attribute); store the count under another name, such as `self._num_batches`.',
    clash ? null : { title: 'Rename the attribute to `self._num_batches`', safe: defined.has('__len__'), edits }
  );
}

export const sequenceNumBatchesAssignment: RuleDefinition = {
  code: 'KM311',
  name: 'sequence-num-batches-assignment',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch (and 3.3.3, 3.6): a Sequence
   * subclass whose `__init__()` sets `self.num_batches` raises "property 'num_batches' of 'C'
   * object has no setter"; with `self._num_batches` it trains (Keras 3.2.1 and tf_keras 2.21 take
   * the original). python_kernel_hooks/tests/claims/sequence_num_batches_assignment.py.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['num_batches'],
  docs: {
    whatItDoes:
      'Flags `self.num_batches = value` in a method of a class deriving from `keras.utils.Sequence` or `keras.utils.PyDataset` (one that does not define `num_batches` itself), such as a batch generator told how many batches an epoch has. The fix renames every `self.num_batches` of the class to `self._num_batches` (safe when the class defines `__len__` and no `_num_batches`).',
    why:
      'Keras 2\'s `Sequence` had no `num_batches` attribute, so generators often stored their batch count under that name. Since Keras 3.3 `PyDataset` (which `keras.utils.Sequence` now is) has a read-only `num_batches` property that returns `len(self)`, and the assignment raises "AttributeError: property \'num_batches\' of \'AnchorPositivePairs\' object has no setter" on every backend. Renaming only the assignment would make `__len__` read the property, which calls `__len__` again; renaming every use keeps the stored count, and the property still answers `len(self)`. Not covered by the migration guide.',
    example:
      'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self.num_batches = num_batches\n\n    def __len__(self):\n        return self.num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n',
    useInstead:
      'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self._num_batches = num_batches\n\n    def __len__(self):\n        return self._num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n'
  },
  requires: ['num_batches'],
  visitors: { assignment: visit }
};
