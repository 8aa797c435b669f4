/**
 * How a name is bound in a function body or a cell: the values of its plain assignments and
 * whether anything else binds it. The one walk behind isKnownInt and isKnownFloat. Not a rule.
 */
import { child, globalNamesOf, identifiersIn, rootOf, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';

export interface NameBindings {
  /** Right-hand sides of `name = <value>`, in source order (null: a skipped statement `skipped` read as a value). */
  values: Array<SyntaxNode | null>;
  /** Where the first of those starts (Infinity: none). */
  first: number;
  /** Bound some other way (unpacked, annotated only, a loop or `with` target, rebound by a nested function...). */
  other: boolean;
  /** `name += ...` (or another augmented assignment) seen. */
  augmented: boolean;
}

export interface NameBindingOptions {
  /**
   * Reads a top-level statement the relevance filter left out (no children): 'value' when it is
   * `name = <a value the caller accepts>`, 'other' when it binds the name otherwise, null when it
   * does not bind it. Without it such statements are not read.
   */
  skipped?: (statement: SyntaxNode) => 'value' | 'other' | null;
  /** Statement types (`global_statement`, `nonlocal_statement`) by which a nested function rebinding the name counts as another binding. */
  nestedRebinding: ReadonlySet<string>;
  // Loops, `with`, `:=` and `as` bind only their targets: `for epoch in range(EPOCHS)` reads EPOCHS.
}

const TARGETS = new Set(['for_statement', 'for_in_clause', 'with_item', 'named_expression', 'as_pattern']);

/** How `name` is bound in `scope` (nested functions and classes aside; see NameBindingOptions). */
export function nameBindings(scope: SyntaxNode, name: string, ctx: RuleContext, options: NameBindingOptions): NameBindings {
  const result: NameBindings = { values: [], first: Infinity, other: false, augmented: false };
  const moduleScope = scope.type === 'module';
  /** How many bodies of functions declaring the name `global` the visit is in: their `global` statement binds nothing. */
  let globalBodies = 0;
  const visit = (n: SyntaxNode): void => {
    if (result.other) {
      return;
    }
    if (globalBodies > 0 && n.type === 'global_statement') {
      return;
    }
    if (options.skipped && n.type === 'expression_statement' && n.children.length === 0 && n.end > n.start) {
      const found = options.skipped(n);
      if (found === 'value') {
        result.values.push(null);
        result.first = Math.min(result.first, n.start);
      } else if (found === 'other') {
        result.other = true;
      }
      return;
    }
    if (n !== scope && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) {
      // At module level, a function declaring `global name` binds the module's name: its
      // bindings count as the module's (the wrapped style: `def step_1(): global x; x = 3`).
      if (moduleScope && n.type === 'function_definition' && (n.parent === scope || n.parent?.parent === scope) && globalNamesOf(n, ctx.text).has(name)) {
        const body = child(n, 'body');
        if (body) {
          globalBodies++;
          visit(body);
          globalBodies--;
        }
        return;
      }
      // A nested function rebinding the name (`global x`) changes it at any call.
      if (options.nestedRebinding.size && identifiersIn(n).some(c => ctx.textOf(c) === name && options.nestedRebinding.has(c.parent?.type ?? ''))) {
        result.other = true;
      }
      return;
    }
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      if (left && left.type === 'identifier' && ctx.textOf(left) === name) {
        const right = child(n, 'right');
        if (right) {
          result.values.push(right);
          result.first = Math.min(result.first, n.start);
        } else {
          result.other = true; // annotated only
        }
      } else if (left && identifiersIn(left).some(c => ctx.textOf(c) === name && c.parent?.type !== 'attribute' && c.parent?.type !== 'subscript')) {
        result.other = true; // unpacked
      }
    } else if (n.type === 'augmented_assignment') {
      const left = child(n, 'left');
      if (left && left.type === 'identifier' && ctx.textOf(left) === name) {
        result.augmented = true;
      }
    } else if (bindsAsTarget(n, name, ctx)) {
      result.other = true;
    }
    for (const c of n.children) {
      visit(c);
    }
  };
  visit(scope);
  return result;
}

/** Whether `n` binds `name` as a loop, `with`, `:=` or `as` target, declares it `global`/`nonlocal`, or may import it or bind it in an `except` clause. */
function bindsAsTarget(n: SyntaxNode, name: string, ctx: RuleContext): boolean {
  if (n.type === 'global_statement' || n.type === 'nonlocal_statement' || n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'except_clause') {
    return identifiersIn(n).some(c => ctx.textOf(c) === name);
  }
  if (!TARGETS.has(n.type)) {
    return false;
  }
  const target =
    n.type === 'for_statement' || n.type === 'for_in_clause' ? child(n, 'left') : n.type === 'named_expression' ? child(n, 'name') : n.type === 'as_pattern' ? child(n, 'alias') : null;
  return identifiersIn(n).some(c => ctx.textOf(c) === name && (target ? target.start <= c.start && c.end <= target.end : n.type !== 'with_item'));
}

/**
 * The values a plain name is assigned (`name = value`) in the scope that binds it where `name`
 * is read: the enclosing function's when it is one of its locals, else the module's. Empty when
 * the name is also bound another way (unpacked, a loop target, augmented).
 */
export function plainAssignedValues(name: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const text = ctx.textOf(name);
  let scope: SyntaxNode = name;
  if (ctx.fn && ctx.fn.locals.has(text) && !ctx.fn.globals.has(text)) {
    scope = ctx.fn.node;
  } else {
    while (scope.parent) {
      scope = scope.parent;
    }
  }
  const bindings = nameBindings(scope, text, ctx, { nestedRebinding: new Set(['global_statement', 'nonlocal_statement']) });
  if (bindings.other || bindings.augmented) {
    return [];
  }
  return bindings.values.filter((v): v is SyntaxNode => v !== null);
}

/**
 * The right-hand side of the last top-level `name = ...` before `at` among the statements the
 * relevance filter left out (no Keras word in them: kept as a range without children), as text and
 * its offset in the cell; null when there is none. The tree says nothing of such a statement
 * (`sizes = [165, 330]`, `FEATURES = {"thal": "string"}` before a model is built): its text does.
 */
export function skippedAssignment(name: string, at: SyntaxNode, ctx: RuleContext): { text: string; start: number } | null {
  const plain = new RegExp(`^${name.replace(/[^\w]/g, '')}[ \\t]*=(?!=)[ \\t]*`);
  let found: { text: string; start: number } | null = null;
  for (const statement of rootOf(at).children) {
    if (statement.start >= at.start) {
      break;
    }
    if (statement.type !== 'expression_statement' || statement.children.length > 0 || statement.end <= statement.start) {
      continue;
    }
    const text = ctx.textOf(statement);
    const m = plain.exec(text);
    if (m) {
      found = { text: text.slice(m[0].length), start: statement.start + m[0].length };
    }
  }
  return found;
}
