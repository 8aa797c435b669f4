/**
 * Creating an attribute in the `__init__` of the Keras layer or model whose method encloses the
 * current node: right after its `super().__init__(...)` call, or in a new
 * `def __init__(self, *args, **kwargs)` when the class has none. Fixes that make a layer hold a
 * `keras.random.SeedGenerator` or a `keras.metrics.Mean` tracker use it.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { lineStartAt } from '../text';

export function indentOf(node: SyntaxNode, ctx: RuleContext): string {
  const lineStart = lineStartAt(ctx.text, node.start);
  const indent = ctx.text.slice(lineStart, node.start);
  return /^[ \t]*$/.test(indent) ? indent : '';
}

function isDocstring(statement: SyntaxNode): boolean {
  return statement.type === 'expression_statement' && statement.children.length === 1 && statement.children[0].type === 'string';
}

/**
 * The edit that runs `creation` (`self.x = ...`) in the `__init__` of `cls` (a class_definition):
 * after `super().__init__(...)`, or in a new `__init__` placed first in the class body. Null when
 * `__init__` does not call `super().__init__` (the attribute must be set after it) or the body is empty.
 */
export function initAttributeEdit(cls: SyntaxNode, creation: string, ctx: RuleContext): OffsetEdit | null {
  const body = child(cls, 'body');
  if (!body) {
    return null;
  }
  const definitions = body.children.map(s => (s.type === 'decorated_definition' ? s.children[s.children.length - 1] : s));
  const init = definitions.find(d => d.type === 'function_definition' && ctx.textOf(child(d, 'name') ?? d) === '__init__');
  if (init) {
    const initBody = child(init, 'body');
    const superCall = initBody?.children.find(s => s.type === 'expression_statement' && /^super\b[\s\S]*\.__init__\s*\(/.test(ctx.textOf(s)));
    if (!superCall) {
      return null;
    }
    return { start: superCall.end, end: superCall.end, text: `\n${indentOf(superCall, ctx)}${creation}` };
  }
  const first = body.children.find(s => !isDocstring(s) && s.type !== 'comment');
  if (!first) {
    return null;
  }
  const indent = indentOf(first, ctx);
  const inner = indent + (indent.includes('\t') ? '\t' : '    ');
  return {
    start: first.start,
    end: first.start,
    text: `def __init__(self, *args, **kwargs):\n${inner}super().__init__(*args, **kwargs)\n${inner}${creation}\n\n${indent}`
  };
}
