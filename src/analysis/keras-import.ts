/**
 * Where a fix that introduces `keras.` puts `import keras` in a cell or file (and one that
 * introduces `os.` puts `import os`). Only syntax: whether the module is already bound is the
 * caller's question.
 */
import { child, SyntaxNode } from './ast';
import type { OffsetEdit } from './rule';
import { lineBreakOf } from './text';

/** A top-level `import tensorflow...` or `from tensorflow... import` statement. */
function isTensorflowImport(stmt: SyntaxNode, text: string): boolean {
  if (stmt.type === 'import_statement') {
    return stmt.children.some(c => {
      const name = c.type === 'aliased_import' ? child(c, 'name') : c;
      return name !== null && /^tensorflow(\.|$)/.test(text.slice(name.start, name.end));
    });
  }
  if (stmt.type === 'import_from_statement') {
    const m = child(stmt, 'module_name');
    return m !== null && /^tensorflow(\.|$)/.test(text.slice(m.start, m.end));
  }
  return false;
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** Offset just after the line break that ends the line holding `offset`, or -1 on the last line. */
function nextLineStart(text: string, offset: number): number {
  const m = /\r\n|\r|\n/g;
  m.lastIndex = offset;
  const found = m.exec(text);
  return found ? found.index + found[0].length : -1;
}

/**
 * The import on the line after a top-level statement, at that statement's indentation: a
 * statement of a script's main guard is top-level too (see liftMainGuards), and the import
 * must stay inside that block.
 */
function insertionAfter(text: string, stmt: SyntaxNode, eol: string, module: string): OffsetEdit {
  const indent = indentationAt(text, stmt.start);
  const lineStart = nextLineStart(text, stmt.end);
  if (lineStart < 0) {
    return { start: text.length, end: text.length, text: eol + indent + `import ${module}`, addsImport: module };
  }
  return { start: lineStart, end: lineStart, text: indent + `import ${module}` + eol, addsImport: module };
}

/** The blanks before `offset` on its line when only blanks precede it there, else ''. */
function indentationAt(text: string, offset: number): string {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) {
    i--;
  }
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' ? text.slice(i, offset) : '';
}

/**
 * Where `import keras` goes in a cell or file: after the import block that holds the
 * TensorFlow import, else after any docstring and `from __future__` imports. With `before`
 * (the first place the code uses `keras.`), a place after it is not taken: the import then
 * goes to the top (after docstring, `__future__` imports and a cell magic line).
 */
export function kerasImportInsertion(root: SyntaxNode, text: string, before?: number): OffsetEdit {
  return importInsertion(root, text, 'keras', before);
}

/** Where `import MODULE` goes (a top-level module: `keras`, `os`): as `import keras`, see kerasImportInsertion. */
export function importInsertion(root: SyntaxNode, text: string, module: string, before?: number): OffsetEdit {
  const stmts = root.children.filter(c => c.type !== 'comment');
  // Keep the file's line endings (CR LF, CR only or LF).
  const eol = lineBreakOf(text);
  const tfIndex = stmts.findIndex(s => isTensorflowImport(s, text));
  if (tfIndex >= 0) {
    let i = tfIndex;
    while (i + 1 < stmts.length && IMPORT_TYPES.has(stmts[i + 1].type)) {
      i++;
    }
    const edit = insertionAfter(text, stmts[i], eol, module);
    if (before === undefined || edit.start <= before) {
      return edit;
    }
  }
  let after: SyntaxNode | null = null;
  let i = 0;
  if (stmts[0] && stmts[0].type === 'expression_statement' && stmts[0].children[0]?.type === 'string') {
    after = stmts[0];
    i = 1;
  }
  while (i < stmts.length && stmts[i].type === 'future_import_statement') {
    after = stmts[i];
    i++;
  }
  if (after) {
    return insertionAfter(text, after, eol, module);
  }
  // A `%%time`-style first line must stay first.
  if (/^\s*%%/.test(text)) {
    const magicEnd = nextLineStart(text, 0);
    return magicEnd > 0
      ? { start: magicEnd, end: magicEnd, text: `import ${module}` + eol, addsImport: module }
      : { start: text.length, end: text.length, text: eol + `import ${module}`, addsImport: module };
  }
  return { start: 0, end: 0, text: `import ${module}` + eol, addsImport: module };
}
