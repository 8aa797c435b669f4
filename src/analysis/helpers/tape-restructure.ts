/**
 * Two restructurings of a `tf.GradientTape` body that keep what the program computes on
 * TensorFlow, after which the per-backend rewrites of module-tape-step.ts (KM218's input gradient,
 * KM175's training step) apply to code they would otherwise refuse:
 *
 * - Hoisting (KM218): the statements before the first `tape.watch(x)` that make the watched tensor
 *   (the Grad-CAM idiom of Deep Learning with Python, 2nd ed.: `out = last_conv_model(img);
 *   tape.watch(out); preds = classifier(out)`; the saliency-map idiom `x = tf.cast(img,
 *   tf.float32); tape.watch(x)`) run before the `with`. A TF gradient with respect to a watched
 *   tensor does not depend on how that tensor was made, so where every gradient source is a
 *   watched name this is the same program (/work/og49a repro_2, repro_2b: hoisted by hand, the
 *   rewrite ran on TensorFlow, JAX and PyTorch).
 * - Dedenting (KM175): `grads = g.gradient(...)` and what follows it written inside the `with`
 *   (aymericdamien's TensorFlow-Examples v2 notebooks: the gradient and `apply_gradients` under the
 *   tape). A non-persistent tape stops recording when its gradient is taken (and refuses a second
 *   one), so that tail runs after the `with` unchanged (/work/og49b repro_1: dedented by hand, the
 *   rewrite ran on all three).
 *
 * The rewrites treat the moved statements as before (after) the tape; the text helpers here write
 * them there. Not a rule.
 */
import { child, identifiersIn, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { applyOffsetEdits, lineStartAt } from '../text';
import { assignedNames, nodesUnder } from './multi-optimizer-step';

/** The statements of a block, comments aside. */
function statementsOf(block: SyntaxNode): SyntaxNode[] {
  return block.children.filter(c => c.type !== 'comment');
}

/** Whether `node` starts a line of its own (only indentation before it). */
function startsLine(text: string, node: SyntaxNode): boolean {
  return !text.slice(lineStartAt(text, node.start), node.start).trim();
}

/** Whether moving the lines of `nodes` to another indentation would change a string's text (a multi-line string literal). */
function holdsMultilineString(nodes: SyntaxNode[], ctx: RuleContext): boolean {
  return nodes.some(s => nodesUnder(s, n => n.type === 'string' && ctx.textOf(n).includes('\n')).length > 0);
}

/** Whether a statement is `alias.watch(...)`. */
function isWatch(s: SyntaxNode, alias: string, ctx: RuleContext): boolean {
  return new RegExp(`^${alias}\\.watch\\(.*\\)$`, 's').test(ctx.textOf(s).replace(/\s+/g, ''));
}

/**
 * The statements of the body of the tape `stmt` (bound to `alias`) before its first
 * `alias.watch(...)` line that may run before the `with`: each a plain assignment to names (no
 * chained assignment, walrus or multi-line string), none using the tape or opening another one,
 * each on its own line, and the first watch line on its own. Empty when the body starts with a
 * watch line, or has none, or a leading statement is of another kind. Hoisting keeps the program's
 * meaning only where every gradient the tape gives is with respect to watched names (the caller
 * checks its sources).
 */
export function statementsBeforeWatch(stmt: SyntaxNode, alias: string, ctx: RuleContext): SyntaxNode[] {
  const body = child(stmt, 'body');
  const all = body ? statementsOf(body) : [];
  const first = all.findIndex(s => isWatch(s, alias, ctx));
  if (first <= 0) {
    return [];
  }
  const before = all.slice(0, first);
  const plain = before.every(
    s =>
      assignedNames(s, ctx) !== null &&
      startsLine(ctx.text, s) &&
      !identifiersIn(s).some(n => ctx.textOf(n) === alias || ctx.textOf(n) === 'GradientTape') &&
      !nodesUnder(child(s.children[0], 'right') ?? s, n => ['assignment', 'augmented_assignment', 'named_expression', 'yield', 'await'].includes(n.type)).length
  );
  return plain && startsLine(ctx.text, all[first]) && !holdsMultilineString(before, ctx) ? before : [];
}

/**
 * The statements at the end of the body of the tape `stmt` (a `with` of the non-persistent tapes
 * `aliases`) from the first one that uses a tape, when that use is `alias.gradient(...)` and every
 * later use of a tape in them is a gradient too (no `watch`, no `stop_recording`): the tape records
 * nothing once its gradient is taken, so they may run after the `with`. Empty when a tape is
 * persistent (it would go on recording), no statement uses a tape, the body starts with that use,
 * or the statements hold a multi-line string (moving their lines would change it).
 */
export function statementsFromGradient(stmt: SyntaxNode, aliases: string[], persistent: boolean[], ctx: RuleContext): SyntaxNode[] {
  const body = child(stmt, 'body');
  const all = body ? statementsOf(body) : [];
  if (persistent.some(p => p)) {
    return [];
  }
  const usesOf = (s: SyntaxNode): SyntaxNode[] => identifiersIn(s).filter(n => aliases.includes(ctx.textOf(n)));
  const first = all.findIndex(s => usesOf(s).length > 0);
  if (first <= 0) {
    return [];
  }
  const tail = all.slice(first);
  const gradientsOnly = tail.every(s =>
    usesOf(s).every(n => {
      const attr = n.parent;
      return attr?.type === 'attribute' && child(attr, 'object') === n && ctx.textOf(child(attr, 'attribute')!) === 'gradient' && attr.parent?.type === 'call' && child(attr.parent, 'function') === attr;
    })
  );
  const firstUse = usesOf(tail[0]).sort((a, b) => a.start - b.start)[0];
  const gradientFirst = firstUse?.parent?.type === 'attribute' && ctx.textOf(child(firstUse.parent, 'attribute')!) === 'gradient';
  return gradientsOnly && gradientFirst && startsLine(ctx.text, tail[0]) && !holdsMultilineString(tail, ctx) ? tail : [];
}

/** `text` with `unit` removed from the start of each of its lines that has it (the first only when `fromLineStart`). */
export function dedented(text: string, unit: string, fromLineStart = true): string {
  return text
    .split('\n')
    .map((l, i) => ((i > 0 || fromLineStart) && l.startsWith(unit) ? l.slice(unit.length) : l))
    .join('\n');
}

/**
 * The text of `[from, to)` with the edits inside it applied, then its lines one indentation level
 * (`unit`) out: statements moved out of a tape's body. `fromLineStart`: `from` starts a line. The
 * edits it applied are left out of `rest`.
 */
export function movedOut(text: string, from: number, to: number, unit: string, edits: OffsetEdit[], fromLineStart = true): { text: string; rest: OffsetEdit[] } {
  const inside = edits.filter(e => e.start >= from && e.end <= to && !(e.start === e.end && (e.start === from || e.start === to)));
  const moved = applyOffsetEdits(
    text.slice(from, to),
    inside.map(e => ({ start: e.start - from, end: e.end - from, text: e.text }))
  );
  return { text: dedented(moved, unit, fromLineStart), rest: edits.filter(e => !inside.includes(e)) };
}
