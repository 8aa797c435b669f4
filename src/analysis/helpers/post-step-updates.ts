/**
 * What a Keras 2 train_step does after its optimizer step that Keras 3's own step can still do
 * from compute_loss(): values computed only to update metrics (`normalized =
 * tf.math.l2_normalize(p_one, axis=1)` before `self.std_tracker.update_state(...)`), and loops
 * assigning the variables of a sub-model the step does not train (BYOL's exponential moving
 * average of the online network into the target network). Used by the KM141 rewrite
 * (train-step-rewrite.ts); kept apart so that file only asks and emits.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';

function inner(stmt: SyntaxNode): SyntaxNode {
  return stmt.type === 'expression_statement' && stmt.children.length === 1 ? stmt.children[0] : stmt;
}

/** Names bound by a plain assignment (`a = ...`, `a, b = ...`), else []. */
function assignedNames(stmt: SyntaxNode, ctx: RuleContext): string[] {
  const e = inner(stmt);
  const left = e.type === 'assignment' ? child(e, 'left') : null;
  const targets = !left ? [] : left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  return targets.length && targets.every(t => t.type === 'identifier') ? targets.map(t => ctx.textOf(t)) : [];
}

function reads(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])${name}\\b`).test(text);
}

/**
 * A statement after the tape that only computes a value (`normalized = tf.math.l2_normalize(p_one,
 * axis=1)`): a plain assignment that calls no layer or method of the model (`self.x(...)`,
 * `self(...)`) and reads neither the gradients nor the tape. Whether only metric updates read it
 * is asked by `metricInputsOnly()` once the whole step is known.
 */
export function isValueComputation(stmt: SyntaxNode, forbidden: Iterable<string>, ctx: RuleContext): boolean {
  const e = inner(stmt);
  const right = e.type === 'assignment' ? child(e, 'right') : null;
  if (!right || assignedNames(stmt, ctx).length === 0) {
    return false;
  }
  const text = ctx.textOf(right);
  if (/\bself\s*(\.\s*\w+\s*)*\(/.test(text) || /\b(optimizer|apply_gradients|gradient)\b/.test(text)) {
    return false;
  }
  return ![...forbidden].some(name => reads(text, name));
}

/**
 * The first value computation (of `computed`) whose names something other than a metric update
 * or another such computation reads (`others`: the loss, the return, the variable updates), or
 * that no metric update reads at all; null when each only feeds metric updates.
 */
export function metricInputsOnly(computed: SyntaxNode[], metricUpdates: SyntaxNode[], others: string[], ctx: RuleContext): SyntaxNode | null {
  const metricText = metricUpdates.filter(s => !computed.includes(s)).map(s => ctx.textOf(s)).join('\n');
  const otherText = others.join('\n');
  for (const stmt of computed) {
    const names = assignedNames(stmt, ctx);
    // Read by a metric update directly, or through another computation that is.
    const fed = names.some(n => reads(metricText, n) || computed.some(c => c !== stmt && reads(ctx.textOf(child(inner(c), 'right') ?? c), n)));
    if (!fed || names.some(n => reads(otherText, n))) {
      return stmt;
    }
  }
  return null;
}

/**
 * Whether `self.<attr>` holds a number: every use of it in the class (besides its assignments)
 * is an operand of arithmetic or a comparison (`self.tau * target_w`), never called, indexed or
 * asked for an attribute. A layer or sub-model is never used that way.
 */
export function numericAttribute(attr: string, cls: SyntaxNode, ctx: RuleContext): boolean {
  let uses = 0;
  const stack = [cls];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'attribute' && ctx.textOf(n) === `self.${attr}`) {
      const parent = n.parent;
      if (parent?.type === 'assignment' && child(parent, 'left') === n) {
        continue;
      }
      if (!parent || !/^(binary_operator|comparison_operator|unary_operator)$/.test(parent.type)) {
        return false;
      }
      uses++;
      continue;
    }
    stack.push(...n.children);
  }
  return uses > 0;
}

/**
 * For loops after the optimizer step that assign variables (`for online_w, target_w in
 * zip(self.online.weights, self.target.weights): target_w.assign(...)`): the edits wrapping each
 * assigned value in `keras.ops.stop_gradient(...)` (run from compute_loss(), the value would
 * otherwise carry the gradient of the trained variables it reads: PyTorch records the in-place
 * copy), or why not: a loop variable assigned that is not drawn from `self.<sub>.<variables>`
 * of a sub-model in `untrained` (frozen by the rewrite or already not trainable).
 */
export function stateUpdateEdits(loops: SyntaxNode[], untrained: (attr: string) => boolean, ctx: RuleContext): OffsetEdit[] | { reason: string } {
  const edits: OffsetEdit[] = [];
  for (const loop of loops) {
    const left = child(loop, 'left');
    const right = child(loop, 'right');
    const targets = !left ? [] : left.type === 'identifier' ? [left] : left.children.filter(c => c.type === 'identifier');
    const fn = right?.type === 'call' ? child(right, 'function') : null;
    const sources = right && fn && ctx.textOf(fn) === 'zip' ? (child(right, 'arguments')?.children ?? []).filter(a => a.type !== 'comment') : right ? [right] : [];
    if (targets.length !== sources.length) {
      return { reason: `\`${ctx.textOf(loop).split('\n')[0]}\` assigns variables it does not draw from sub-models one by one` };
    }
    const body = child(loop, 'body');
    for (const stmt of body?.children ?? []) {
      const call = inner(stmt);
      const callee = call.type === 'call' ? child(call, 'function') : null;
      const object = callee?.type === 'attribute' ? child(callee, 'object') : null;
      const at = object ? targets.findIndex(t => ctx.textOf(t) === ctx.textOf(object)) : -1;
      const source = at >= 0 ? /^self\.(\w+)\.(weights|variables|non_trainable_weights|non_trainable_variables|trainable_weights|trainable_variables)$/.exec(ctx.textOf(sources[at])) : null;
      if (!source || !untrained(source[1])) {
        return { reason: `\`${ctx.textOf(stmt).trim().slice(0, 60)}\` assigns variables the optimizer may also train` };
      }
      const args = (child(call, 'arguments')?.children ?? []).filter(a => a.type !== 'comment');
      if (args.length !== 1 || args[0].type === 'keyword_argument') {
        return { reason: `\`${ctx.textOf(stmt).trim().slice(0, 60)}\` is not \`variable.assign(value)\`` };
      }
      edits.push({ start: args[0].start, end: args[0].end, text: `keras.ops.stop_gradient(${ctx.textOf(args[0])})` });
    }
  }
  return edits;
}
