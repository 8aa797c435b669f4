/**
 * sequence-num-batches-assignment (KM311)
 *
 * What it does: flags `self.num_batches = ...` in a subclass of `keras.utils.Sequence` /
 * `keras.utils.PyDataset` (a batch generator told how many batches to give, keras.io's metric
 * learning example), also as one target of an unpacking assignment or with `+=`, and in a class
 * deriving from one through classes the cell defines; renames the attribute to `self._num_batches`
 * throughout the class (and those base classes).
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
import { onlyVisibleDefinition } from '../helpers/model-code';
import type { RuleContext, RuleDefinition } from '../rule';

const SEQUENCE = /^keras\.utils\.(Sequence|PyDataset)$/;
const ATTRIBUTE = 'num_batches';
const RENAMED = '_num_batches';

/**
 * The class and the classes of the cell it derives from, up to `keras.utils.Sequence` /
 * `keras.utils.PyDataset` (`class Pairs(BaseBatches)` with `class BaseBatches(keras.utils.Sequence)`
 * above it), or null when it does not derive from one through classes the cell defines.
 */
function sequenceChain(cls: SyntaxNode, ctx: RuleContext, depth = 0): SyntaxNode[] | null {
  const bases = child(cls, 'superclasses');
  if (!bases || depth > 4) {
    return null;
  }
  if (bases.children.some(b => SEQUENCE.test(ctx.resolveKeras(b) ?? ''))) {
    return [cls];
  }
  for (const base of bases.children) {
    const defined = base.type === 'identifier' ? onlyVisibleDefinition(cls, 'class_definition', ctx.textOf(base), ctx) : null;
    const chain = defined && defined !== cls ? sequenceChain(defined, ctx, depth + 1) : null;
    if (chain) {
      return [cls, ...chain];
    }
  }
  return null;
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

/** Target node types that unpack (`self.num_batches, self.rest = ...`). */
const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'parenthesized_expression']);

/** Whether `use` is (one of) the targets an assignment or augmented assignment sets. */
function isAssigned(use: SyntaxNode): boolean {
  let target = use;
  while (target.parent && PATTERNS.has(target.parent.type)) {
    target = target.parent;
  }
  const statement = target.parent;
  return !!statement && (statement.type === 'assignment' || statement.type === 'augmented_assignment') && child(statement, 'left') === target;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  if (ctx.textOf(node).replace(/\s+/g, '') !== `self.${ATTRIBUTE}` || !isAssigned(node)) {
    return;
  }
  const chain = ctx.fn && ctx.cls ? sequenceChain(ctx.cls.node, ctx) : null;
  if (!chain) {
    return;
  }
  const defined = chain.map(c => definedNames(c, ctx));
  if (defined.some(d => d.has(ATTRIBUTE))) {
    return; // a class of the chain defines its own `num_batches` (a property with a setter, say)
  }
  const uses = chain.flatMap(c => selfAttributes(c, ATTRIBUTE, ctx)).sort((x, y) => x.start - y.start);
  const own = selfAttributes(chain[0], ATTRIBUTE, ctx).filter(isAssigned);
  if (own[0] !== node) {
    return; // one finding per class, at its first assignment
  }
  // The classes the cell defines between this one and Sequence are renamed too: a base's
  // `__len__` returning `self.num_batches` would otherwise read the property, which calls `__len__`.
  const clash = chain.some((c, i) => selfAttributes(c, RENAMED, ctx).length > 0 || defined[i].has(RENAMED));
  const edits = uses.map(u => {
    const attr = child(u, 'attribute')!;
    return { start: attr.start, end: attr.end, text: RENAMED };
  });
  ctx.report(
    node,
    '`self.num_batches = ...` in a `keras.utils.Sequence` subclass: since Keras 3.3 `PyDataset.num_batches` is a read-only property (it returns `len(self)`), so this raises "AttributeError: property \'num_batches\' ... has no setter" on every backend (Keras 2\'s Sequence had no such attribute); store the count under another name, such as `self._num_batches`.',
    clash ? null : { title: 'Rename the attribute to `self._num_batches`', safe: defined.some(d => d.has('__len__')), edits }
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
      'Flags `self.num_batches = value` (also one target of an unpacking assignment, `self.num_batches, self.rest = ...`, and `self.num_batches += 1`) in a method of a class deriving from `keras.utils.Sequence` or `keras.utils.PyDataset`, directly or through classes the cell defines (one that does not define `num_batches` itself), such as a batch generator told how many batches an epoch has. The fix renames every `self.num_batches` of the class and of those base classes to `self._num_batches` (safe when one of them defines `__len__` and none uses `_num_batches`).',
    why:
      'Keras 2\'s `Sequence` had no `num_batches` attribute, so generators often stored their batch count under that name. Since Keras 3.3 `PyDataset` (which `keras.utils.Sequence` now is) has a read-only `num_batches` property that returns `len(self)`, and the assignment raises "AttributeError: property \'num_batches\' of \'AnchorPositivePairs\' object has no setter" on every backend. Renaming only the assignment would make `__len__` read the property, which calls `__len__` again; renaming every use keeps the stored count, and the property still answers `len(self)`. Not covered by the migration guide.',
    example:
      'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self.num_batches = num_batches\n\n    def __len__(self):\n        return self.num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n',
    useInstead:
      'import keras\nclass PairBatches(keras.utils.Sequence):\n    def __init__(self, num_batches):\n        self._num_batches = num_batches\n\n    def __len__(self):\n        return self._num_batches\n\n    def __getitem__(self, idx):\n        return make_batch(idx)\n'
  },
  requires: ['num_batches'],
  visitors: { attribute: visit }
};
