/**
 * tf.distribute strategies bound in a cell: shared by the rules about strategy scopes and
 * `strategy.run` (rules never import rules).
 */
import { child, descendants, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { CellMemoKey } from '../rule';

/** A resolved `tf.distribute.*Strategy` class (MirroredStrategy, TPUStrategy, experimental ones). */
export const DISTRIBUTE_STRATEGY = /^tensorflow\.distribute\.(\w+\.)*\w*Strategy$/;

/** The name an assignment binds to a new `tf.distribute.*Strategy(...)`, or null. */
export function strategyAssigned(assignment: SyntaxNode, ctx: RuleContext): string | null {
  const left = child(assignment, 'left');
  const right = child(assignment, 'right');
  const fn = right?.type === 'call' ? child(right, 'function') : null;
  return left?.type === 'identifier' && fn && DISTRIBUTE_STRATEGY.test(ctx.resolve(fn) ?? '') ? ctx.textOf(left) : null;
}

const STRATEGY_NAMES = new CellMemoKey<Set<string>>('names assigned a tf.distribute strategy in the cell');

/**
 * Names assigned a `tf.distribute.*Strategy(...)` anywhere in the cell (a try/except choosing one
 * counts). Found once per cell: the rules ask at every `compile()` and `run()` call.
 */
export function strategyNames(root: SyntaxNode, ctx: RuleContext): ReadonlySet<string> {
  return ctx.cellMemo(STRATEGY_NAMES, () => {
    const names = new Set<string>();
    for (const n of descendants(root)) {
      const name = n.type === 'assignment' ? strategyAssigned(n, ctx) : null;
      if (name !== null) {
        names.add(name);
      }
    }
    return names;
  });
}
