/**
 * Replacing a top-level `from ... import X` of something Keras 3 removed by definitions written
 * into the cell (a class restored with Keras 3 layers): the import line goes, and the definitions
 * go after the imports that follow it directly, so they see every name those imports bind.
 * Shared by the fixes of removed-layer (RandomFourierFeatures) and premade-models
 * (LinearModel, WideDeepModel). Not a rule.
 */
import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { lineStartAt } from '../text';

/** The edits that delete the import `statement` (a module child) and put `definitions` after the run of imports it starts. */
export function importReplacedByDefinitions(statement: SyntaxNode, definitions: string, ctx: RuleContext): OffsetEdit[] {
  const lineStart = lineStartAt(ctx.text, statement.start);
  const lineEnd = ctx.text.indexOf('\n', statement.end);
  const removeEnd = lineEnd < 0 ? ctx.text.length : lineEnd + 1;
  // The imports that follow this one directly (nothing else between them).
  const siblings = (statement.parent?.children ?? []).filter(s => s.type !== 'comment');
  let lastImport = statement;
  for (let i = siblings.indexOf(statement) + 1; i < siblings.length; i++) {
    if (siblings[i].type !== 'import_statement' && siblings[i].type !== 'import_from_statement') {
      break;
    }
    lastImport = siblings[i];
  }
  if (lastImport === statement) {
    return [{ start: lineStart, end: removeEnd, text: `\n\n${definitions}\n\n\n` }];
  }
  const after = ctx.text.indexOf('\n', lastImport.end);
  const at = after < 0 ? ctx.text.length : after + 1;
  return [
    { start: lineStart, end: removeEnd, text: '' },
    { start: at, end: at, text: `\n\n${definitions}\n\n` }
  ];
}
