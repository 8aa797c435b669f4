/**
 * The "loss" metric of a step whose `self.compiled_loss(...)` becomes `compute_loss(...)`.
 *
 * Keras 2's `compiled_loss` also updated the model's loss tracker (a mean of the compiled loss over
 * the epoch, which a step returning `{m.name: m.result() for m in self.metrics}` logs as "loss").
 * Keras 3's `compute_loss()` does not: its own train_step and test_step update the tracker
 * themselves, so a custom step calling it logs a loss of 0 unless it updates the tracker too, as the
 * Keras 3 guide's custom train_step does (the metric named "loss" in `self.metrics`). Checked by
 * running converted steps on TensorFlow, JAX (under the step's StatelessScope, whose metric
 * variables go back into the model) and PyTorch.
 */
import { child, enclosingFunctionDefinition, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { indentOf } from './init-attribute';

/**
 * The edit that updates the "loss" tracker right after `name = <call>` (the statement holding the
 * converted compiled_loss call as its whole value), or null: the call's value is not a name the
 * step binds, or the class makes a metric named "loss" of its own (which the step then updates
 * itself; a second update by name would count every batch twice).
 */
export function lossTrackerUpdateEdit(call: SyntaxNode, classNode: SyntaxNode | null, ctx: RuleContext): OffsetEdit | null {
  const assignment = call.parent;
  const statement = assignment?.parent;
  const target = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
  if (!assignment || statement?.type !== 'expression_statement' || child(assignment, 'right') !== call || target?.type !== 'identifier') {
    return null;
  }
  if (classNode && /\bname\s*=\s*["']loss["']/.test(ctx.textOf(classNode))) {
    return null;
  }
  const indent = indentOf(statement, ctx);
  // One indentation step as the enclosing function writes it (its body's indent past its own).
  const fn = enclosingFunctionDefinition(statement);
  const first = fn ? child(fn, 'body')?.children[0] : null;
  const unit = (fn && first ? indentOf(first, ctx).slice(indentOf(fn, ctx).length) : '') || '    ';
  const loss = ctx.textOf(target);
  return {
    start: statement.end,
    end: statement.end,
    text:
      `\n${indent}# Keras 2's compiled_loss also updated the "loss" metric; Keras 3's compute_loss() does not.\n` +
      `${indent}for metric in self.metrics:\n` +
      `${indent}${unit}if metric.name == "loss":\n` +
      `${indent}${unit}${unit}metric.update_state(${loss})`
  };
}

/**
 * `regularization_losses=self.losses` in a `self.compiled_loss(...)` call's arguments: Keras 3's
 * `compute_loss()` adds the model's `self.losses` itself, so the keyword goes (the edit deleting it
 * with its comma); null when the call has no such keyword; 'other' when it passes something else.
 */
export function regularizationLossesEdit(args: SyntaxNode, ctx: RuleContext): OffsetEdit | null | 'other' {
  const items = args.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== ',' && c.type !== 'comment');
  const index = items.findIndex(c => c.type === 'keyword_argument' && ctx.textOf(child(c, 'name') ?? c) === 'regularization_losses');
  if (index < 0) {
    return null;
  }
  const keyword = items[index];
  if (ctx.textOf(child(keyword, 'value') ?? keyword).replace(/\s+/g, '') !== 'self.losses') {
    return 'other';
  }
  return index > 0
    ? { start: items[index - 1].end, end: keyword.end, text: '' }
    : { start: keyword.start, end: items[1]?.start ?? keyword.end, text: '' };
}
