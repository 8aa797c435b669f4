/**
 * Replacing a top-level `from ... import X` of something Keras 3 removed by definitions written
 * into the cell (a class restored with Keras 3 layers): the import line goes, and the definitions
 * go after the imports that follow it directly, so they see every name those imports bind.
 * Shared by the fixes of removed-layer (RandomFourierFeatures), premade-models
 * (LinearModel, WideDeepModel) and keras2-third-party-package (TFP and TFA definitions). Not a rule.
 */
import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { lineStartAt } from '../text';

/**
 * Where definitions go so that they see every name the imports around `statement` (a module child)
 * bind: after the line of the last import in the run of imports it starts (nothing else between
 * them). `atTextEnd` when that line ends the text without a newline.
 */
export function afterImportRun(statement: SyntaxNode, ctx: RuleContext): { at: number; atTextEnd: boolean; lastImport: SyntaxNode } {
  const siblings = (statement.parent?.children ?? []).filter(s => s.type !== 'comment');
  let lastImport = statement;
  for (let i = siblings.indexOf(statement) + 1; i < siblings.length && (siblings[i].type === 'import_statement' || siblings[i].type === 'import_from_statement'); i++) {
    lastImport = siblings[i];
  }
  const lineEnd = ctx.text.indexOf('\n', lastImport.end);
  return { at: lineEnd < 0 ? ctx.text.length : lineEnd + 1, atTextEnd: lineEnd < 0, lastImport };
}

/** The edits that delete the import `statement` (a module child) and put `definitions` after the run of imports it starts. */
export function importReplacedByDefinitions(statement: SyntaxNode, definitions: string, ctx: RuleContext): OffsetEdit[] {
  const lineStart = lineStartAt(ctx.text, statement.start);
  const lineEnd = ctx.text.indexOf('\n', statement.end);
  const removeEnd = lineEnd < 0 ? ctx.text.length : lineEnd + 1;
  const { at, lastImport } = afterImportRun(statement, ctx);
  if (lastImport === statement) {
    return [{ start: lineStart, end: removeEnd, text: `\n\n${definitions}\n\n\n` }];
  }
  return [
    { start: lineStart, end: removeEnd, text: '' },
    { start: at, end: at, text: `\n\n${definitions}\n\n` }
  ];
}
