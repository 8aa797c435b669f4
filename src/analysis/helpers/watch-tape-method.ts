import { child, identifiersIn, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import { lineStartAt } from '../text';
import { parameterNames, tfApiName } from './calls';
import { classMethodDefinitions } from './model-code';
import { assignedNames, freshNamer, indentOf, nameNodes, nodesUnder } from './multi-optimizer-step';

/**
 * A tape in a train_step that watches tensors and gives one gradient with respect to them (a
 * WGAN-GP gradient penalty written inline, nested in the critic's tape:
 * `with tf.GradientTape() as gp_tape: gp_tape.watch(x); pred = critic(x)` then
 * `grads = gp_tape.gradient(pred, x)`), moved into a method of the model that returns that
 * gradient (and the names its body binds that the step reads after it). The step calls the method
 * where the tape was, so on TensorFlow it computes the same (inside the outer tape, which records
 * the method's operations and differentiates the gradient again). A step whose penalty tape sits in
 * a method of its own is the form the per-backend rewrite of a multi-optimizer step takes
 * (rewriteTapeHelper: PyTorch and JAX variants of the method), on the next fix pass.
 *
 * Null when the tape is of another form: not `with tf.GradientTape() as t:` alone, a body that
 * does not start with `t.watch(x)` statements then only binds names by plain assignments (no
 * return, yield, break, continue, nested functions), or a tape used after it other than in one
 * `t.gradient(value, x or [x, ...])` over the watched tensors in a later statement of the same block.
 */
export function watchTapeMethodFix(tapeCall: SyntaxNode, def: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): { fix: RawFix; method: string } | null {
  const text = ctx.text;
  let stmt: SyntaxNode | null = tapeCall.parent;
  while (stmt && stmt.type !== 'with_statement' && stmt !== def) {
    stmt = stmt.parent;
  }
  if (!stmt || stmt.type !== 'with_statement') {
    return null;
  }
  const clause = stmt.children[0];
  const body = child(stmt, 'body');
  const items = clause.type === 'with_clause' ? clause.children.filter(c => c.type !== 'comment') : [clause];
  const m = items.length === 1 ? /^(?:\w+\.)*GradientTape\(\s*\)\s+as\s+(\w+)$/.exec(ctx.textOf(items[0]).replace(/\s+/g, ' ').trim()) : null;
  if (!m || !body || tapeCall.start < clause.start || tapeCall.end > clause.end || tfApiName(ctx.resolve(child(tapeCall, 'function') ?? tapeCall)) !== 'tf.GradientTape') {
    return null;
  }
  const alias = m[1];
  const bodyStmts = body.children.filter(c => c.type !== 'comment');
  const watched: string[] = [];
  let k = 0;
  for (; k < bodyStmts.length; k++) {
    const w = /^(\w+)\.watch\(\s*(\w+)\s*\)$/.exec(ctx.textOf(bodyStmts[k]).replace(/\s+/g, ''));
    if (!w || w[1] !== alias) {
      break;
    }
    watched.push(w[2]);
  }
  const rest = bodyStmts.slice(k);
  if (!watched.length || !rest.length || rest.some(s => identifiersIn(s).some(n => ctx.textOf(n) === alias))) {
    return null;
  }
  const forbidden = ['return_statement', 'yield', 'break_statement', 'continue_statement', 'global_statement', 'nonlocal_statement', 'function_definition', 'class_definition', 'lambda'];
  if (nodesUnder(body, n => forbidden.includes(n.type)).length) {
    return null;
  }
  const bound = new Set<string>();
  for (const s of rest) {
    const names = assignedNames(s, ctx);
    if (!names && nodesUnder(s, n => ['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'as_pattern'].includes(n.type)).length) {
      return null;
    }
    (names ?? []).forEach(n => bound.add(n));
  }
  // The tape after it: one `alias.gradient(value, sources)` in a later statement of the same block.
  const after = identifiersIn(def).filter(n => n.start > stmt!.end && ctx.textOf(n) === alias);
  const call = after.length === 1 ? after[0].parent?.parent : null;
  if (!call || call.type !== 'call' || ctx.textOf(child(call, 'function')!).replace(/\s+/g, '') !== `${alias}.gradient`) {
    return null;
  }
  const args = (child(call, 'arguments')?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  const sources = args[1]?.type === 'list' ? args[1].children.filter(c => !['[', ']', ',', 'comment'].includes(c.type)) : args[1] ? [args[1]] : [];
  if (args.length !== 2 || args[0].type !== 'identifier' || !bound.has(ctx.textOf(args[0])) || !sources.length || !sources.every(s => s.type === 'identifier' && watched.includes(ctx.textOf(s)))) {
    return null;
  }
  let user: SyntaxNode | null = call;
  while (user && user.parent !== stmt.parent) {
    user = user.parent;
  }
  if (!user || user.start < stmt.end) {
    return null;
  }
  // Parameters: the step's names the tape's body reads (bound before the tape, or the step's parameters).
  const stepParams = new Set((parameterNames(def, ctx) ?? []).filter(p => p && p !== 'self'));
  const boundBefore = new Set<string>(stepParams);
  for (const n of nodesUnder(def, x => ['assignment', 'augmented_assignment', 'for_statement', 'as_pattern', 'named_expression', 'for_in_clause'].includes(x.type) && x.end <= stmt!.start)) {
    nameNodes(child(n, 'left') ?? child(n, 'alias') ?? n).forEach(x => boundBefore.add(ctx.textOf(x)));
  }
  const params: string[] = [];
  for (const n of nameNodes(body).sort((a, b) => a.start - b.start)) {
    const name = ctx.textOf(n);
    if (name !== alias && boundBefore.has(name) && !params.includes(name)) {
      params.push(name);
    }
  }
  // What the body binds that the step reads after the tape comes back with the gradient.
  const readAfter = new Set(nameNodes(def).filter(n => n.start > stmt!.end && !(n.start >= call.start && n.end <= call.end)).map(n => ctx.textOf(n)));
  const kept = [...bound].filter(n => readAfter.has(n));
  const methods = classMethodDefinitions(cls, ctx);
  const method = freshNamer(new Set(methods.keys()))(`_${alias}_gradient`);
  const used = new Set(identifiersIn(def).map(n => ctx.textOf(n)));
  const gradName = freshNamer(used)(`${alias}_gradient`);

  // The method, before the step (its decorators included), at the step's indentation.
  const outer = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const defIndent = indentOf(text, outer.start);
  const tapeIndent = indentOf(text, stmt.start);
  const firstBody = child(def, 'body')!.children[0];
  const unit = indentOf(text, firstBody.start).slice(defIndent.length) || '    ';
  const moved = text
    .slice(lineStartAt(text, stmt.start), stmt.end)
    .split('\n')
    .map(l => (l.trim() ? defIndent + unit + (l.startsWith(tapeIndent) ? l.slice(tapeIndent.length) : l.trimStart()) : l))
    .join('\n');
  const gradient = ctx.textOf(call);
  const returned = kept.length ? `${gradient}, ${kept.join(', ')}` : gradient;
  const methodText = `${defIndent}def ${method}(${['self', ...params].join(', ')}):\n${moved}\n${defIndent}${unit}return ${returned}\n\n`;
  const callText = `self.${method}(${params.join(', ')})`;

  const edits: OffsetEdit[] = [{ start: lineStartAt(text, outer.start), end: lineStartAt(text, outer.start), text: methodText }];
  // `grads = tape.gradient(...)` right after the tape: `grads = self._tape_gradient(...)`.
  const e = user.type === 'expression_statement' ? user.children[0] : null;
  const next = stmt.parent!.children.filter(c => c.type !== 'comment').find(c => c.start >= stmt!.end);
  if (!kept.length && next === user && e?.type === 'assignment' && child(e, 'right') === call) {
    edits.push({ start: stmt.start, end: user.start, text: '' });
    edits.push({ start: call.start, end: call.end, text: callText });
  } else {
    edits.push({ start: stmt.start, end: stmt.end, text: `${[gradName, ...kept].join(', ')} = ${callText}` });
    edits.push({ start: call.start, end: call.end, text: gradName });
  }
  return {
    method,
    fix: {
      title: `Move the tape watching ${watched.map(w => `\`${w}\``).join(', ')} into a method \`${method}()\` returning its gradient (the form the per-backend step rewrite takes)`,
      safe: false,
      edits
    }
  };
}
