/**
 * How many outputs a Functional model of the cell has, read from the code that builds its
 * `outputs` list: a literal list, a list comprehension over such a list, a name bound to one and
 * grown by `.append(...)` / `.extend(other_model.output)` before the model is made (BASNet's
 * `output = [refine_model.output]; output.extend(predict_model.output); output = [act(o) for o in output]`),
 * also when a function of the cell builds and returns the model.
 */
import { child, itemsOf, returnStatements, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { escapeRegExp } from '../text';
import { callParts, lastAssignedValue, valueBefore } from './calls';
import { moduleFunctionDefinition } from './tape-context';

/** At least `min` outputs; exactly `min` when `exact`. */
export interface OutputCount {
  min: number;
  exact: boolean;
}

const FUNCTIONAL_MODEL = new Set(['keras.Model', 'keras.models.Model']);

/** The statement of the block or module around `node` that holds it. */
function statementOf(node: SyntaxNode): SyntaxNode {
  let s = node;
  while (s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') {
    s = s.parent;
  }
  return s;
}

/**
 * `base` updated by the statements after `from` and before `to` (siblings in one block) that grow
 * the list `name`: `name.append(x)` adds one, `name.extend(m.output)` at least one (a model's
 * output list in Keras 2 code); a loop that appends makes the count a lower bound. Anything else
 * that may shrink or rebind it (`pop`, `remove`, `clear`, `del`, item assignment) gives null.
 */
function grown(name: string, from: SyntaxNode, to: SyntaxNode, base: OutputCount, ctx: RuleContext): OutputCount | null {
  const block = from.parent;
  if (!block || to.parent !== block) {
    return null;
  }
  const n = escapeRegExp(name);
  const growth = new RegExp(`^${n}\\s*\\.\\s*(append|extend)\\s*\\(([^]*)\\)$`);
  const shrinks = new RegExp(`\\b${n}\\s*\\.\\s*(pop|remove|clear|insert)\\b|\\bdel\\s+${n}\\b|(?:^|[^\\w.])${n}\\s*\\[[^\\]]*\\]\\s*=(?!=)|\\b${n}\\s*(\\+|\\*)?=(?!=)`);
  const mentions = new RegExp(`(?:^|[^\\w.])${n}\\b`);
  let { min, exact } = base;
  for (const statement of block.children) {
    if (statement.start <= from.start || statement.start >= to.start) {
      continue;
    }
    const text = ctx.textOf(statement).replace(/\s+#[^\n]*$/, '').trim();
    if (!mentions.test(text)) {
      continue;
    }
    const m = growth.exec(text);
    if (m && m[1] === 'append') {
      min += 1;
    } else if (m && /^[A-Za-z_][\w.]*\.outputs?$/.test(m[2].trim())) {
      min += 1;
      exact = false;
    } else if (m || (statement.type !== 'expression_statement' && !shrinks.test(text))) {
      // An extend of something else, or a loop / branch that reads or grows the list.
      exact = false;
    } else if (shrinks.test(text)) {
      return null;
    }
  }
  return { min, exact };
}

/** The item count of an `outputs=` (or `inputs=`) value given as a list or tuple; null for anything else (one tensor, a dict, unknown). */
function countOf(node: SyntaxNode | null, ctx: RuleContext, depth: number): OutputCount | null {
  if (!node || depth > 6) {
    return null;
  }
  switch (node.type) {
    case 'list':
    case 'tuple': {
      const items = itemsOf(node);
      const plain = items.filter(i => i.type !== 'list_splat');
      return { min: plain.length, exact: plain.length === items.length };
    }
    case 'list_comprehension': {
      const clauses = node.children.filter(c => c.type === 'for_in_clause' || c.type === 'if_clause');
      if (clauses.length !== 1 || clauses[0].type !== 'for_in_clause') {
        return null;
      }
      return countOf(child(clauses[0], 'right'), ctx, depth + 1);
    }
    case 'identifier': {
      const name = ctx.textOf(node);
      const value = valueBefore(name, node, ctx);
      const base = value ? countOf(value, ctx, depth + 1) : null;
      return base ? grown(name, statementOf(value!), statementOf(node), base, ctx) : null;
    }
    default:
      return null;
  }
}


/**
 * The output count of the Functional model a call makes: `keras.Model(inputs, outputs=...)`, or a
 * call of a function of the cell whose one `return` gives such a model (or a name bound to one).
 */
export function functionalOutputCount(value: SyntaxNode | null, ctx: RuleContext, depth = 0, which: 'outputs' | 'inputs' = 'outputs'): OutputCount | null {
  if (!value || value.type !== 'call' || depth > 2) {
    return null;
  }
  const parts = callParts(value, ctx);
  if (!parts || parts.splat) {
    return null;
  }
  if (FUNCTIONAL_MODEL.has(ctx.resolveKeras(parts.fn) ?? '')) {
    const arg = parts.keywords.get(which)?.value ?? parts.positional[which === 'outputs' ? 1 : 0] ?? null;
    return countOf(arg, ctx, 0);
  }
  const def = parts.fn.type === 'identifier' ? moduleFunctionDefinition(ctx.textOf(parts.fn), value, ctx) : null;
  const returned = def ? returnStatements(def).map(r => r.children.find(c => c.type !== 'comment') ?? r) : [];
  if (returned.length !== 1) {
    return null;
  }
  const r = returned[0];
  return functionalOutputCount(r.type === 'identifier' ? lastAssignedValue(ctx.textOf(r), r, ctx) : r, ctx, depth + 1, which);
}

/** The output count of the model a name holds at `at` (bound in its scope or at the top of the cell). */
export function modelOutputCount(name: SyntaxNode, at: SyntaxNode, ctx: RuleContext, which: 'outputs' | 'inputs' = 'outputs'): OutputCount | null {
  if (name.type !== 'identifier') {
    return null;
  }
  const text = ctx.textOf(name);
  return functionalOutputCount(valueBefore(text, at, ctx), ctx, 0, which);
}
